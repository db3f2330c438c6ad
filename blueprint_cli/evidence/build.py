"""The observed blueprint built from a log's figures: steps, flows, handoffs and pain points, as text.

Labels, lanes, stages, systems, channels and outcomes come from the intended blueprint when there
is one; the log adds who does each step (its most frequent known group), how many cases pass
through it, its duration, the flows between steps with their case counts and median waits, and
rework. The text is then put in `blueprint fmt` layout and checked by the language's own loader.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from blueprint_cli.evidence.errors import EvidenceError
from blueprint_cli.evidence.mapping import Mapping, StepRule
from blueprint_cli.evidence.slug import slug
from blueprint_cli.evidence.stepstats import PairFigures, StepFigures, duration_text
from blueprint_cli.language import model as M
from blueprint_cli.language.fmt import attributes, quote, step_line
from blueprint_cli.words import plural

UNPLANNED_STAGE = "unplanned"


@dataclass
class Who:
    org: str
    org_label: str
    actor: str
    actor_label: str


@dataclass
class Draft:
    """What the observed file will say, element by element, in the order it is written."""

    orgs: dict[str, str] = field(default_factory=dict)
    actors: dict[str, tuple[str, str | None, bool]] = field(default_factory=dict)  # label, org, customer
    systems: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    outcomes: dict[str, str] = field(default_factory=dict)
    stages: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # label, step lines
    notes: list[str] = field(default_factory=list)
    flows: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Provenance:
    log: str
    sha256: str
    cases: int
    events: int
    first: str | None
    last: str | None
    filters: tuple[str, ...]
    bad_rows: int


class Builder:
    def __init__(
        self,
        mapping: Mapping,
        intended: M.Blueprint | None,
        steps: dict[str, StepFigures],
        cases: int,
        channel: tuple[str, str] | None = None,
    ) -> None:
        self.channel = channel
        self.mapping = mapping
        self.intended = intended
        self.steps = steps
        self.cases = cases
        self.draft = Draft()
        self.placed: dict[str, str] = {}  # step id -> stage id
        self.folded: dict[str, list[str]] = {}  # stage id -> rare unplanned activities

    # ------------------------------------------------------------ who does a step
    def who(self, group: str) -> Who | None:
        if group in self.mapping.unknown_groups:
            return None
        if self.mapping.groups:
            org, actor = self.mapping.org_actor(group)
        else:
            org, actor = slug(group), None
        planned = self.intended.actors.get(actor) if self.intended and actor else None
        if org is None and planned is not None:
            org = planned.org
        if org is None:
            return None
        planned_org = self.intended.orgs.get(org) if self.intended else None
        actor = actor or f"{org}_staff"
        return Who(
            org=org,
            org_label=planned_org.label if planned_org else group,
            actor=actor,
            actor_label=planned.label if planned else f"Staff of {group}",
        )

    def actor_of(self, figures: StepFigures) -> str | None:
        planned = self.intended.steps.get(figures.step) if self.intended else None
        if not self.mapping.groups and planned is not None and planned.actor:
            self.declare_actor(planned.actor)  # without [[group]] rules the plan says who
            return planned.actor
        for group, _ in figures.groups:
            found = self.who(group)
            if found is not None:
                self.draft.orgs.setdefault(found.org, found.org_label)
                self.draft.actors.setdefault(found.actor, (found.actor_label, found.org, False))
                return found.actor
        if planned is not None and planned.actor:
            self.declare_actor(planned.actor)
            return planned.actor
        return None

    def declare_owner(self, owner: str) -> None:
        """A flow's owner from the plan: an actor or an org."""
        assert self.intended is not None
        if owner in self.intended.actors:
            self.declare_actor(owner)
        elif owner in self.intended.orgs:
            self.draft.orgs.setdefault(owner, self.intended.orgs[owner].label)

    def declare_actor(self, actor_id: str) -> None:
        if self.intended is None or actor_id in self.draft.actors:
            return
        actor = self.intended.actors[actor_id]
        if actor.org:
            self.draft.orgs.setdefault(actor.org, self.intended.orgs[actor.org].label)
        self.draft.actors[actor_id] = (actor.label, actor.org, actor.customer)

    def declare_step_needs(self, step: M.Step) -> None:
        """Systems and outcomes an intended step names, declared as the intended blueprint does."""
        assert self.intended is not None
        for system_id in step.systems:
            system = self.intended.systems[system_id]
            if system.org:
                self.draft.orgs.setdefault(system.org, self.intended.orgs[system.org].label)
            self.draft.systems.setdefault(system_id, (system.label, system.org))
        if step.outcome:
            self.draft.outcomes.setdefault(step.outcome, self.intended.outcomes[step.outcome].label)

    # ------------------------------------------------------------ steps, placed in stages
    def place(self, pairs: list[PairFigures]) -> None:
        """Intended steps in their stages; unplanned ones beside their most frequent neighbour."""
        if self.intended is not None:
            for stage in self.intended.stages.values():
                for step_id in stage.steps:
                    if step_id in self.steps or self.carried(step_id):
                        self.placed[step_id] = stage.id
        for step_id, stage_id in list(self.placed.items()):
            rule = self.rule(step_id)
            self.placed[step_id] = rule.stage if rule is not None and rule.stage else stage_id
        unplanned = sorted((s for s in self.steps if s not in self.placed), key=lambda s: (self.steps[s].position, s))
        for step_id in unplanned:
            rule = self.rule(step_id)
            self.placed[step_id] = rule.stage if rule and rule.stage else self.neighbour_stage(step_id, pairs)

    def rule(self, step_id: str) -> StepRule | None:
        """The [[step]] rule of a measured step (its most frequent activity's), for label, lane, stage, actor."""
        figures = self.steps.get(step_id)
        return self.mapping.rule_of(figures.activities[0]) if figures is not None else None

    def carried(self, step_id: str) -> bool:
        return self.mapping.outside_policy == "carry" and step_id in self.mapping.outside_log

    def neighbour_stage(self, step_id: str, pairs: list[PairFigures]) -> str:
        if self.intended is None:
            return "observed"
        near = sorted(
            ((p.cases, 0, p.source) for p in pairs if p.target == step_id and p.source in self.placed),
            key=lambda x: (-x[0], x[1], x[2]),
        ) + sorted(
            ((p.cases, 1, p.target) for p in pairs if p.source == step_id and p.target in self.placed),
            key=lambda x: (-x[0], x[1], x[2]),
        )
        return self.placed[near[0][2]] if near else UNPLANNED_STAGE

    def rare(self, step_id: str) -> bool:
        planned = self.intended is not None and step_id in self.intended.steps
        if planned or step_id not in self.steps:
            return False
        share = self.steps[step_id].cases / self.cases if self.cases else 0.0
        return share < self.mapping.min_case_share_step

    def write_steps(self) -> None:
        labels = {s.id: s.label for s in self.intended.stages.values()} if self.intended else {}
        labels.setdefault("observed", "Observed activities")
        labels.setdefault(UNPLANNED_STAGE, "Not in the plan")
        for step_id, stage_id in self.placed.items():
            label = labels.get(stage_id, stage_id.replace("_", " ").capitalize())
            lines = self.draft.stages.setdefault(stage_id, (label, []))[1]
            if self.rare(step_id):
                self.folded.setdefault(stage_id, []).append(step_id)
            elif step_id in self.steps:
                lines.append(self.measured_line(self.steps[step_id]))
            else:
                lines.append(self.carried_line(step_id))

    def measured_line(self, figures: StepFigures) -> str:
        planned = self.intended.steps.get(figures.step) if self.intended else None
        rule = self.rule(figures.step)
        actor = self.actor_of(figures)
        if rule is not None and rule.actor:
            if self.intended is None or rule.actor not in self.intended.actors:
                where = self.mapping.path or "the mapping"
                raise EvidenceError(where, f"[[step]] actor '{rule.actor}' is not an actor of the intended blueprint")
            self.declare_actor(rule.actor)
            actor = rule.actor
        attrs: list[tuple[str, str, bool]] = [("evidence", "measured", False)]
        duration = duration_text(figures.duration_s)
        if duration:
            attrs.append(("duration", duration, False))
        if duration and planned is not None and planned.duration:
            attrs.append(("target", planned.duration, False))  # the plan's, so the diagram can judge
        attrs.append(("cases", str(figures.cases), False))
        if self.channel is not None and self.channel[0] == figures.step:
            attrs.append(_channel_attribute(self.channel[1]))
        lane = (rule.lane if rule else None) or (planned.lane.value if planned else self.mapping.unmapped_lane)
        label = (rule.label if rule else None) or (planned.label if planned else figures.activities[0])
        systems: tuple[str, ...] = ()
        if planned is not None:
            self.declare_step_needs(planned)
            systems = planned.systems
            if planned.channel and not any(key == "channel" for key, _, _ in attrs):
                attrs.append(("channel", planned.channel, planned.channel not in M.CHANNELS))
            if planned.outcome:
                attrs.append(("outcome", planned.outcome, False))
        line = step_line(lane=lane, step_id=figures.step, label=label, actor=actor, systems=systems, targets=[])
        return line + attributes(attrs)

    def carried_line(self, step_id: str) -> str:
        assert self.intended is not None
        planned = self.intended.steps[step_id]
        if planned.actor:
            self.declare_actor(planned.actor)
        self.declare_step_needs(planned)
        attrs: list[tuple[str, str, bool]] = [("evidence", "assumed", False)]
        if planned.channel:
            attrs.append(("channel", planned.channel, planned.channel not in M.CHANNELS))
        if planned.outcome:
            attrs.append(("outcome", planned.outcome, False))
        self.draft.notes.append(f"unknown {step_id} {quote('Outside the event log: kept from the plan, not measured')}")
        line = step_line(
            lane=planned.lane.value,
            step_id=step_id,
            label=planned.label,
            actor=planned.actor,
            systems=planned.systems,
            targets=[],
        )
        return line + attributes(attrs)

    # ------------------------------------------------------------ notes and flows
    def write_notes(self) -> None:
        for step_id, figures in sorted(self.steps.items()):
            if self.rare(step_id) or not figures.rework_cases or not self.cases:
                continue
            share = figures.rework_cases / self.cases
            if share < self.mapping.rework_pain:
                continue
            severity = "high" if share >= 0.10 else "medium" if share >= 0.05 else "low"
            text = f"Done more than once in {figures.rework_cases} of {self.cases} cases ({share * 100:.1f} %)"
            self.draft.notes.append(f"pain {step_id} {quote(text)}" + attributes([("severity", severity, False)]))
        for stage_id, folded in self.folded.items():
            drawn = [s for s, st in self.placed.items() if st == stage_id and not self.rare(s)]
            if not drawn:
                continue
            parts = ", ".join(f"{self.steps[s].activities[0]} ({self.steps[s].cases})" for s in folded)
            self.draft.notes.append(
                f"note {drawn[0]} {quote('Rare unplanned activities, not drawn (cases): ' + parts)}"
            )

    def write_flows(self, pairs: list[PairFigures]) -> int:
        """Flow lines; returns how many measured flows were left out as rare."""
        planned = {f.key: f for f in self.intended.flows} if self.intended else {}
        order = {s: i for i, s in enumerate(self.placed)}
        drawn = {s for s in self.placed if not self.rare(s)}
        lines: list[tuple[int, int, str]] = []
        left_out = 0
        parallel = self.parallel_pairs(pairs, set(planned), order)
        for pair in pairs:
            if pair.source not in drawn or pair.target not in drawn:
                continue
            plan = planned.get((pair.source, pair.target))
            if plan is None and frozenset((pair.source, pair.target)) in parallel:
                continue
            if plan is None and (not self.cases or pair.cases / self.cases < self.mapping.min_case_share_flow):
                left_out += 1
                continue
            attrs = [("cases", str(pair.cases), False)]
            wait = duration_text(pair.wait_s)
            if wait:
                attrs.append(("wait", wait, False))
            if plan is not None and plan.owner:
                self.declare_owner(plan.owner)
                attrs.append(("owner", plan.owner, False))
            lines.append(
                (order[pair.source], order[pair.target], f"flow {pair.source} -> {pair.target}" + attributes(attrs))
            )
        for key, plan in planned.items():
            if (self.carried(key[0]) or self.carried(key[1])) and key[0] in drawn and key[1] in drawn:
                attrs = [("owner", plan.owner, False)] if plan.owner else []
                if plan.owner:
                    self.declare_owner(plan.owner)
                lines.append((order[key[0]], order[key[1]], f"flow {key[0]} -> {key[1]}" + attributes(attrs)))
        self.draft.flows = [line for _, _, line in sorted(lines)]
        return left_out

    def parallel_pairs(
        self, pairs: list[PairFigures], planned: set[tuple[str, str]], order: dict[str, int]
    ) -> set[frozenset[str]]:
        """Steps done in either order about as often (heuristics-miner dependency under `parallel_threshold`)
        and planned in neither: read as parallel, no flow drawn, a note on the first instead."""
        cases = {(p.source, p.target): p.cases for p in pairs}
        found: set[frozenset[str]] = set()
        for (a, b), ab in sorted(cases.items()):
            ba = cases.get((b, a))
            if ba is None or a not in order or b not in order or order[a] > order[b]:
                continue
            if (a, b) in planned or (b, a) in planned:
                continue
            if max(ab, ba) < self.mapping.min_case_share_flow * self.cases:
                continue  # too rare to be drawn either way: nothing to explain
            if abs(ab - ba) / (ab + ba + 1) < self.mapping.parallel_threshold:
                found.add(frozenset((a, b)))
                text = (
                    f"Done in either order with {b}: before it in {plural(ab, 'case')}, after it in "
                    f"{plural(ba, 'case')} (read as parallel, not drawn)"
                )
                self.draft.notes.append(f"note {a} {quote(text)}")
        return found


