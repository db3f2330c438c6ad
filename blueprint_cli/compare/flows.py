"""Changes to flows and handoffs, matched through their matched ends.

An intended flow is found in the observed version when both of its ends matched and the observed
version has a flow between the matched ends, so a flow whose ends were renamed is not missing.
An intended handoff that no longer happens is reported once, as `handoff.broken` (never also as
`flow.missing`); `flow.missing` and `flow.unplanned` are reported only between steps that exist in
both versions, since the flows of a missing or unplanned step are implied by that step's change.
"""

from __future__ import annotations

from blueprint_cli.compare.changes import Context
from blueprint_cli.compare.result import Change
from blueprint_cli.compare.wording import quoted
from blueprint_cli.language.model import Blueprint, Flow


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


def _handoff_phrase(bp: Blueprint, handoff, source: str, target: str) -> str:
    """`the handoff from Org A to Org B, “a” → “b”,` (organisations are names, steps are quoted)."""
    return f"the handoff from {bp.org_label(handoff.from_org)} to {bp.org_label(handoff.to_org)}, {_ends(bp, source, target)},"


def flow_changes(ctx: Context) -> list[Change]:
    intended, observed, pairs, back = ctx.intended, ctx.observed, ctx.matching.steps, ctx.back
    observed_flows = {f.key: f for f in observed.flows}
    intended_flows = {f.key: f for f in intended.flows}
    intended_handoffs = {h.id: h for h in intended.handoffs}
    observed_handoffs = {h.id: h for h in observed.handoffs}
    out: list[Change] = []
    for flow in intended.flows:
        source, target = pairs.get(flow.source), pairs.get(flow.target)
        found = observed_flows.get((source, target)) if source and target else None
        where = _where(ctx, flow, intended_side=True)
        handoff = intended_handoffs.get(flow.id)
        if handoff is not None:
            if found is None:
                gone = [_step(intended, s) for s in (flow.source, flow.target) if s not in pairs]
                reason = (
                    f", because {' and '.join(gone)} never {'happens' if len(gone) == 1 else 'happen'}" if gone else ""
                )
                out.append(
                    ctx.change(
                        "handoff.broken",
                        flow.id,
                        f"{_first_upper(_handoff_phrase(intended, handoff, flow.source, flow.target))} no longer happens{reason}",
                        intended={
                            "from_org": handoff.from_org,
                            "to_org": handoff.to_org,
                            "owner": handoff.owner,
                            "label": flow.label,
                        },
                        intended_span=flow.span,
                        **where,
                    )
                )
                continue
            now = observed_handoffs.get(found.id)
            if now is not None and now.owner != handoff.owner:
                lost = now.owner is None
                phrase = _handoff_phrase(intended, handoff, flow.source, flow.target)
                text = (
                    f"{_first_upper(phrase)} has no owner any more; the plan named {_owner_label(intended, handoff.owner)}"
                    if lost
                    else (
                        f"{_first_upper(phrase)} is owned by {_owner_label(observed, now.owner)} instead of {_owner_label(intended, handoff.owner)}"
                        if handoff.owner
                        else f"{_first_upper(phrase)} now has an owner, {_owner_label(observed, now.owner)}"
                    )
                )
                severity = "error" if lost else ("warning" if handoff.owner else "note")
                out.append(
                    ctx.change(
                        "handoff.owner",
                        flow.id,
                        text,
                        severity=severity,
                        intended=handoff.owner,
                        observed=now.owner,
                        intended_span=flow.span,
                        observed_span=found.span,
                        **where,
                    )
                )
            continue
        if found is None and source and target:
            out.append(
                ctx.change(
                    "flow.missing",
                    flow.id,
                    f"{_step(intended, flow.source)} no longer leads to {_step(intended, flow.target)}",
                    intended=_flow_value(flow),
                    intended_span=flow.span,
                    **where,
                )
            )
    for flow in observed.flows:
        source, target = back.get(flow.source), back.get(flow.target)
        ident = f"{source or flow.source}->{target or flow.target}"
        planned = intended_flows.get((source, target)) if source and target else None
        handoff = observed_handoffs.get(flow.id)
        where = _where(ctx, flow, intended_side=False)
        if handoff is not None and (planned is None or planned.id not in intended_handoffs):
            unowned = handoff.owner is None
            text = (
                f"A new handoff from {observed.org_label(handoff.from_org)} to {observed.org_label(handoff.to_org)}, {_ends(observed, flow.source, flow.target)}, "
                + ("is owned by nobody" if unowned else f"is owned by {_owner_label(observed, handoff.owner)}")
            )
            out.append(
                ctx.change(
                    "handoff.new",
                    ident,
                    text,
                    severity="error" if unowned else "warning",
                    intended=_flow_value(planned) if planned else None,
                    observed={
                        "from_org": handoff.from_org,
                        "to_org": handoff.to_org,
                        "owner": handoff.owner,
                        "label": flow.label,
                    },
                    intended_span=planned.span if planned else None,
                    observed_span=flow.span,
                    observed_id=flow.id if flow.id != ident else None,
                    **where,
                )
            )
        elif planned is None and source and target:
            out.append(
                ctx.change(
                    "flow.unplanned",
                    ident,
                    f"{_step(observed, flow.source)} now leads to {_step(observed, flow.target)}, which was never planned",
                    observed=_flow_value(flow),
                    observed_span=flow.span,
                    observed_id=flow.id if flow.id != ident else None,
                    **where,
                )
            )
    return out


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _flow_value(flow: Flow) -> dict:
    return {"from": flow.source, "to": flow.target, "label": flow.label, "owner": flow.owner}


def _where(ctx: Context, flow: Flow, *, intended_side: bool) -> dict:
    """Group a flow change under its source step's stage."""
    if intended_side:
        step = ctx.intended.steps[flow.source]
        return dict(stage=step.stage, lane=step.lane.value, org=step.org, step=flow.source)
    step = ctx.observed.steps[flow.source]
    return dict(
        stage=ctx.stage_of_observed(step), lane=step.lane.value, org=step.org, step=ctx.back.get(step.id, step.id)
    )
