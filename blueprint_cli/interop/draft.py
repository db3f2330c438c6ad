"""A blueprint being imported: what was read, before it becomes text in the canonical layout.

The importers fill a `Draft`; `to_source` writes it as blueprint text and runs that through the
project's formatter, so an imported file looks exactly like one `blueprint fmt` wrote.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from blueprint_cli.interop.ids import Namer
from blueprint_cli.language.fmt import attributes, quote, step_line
from blueprint_cli.language.model import CHANNELS

T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """Something the importer could not place: the cell (`B7`) and what happened to it."""

    cell: str
    message: str

    def __str__(self) -> str:
        return f"{self.cell}: {self.message}"


@dataclass
class DraftActor:
    label: str
    customer: bool = False
    org: str | None = None


@dataclass
class DraftStep:
    id: str
    label: str
    lane: str
    stage: str
    actor: str | None = None
    systems: list[str] = field(default_factory=list)
    data: list[str] = field(default_factory=list)  # `collects`
    targets: list[str] = field(default_factory=list)  # inline flows (`->` on the step line)
    channel: str | None = None
    evidence: str | None = None
    duration: str | None = None
    outcome: str | None = None


@dataclass
class DraftFlow:
    source: str
    target: str
    label: str | None = None
    owner: str | None = None


@dataclass
class DraftNote:
    kind: str  # pain, workaround, unknown, note
    step: str
    text: str
    severity: str | None = None


@dataclass
class Draft:
    title: str
    variant: str = "intended"
    description: str | None = None
    orgs: dict[str, str] = field(default_factory=dict)
    actors: dict[str, DraftActor] = field(default_factory=dict)
    systems: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    data: dict[str, str] = field(default_factory=dict)
    outcomes: dict[str, str] = field(default_factory=dict)
    stages: dict[str, str] = field(default_factory=dict)
    steps: list[DraftStep] = field(default_factory=list)
    flows: list[DraftFlow] = field(default_factory=list)
    notes: list[DraftNote] = field(default_factory=list)
    renames: list[tuple[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    names: Namer = field(default_factory=Namer)

    def problem(self, cell: str, message: str) -> None:
        self.problems.append(Problem(cell, message))

    # ---------------------------------------------------------------- finding or adding by id or label

    def org(self, text: str) -> str:
        return _find_or_add(self, self.orgs, text, fallback="org")

    def system(self, text: str, org: str | None = None) -> str:
        found = _lookup(self.systems, text, lambda v: v[0])
        if found is not None:
            return found
        new = self.names.derive(text, fallback="system")
        self.systems[new] = (text, org)
        return new

    def actor(self, text: str, *, customer: bool, org: str | None) -> str:
        found = _lookup(self.actors, text, lambda v: v.label)
        if found is not None:
            return found
        new = self.names.derive(text, fallback="actor")
        self.actors[new] = DraftActor(text, customer=customer, org=None if customer else org)
        return new

    def datum(self, text: str) -> str:
        """A data item named by its id or its label (added when new)."""
        return _find_or_add(self, self.data, text, fallback="data")

    def outcome(self, text: str) -> str:
        return _find_or_add(self, self.outcomes, text, fallback="outcome")

    def stage(self, text: str) -> str:
        return _find_or_add(self, self.stages, text, fallback="stage")

    def step_ids(self) -> set[str]:
        return {s.id for s in self.steps}


def _lookup(pool: Mapping[str, T], text: str, label_of: Callable[[T], str]) -> str | None:
    """The id in `pool` that `text` names: as an id, else as a label (case and spacing ignored)."""
    if text in pool:
        return text
    wanted = " ".join(text.lower().split())
    for key, value in pool.items():
        if " ".join(str(label_of(value)).lower().split()) == wanted:
            return key
    return None


def _find_or_add(draft: Draft, pool: dict[str, str], text: str, *, fallback: str) -> str:
    found = _lookup(pool, text, str)
    if found is not None:
        return found
    new = draft.names.derive(text, fallback=fallback)
    pool[new] = text
    return new


# ---------------------------------------------------------------- text


def to_source(draft: Draft) -> str:
    """The draft as blueprint text in the canonical (`blueprint fmt`) layout."""
    from blueprint_cli.language.fmt import format_document
    from blueprint_cli.language.parser import parse_document
    from blueprint_cli.language.source import Source

    give_staff_an_org(draft)
    text = raw_text(draft)
    document = parse_document(Source("<import>", text))
    return format_document(document, text)


DEFAULT_ORG = "Service provider"
# The characters the language refuses inside a label (language/parser.py): a spreadsheet cell
# may hold them (pasted from elsewhere); they are invisible, so they are dropped.
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")


def plain(text: str) -> str:
    """Text a label may hold: without the control characters the language refuses."""
    return _FORBIDDEN.sub("", text)


def quoted(text: str) -> str:
    """`text` as a quoted label."""
    return quote(plain(text))


def give_staff_an_org(draft: Draft) -> None:
    """Staff need an organisation in the language; a table that names none gets one, `Service provider`."""
    for actor in draft.actors.values():
        if not actor.customer and actor.org is None:
            actor.org = draft.org(DEFAULT_ORG)


def raw_text(draft: Draft) -> str:
    lines = [f"blueprint {quoted(draft.title)}", f"variant {draft.variant}"]
    if draft.description is not None:
        lines.append(f"description {quoted(draft.description)}")
    lines += [f"org {i} {quoted(label)}" for i, label in draft.orgs.items()]
    for i, actor in draft.actors.items():
        kind = " customer" if actor.customer else f" @{actor.org}" if actor.org else ""
        lines.append(f"actor {i} {quoted(actor.label)}{kind}")
    lines += [f"system {i} {quoted(label)}" + (f" @{org}" if org else "") for i, (label, org) in draft.systems.items()]
    lines += [f"data {i} {quoted(label)}" for i, label in draft.data.items()]
    lines += [f"outcome {i} {quoted(label)}" for i, label in draft.outcomes.items()]
    lines += [f"renamed {old} -> {new}" for old, new in draft.renames]
    steps_of: dict[str, list[DraftStep]] = {}
    for step in draft.steps:
        steps_of.setdefault(step.stage, []).append(step)
    notes_of: dict[str, list[DraftNote]] = {}
    for note in draft.notes:
        notes_of.setdefault(note.step, []).append(note)
    for stage_id, label in draft.stages.items():
        lines.append(f"stage {stage_id} {quoted(label)}")
        steps = steps_of.get(stage_id, [])
        lines += ["  " + _step_text(step) for step in steps]
        for step in steps:
            for note in notes_of.get(step.id, []):
                severity = [("severity", note.severity, False)] if note.severity else []
                lines.append(f"  {note.kind} {note.step} {quoted(note.text)}" + attributes(severity))
    for flow in draft.flows:
        label = f" {quoted(flow.label)}" if flow.label is not None else ""
        owner = [("owner", flow.owner, False)] if flow.owner else []
        lines.append(f"flow {flow.source} -> {flow.target}{label}" + attributes(owner))
    return "\n".join(lines) + "\n"


def _step_text(step: DraftStep) -> str:
    attrs: list[tuple[str, str, bool]] = []
    if step.channel is not None:
        attrs.append(("channel", plain(step.channel), step.channel not in CHANNELS))
    if step.evidence is not None:
        attrs.append(("evidence", step.evidence, False))
    if step.duration is not None:
        attrs.append(("duration", step.duration, False))
    if step.outcome is not None:
        attrs.append(("outcome", step.outcome, False))
    line = step_line(
        lane=step.lane,
        step_id=step.id,
        label=plain(step.label),
        actor=step.actor,
        systems=step.systems,
        targets=step.targets,
        data=step.data,
    )
    return line + attributes(attrs)
