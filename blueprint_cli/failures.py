"""What a user can fix: the one family of errors that end a command with a message and exit code 2.

Lower layers raise; they never print. The CLI boundary (`cli.main`) turns a `Failure` into
`error: message` (and its hint) on standard error; `console.print_failure` is the one place that
words each kind. Invalid blueprints are `language.errors.BlueprintError`, which carries located
diagnostics instead of one message.
"""

from __future__ import annotations


class Failure(Exception):
    """A problem the user can fix: a wrong option, an unreadable file, a missing program."""

    def __init__(self, message: str, *, hint: str | None = None, location: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.location = location  # `path:line:col` (or `path`) when the problem is in a file


class UsageError(Failure):
    """The command line asks for something that cannot work (a wrong combination of arguments)."""


class AlreadyReported(Failure):
    """Invalid input whose problems have been printed already (every file's, before giving up): exit 2 quietly."""

    def __init__(self) -> None:
        super().__init__("")
