"""Watching: the files a rendering read, woken by file events where the system has them and
looked at every POLL seconds anyway; a change is rendered once it has settled."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from blueprint_cli.preview.events import FileEvents, open_events
from blueprint_cli.preview.live import Live
from blueprint_cli.preview.rendering import Problem, Rendered, render

POLL = 0.2  # seconds between looks at the files
Stamp = tuple[tuple[int, int] | None, ...]


def stamps(paths: tuple[str, ...]) -> Stamp:
    """Modification time and size of each file (None for a missing one)."""
    found: list[tuple[int, int] | None] = []
    for path in paths:
        try:
            info = os.stat(path)
            found.append((info.st_mtime_ns, info.st_size))
        except OSError:
            found.append(None)
    return tuple(found)


def watch(
    paths: list[str],
    live: Live,
    *,
    timeout: float = 60.0,
    running: Callable[[], bool] = lambda: True,
    draw: Callable[..., Rendered] = render,
) -> None:
    """Render now and after every change of an input or an include, until `running()` is false.

    A change is read once two looks in a row see the same files, so a save in progress (an
    editor writing in several steps) is not rendered half-written.
    """
    watched, seen = _render(paths, tuple(paths), live, timeout=timeout, draw=draw)
    events = open_events()
    try:
        while running():
            _pause(events, watched)
            now = stamps(watched)
            if now == seen:
                continue
            time.sleep(POLL / 2)
            if stamps(watched) != now:  # still being written: look again next time
                continue
            watched, seen = _render(paths, watched, live, timeout=timeout, draw=draw)
    finally:
        if events is not None:
            events.close()


def _pause(events: FileEvents | None, watched: tuple[str, ...]) -> None:
    """Until a watched folder changes (file events) or POLL seconds have passed."""
    if events is None:
        time.sleep(POLL)
        return
    events.watch({os.path.dirname(os.path.abspath(path)) for path in watched})
    events.wait(POLL)


def _render(
    paths: list[str], watched: tuple[str, ...], live: Live, *, timeout: float, draw: Callable[..., Rendered]
) -> tuple[tuple[str, ...], Stamp]:
    """One pass; the stamps are taken before it, so that a save during the pass is not missed."""
    before = stamps(watched)
    try:
        rendered = draw(paths, timeout=timeout)
    except Exception as error:  # a bug: shown on the page, and the preview goes on with the next save
        message = f"internal error: {type(error).__name__}: {error} (this is a bug; please report it)"
        kind = "diagram" if len(paths) == 1 else "report"
        rendered = Rendered(kind, None, (Problem(paths[0], message),), watched)
    live.update(rendered)
    if rendered.watched == watched:
        return watched, before
    return rendered.watched, stamps(rendered.watched)
