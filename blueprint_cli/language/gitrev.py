"""A file as it was at a git revision (`--rev REV FILE`): the checks and messages about the file itself.

`blueprint_cli.revision` loads the blueprint, with its includes as they were at the revision too.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from blueprint_cli.failures import Failure


class GitError(Failure):
    """Git is missing, the file is outside a repository, or the revision or path is unknown."""


def _git(args: list[str], *, cwd: Path) -> subprocess.CompletedProcess[bytes]:
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
        raise _unknown_revision(rev, folder)
    listed = _git(["ls-tree", "-z", rev, "--", file.name], cwd=folder).stdout.split(b"\t", 1)[0].split()
    if not listed:
        raise GitError(f"{path} does not exist at revision '{rev}'")
    mode, kind = listed[0], listed[1]
    if kind != b"blob" or mode == b"120000":
        what = "a symbolic link" if mode == b"120000" else "a folder"
        raise GitError(f"{path} is {what} at revision '{rev}', not a blueprint file")
    shown = _git(["cat-file", "blob", f"{rev}:./{file.name}"], cwd=folder)
    if shown.returncode != 0:
        raise GitError(f"{path} does not exist at revision '{rev}'")
    return shown.stdout


def _unknown_revision(rev: str, folder: Path) -> GitError:
    """An unknown revision; in a shallow clone (CI checkouts), say that history is missing and how to fetch it."""
    shallow = _git(["rev-parse", "--is-shallow-repository"], cwd=folder).stdout.strip() == b"true"
    if shallow:
        return GitError(
            f"unknown git revision '{rev}': this clone is shallow, so older history is not here",
            hint="fetch it with 'git fetch --unshallow' (or 'fetch-depth: 0' in actions/checkout)",
        )
    return GitError(f"unknown git revision '{rev}'")
