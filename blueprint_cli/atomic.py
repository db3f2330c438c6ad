"""Writing files safely: to a temporary file beside the target, then renamed over it."""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path


class WriteError(OSError):
    """A file could not be written; `filename` is the file the user named, not our temporary."""

    def __str__(self) -> str:
        return f"cannot write {self.filename}: {self.strerror}"


def write_atomic(path: str | Path, data: bytes | str, *, blueprint_text: bool = False) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never half.

    A `.blueprint` file is a user's source: only blueprint text (`fmt`, `export --format text`)
    may be written to such a name, so `check -o x.blueprint` cannot destroy one.
    Raises WriteError (an OSError naming `path`) when the folder or file cannot be written.
    """
    target = Path(path)
    if target.suffix == ".blueprint" and not blueprint_text:
        raise WriteError(errno.EEXIST, "that name is for blueprint sources; choose another file name", str(path))
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        _write(target, data)
    except OSError as exc:
        if target.is_dir():
            raise WriteError(exc.errno, "it is a folder", str(path)) from None
        raise WriteError(exc.errno, exc.strerror or str(exc), str(path)) from None


def _write(target: Path, data: bytes) -> None:
    import tempfile  # not at the top: it costs start-up time every command would pay

    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
