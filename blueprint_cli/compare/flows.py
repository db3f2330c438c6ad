"""Changes to flows and handoffs, matched through their matched ends.

An intended flow is found in the observed version when both of its ends matched and the observed
version has a flow between the matched ends, so a flow whose ends were renamed is not missing.
An intended handoff that no longer happens is reported once, as `handoff.broken` (never also as
`flow.missing`); `flow.missing` and `flow.unplanned` are reported only between steps that exist in
both versions, since the flows of a missing or unplanned step are implied by that step's change.
"""

from __future__ import annotations

from dataclasses import dataclass

from blueprint_cli.compare.changes import Context, Place
from blueprint_cli.compare.result import Change, FlowValue, HandoffValue
from blueprint_cli.compare.wording import quoted
from blueprint_cli.language.model import Blueprint, Flow, Handoff


def _owner_label(bp: Blueprint, owner: str | None) -> str:
    if owner is None:
        return "nobody"
    if owner in bp.actors:
        return quoted(bp.actors[owner].label)
    return bp.org_label(owner)


def _ends(bp: Blueprint, source: str, target: str) -> str:
    """`“Refers the patient” → “Accepts the referral”`: a flow by the labels of its steps."""
    return f"{_step(bp, source)} → {_step(bp, target)}"


def _step(bp: Blueprint, step_id: str) -> str:
    step = bp.steps.get(step_id)
    return quoted(step.label) if step else quoted(step_id)


def _handoff_phrase(bp: Blueprint, handoff: Handoff, source: str, target: str) -> str:
    """`the handoff from Org A to Org B, “a” → “b”,` (organisations are names, steps are quoted)."""
    return f"the handoff from {bp.org_label(handoff.from_org)} to {bp.org_label(handoff.to_org)}, {_ends(bp, source, target)},"


@dataclass(frozen=True)
class _Flows:
    """The flows and handoffs of both versions, by key and by id."""

    intended: dict[tuple[str, str], Flow]
    observed: dict[tuple[str, str], Flow]
    intended_handoffs: dict[str, Handoff]
    observed_handoffs: dict[str, Handoff]

    @classmethod
    def of(cls, ctx: Context) -> _Flows:
        return cls(
            {f.key: f for f in ctx.intended.flows},
            {f.key: f for f in ctx.observed.flows},
            {h.id: h for h in ctx.intended.handoffs},
            {h.id: h for h in ctx.observed.handoffs},
        )


def flow_changes(ctx: Context) -> list[Change]:
    """Intended flows that no longer happen, then observed flows nobody planned."""
    flows = _Flows.of(ctx)
    out: list[Change] = []
    for flow in ctx.intended.flows:
        found = _intended_flow_change(ctx, flows, flow)
        if found is not None:
            out.append(found)
    for flow in ctx.observed.flows:
        found = _observed_flow_change(ctx, flows, flow)
        if found is not None:
            out.append(found)
    return out


def _intended_flow_change(ctx: Context, flows: _Flows, flow: Flow) -> Change | None:
    """`handoff.broken` or `handoff.owner` for an intended handoff, `flow.missing` for another flow."""
    pairs = ctx.matching.steps
    source, target = pairs.get(flow.source), pairs.get(flow.target)
    found = flows.observed.get((source, target)) if source and target else None
    handoff = flows.intended_handoffs.get(flow.id)
    if handoff is not None:
        if found is None:
            return _broken_handoff(ctx, flow, handoff)
        now = flows.observed_handoffs.get(found.id)
        if now is not None and now.owner != handoff.owner:
            return _handoff_owner(ctx, flow, found, handoff, now)
        return None
    if found is None and source and target:
        return ctx.change(
            "flow.missing",
            flow.id,
            f"{_step(ctx.intended, flow.source)} no longer leads to {_step(ctx.intended, flow.target)}",
            intended=_flow_value(flow),
            intended_span=flow.span,
            place=_place(ctx, flow, intended_side=True),
        )
    return None


