"""Export: the resolved model as JSON (schema `schemas/blueprint.schema.json`) or canonical text.

Both are pure functions of the `Blueprint`, deterministic, and in source (journey) order. The
JSON schema is versioned: `SCHEMA_VERSION` goes into every document and into the schema's `$id`;
it changes only when a field is removed or changes meaning (adding a field does not change it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TypeVar

from blueprint_cli.language import model as M
from blueprint_cli.language.fmt import attributes, quote, step_line
from blueprint_cli.language.source import Span
from blueprint_cli.resources import resource_dir

T = TypeVar("T")

SCHEMA_VERSION = 1
SCHEMA_ID = f"urn:blueprint-cli:schema:blueprint:{SCHEMA_VERSION}"


def schema_path() -> Path:
    """The JSON Schema of `to_json` (installed with the package)."""
    return resource_dir("schemas") / "blueprint.schema.json"


def _location(span: Span | None) -> dict[str, object] | None:
    if span is None or span == M.NO_SPAN:
        return None
    return {
        "path": span.path,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
    }


def to_json(blueprint: M.Blueprint) -> dict[str, object]:
    """The whole model, derived facts included, as plain JSON values."""
    return {
        "schema_version": SCHEMA_VERSION,
        "title": blueprint.title,
        "variant": blueprint.variant.value,
        "description": blueprint.description,
        "path": blueprint.path,
        "includes": list(blueprint.includes[1:]),
        "location": _location(blueprint.span),
        "orgs": [
            {"id": o.id, "label": o.label, "colour": o.colour, "location": _location(o.span)}
            for o in blueprint.orgs.values()
        ],
        "actors": [
            {"id": a.id, "label": a.label, "customer": a.customer, "org": a.org, "location": _location(a.span)}
            for a in blueprint.actors.values()
        ],
        "systems": [
            {"id": s.id, "label": s.label, "org": s.org, "location": _location(s.span)}
            for s in blueprint.systems.values()
        ],
        "outcomes": [
            {"id": o.id, "label": o.label, "location": _location(o.span)} for o in blueprint.outcomes.values()
        ],
        "data": [{"id": d.id, "label": d.label, "location": _location(d.span)} for d in blueprint.data.values()],
        "stages": [
            {"id": s.id, "label": s.label, "steps": list(s.steps), "location": _location(s.span)}
            for s in blueprint.stages.values()
        ],
        "steps": [_step(s) for s in blueprint.steps.values()],
        "flows": [_flow(f) for f in blueprint.flows],
        "handoffs": [
            {
                "id": h.id,
                "source": h.source,
                "target": h.target,
                "from_org": h.from_org,
                "to_org": h.to_org,
                "owner": h.owner,
                "owned": h.owned,
                "location": _location(h.span),
            }
            for h in blueprint.handoffs
        ],
        "annotations": [
            {"kind": a.kind, "step": a.step, "text": a.text, "severity": a.severity, "location": _location(a.span)}
            for a in blueprint.annotations
        ],
        "renames": [{"old": r.old, "new": r.new, "location": _location(r.span)} for r in blueprint.renames],
    }


def _step(step: M.Step) -> dict[str, object]:
    found: dict[str, object] = {
        "id": step.id,
        "label": step.label,
        "lane": step.lane.value,
        "stage": step.stage,
        "actor": step.actor,
        "systems": list(step.systems),
        "data": list(step.data),
        "channel": step.channel,
        "evidence": step.evidence.value if step.evidence else None,
        "duration": step.duration,
        "duration_minutes": step.duration_minutes,
        "outcome": step.outcome,
        "org": step.org,
        "location": _location(step.span),
    }
    if step.cases is not None:  # measured (`observe`): present only when stated
        found["cases"] = step.cases
    if step.target is not None:
        found |= {"target": step.target, "target_minutes": step.target_minutes}
    return found


def _flow(flow: M.Flow) -> dict[str, object]:
    measured: dict[str, object] = {}
    if flow.cases is not None:
        measured["cases"] = flow.cases
    if flow.wait is not None:
        measured |= {"wait": flow.wait, "wait_minutes": flow.wait_minutes}
    return {
        "id": flow.id,
        "source": flow.source,
        "target": flow.target,
        "label": flow.label,
        "owner": flow.owner,
        "inline": flow.inline,
        "location": _location(flow.span),
    } | measured


def dumps(blueprint: M.Blueprint) -> str:
    """`to_json` as text: two-space indent, UTF-8 as is, one final newline."""
    from blueprint_cli import jsontext

    return jsontext.dumps(to_json(blueprint))


# ---------------------------------------------------------------- canonical text


def to_text(blueprint: M.Blueprint) -> str:
    """The resolved model as blueprint source, one element per line, includes folded in.

    Loading this text gives the same model back. Made for `git diff` (a textconv): comments are
    dropped, orgs, actors, systems and outcomes are sorted by id (reordering declarations is no
    change; stages, steps, annotations and flows keep their order, which means something), the
    derived handoffs are listed at the end as comments.
    """
    lines = [f"blueprint {quote(blueprint.title)}", f"variant {blueprint.variant.value}"]
    if blueprint.description is not None:
        lines.append(f"description {quote(blueprint.description)}")

    def group(items: Iterable[str]) -> None:
        written = list(items)
        if written:
            lines.append("")
            lines.extend(written)

    group(
        f"org {o.id} {quote(o.label)}" + (f" [colour={quote(o.colour)}]" if o.colour else "")
        for o in _by_id(blueprint.orgs)
    )
    group(
        f"actor {a.id} {quote(a.label)}" + (" customer" if a.customer else f" @{a.org}" if a.org else "")
        for a in _by_id(blueprint.actors)
    )
    group(f"system {s.id} {quote(s.label)}" + (f" @{s.org}" if s.org else "") for s in _by_id(blueprint.systems))
    group(f"data {d.id} {quote(d.label)}" for d in _by_id(blueprint.data))
    group(f"outcome {o.id} {quote(o.label)}" for o in _by_id(blueprint.outcomes))
    group(f"renamed {r.old} -> {r.new}" for r in blueprint.renames)
    inline: dict[str, list[str]] = {}
    for flow in blueprint.flows:
        if flow.inline:
            inline.setdefault(flow.source, []).append(flow.target)
    for stage in blueprint.stages.values():
        lines.append("")
        lines.append(f"stage {stage.id} {quote(stage.label)}")
        for step_id in stage.steps:
            lines.append("  " + _step_text(blueprint.steps[step_id], inline.get(step_id, [])))
        for step_id in stage.steps:
            for note in blueprint.annotations_of(step_id):
                severity = [("severity", note.severity, False)] if note.severity else []
                lines.append(f"  {note.kind} {note.step} {quote(note.text)}" + attributes(severity))
    group(
        f"flow {f.source} -> {f.target}"
        + (f" {quote(f.label)}" if f.label is not None else "")
        + attributes(_flow_attributes(f))
        for f in blueprint.flows
        if not f.inline
    )
    group(
        f"# handoff {h.source} -> {h.target}: {h.from_org} -> {h.to_org}, "
        + (f"owned by {h.owner}" if h.owned else "unowned")
        for h in blueprint.handoffs
    )
    return "\n".join(lines) + "\n"


def _flow_attributes(flow: M.Flow) -> list[tuple[str, str, bool]]:
    attrs = [("owner", flow.owner, False)] if flow.owner else []
    if flow.cases is not None:
        attrs.append(("cases", str(flow.cases), False))
    if flow.wait is not None:
        attrs.append(("wait", flow.wait, False))
    return attrs


def _by_id(declared: Mapping[str, T]) -> list[T]:
    return [declared[key] for key in sorted(declared)]


def _step_text(step: M.Step, targets: list[str]) -> str:
    attrs = []
    if step.channel is not None:
        # A custom channel is only valid quoted; a known one reads the same either way.
        attrs.append(("channel", step.channel, step.channel not in M.CHANNELS))
    if step.evidence is not None:
        attrs.append(("evidence", step.evidence.value, False))
    if step.duration is not None:
        attrs.append(("duration", step.duration, False))
    if step.outcome is not None:
        attrs.append(("outcome", step.outcome, False))
    if step.target is not None:
        attrs.append(("target", step.target, False))
    if step.cases is not None:
        attrs.append(("cases", str(step.cases), False))
    line = step_line(
        lane=step.lane.value,
        step_id=step.id,
        label=step.label,
        actor=step.actor,
        systems=step.systems,
        targets=targets,
        data=step.data,
    )
    return line + attributes(attrs)
