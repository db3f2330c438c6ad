"""Writing a conformance result in every format `diff` has, with `diff`'s baseline and exit codes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from blueprint_cli.evidence.conform import Conformance
from blueprint_cli.formats import OutputFormat

if TYPE_CHECKING:
    from blueprint_cli.formats.items import Item


def conform_document(result: Conformance, statuses: dict[str, str] | None, resolved: Any) -> dict[str, Any]:
    """`diff`'s JSON document plus `fitness`, `steps`, `variants` and the log's provenance."""
    from blueprint_cli.formats import json_out

    document: dict[str, Any] = dict(json_out.diff_document(result.comparison, statuses=statuses, resolved=resolved))
    document["fitness"] = result.fitness
    document["steps"] = result.steps
    document["variants"] = result.variants
    document["log"] = result.log
    return document


def report_section(result: Conformance) -> dict[str, object]:
    """What the HTML report's conformance section shows (templates/partials/conformance.html.j2)."""
    from blueprint_cli.evidence.conform import TOLERANCE

    slow = [c.message for c in result.comparison.changes if c.kind in ("step.slow", "handoff.slow")]
    return {
        "fitness": result.fitness,
        "steps": result.steps,
        "variants": result.variants,
        "slow": slow,
        "log": result.log,
        "tolerance": round(TOLERANCE * 100),
    }


def write_fitness(result: Conformance, console: Any) -> None:
    from rich.markup import escape

    f = result.fitness
    console.print()
    console.print(
        f"[bold]Replay on the intended flow graph[/]: {f['fitting_cases']} of {f['cases']} cases fit exactly "
        f"({100 * f['fitting_share']:.1f} %); average trace fitness {f['average_trace']:.4f}, log fitness {f['log']:.4f}"
    )
    for row in result.steps:
        if row["skipped"] or row["out_of_order"]:
            console.print(
                f"  {escape(row['step'])}: done in place by {100 * row['passed']:.1f} %, skipped by "
                f"{100 * row['skipped']:.1f} %, out of order in {100 * row['out_of_order']:.1f} % of cases"
            )
    console.print("[bold]Top variants[/] (cases, fitness, steps):")
    for variant in result.variants[:5]:
        console.print(f"  {variant['cases']:>5}  {variant['fitness']:.3f}  {escape(' → '.join(variant['steps']))}")


def write_conformance(
    result: Conformance,
    items: list[Item],
    resolved: list[Item],
    *,
    with_baseline: bool,
    format: OutputFormat,
    fail_on: str,
    output: str | None,
) -> None:
    """Like `diff`'s writer, with the fitness, per-step replay and variants added to the text and JSON."""
    from blueprint_cli.formats.dispatch import Report, write_format
    from blueprint_cli.formats.items import baseline_scope, kind_rules
    from blueprint_cli.formats.text import diff_summary, write_diff

    comparison = result.comparison

    def write_text(console: Any = None) -> None:
        if console is None:
            from blueprint_cli.console import out

            console = out()
        write_diff(comparison, items, console=console, resolved=resolved, with_baseline=with_baseline)
        write_fitness(result, console)

    def json_document() -> dict[str, Any]:
        statuses = {i.key: i.status for i in items} if with_baseline else None
        return conform_document(result, statuses, resolved)

    f = result.fitness
    chosen = Report(
        command="conform",
        rules=kind_rules,
        title=f"Blueprint conformance: {comparison.intended.title}",
        summary=lambda: (
            diff_summary(
                comparison,
                [i for i in items if i.status == "new"],
                baseline=(sum(1 for i in items if i.status == "accepted"), len(resolved)) if with_baseline else None,
            )
            + f"; {f['fitting_cases']} of {f['cases']} cases fit the plan, average trace fitness {f['average_trace']:.4f}"
        ),
        write_text=write_text,
        json_document=json_document,
        automation_id=f"blueprint/conform/{baseline_scope(comparison.intended.path or 'intended')}/",
    )
    write_format(
        chosen,
        items,
        format=format,
        output=output,
        resolved=resolved,
        with_baseline=with_baseline,
        fail_on=fail_on,
    )
