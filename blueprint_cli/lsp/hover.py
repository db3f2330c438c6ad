"""Hover: what an id is — its label and, for a step, its lane, stage, actor, organisation, handoffs."""

from __future__ import annotations

from blueprint_cli.language import syntax as S
from blueprint_cli.language.model import Blueprint
from blueprint_cli.lsp.index import Index


def hover_text(index: Index, name: str, blueprint: Blueprint | None) -> str | None:
    """Markdown describing the id `name`, or None when nothing declares it."""
    found = index.declarations.get(name)
    if found is None:
        return None
    lines = [f"**{found.kind}** `{name}` — {found.label}"]
    stmt = found.statement
    facts: list[str] = []
    if isinstance(stmt, S.ActorDecl):
        facts.append("customer" if stmt.customer else f"org: {_label(index, stmt.org.value if stmt.org else None)}")
    elif isinstance(stmt, S.SystemDecl) and stmt.org is not None:
        facts.append(f"org: {_label(index, stmt.org.value)}")
    elif isinstance(stmt, S.StageDecl):
        steps = [d.name for d in index.declarations.values() if d.kind == "step" and d.stage == name]
        facts.append(f"{len(steps)} step{'s' if len(steps) != 1 else ''}")
    elif isinstance(stmt, S.StepDecl):
        facts.append(f"lane: {stmt.lane.value}")
        if found.stage:
            facts.append(f"stage: {_label(index, found.stage)}")
        if stmt.actor is not None:
            facts.append(f"by: {_label(index, stmt.actor.value)}")
        if stmt.systems:
            facts.append("uses: " + ", ".join(_label(index, s.value) for s in stmt.systems))
        step = blueprint.steps.get(name) if blueprint is not None else None
        if step is not None and step.org:
            facts.append(f"org: {_label(index, step.org)}")
    if facts:
        lines.append(" · ".join(facts))
    if blueprint is not None and found.kind == "step":
        for handoff in blueprint.handoffs:
            if name in (handoff.source, handoff.target):
                owner = f"owner: {_label(index, handoff.owner)}" if handoff.owner else "no owner"
                lines.append(
                    f"handoff `{handoff.source}` → `{handoff.target}`: "
                    f"{_label(index, handoff.from_org)} → {_label(index, handoff.to_org)} ({owner})"
                )
    where = found.span
    lines.append(f"declared at {_short(where.path)}:{where.line}")
    return "\n\n".join(lines)


def _label(index: Index, name: str | None) -> str:
    if name is None:
        return "none"
    found = index.declarations.get(name)
    return f"{found.label} ({name})" if found is not None else name


def _short(path: str) -> str:
    return path.rsplit("/", 1)[-1]
