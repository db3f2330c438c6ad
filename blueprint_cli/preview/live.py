"""The live state: the latest rendering, numbered, with the last good picture kept for the page."""

from __future__ import annotations

import json
import threading

from blueprint_cli.preview.rendering import Rendered


class Live:
    """Shared by the watcher (which updates it) and every open page (which waits for changes)."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.version = 0
        self.latest: Rendered | None = None
        self.good: str | None = None  # the last picture that rendered
        self.changed = threading.Condition()

    def update(self, rendered: Rendered) -> None:
        with self.changed:
            self.version += 1
            self.latest = rendered
            if rendered.body is not None:
                self.good = rendered.body
            self.changed.notify_all()

    def wait(self, after: int, timeout: float) -> int:
        """The version once it is past `after` (or the current one when `timeout` ran out)."""
        with self.changed:
            self.changed.wait_for(lambda: self.version > after, timeout=timeout)
            return self.version

    def event(self) -> str:
        """The current state as the JSON the page reads: the picture, the problems of the last save."""
        with self.changed:
            latest = self.latest
            return json.dumps(
                {
                    "version": self.version,
                    "title": self.title,
                    "kind": latest.kind if latest is not None else None,
                    "body": self.good,
                    "fresh": latest is not None and latest.body is not None,
                    "problems": [
                        {"where": p.where, "message": p.message, "hint": p.hint}
                        for p in (latest.problems if latest is not None else ())
                    ],
                },
                ensure_ascii=False,
            )
