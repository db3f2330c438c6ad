"""The one place that decides exit codes (documented in the README).

0  no finding at or above the threshold (or --exit-zero on valid input)
1  findings at or above the threshold (`--fail-on`), or `fmt --check` found files to change
2  invalid input or usage
3  internal error (a bug: please report it)
130 interrupted (Ctrl-C), as shells report a SIGINT

Commands return an `Outcome`; `code_for` turns it into the exit code. Failures raised on the way
(`failures.Failure`, invalid blueprints, unwritable files) are mapped by `cli.main` with the
constants below.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from blueprint_cli.vocab import at_least

OK = 0
FINDINGS = 1
INVALID = 2
INTERNAL = 3
INTERRUPTED = 130

FAIL_ON_CHOICES = ("error", "warning", "note", "never")


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """What a command found, as far as its exit code is concerned."""

    invalid: bool = False  # some input could not be read or is not a valid blueprint
    severities: tuple[str, ...] = ()  # severities of the new findings or changes
    fail_on: str = "error"
    exit_zero: bool = False
    would_change: bool = False  # `fmt --check`: some file is not in the canonical layout


def code_for(outcome: Outcome) -> int:
    """The exit code of a finished command."""
    if outcome.invalid:
        return INVALID
    if outcome.would_change:
        return FINDINGS
    return for_findings(outcome.severities, fail_on=outcome.fail_on, exit_zero=outcome.exit_zero)


def for_findings(severities: Iterable[str], *, fail_on: str = "error", exit_zero: bool = False) -> int:
    """Exit code for a run on valid input that produced findings with these severities."""
    if exit_zero or fail_on == "never":
        return OK
    return FINDINGS if any(at_least(s, fail_on) for s in severities) else OK
