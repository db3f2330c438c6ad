"""One synthetic blueprint holding both versions, and the status of each element for the renderer.

The overlay keeps every observed step (under its intended id when it was matched, so a change
about step `x` always points at `step-x`) and puts back every missing intended step in its
intended stage, next to the step it followed there. Flows of both versions are kept; a flow
only the intended version has is `broken`, one only the observed version has is `new`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from blueprint_cli.language.model import Blueprint, Flow, Handoff, Stage, Step
from blueprint_cli.vocab import FlowStatus, StepStatus

FlowKey = tuple[str, str]  # (source, target) step ids of a flow


@dataclass(frozen=True)
class Overlay:
    """Both versions drawn as one blueprint, with step and flow statuses."""

    blueprint: Blueprint  # the synthetic blueprint the diagram is drawn from
    step_status: dict[str, StepStatus]  # overlay step id -> missing | unplanned | moved | changed
    flow_status: dict[FlowKey, FlowStatus]  # overlay flow (source, target) -> broken | new
    intended_ids: dict[str, str]  # intended step id -> overlay step id
    observed_ids: dict[str, str]  # observed step id -> overlay step id

    def step_dom_id(self, *, intended: str | None = None, observed: str | None = None) -> str | None:
        """The id of a step's element in the overlay diagram, from either version's step id."""
        if intended is not None and intended in self.intended_ids:
            return f"step-{self.intended_ids[intended]}"
        if observed is not None and observed in self.observed_ids:
            return f"step-{self.observed_ids[observed]}"
        return None

    def step_words(self) -> dict[str, str]:
        """The step statuses as plain words, for the renderer and the page."""
        return {step_id: status.value for step_id, status in self.step_status.items()}

    def flow_words(self) -> dict[FlowKey, str]:
        """The flow statuses as plain words, for the renderer and the page."""
        return {key: status.value for key, status in self.flow_status.items()}


def flow_dom_id(source: str, target: str) -> str:
    """The id the renderer gives the arrow from `source` to `target`."""
    return f"flow-{source}--{target}"


def build_overlay(
    *,
    intended: Blueprint,
    observed: Blueprint,
    matches: dict[str, str],
    step_changes: dict[str, StepStatus] | None = None,
    stage_matches: dict[str, str] | None = None,
) -> Overlay:
    """Merge `intended` and `observed` (matched by `matches`, intended id -> observed id).

    `stage_matches` (intended stage id -> observed stage id) puts a missing step into the
    observed stage that its intended stage became; stages match by id without it.
    `step_changes` says which matched steps (by intended id) moved or changed; without it a
    matched step is `moved` when its stage or lane differs and `changed` when anything else does.
    """
    observed_ids = _observed_ids(intended, observed, matches)
    status = _step_statuses(intended, observed, matches, observed_ids, step_changes)
    stage_of = {sid: (stage_matches or {}).get(sid, sid) for sid in intended.stages}
    stages = _merge_stages(
        intended=intended, observed=observed, observed_ids=observed_ids, matches=matches, stage_of=stage_of
    )
    steps = _merge_steps(intended, observed, matches, observed_ids, stage_of)
    ordered_steps = {sid: steps[sid] for stage in stages.values() for sid in stage.steps}
    flows, flow_status = _merge_flows(intended=intended, observed=observed, observed_ids=observed_ids)
    merged = Blueprint(
        title=observed.title or intended.title,
        variant=observed.variant,
        description=None,  # the page shows each version's description; the overlay is both
        orgs={**intended.orgs, **observed.orgs},
        actors={**intended.actors, **observed.actors},
        systems={**intended.systems, **observed.systems},
        outcomes={**intended.outcomes, **observed.outcomes},
        data={**intended.data, **observed.data},
        stages=stages,
        steps=ordered_steps,
        flows=flows,
        annotations=tuple(replace(a, step=observed_ids.get(a.step, a.step)) for a in observed.annotations),
        handoffs=_handoffs(flows, ordered_steps),
        path=observed.path,
    )
    return Overlay(
        blueprint=merged,
        step_status=status,
        flow_status=flow_status,
        intended_ids={step_id: step_id for step_id in intended.steps},
        observed_ids=observed_ids,
    )


def _observed_ids(intended: Blueprint, observed: Blueprint, matches: dict[str, str]) -> dict[str, str]:
    """Observed step id -> overlay id: the intended id when matched, else its own id made unique."""
    observed_to_intended = {obs: intd for intd, obs in matches.items()}
    observed_ids: dict[str, str] = {}
    taken = set(intended.steps)
    for step_id in observed.steps:
        if step_id in observed_to_intended:
            observed_ids[step_id] = observed_to_intended[step_id]
        else:
            observed_ids[step_id] = _free_id(step_id, taken)
            taken.add(observed_ids[step_id])
    return observed_ids


def _step_statuses(
    intended: Blueprint,
    observed: Blueprint,
    matches: dict[str, str],
    observed_ids: dict[str, str],
    step_changes: dict[str, StepStatus] | None,
) -> dict[str, StepStatus]:
    """Overlay step id -> status: observed steps in their order, then the missing intended ones."""
    matched = set(matches.values())
    status: dict[str, StepStatus] = {}
    for step in observed.steps.values():
        overlay_id = observed_ids[step.id]
        if step.id not in matched:
            status[overlay_id] = StepStatus.UNPLANNED
            continue
        before = intended.steps[overlay_id]
        if step_changes is not None:
            if overlay_id in step_changes:
                status[overlay_id] = step_changes[overlay_id]
        elif before.stage != step.stage or before.lane != step.lane:
            status[overlay_id] = StepStatus.MOVED
        elif _differs(before, step):
            status[overlay_id] = StepStatus.CHANGED
    for step_id in intended.steps:
        if step_id not in matches:
            status[step_id] = StepStatus.MISSING
    return status


def _merge_steps(
    intended: Blueprint,
    observed: Blueprint,
    matches: dict[str, str],
    observed_ids: dict[str, str],
    stage_of: dict[str, str],
) -> dict[str, Step]:
    """Every observed step under its overlay id, then every missing intended step in its stage's overlay stage."""
    steps = {observed_ids[step.id]: replace(step, id=observed_ids[step.id]) for step in observed.steps.values()}
    for step_id, step in intended.steps.items():
        if step_id not in matches:
            steps[step_id] = replace(step, stage=stage_of.get(step.stage, step.stage))
    return steps


