"""List the blueprints that a change since a git revision touched: their own file or a file they include.

    python -m blueprint_cli.changed BASE [PATH...]

PATHs are files or folders (default: the current folder), searched as `blueprint check` searches
them, with the configuration's exclude patterns. A blueprint is listed when it existed at BASE and
it, or any file it includes, differs between BASE and the working tree; include fragments, new
files and invalid files are left out (`blueprint check` reports on those). One path per line.
Used by the GitHub Action (action.yml) to choose what `blueprint diff --rev BASE` compares;
exits 2 with a message outside a repository or with an unknown revision.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from blueprint_cli.failures import Failure


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=False)


def changed_files(base: str) -> set[Path]:
    """Every file that differs between BASE and the working tree (resolved paths)."""
    top = _git("rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise Failure(f"not inside a git repository: {top.stderr.strip()}")
    listed = _git("diff", "--name-only", "-z", base, "--")
    if listed.returncode != 0:
        raise Failure(f"cannot compare with '{base}': {listed.stderr.strip()}")
    root = Path(top.stdout.strip())
    return {(root / name).resolve() for name in listed.stdout.split("\0") if name}


def existed_at(base: str, path: str) -> bool:
    import os

    return _git("cat-file", "-e", f"{base}:./{Path(os.path.relpath(path)).as_posix()}").returncode == 0


def touched(base: str, arguments: list[str]) -> list[str]:
    from blueprint_cli import config, pipeline
    from blueprint_cli.inputs import expand

    settings = config.current()
    changed = changed_files(base)
    found = []
    for path in expand(arguments, exclude=settings.strings("check", "exclude"), root=settings.folder):
        loaded = pipeline.try_load(path)
        if loaded.blueprint is None:
            continue
        read = {Path(p).resolve() for p in loaded.blueprint.includes} | {Path(path).resolve()}
        if read & changed and existed_at(base, path):
            found.append(path)
    return found


def main(argv: list[str]) -> int:
    from blueprint_cli.console import print_failure

    if not argv or argv[0].startswith("-"):
        sys.stderr.write(__doc__ or "")
        return 2
    try:
        found = touched(argv[0], argv[1:] or ["."])
    except Failure as error:
        print_failure(error)
        return 2
    sys.stdout.write("".join(path + "\n" for path in found))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