def _channel_attribute(value: str) -> tuple[str, str, bool]:
    """A channel from the mapping: a known one bare, anything else (or a value written in quotes) quoted."""
    text = value[1:-1] if len(value) > 1 and value.startswith('"') and value.endswith('"') else value
    return ("channel", text, text not in M.CHANNELS)


def _header(provenance: Provenance, mapping: Mapping, left_out: int) -> list[str]:
    period = f"{provenance.first} to {provenance.last}" if provenance.first else "no events"
    lines = [
        f"# Observed from the event log {os.path.basename(provenance.log)} (sha256 {provenance.sha256[:16]}…)",
        f"# {provenance.cases} cases, {provenance.events} events, {period} (UTC)",
        "# Filters: " + ("; ".join(provenance.filters) if provenance.filters else "none"),
        f"# Mapping: {os.path.basename(mapping.path) if mapping.path else 'none (one step per activity)'}",
    ]
    if provenance.bad_rows:
        lines.append(f"# Bad rows left out: {provenance.bad_rows}")
    if left_out:
        lines.append(f"# Flows taken by fewer than {mapping.min_case_share_flow:.0%} of cases, not drawn: {left_out}")
    lines.append("# Figures: cases= per step and flow, duration= the step's median time, wait= the flow's median wait")
    return lines


