"""The one place that decides exit codes (documented in the README).

0  no finding at or above the threshold (or --exit-zero on valid input)
1  findings at or above the threshold (`--fail-on`), or `fmt --check` found files to change
2  invalid input or usage
3  internal error (a bug: please report it)
130 interrupted (Ctrl-C), as shells report a SIGINT
"""

from __future__ import annotations

from collections.abc import Iterable

from blueprint_cli.vocab import at_least

OK = 0
FINDINGS = 1
INVALID = 2
INTERNAL = 3
INTERRUPTED = 130

FAIL_ON_CHOICES = ("error", "warning", "note", "never")


def for_findings(severities: Iterable[str], *, fail_on: str = "error", exit_zero: bool = False) -> int:
    """Exit code for a run on valid input that produced findings with these severities."""
    if exit_zero or fail_on == "never":
        return OK
    return FINDINGS if any(at_least(s, fail_on) for s in severities) else OK
