"""The one error type of the evidence code: a message with the place it is about."""

from __future__ import annotations


class EvidenceError(Exception):
    """Invalid input (a log, a mapping, a flag): `location: message`, never a traceback."""

    def __init__(self, location: str, message: str) -> None:
        super().__init__(f"{location}: {message}")
        self.location = location
        self.message = message
