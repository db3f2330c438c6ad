"""The resolved blueprint: frozen dataclasses, every node with its span, every reference checked.

A `Blueprint` is what every later stage (checks, comparison, renderers, export) works on. It is
built only by `resolve.py`; nothing downstream ever sees a Lark tree or the syntax layer.
Collections are tuples in source order; `Blueprint` also keeps id -> node dicts for lookups.
Spans are excluded from equality so that two blueprints with the same meaning compare equal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from blueprint_cli.language.source import Span
from blueprint_cli.vocab import (
    ANNOTATION_KINDS,
    CHANNELS,
    LANE_ORDER,
    LANES,
    LINES,
    PAIN_SEVERITIES,
    Evidence,
    Lane,
    Variant,
)

__all__ = ["ANNOTATION_KINDS", "CHANNELS", "LANES", "LANE_ORDER", "LINES", "Evidence", "Lane", "Variant"]

NO_SPAN = Span("<none>", 0, 0, 0, 0)


SEVERITIES = PAIN_SEVERITIES


@dataclass(frozen=True, slots=True)
class Org:
    """An organisation that owns actors and systems."""

    id: str
    label: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    colour: str | None = None  # `[colour="#rrggbb"]`, lower case; None: a palette colour by id


@dataclass(frozen=True, slots=True)
class Actor:
    """Someone who does steps: the customer, or staff of an org."""

    id: str
    label: str
    customer: bool = False
    org: str | None = None  # None for a customer
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class System:
    """A system that steps use, optionally of an org."""

    id: str
    label: str
    org: str | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Outcome:
    """A named result that a step can lead to."""

    id: str
    label: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class DataItem:
    """`data ID "Label"`: an item of information (an address, a date) that steps collect."""

    id: str
    label: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Stage:
    """A column group of the blueprint: its steps in file order."""

    id: str
    label: str
    steps: tuple[str, ...] = ()  # step ids, in file order
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Step:
    """One step in a lane of a stage, with who does it and what it uses."""

    id: str
    label: str
    lane: Lane
    stage: str
    actor: str | None = None
    systems: tuple[str, ...] = ()
    channel: str | None = None
    evidence: Evidence | None = None  # None: not stated (treated as assumed)
    duration: str | None = None  # as written, e.g. "2h"
    outcome: str | None = None
    # Derived: the org of the actor, else of the first system that has one; None for customers.
    org: str | None = None
    data: tuple[str, ...] = ()  # `collects`: the data items the step asks for or records
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    cases: int | None = None  # measured: how many cases pass through the step (`cases=1368`)
    target: str | None = None  # the plan's duration, kept beside a measured one (`target=1d`)

    @property
    def target_minutes(self) -> int | None:
        return duration_minutes(self.target)

    @property
    def assumed(self) -> bool:
        return self.evidence in (None, Evidence.ASSUMED)

    @property
    def duration_minutes(self) -> int | None:
        return duration_minutes(self.duration)


@dataclass(frozen=True, slots=True)
class Flow:
    """An arrow from one step to another, optionally labelled and owned."""

    source: str
    target: str
    label: str | None = None
    owner: str | None = None  # an actor id or an org id
    inline: bool = False  # declared with `->` on a step rather than on a `flow` line
    span: Span = field(default=NO_SPAN, compare=False, repr=False)
    cases: int | None = None  # measured: how many cases take this flow (`cases=1079`)
    wait: str | None = None  # the wait between the two steps, as written (`wait=2d`): measured, or a target

    @property
    def wait_minutes(self) -> int | None:
        return duration_minutes(self.wait)

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.target)

    @property
    def id(self) -> str:
        return f"{self.source}->{self.target}"


@dataclass(frozen=True, slots=True)
class Handoff:
    """Derived: a flow whose two ends belong to different organisations."""

    source: str
    target: str
    from_org: str
    to_org: str
    owner: str | None = None
    span: Span = field(default=NO_SPAN, compare=False, repr=False)

    @property
    def owned(self) -> bool:
        return self.owner is not None

    @property
    def id(self) -> str:
        return f"{self.source}->{self.target}"


@dataclass(frozen=True, slots=True)
class Annotation:
    """A pain point, workaround, unknown or note attached to a step."""

    kind: str  # one of ANNOTATION_KINDS
    step: str
    text: str
    severity: str | None = None  # pain only: low, medium, high
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Rename:
    """`renamed old -> new` in an observed file: step `old` of the intended version is `new` here."""

    old: str
    new: str
    span: Span = field(default=NO_SPAN, compare=False, repr=False)


@dataclass(frozen=True)
class Blueprint:
    """One resolved service blueprint: every element, references checked."""

    title: str
    variant: Variant = Variant.INTENDED
    description: str | None = None
    orgs: dict[str, Org] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)
    systems: dict[str, System] = field(default_factory=dict)
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    data: dict[str, DataItem] = field(default_factory=dict)
    stages: dict[str, Stage] = field(default_factory=dict)
    steps: dict[str, Step] = field(default_factory=dict)  # in journey (file) order
    flows: tuple[Flow, ...] = ()
    annotations: tuple[Annotation, ...] = ()
    renames: tuple[Rename, ...] = ()
    handoffs: tuple[Handoff, ...] = ()  # derived, in flow order
    path: str = field(default="", compare=False)
    includes: tuple[str, ...] = field(default=(), compare=False)  # every file read, main file first
    span: Span = field(default=NO_SPAN, compare=False, repr=False)

    def annotations_of(self, step_id: str, kind: str | None = None) -> list[Annotation]:
        return [a for a in self.annotations if a.step == step_id and (kind is None or a.kind == kind)]

    def org_label(self, org_id: str | None) -> str:
        if org_id is None:
            return "Customer"
        org = self.orgs.get(org_id)
        return org.label if org else org_id


_UNITS = {"m": 1, "h": 60, "d": 60 * 24, "w": 60 * 24 * 7}


def duration_minutes(text: str | None) -> int | None:
    """`30m`, `2h`, `3d`, `1w` as minutes; None when absent."""
    if not text:
        return None
    return int(text[:-1]) * _UNITS[text[-1]]