def observed_text(
    provenance: Provenance,
    mapping: Mapping,
    intended: M.Blueprint | None,
    steps: dict[str, StepFigures],
    pairs: list[PairFigures],
    channel: tuple[str, str] | None = None,
) -> str:
    """The observed blueprint, in canonical `fmt` layout."""
    builder = Builder(mapping, intended, steps, provenance.cases, channel)
    builder.place(pairs)
    builder.write_steps()
    builder.write_notes()
    left_out = builder.write_flows(pairs)
    draft = builder.draft
    title = mapping.title or (intended.title if intended else f"Observed from {os.path.basename(provenance.log)}")
    lines = _header(provenance, mapping, left_out)
    lines += [f"blueprint {quote(title)}", "variant observed"]
    if provenance.first and provenance.last:
        described = f"Measured from {provenance.cases} cases, {provenance.first[:10]} to {provenance.last[:10]}"
    else:
        described = "The event log has no events to measure"
    lines.append(f"description {quote(described)}")
    lines += [f"org {o} {quote(label)}" for o, label in draft.orgs.items()]
    for actor_id, (label, org, customer) in draft.actors.items():
        lines.append(f"actor {actor_id} {quote(label)}" + (" customer" if customer else f" @{org}" if org else ""))
    lines += [f"system {s} {quote(label)}" + (f" @{org}" if org else "") for s, (label, org) in draft.systems.items()]
    lines += [f"outcome {o} {quote(label)}" for o, label in draft.outcomes.items()]
    for stage_id, (label, step_lines) in draft.stages.items():
        if step_lines:
            lines.append(f"stage {stage_id} {quote(label)}")
            lines += ["  " + line for line in step_lines]
    lines += draft.notes + draft.flows
    return canonical("\n".join(lines) + "\n")


def canonical(text: str) -> str:
    """`blueprint fmt` layout; the text must load (it is a bug if it does not)."""
    from blueprint_cli.language.fmt import format_document
    from blueprint_cli.language.parser import parse_document
    from blueprint_cli.language.resolve import load_text
    from blueprint_cli.language.source import Source

    formatted = format_document(parse_document(Source("observed.blueprint", text)), text)
    load_text(formatted, "observed.blueprint")
    return formatted


def provenance_of(info: Any, prepared: Any, figures: dict[str, Any]) -> Provenance:
    return Provenance(
        log=info.path,
        sha256=info.sha256,
        cases=int(figures["cases"]),
        events=int(figures["events"]),
        first=figures["period"]["first"],
        last=figures["period"]["last"],
        filters=tuple(prepared.filters),
        bad_rows=info.bad_count,
    )