def _free_id(step_id: str, taken: set[str]) -> str:
    if step_id not in taken:
        return step_id
    n = 2
    while f"{step_id}_observed{n}" in taken:
        n += 1
    return f"{step_id}_observed{n}"


def _differs(before: Step, after: Step) -> bool:
    keys = ("label", "actor", "systems", "channel", "duration", "outcome", "org")
    return any(getattr(before, key) != getattr(after, key) for key in keys)


def _merge_stages(
    *,
    intended: Blueprint,
    observed: Blueprint,
    observed_ids: dict[str, str],
    matches: dict[str, str],
    stage_of: dict[str, str],
) -> dict[str, Stage]:
    """Observed stages in their order, intended-only stages slotted in after their predecessor."""
    order: list[str] = list(observed.stages)
    previous = None
    for stage_id in intended.stages:
        merged_id = stage_of[stage_id]
        if merged_id not in order:
            order.insert(order.index(previous) + 1 if previous in order else 0, merged_id)
        previous = merged_id
    members: dict[str, list[str]] = {stage_id: [] for stage_id in order}
    for stage in observed.stages.values():
        members[stage.id].extend(observed_ids[sid] for sid in stage.steps)
    for stage in intended.stages.values():
        row = members[stage_of[stage.id]]
        for index, step_id in enumerate(stage.steps):
            if step_id in matches:
                continue
            before = [sid for sid in stage.steps[:index] if sid in row]
            row.insert(row.index(before[-1]) + 1 if before else 0, step_id)
    labels = {
        **{stage_of[s.id]: s.label for s in intended.stages.values()},
        **{s.id: s.label for s in observed.stages.values()},
    }
    return {stage_id: Stage(id=stage_id, label=labels[stage_id], steps=tuple(members[stage_id])) for stage_id in order}


def _merge_flows(
    *, intended: Blueprint, observed: Blueprint, observed_ids: dict[str, str]
) -> tuple[tuple[Flow, ...], dict[FlowKey, FlowStatus]]:
    seen: dict[FlowKey, Flow] = {}
    for flow in observed.flows:
        moved = replace(flow, source=observed_ids[flow.source], target=observed_ids[flow.target])
        seen.setdefault(moved.key, moved)
    observed_keys = set(seen)
    status: dict[FlowKey, FlowStatus] = {}
    for flow in intended.flows:
        if flow.key not in seen:
            seen[flow.key] = flow
            status[flow.key] = FlowStatus.BROKEN
    intended_keys = {flow.key for flow in intended.flows}
    for key in observed_keys - intended_keys:
        status[key] = FlowStatus.NEW
    return tuple(seen.values()), status


def _handoffs(flows: tuple[Flow, ...], steps: dict[str, Step]) -> tuple[Handoff, ...]:
    result = []
    for flow in flows:
        source, target = steps.get(flow.source), steps.get(flow.target)
        if source is None or target is None or source.org is None or target.org is None or source.org == target.org:
            continue
        result.append(
            Handoff(source=flow.source, target=flow.target, from_org=source.org, to_org=target.org, owner=flow.owner)
        )
    return tuple(result)
