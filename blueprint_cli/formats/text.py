"""Text for people (Rich): a summary line first and last, a legend, changes grouped by stage."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from blueprint_cli.formats.items import Item, count_phrase

if TYPE_CHECKING:
    from blueprint_cli.compare.result import Comparison, Value

SEVERITY_MARK = {"error": ("✗", "bold red"), "warning": ("!", "bold yellow"), "note": ("·", "cyan")}
SYMBOL_STYLE = {"-": "red", "+": "green", "~": "yellow", ">": "magenta", "^": "blue"}
# Kinds whose old and new values read well inline as [old → new].
INLINE_VALUES = frozenset(
    {
        "step.lane",
        "step.stage",
        "step.actor",
        "step.org",
        "step.systems",
        "step.data",
        "step.channel",
        "step.evidence",
        "step.duration",
        "step.outcome",
        "handoff.owner",
    }
)
LEGEND = "legend: - missing/broken/gone  + unplanned/new  ~ changed  > renamed  ^ moved   ✗ error  ! warning  · note"


def _value(value: Value) -> str | None:
    """A short inline form of an old or new value, or None when it says nothing useful."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, tuple):
        return ", ".join(value) if value else "none"
    return None


def _location(item: Item) -> str:
    span = item.spans[-1] if item.spans else None
    return f"{span.path}:{span.line}" if span else ""


def diff_summary(comparison: Comparison, items: list[Item], *, baseline: tuple[int, int] | None = None) -> str:
    """The one summary line of a diff, the same in every format: the new drift, what a baseline
    accepted and lists as resolved (`baseline`: those two counts, when one is used), the scores."""
    s = comparison.scores
    found = count_phrase(items) if items else ("no new drift" if baseline else "no drift")
    if baseline is not None:
        found += f"; {baseline[0]} accepted by the baseline, {baseline[1]} resolved"
    return (
        f"{found} — {s.delivered_steps}/{s.intended_steps} intended steps delivered "
        f"({s.delivered_share:.0%}), {s.planned_steps}/{s.observed_steps} observed steps planned ({s.planned_share:.0%}), "
        f"{s.intact_handoffs}/{s.intended_handoffs} handoffs intact, unowned joins {s.unowned_intended} → {s.unowned_observed}, "
        f"assumed steps {s.assumed_share_intended:.0%} → {s.assumed_share_observed:.0%}"
    )


def write_diff(
    comparison: Comparison,
    items: list[Item],
    *,
    console: Console,
    resolved: Sequence[Item] = (),
    with_baseline: bool = False,
) -> None:
    """The default output of `blueprint diff`."""
    from blueprint_cli.compare.kinds import KINDS

    changes = {(c.kind, c.id): c for c in comparison.changes}
    new = [i for i in items if i.status == "new"]
    accepted = [i for i in items if i.status == "accepted"]
    headline = f"{comparison.intended.path or 'intended'} → {comparison.observed.path or 'observed'}: "
    summary = diff_summary(comparison, new, baseline=(len(accepted), len(resolved)) if with_baseline else None)
    console.print(Text(headline + summary, style="bold"))
    console.print(Text(LEGEND, style="dim"))
    sections = (
        [("", new)]
        if not accepted and not resolved
        else [
            ("New drift", new),
            ("Accepted drift (in the baseline)", accepted),
            ("Resolved (in the baseline, no longer found)", list(resolved)),
        ]
    )
    for title, section in sections:
        if title:
            console.print()
            console.print(Text(f"== {title}: {len(section)}", style="bold underline"))
        group: object = object()
        for item in section:
            if item.group != group:
                group = item.group
                console.print()
                console.print(Text(f"Stage: {group}" if group else "Whole service", style="bold"))
            line = Text("  ")
            mark, style = SEVERITY_MARK[item.severity]
            line.append(f"{mark} ", style=style)
            symbol = KINDS[item.rule].symbol if item.rule in KINDS else "~"
            line.append(f"{symbol} ", style=SYMBOL_STYLE.get(symbol, ""))
            line.append(f"{item.rule:<17}", style="dim")
            line.append(f" {item.ident}: {item.message}" if item.status == "resolved" else f" {item.message}")
            change = changes.get((item.rule, item.ident))
            if (
                change is not None
                and change.kind in INLINE_VALUES
                and change.intended is not None
                and change.observed is not None
            ):
                old, now = _value(change.intended), _value(change.observed)
                if old is not None and now is not None and old != now:
                    line.append(f"  [{old} → {now}]", style="dim")
            where = _location(item)
            if where:
                line.append(f"  {where}", style="dim")
            console.print(line)
    console.print()
    if not items and not resolved:
        console.print(Text("No drift: the observed service matches the intended one.", style="bold green"))
    console.print(Text(summary, style="bold"))
