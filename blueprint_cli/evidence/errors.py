"""The one error type of the evidence code: a message with the place it is about."""

from __future__ import annotations

from blueprint_cli.failures import Failure


class EvidenceError(Failure):
    """Invalid input (a log, a mapping, a flag): `location: error: message` at the CLI boundary."""

    def __init__(self, location: str, message: str) -> None:
        super().__init__(message, location=location)
        self.location: str = location

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"
