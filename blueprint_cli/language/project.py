"""The project a blueprint belongs to: the folder its includes must stay inside.

An include may name only `.blueprint` files inside the project, so that a blueprint cannot pull
`/etc/passwd`, a `.env` or `.git/config` into error messages, CI logs and pull-request comments.
The project is the nearest folder (from the blueprint's own folder upwards) holding a
`blueprint.toml`, a `pyproject.toml` with a `[tool.blueprint]` table, or a `.git`; else the
blueprint's folder. `BLUEPRINT_INCLUDE_ROOT` names a wider folder when a team needs one.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

ROOT_VARIABLE = "BLUEPRINT_INCLUDE_ROOT"


def include_root(folder: Path) -> Path:
    """The folder the includes of a blueprint in `folder` must stay inside."""
    wider = os.environ.get(ROOT_VARIABLE)
    if wider:
        return Path(wider).resolve()
    return _project_of(folder.resolve())


@functools.lru_cache(maxsize=64)
def _project_of(folder: Path) -> Path:
    for candidate in (folder, *folder.parents):
        if (candidate / "blueprint.toml").is_file() or (candidate / ".git").exists():
            return candidate
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _has_blueprint_table(pyproject):
            return candidate
    return folder


def _has_blueprint_table(pyproject: Path) -> bool:
    try:
        return "[tool.blueprint" in pyproject.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents
