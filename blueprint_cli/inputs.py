"""The files a command works on: named files, and the `*.blueprint` files under named folders."""

from __future__ import annotations

import contextlib
import fnmatch
from collections.abc import Iterable, Sequence
from pathlib import Path

SUFFIX = ".blueprint"


def expand(arguments: Iterable[str], *, exclude: Sequence[str] = (), root: Path | None = None) -> list[str]:
    """Each argument as given, a folder replaced by the blueprints under it (sorted, hidden folders skipped).

    `exclude` patterns (globs such as `legacy/**` or `*.draft.blueprint`) drop files found in
    folders; a file named on the command line is always used. A file found in a folder is used once.
    Patterns match the path relative to `root` (the configuration's folder; default: the current one).
    """
    from blueprint_cli.console import detail

    found: list[str] = []
    for argument in arguments:
        if argument != "-" and Path(argument).is_dir():
            every = _blueprints_under(Path(argument))
            if not every:  # left in: reading it reports "is a directory" at its name
                found.append(argument)
            for path in every:
                if excluded(path, exclude, root=root):
                    detail(f"excluded: {path}")
                elif path not in found:
                    found.append(path)
            detail(f"{argument}: {len(every)} {SUFFIX} files found")
        else:
            found.append(argument)
    return found


def _blueprints_under(folder: Path) -> list[str]:
    files = []
    for path in folder.rglob(f"*{SUFFIX}"):
        relative = path.relative_to(folder).parts
        if path.is_file() and not any(part.startswith(".") for part in relative):
            files.append(str(path))
    return sorted(files)


def excluded(path: str, patterns: Sequence[str], *, root: Path | None = None) -> bool:
    """Whether a path matches a pattern: the whole path (as written or relative to `root`) or its name."""
    if not patterns:
        return False
    as_posix = Path(path).as_posix()
    candidates = {as_posix, Path(path).name}
    with contextlib.suppress(ValueError):
        candidates.add(Path(path).resolve().relative_to((root or Path.cwd()).resolve()).as_posix())
    return any(_matches(c, p) for c in candidates for p in patterns)


def _matches(path: str, pattern: str) -> bool:
    pattern = pattern.rstrip("/")
    if fnmatch.fnmatchcase(path, pattern):
        return True
    # `legacy` or `legacy/**` excludes everything under a folder called legacy.
    folder = pattern[: -len("/**")] if pattern.endswith("/**") else pattern
    return any(fnmatch.fnmatchcase("/".join(path.split("/")[:i]), folder) for i in range(1, path.count("/") + 1))
