"""File events (Linux inotify, through ctypes): wake the watcher as soon as a watched folder changes.

Where inotify is not there (another system, a limit reached), `open_events` gives None and the
watcher polls on its own; it compares file stamps either way, so an event only makes it look sooner.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import select
import sys

# From <sys/inotify.h>: a file written and closed, moved in or out, created, deleted.
_CLOSE_WRITE, _MOVED_FROM, _MOVED_TO, _CREATE, _DELETE = 0x8, 0x40, 0x80, 0x100, 0x200
_MASK = _CLOSE_WRITE | _MOVED_FROM | _MOVED_TO | _CREATE | _DELETE
_NONBLOCK, _CLOEXEC = 0o4000, 0o2000000


class FileEvents:
    """An inotify descriptor watching some folders."""

    def __init__(self, fd: int, libc: ctypes.CDLL) -> None:
        self.fd = fd
        self.libc = libc
        self.folders: set[str] = set()

    def watch(self, folders: set[str]) -> None:
        """Watch these folders too (a folder once watched stays watched)."""
        for folder in sorted(folders - self.folders):
            if self.libc.inotify_add_watch(self.fd, os.fsencode(folder), _MASK) >= 0:
                self.folders.add(folder)

    def wait(self, timeout: float) -> bool:
        """True as soon as something changed in a watched folder; False after `timeout` seconds."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            while os.read(self.fd, 65536):
                pass
        except BlockingIOError:
            pass
        return True

    def close(self) -> None:
        os.close(self.fd)


def open_events() -> FileEvents | None:
    """File events where the system has inotify, else None (the watcher then polls)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        fd = libc.inotify_init1(_NONBLOCK | _CLOEXEC)
    except (OSError, AttributeError):
        return None
    return FileEvents(fd, libc) if fd >= 0 else None
