"""`blueprint map --format markdown`: a compact summary of the architecture for a pull request or a wiki page."""

from __future__ import annotations

from blueprint_cli.architecture.build import Architecture
from blueprint_cli.architecture.facts import Facts, all_findings


def cell(text: str) -> str:
    """Text safe in a Markdown table cell: no pipes, no line breaks, no HTML."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")


def to_markdown(architecture: Architecture, facts: Facts) -> str:
    lines = [
        "## Service architecture",
        "",
        f"{len(facts.journeys)} journeys, {len(facts.orgs)} organisations, {len(facts.systems)} systems, "
        f"{len(facts.joins)} joins ({sum(1 for j in facts.joins if j.owner is None)} unowned), {len(facts.data)} data items.",
    ]
    if architecture.left_out:
        lines += [
            "",
            "**Missing from the map** (could not be read): " + ", ".join(f"`{o.path}`" for o in architecture.left_out),
        ]
    lines += ["", "| journey | steps | handoffs | organisations | delivered |", "|---|---:|---:|---|---:|"]
    for journey in facts.journeys:
        bp = journey.primary
        orgs = [facts.label("orgs", o) for o, stems in facts.orgs.items() if journey.stem in stems]
        scores = journey.comparison.scores if journey.comparison else None
        delivered = f"{round(scores.delivered_share * 100)}%" if scores else "—"
        lines.append(
            f"| {cell(journey.title)} | {len(bp.steps)} | {len(bp.handoffs)} | {cell(', '.join(orgs))} | {delivered} |"
        )
    asked = [(i, d) for i, d in facts.data.items() if len(d.asked_in) > 1]
    if asked:
        lines += ["", "**Asked of the customer in more than one journey:**", ""]
        lines += [f"- {cell(d.label)} (`{i}`): {cell(', '.join(d.asked_in))}" for i, d in asked]
    unowned = [j for j in facts.joins if j.owner is None]
    if unowned:
        lines += ["", "**Unowned joins:**", ""]
        lines += [
            f"- {cell(facts.label('orgs', j.from_org))} → {cell(facts.label('orgs', j.to_org))} in `{j.journey}` ({j.source} → {j.target})"
            for j in unowned
        ]
    findings = all_findings(architecture, facts)
    if findings:
        lines += ["", "| severity | code | finding |", "|---|---|---|"]
        lines += [f"| {f.severity} | {f.code} | {cell(f.message)} |" for f in findings]
    return "\n".join(lines) + "\n"
