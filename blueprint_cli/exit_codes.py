"""The one place that decides exit codes (documented in the README).

0  no finding at or above the threshold (or --exit-zero on valid input)
1  findings at or above the threshold (`--fail-on`), or `fmt --check` found files to change
2  invalid input or usage
3  internal error (a bug: please report it)
130 interrupted (Ctrl-C), as shells report a SIGINT
"""

from __future__ import annotations

from collections.abc import Iterable

OK = 0
FINDINGS = 1
INVALID = 2
INTERNAL = 3
INTERRUPTED = 130

_RANK = {"note": 0, "warning": 1, "error": 2}
FAIL_ON_CHOICES = ("error", "warning", "note", "never")


def for_findings(severities: Iterable[str], *, fail_on: str = "error", exit_zero: bool = False) -> int:
    """Exit code for a run on valid input that produced findings with these severities."""
    if exit_zero or fail_on == "never":
        return OK
    threshold = _RANK[fail_on]
    return FINDINGS if any(_RANK[s] >= threshold for s in severities) else OK
