"""What the journeys say together: outcomes, organisations, systems, joins and data across all of them.

Everything is derived from each journey's primary version (the intended one when there is one),
in journey order (by stem), so the same files always give the same facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from blueprint_cli.architecture.base import MapFinding
from blueprint_cli.architecture.build import Architecture, Journey
from blueprint_cli.language.model import Blueprint, Lane
from blueprint_cli.vocab import Severity

StepRef = tuple[str, str]  # (journey stem, step id)


@dataclass(frozen=True)
class Join:
    """A handoff between two organisations in one journey."""

    journey: str
    source: str
    target: str
    from_org: str
    to_org: str
    owner: str | None


@dataclass
class DataFacts:
    label: str
    collected_by: list[StepRef] = field(default_factory=list)
    asked_of_customer: list[StepRef] = field(default_factory=list)
    stored_in: list[str] = field(default_factory=list)  # sorted system ids

    @property
    def asked_in(self) -> list[str]:
        """The journeys that ask the customer for it, in order."""
        return list(dict.fromkeys(stem for stem, _ in self.asked_of_customer))


@dataclass
class OutcomeFacts:
    label: str
    served_by: list[StepRef] = field(default_factory=list)

    @property
    def journeys(self) -> list[str]:
        return list(dict.fromkeys(stem for stem, _ in self.served_by))


@dataclass(frozen=True)
class Cell:
    """One organisation in one journey: its steps and the handoffs it takes part in."""

    steps: int
    handoffs: int


@dataclass
class Facts:
    journeys: tuple[Journey, ...]
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # table -> id -> label
    orgs: dict[str, list[str]] = field(default_factory=dict)  # org -> journey stems
    systems: dict[str, list[str]] = field(default_factory=dict)  # system -> journey stems
    system_orgs: dict[str, list[str]] = field(default_factory=dict)  # system -> orgs of the steps using it
    joins: list[Join] = field(default_factory=list)
    pairs: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # org pair (sorted) -> stems
    data: dict[str, DataFacts] = field(default_factory=dict)
    outcomes: dict[str, OutcomeFacts] = field(default_factory=dict)
    matrix: dict[tuple[str, str], Cell] = field(default_factory=dict)  # (stem, org) -> cell

    def label(self, table: str, ident: str) -> str:
        return self.labels.get(table, {}).get(ident, ident)


def _add(mapping: dict[str, list[str]], key: str, value: str) -> None:
    values = mapping.setdefault(key, [])
    if value not in values:
        values.append(value)


def derive(architecture: Architecture) -> Facts:
    """Every fact of the map, from the primary version of each journey."""
    facts = Facts(architecture.journeys)
    for journey in architecture.journeys:
        _labels(facts, journey.primary)
        _uses(facts, journey.stem, journey.primary)
        _joins(facts, journey.stem, journey.primary)
        _data(facts, journey.stem, journey.primary)
        _outcomes(facts, journey.stem, journey.primary)
    for item in facts.data.values():
        item.stored_in.sort()
    facts.orgs = dict(sorted(facts.orgs.items()))
    facts.systems = dict(sorted(facts.systems.items()))
    facts.system_orgs = {k: sorted(v) for k, v in sorted(facts.system_orgs.items())}
    facts.data = dict(sorted(facts.data.items()))
    facts.outcomes = dict(sorted(facts.outcomes.items()))
    facts.pairs = dict(sorted(facts.pairs.items()))
    return facts


def _labels(facts: Facts, bp: Blueprint) -> None:
    for table in ("orgs", "actors", "systems", "outcomes", "data"):
        known = facts.labels.setdefault(table, {})
        for ident, element in getattr(bp, table).items():
            known.setdefault(ident, element.label)


def _uses(facts: Facts, stem: str, bp: Blueprint) -> None:
    """Orgs (of the actors and systems in its steps) and systems a journey uses; its matrix cells."""
    steps_per_org: dict[str, int] = {}
    for step in bp.steps.values():
        actor = bp.actors.get(step.actor) if step.actor else None
        if actor is not None and actor.org:
            _add(facts.orgs, actor.org, stem)
        for sys_id in step.systems:
            _add(facts.systems, sys_id, stem)
            system = bp.systems.get(sys_id)
            if system is not None and system.org:
                _add(facts.orgs, system.org, stem)
            if step.org:
                _add(facts.system_orgs, sys_id, step.org)
        if step.org:
            steps_per_org[step.org] = steps_per_org.get(step.org, 0) + 1
    handoffs_per_org: dict[str, int] = {}
    for handoff in bp.handoffs:
        for org in {handoff.from_org, handoff.to_org}:
            handoffs_per_org[org] = handoffs_per_org.get(org, 0) + 1
    for org, stems in facts.orgs.items():
        if stem in stems:
            facts.matrix[(stem, org)] = Cell(steps_per_org.get(org, 0), handoffs_per_org.get(org, 0))


def _joins(facts: Facts, stem: str, bp: Blueprint) -> None:
    for handoff in bp.handoffs:
        facts.joins.append(Join(stem, handoff.source, handoff.target, handoff.from_org, handoff.to_org, handoff.owner))
        key = (min(handoff.from_org, handoff.to_org), max(handoff.from_org, handoff.to_org))
        stems = facts.pairs.setdefault(key, [])
        if stem not in stems:
            stems.append(stem)


def _data(facts: Facts, stem: str, bp: Blueprint) -> None:
    for ident, declared in bp.data.items():
        facts.data.setdefault(ident, DataFacts(declared.label))
    for step in bp.steps.values():
        for ident in step.data:
            item = facts.data.setdefault(ident, DataFacts(ident))
            item.collected_by.append((stem, step.id))
            if step.lane is Lane.CUSTOMER:
                item.asked_of_customer.append((stem, step.id))
            for sys_id in step.systems:
                if sys_id not in item.stored_in:
                    item.stored_in.append(sys_id)


def _outcomes(facts: Facts, stem: str, bp: Blueprint) -> None:
    for ident, outcome in bp.outcomes.items():
        facts.outcomes.setdefault(ident, OutcomeFacts(outcome.label))
    for step in bp.steps.values():
        if step.outcome:
            facts.outcomes.setdefault(step.outcome, OutcomeFacts(step.outcome)).served_by.append((stem, step.id))


def fact_findings(facts: Facts) -> list[MapFinding]:
    """Across journeys: data asked again, data kept in several systems, outcomes nobody serves."""
    out = []
    for ident, item in facts.data.items():
        asked = item.asked_in
        if len(asked) > 1:
            out.append(
                MapFinding(
                    "BP203",
                    "asked-again",
                    Severity.WARNING.value,
                    f"The customer is asked for “{item.label}” ({ident}) in {len(asked)} journeys: {', '.join(asked)}"
                    " — tell us once: ask in one and share it",
                )
            )
        if len(item.stored_in) > 1:
            out.append(
                MapFinding(
                    "BP204",
                    "duplicated-data",
                    Severity.NOTE.value,
                    f"“{item.label}” ({ident}) is kept in {len(item.stored_in)} systems: {', '.join(item.stored_in)}",
                )
            )
    for ident, outcome in facts.outcomes.items():
        if not outcome.served_by:
            out.append(
                MapFinding(
                    "BP205",
                    "outcome-unserved",
                    Severity.WARNING.value,
                    f"No journey serves the outcome “{outcome.label}” ({ident})",
                )
            )
    return out


def all_findings(architecture: Architecture, facts: Facts) -> list[MapFinding]:
    """The architecture's own findings, then those of the facts, most severe first (stable)."""
    order = {"error": 0, "warning": 1, "note": 2}
    found = list(architecture.findings) + fact_findings(facts)
    return sorted(found, key=lambda f: (order[f.severity], f.code))