def _broken_handoff(ctx: Context, flow: Flow, handoff: Handoff) -> Change:
    gone = [_step(ctx.intended, s) for s in (flow.source, flow.target) if s not in ctx.matching.steps]
    reason = f", because {' and '.join(gone)} never {'happens' if len(gone) == 1 else 'happen'}" if gone else ""
    return ctx.change(
        "handoff.broken",
        flow.id,
        f"{_first_upper(_handoff_phrase(ctx.intended, handoff, flow.source, flow.target))} no longer happens{reason}",
        intended=_handoff_value(handoff, flow),
        intended_span=flow.span,
        place=_place(ctx, flow, intended_side=True),
    )


def _handoff_owner(ctx: Context, flow: Flow, found: Flow, handoff: Handoff, now: Handoff) -> Change:
    """The owner lost (an error), changed (a warning) or newly named (a note)."""
    intended, observed = ctx.intended, ctx.observed
    lost = now.owner is None
    phrase = _first_upper(_handoff_phrase(intended, handoff, flow.source, flow.target))
    if lost:
        text = f"{phrase} has no owner any more; the plan named {_owner_label(intended, handoff.owner)}"
    elif handoff.owner:
        text = f"{phrase} is owned by {_owner_label(observed, now.owner)} instead of {_owner_label(intended, handoff.owner)}"
    else:
        text = f"{phrase} now has an owner, {_owner_label(observed, now.owner)}"
    return ctx.change(
        "handoff.owner",
        flow.id,
        text,
        severity="error" if lost else ("warning" if handoff.owner else "note"),
        intended=handoff.owner,
        observed=now.owner,
        intended_span=flow.span,
        observed_span=found.span,
        place=_place(ctx, flow, intended_side=True),
    )


def _observed_flow_change(ctx: Context, flows: _Flows, flow: Flow) -> Change | None:
    """`handoff.new` for a join nobody planned, `flow.unplanned` for another flow between planned steps."""
    observed, back = ctx.observed, ctx.back
    source, target = back.get(flow.source), back.get(flow.target)
    ident = f"{source or flow.source}->{target or flow.target}"
    planned = flows.intended.get((source, target)) if source and target else None
    handoff = flows.observed_handoffs.get(flow.id)
    place = _place(ctx, flow, intended_side=False)
    observed_id = flow.id if flow.id != ident else None
    if handoff is not None and (planned is None or planned.id not in flows.intended_handoffs):
        unowned = handoff.owner is None
        text = (
            f"A new handoff from {observed.org_label(handoff.from_org)} to {observed.org_label(handoff.to_org)}, {_ends(observed, flow.source, flow.target)}, "
            + ("is owned by nobody" if unowned else f"is owned by {_owner_label(observed, handoff.owner)}")
        )
        return ctx.change(
            "handoff.new",
            ident,
            text,
            severity="error" if unowned else "warning",
            intended=_flow_value(planned) if planned else None,
            observed=_handoff_value(handoff, flow),
            intended_span=planned.span if planned else None,
            observed_span=flow.span,
            observed_id=observed_id,
            place=place,
        )
    if planned is None and source and target:
        return ctx.change(
            "flow.unplanned",
            ident,
            f"{_step(observed, flow.source)} now leads to {_step(observed, flow.target)}, which was never planned",
            observed=_flow_value(flow),
            observed_span=flow.span,
            observed_id=observed_id,
            place=place,
        )
    return None


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _flow_value(flow: Flow) -> FlowValue:
    return FlowValue(flow.source, flow.target, flow.label, flow.owner)


def _handoff_value(handoff: Handoff, flow: Flow) -> HandoffValue:
    return HandoffValue(handoff.from_org, handoff.to_org, handoff.owner, flow.label)


def _place(ctx: Context, flow: Flow, *, intended_side: bool) -> Place:
    """Group a flow change under its source step's stage."""
    if intended_side:
        step = ctx.intended.steps[flow.source]
        return Place(step.stage, step.lane.value, step.org, flow.source)
    step = ctx.observed.steps[flow.source]
    return Place(ctx.stage_of_observed(step), step.lane.value, step.org, ctx.back.get(step.id, step.id))
