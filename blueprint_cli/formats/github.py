"""GitHub Actions workflow commands (`::error file=...::message`) within GitHub's limits.

GitHub shows at most 10 annotations of each level (error, warning, notice) per step and 50 per
job; the rest are dropped without a word. So the most severe go first, each level is cut at its
limit, and one notice (which keeps a slot for itself) says how many were left out and where all
of them are: the step summary (`--format markdown >> "$GITHUB_STEP_SUMMARY"`).
"""

from __future__ import annotations

from blueprint_cli.formats.items import Item
from blueprint_cli.formats.paths import repo_path
from blueprint_cli.vocab import rank
from blueprint_cli.words import plural

LEVEL = {"error": "error", "warning": "warning", "note": "notice"}
PER_LEVEL = 10  # annotations of one level that GitHub shows for one step
PER_JOB = 50  # annotations GitHub shows for a whole job (all steps together)


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(item: Item) -> str:
    """One workflow command: the item's place (observed first) and its message."""
    spans = [s for s in item.spans if s.line > 0]
    props = []
    if spans:
        span = spans[-1]
        props += [f"file={_property(repo_path(span.path))}", f"line={span.line}", f"col={span.column}"]
        if span.end_line >= span.line:
            props += [f"endLine={span.end_line}"]
            if span.end_line == span.line and span.end_column > span.column:
                props += [f"endColumn={span.end_column}"]
    props.append(f"title={_property(f'{item.rule} {item.shown}')}")
    return f"::{LEVEL[item.severity]} {','.join(props)}::{_data(item.message)}"


def lines(items: list[Item], *, per_level: int = PER_LEVEL, what: str = "changes") -> list[str]:
    """The new items as annotations, most severe first, at most `per_level` of each level, then a notice
    for the rest (counted within the notices' limit)."""
    new = sorted((i for i in items if i.status == "new"), key=lambda i: -rank(i.severity))  # stable
    by_level: dict[str, list[Item]] = {}
    for item in new:
        by_level.setdefault(item.severity, []).append(item)
    overflow = any(len(group) > per_level for group in by_level.values())
    kept: list[Item] = []
    left: dict[str, int] = {}
    for severity, group in by_level.items():
        room = per_level - 1 if overflow and severity == "note" else per_level  # the notice needs a slot
        kept += group[:room]
        if len(group) > room:
            left[severity] = len(group) - room
    out = [annotation(item) for item in kept]
    if left:
        counts = ", ".join(plural(n, severity) for severity, n in left.items())
        out.append(
            f"::notice title=More {what} than GitHub shows::{counts} not shown as annotations "
            f"(GitHub shows {per_level} of each level per step); the step summary lists all {len(new)} {what} "
            f'(add --format markdown >> "$GITHUB_STEP_SUMMARY")'
        )
    return out
