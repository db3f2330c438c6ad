"""Reading a blueprint as it was at a git revision (`blueprint diff --rev REV FILE`)."""

from __future__ import annotations

import subprocess
from pathlib import Path


class GitError(Exception):
    """Git is missing, the file is outside a repository, or the revision or path is unknown."""


def _git(args: list[str], *, cwd: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed (needed for --rev)") from None


def show_at_revision(path: str, rev: str) -> bytes:
    """The bytes of FILE at REV, via `git show REV:./FILE` run in the file's folder."""
    file = Path(path)
    folder = file.parent if str(file.parent) else Path(".")
    if not folder.is_dir():
        raise GitError(f"{path}: no such folder")
    if rev.startswith("-"):
        raise GitError(f"invalid revision '{rev}'")
    inside = _git(["rev-parse", "--is-inside-work-tree"], cwd=folder)
    if inside.returncode != 0 or inside.stdout.strip() != b"true":
        raise GitError(f"{path} is not inside a git repository, so --rev cannot be used")
    known = _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd=folder)
    if known.returncode != 0:
        raise GitError(f"unknown git revision '{rev}'")
    shown = _git(["show", f"{rev}:./{file.name}"], cwd=folder)
    if shown.returncode != 0:
        raise GitError(f"{path} does not exist at revision '{rev}'")
    return shown.stdout


def load_at_revision(path: str, rev: str):
    """The blueprint FILE as it was at REV, or None after printing its diagnostics (invalid then)."""
    from blueprint_cli.console import err, print_error
    from blueprint_cli.language.errors import BlueprintError
    from blueprint_cli.language.resolve import load_source
    from blueprint_cli.language.source import SourceError, decode

    display = f"{path}@{rev}"
    try:
        source = decode(show_at_revision(path, rev), display)
        return load_source(source, base=Path(path).resolve().parent)
    except BlueprintError as error:
        print_error(error)
        err().print(f"[bold red]✗[/] {display}: invalid at that revision")
    except SourceError as error:
        where = f"{error.path}:{error.line}:{error.column or 1}" if error.line else error.path
        err().print(f"{where}: error: {error.message}", markup=False)
    return None
