"""Where the grammar and the templates are: inside the installed package, or in the repository."""

from __future__ import annotations

import os
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The `grammar`, `templates` or `schemas` folder: packaged copy first, then the source checkout's."""
    for candidate in (_HERE / name, _HERE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"blueprint-cli is installed without its {name!r} folder")


def grammar_path() -> Path:
    return resource_dir("grammar") / "blueprint.lark"


def templates_dir() -> Path:
    return resource_dir("templates")


def cache_dir() -> Path:
    """The user's cache folder for what is worth keeping between runs (parser tables, compiled
    templates): `$XDG_CACHE_HOME/blueprint-cli`, else `~/.cache/blueprint-cli`; never the package."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "blueprint-cli"
