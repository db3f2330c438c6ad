"""A blueprint as it was at a git revision, with the files it includes as they were then too.

`blueprint diff --rev REV FILE` and `report --rev` compare FILE at REV with FILE now. Reading only
FILE from git would read its includes from the working tree, so a change in a shared include
would be invisible. Here the blueprint files of the revision (and the configuration files that
mark a project) are written into a temporary copy of the repository's layout and loaded from
there, under their real names: locations name files that exist in the checkout; the revision is
said in the blueprint's path (`FILE@REV`) and in the messages of the changes found there.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from blueprint_cli.language.gitrev import GitError, show_at_revision

if TYPE_CHECKING:
    from blueprint_cli.language.errors import BlueprintError
    from blueprint_cli.language.model import Blueprint

_MARKERS = ("blueprint.toml", "pyproject.toml")  # they decide where a project (the include root) is


def load_at_revision(path: str, rev: str) -> Blueprint:
    """FILE and its includes as they were at REV; raises BlueprintError (located, REV named) or GitError."""
    from blueprint_cli.language.errors import BlueprintError
    from blueprint_cli.language.resolve import load

    show_at_revision(path, rev)  # every check and message about the file itself (unknown revision, ...)
    top = _toplevel(Path(path).resolve().parent)
    relative = Path(path).resolve().relative_to(top)
    copy = _copy_of(top, rev)
    try:
        with _include_root(top, copy):
            blueprint = load(copy / relative, display=path)
    except BlueprintError as error:
        raise _at_revision(error, rev) from None
    return dataclasses.replace(blueprint, path=f"{path}@{rev}")


_COPIES: dict[tuple[Path, str], tempfile.TemporaryDirectory[str]] = {}


def _copy_of(top: Path, rev: str) -> Path:
    """The revision's files, written once per run (`diff --rev REV FOLDER` loads many blueprints);
    the temporary folders are removed when the program ends."""
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd=top, capture_output=True, check=False
    )
    key = (top, commit.stdout.decode("ascii", "replace").strip() or rev)  # HEAD moves; a commit does not
    if key not in _COPIES:
        folder = tempfile.TemporaryDirectory(prefix="blueprint-rev-")
        _write_tree(rev, top, Path(folder.name))
        _COPIES[key] = folder
    return Path(_COPIES[key].name)


def _toplevel(folder: Path) -> Path:
    done = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True, check=False)
    if done.returncode != 0:
        raise GitError(f"{folder} is not inside a git repository, so --rev cannot be used")
    return Path(os.fsdecode(done.stdout.strip())).resolve()


def _write_tree(rev: str, top: Path, copy: Path) -> None:
    """The revision's blueprint and project files, at their paths under `copy` (regular files only)."""
    listed = subprocess.run(["git", "ls-tree", "-r", "-z", rev], cwd=top, capture_output=True, check=False)
    if listed.returncode != 0:
        raise GitError(f"cannot list the files of revision '{rev}': {os.fsdecode(listed.stderr).strip()}")
    wanted: list[tuple[str, str]] = []
    for entry in listed.stdout.split(b"\0"):
        if not entry:
            continue
        meta, _, raw_name = entry.partition(b"\t")
        mode, kind, sha = meta.split()
        name = os.fsdecode(raw_name)
        if kind == b"blob" and mode in (b"100644", b"100755") and _wanted(name):
            wanted.append((sha.decode("ascii"), name))
    (copy / ".git").mkdir()  # the repository's root is a project root, as in the checkout
    for relative, data in zip((n for _, n in wanted), _blobs([s for s, _ in wanted], top), strict=True):
        target = copy / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _wanted(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return base.endswith(".blueprint") or base in _MARKERS


def _blobs(shas: list[str], top: Path) -> Iterator[bytes]:
    """The contents of blobs, read by one `git cat-file --batch`."""
    if not shas:
        return
    done = subprocess.run(
        ["git", "cat-file", "--batch"], cwd=top, input="".join(s + "\n" for s in shas).encode(), capture_output=True
    )
    if done.returncode != 0:
        raise GitError(f"cannot read files from git: {os.fsdecode(done.stderr).strip()}")
    out, at = done.stdout, 0
    for _ in shas:
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split()[2])
        start = header_end + 1
        yield out[start : start + size]
        at = start + size + 1


@contextlib.contextmanager
def _include_root(top: Path, copy: Path) -> Iterator[None]:
    """A wider include root (BLUEPRINT_INCLUDE_ROOT) inside the repository means the same folder in the copy."""
    from blueprint_cli.language.project import ROOT_VARIABLE

    wider = os.environ.get(ROOT_VARIABLE)
    if not wider:
        yield
        return
    try:
        inside = copy / Path(wider).resolve().relative_to(top)
    except ValueError:  # outside the repository: the revision has nothing there; the copy is the root
        inside = copy
    os.environ[ROOT_VARIABLE] = str(inside)
    try:
        yield
    finally:
        os.environ[ROOT_VARIABLE] = wider


def _at_revision(error: BlueprintError, rev: str) -> BlueprintError:
    """The same located problems, each saying that it is in the revision, not in the checkout."""
    from blueprint_cli.language.errors import BlueprintError

    diagnostics = [dataclasses.replace(d, message=f"{d.message} (at revision {rev})") for d in error.diagnostics]
    return BlueprintError(diagnostics, error.sources)
