"""What `map` reads: files and folders given on the command line, each file a journey or a fragment.

A folder is searched (recursively, in sorted order) for `*.blueprint` files. A file with no
`blueprint` line (only declarations and includes) is an include fragment: shared declarations,
not a journey, so `map` leaves it out of the journeys (its content reaches them through includes).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from blueprint_cli.language import syntax as S
from blueprint_cli.language.errors import BlueprintError
from blueprint_cli.language.parser import parse_document
from blueprint_cli.language.source import SourceError, read_source

SUFFIX = ".blueprint"


@dataclass(frozen=True, slots=True)
class Inputs:
    """The journey files to read and the fragments skipped, each in a deterministic order."""

    journeys: tuple[str, ...]
    fragments: tuple[str, ...]
    missing: tuple[str, ...]  # arguments that name nothing


def expand(paths: Iterable[str]) -> tuple[list[str], list[str]]:
    """Every file named or found in a named folder (sorted within each folder), and the paths that do not exist."""
    found: list[str] = []
    missing: list[str] = []
    seen: set[str] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = sorted(_walk(path))
        elif path.exists():
            files = [given]
        else:
            missing.append(given)
            continue
        for file in files:
            key = os.path.normpath(file)
            if key not in seen:
                seen.add(key)
                found.append(file)
    return found, missing


def _walk(folder: Path) -> Iterable[str]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(SUFFIX) and not name.startswith("."):
                yield str(Path(root) / name)


_BLUEPRINT_LINE = re.compile(r"^[ \t\f\ufeff]*blueprint(?![A-Za-z0-9_\-])", re.M)


def is_fragment(path: str) -> bool:
    """Whether a file has no `blueprint` line and parses (an include fragment).

    A file with a `blueprint` line is a journey (read once, by `load`); one that cannot be read or
    parsed is not a fragment either: loading it as a journey reports why, with its places.
    """
    try:
        source = read_source(path, path)
    except SourceError:
        return False
    if _BLUEPRINT_LINE.search(source.text):
        return False
    try:
        document = parse_document(source)
    except BlueprintError:
        return False
    return bool(document.statements) and not any(isinstance(s, S.BlueprintDecl) for s in document.statements)


def collect(paths: Iterable[str]) -> Inputs:
    """Split the files found into journeys and fragments."""
    files, missing = expand(paths)
    journeys: list[str] = []
    fragments: list[str] = []
    for file in files:
        (fragments if is_fragment(file) else journeys).append(file)
    return Inputs(tuple(journeys), tuple(fragments), tuple(missing))
