"""What a comparison produces: `Comparison` (the shared data contract), its `Change`s and `Scores`.

Everything the report and the output formats need is here, so that nothing downstream runs the
matcher again or guesses what a change holds:

- `Comparison.step_matches`: each matched step, how it was matched (`MatchedBy`) and its label
  similarity; `Comparison.stage_matches`: intended stage id -> observed stage id;
- `Change.intended` / `Change.observed`: the old and new value as a typed payload (`Value`); which
  payload a kind carries is listed in `VALUE_TYPES` and checked by the tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from typing import TypedDict, Union

from blueprint_cli.language.model import Blueprint
from blueprint_cli.language.source import Span
from blueprint_cli.vocab import count_severities

# A JSON value as `json.dumps` writes it.
JsonValue = Union[str, int, float, bool, None, list["JsonValue"], dict[str, "JsonValue"]]  # noqa: UP007


class MatchedBy(str, Enum):
    """How an intended step found its observed counterpart (the passes of `compare.match`)."""

    ID = "id"  # the same id
    RENAMED = "renamed"  # an explicit `renamed old -> new` line in the observed file
    LABEL = "label"  # the same normalised label in the same lane and stage
    SIMILAR = "similar"  # similar labels (token similarity plus agreeing actor, lane and stage)


@dataclass(frozen=True, slots=True)
class StepMatch:
    """One matched step: intended id, observed id, how, and the label similarity of a match not by id."""

    intended: str
    observed: str
    by: MatchedBy
    similarity: float | None = None  # Dice coefficient of the label words, 3 decimals; None when matched by id


# ---------------------------------------------------------------- typed values of changes


@dataclass(frozen=True, slots=True)
class StepName:
    """A step by id and label (the intended side of `step.renamed`)."""

    id: str
    label: str

    def to_json(self) -> dict[str, JsonValue]:
        return {"id": self.id, "label": self.label}


@dataclass(frozen=True, slots=True)
class RenamedStep:
    """The observed side of `step.renamed`: the new id and label, and how the match was made."""

    id: str
    label: str
    similarity: float
    matched_by: MatchedBy

    def to_json(self) -> dict[str, JsonValue]:
        return {"id": self.id, "label": self.label, "similarity": self.similarity, "matched_by": self.matched_by.value}


@dataclass(frozen=True, slots=True)
class FlowValue:
    """A flow between two steps (ids of the version the value comes from)."""

    source: str
    target: str
    label: str | None
    owner: str | None

    def to_json(self) -> dict[str, JsonValue]:
        return {"from": self.source, "to": self.target, "label": self.label, "owner": self.owner}


@dataclass(frozen=True, slots=True)
class HandoffValue:
    """A join between two organisations, with its owner and the label of its flow."""

    from_org: str
    to_org: str
    owner: str | None
    label: str | None

    def to_json(self) -> dict[str, JsonValue]:
        return {"from_org": self.from_org, "to_org": self.to_org, "owner": self.owner, "label": self.label}


@dataclass(frozen=True, slots=True)
class PainNote:
    """A pain point: its text and its severity (low, medium, high) when stated."""

    text: str
    severity: str | None

    def to_json(self) -> dict[str, JsonValue]:
        return {"text": self.text, "severity": self.severity}


# The old or new value of a change: a plain id, label or word (`str`), a list of ids
# (`tuple[str, ...]`), one of the payloads above, or None when that side has nothing.
Payload = Union[StepName, RenamedStep, FlowValue, HandoffValue, PainNote]  # noqa: UP007
Value = Union[str, tuple[str, ...], Payload, None]  # noqa: UP007

_STR = (str, type(None))
_IDS = (tuple,)
# Which value each kind carries on its (intended, observed) side; None is always allowed.
VALUE_TYPES: dict[str, tuple[tuple[type, ...], tuple[type, ...]]] = {
    "stage.missing": ((str,), ()),
    "stage.unplanned": ((), (str,)),
    "stage.order": (_IDS, _IDS),
    "step.missing": ((str,), ()),
    "step.unplanned": ((), (str,)),
    "step.renamed": ((StepName,), (RenamedStep,)),
    **dict.fromkeys(
        (
            "step.label",
            "step.lane",
            "step.stage",
            "step.actor",
            "step.org",
            "step.channel",
            "step.evidence",
            "step.duration",
            "step.outcome",
        ),
        (_STR, _STR),
    ),
    "step.order": (_IDS, _IDS),
    "step.systems": (_IDS, _IDS),
    "step.data": (_IDS, _IDS),
    "flow.missing": ((FlowValue,), ()),
    "flow.unplanned": ((), (FlowValue,)),
    "handoff.broken": ((HandoffValue,), ()),
    "handoff.new": ((FlowValue,), (HandoffValue,)),
    "handoff.owner": (_STR, _STR),
    "actor.missing": (_IDS, ()),
    "actor.unplanned": ((), _IDS),
    "system.missing": (_IDS, ()),
    "system.unplanned": ((), _IDS),
    "data.unplanned": ((), _IDS),
    "outcome.unserved": (_IDS, _IDS),
    "pain.added": ((), (PainNote,)),
    "pain.resolved": ((PainNote,), ()),
    "workaround.added": ((), (str,)),
    "workaround.resolved": ((str,), ()),
    "unknown.added": ((), (str,)),
    "unknown.resolved": ((str,), ()),
    # measured from an event log by `conform` (evidence/conform.py): case counts and durations as text
    "step.skipped": ((str,), (str,)),
    "step.out_of_order": ((str,), (str,)),
    "step.slow": ((str,), (str,)),
    "handoff.slow": ((str,), (str,)),
}


def value_json(value: Value) -> JsonValue:
    """A change's old or new value as it appears in the JSON output."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, tuple):
        return list(value)
    return value.to_json()


class Location(TypedDict):
    version: str  # "intended" | "observed"
    path: str
    line: int
    column: int
    end_line: int
    end_column: int


class _ChangeJson(TypedDict):
    kind: str
    id: str
    severity: str
    message: str
    intended: JsonValue
    observed: JsonValue
    locations: list[Location]
    stage: str | None
    lane: str | None
    org: str | None
    observed_id: str | None
    step: str | None


class ChangeJson(_ChangeJson, total=False):
    """One change in the JSON output of `blueprint diff` (schemas/diff.schema.json)."""

    baseline: str  # new | accepted: written by `diff` when a baseline is used
    after: list[str]  # step.missing / step.unplanned: the matched steps it leaves from (intended ids)
    before: list[str]  # ... and the matched steps it returns to


ATTACHED_KINDS = frozenset({"step.missing", "step.unplanned"})  # changes that say where they attach


@dataclass(frozen=True, slots=True)
class Change:
    """One drift between the intended and the observed blueprint."""

    kind: str  # stable name from compare.kinds.KINDS, e.g. "step.missing"
    severity: str  # "error" | "warning" | "note"
    id: str  # element identity: intended id when matched, observed id when unplanned; "a->b" for flows
    message: str  # one plain sentence for people
    intended: Value = None  # old value (see VALUE_TYPES) or None
    observed: Value = None  # new value or None
    intended_span: Span | None = None
    observed_span: Span | None = None
    stage: str | None = None  # stage to group under: intended stage when it exists there, else observed
    lane: str | None = None
    org: str | None = None
    observed_id: str | None = None  # when the observed id differs (renames)
    step: str | None = None  # the step the change is about (intended id if matched), else None
    # step.missing / step.unplanned: the matched steps (intended ids) it comes after and leads to,
    # following flows through other missing / unplanned steps.
    after: tuple[str, ...] = ()
    before: tuple[str, ...] = ()

    @property
    def spans(self) -> list[Span]:
        return [s for s in (self.intended_span, self.observed_span) if s is not None]

    def to_json(self) -> ChangeJson:
        locations: list[Location] = []
        for role, span in (("intended", self.intended_span), ("observed", self.observed_span)):
            if span is not None:
                locations.append(
                    Location(
                        version=role,
                        path=span.path,
                        line=span.line,
                        column=span.column,
                        end_line=span.end_line,
                        end_column=span.end_column,
                    )
                )
        out = ChangeJson(
            kind=self.kind,
            id=self.id,
            severity=self.severity,
            message=self.message,
            intended=value_json(self.intended),
            observed=value_json(self.observed),
            locations=locations,
            stage=self.stage,
            lane=self.lane,
            org=self.org,
            observed_id=self.observed_id,
            step=self.step,
        )
        if self.kind in ATTACHED_KINDS:
            out["after"], out["before"] = list(self.after), list(self.before)
        return out


def _share(part: int, whole: int) -> float:
    return 1.0 if whole == 0 else part / whole


class ScoresJson(TypedDict):
    intended_steps: int
    delivered_steps: int
    delivered_share: float
    observed_steps: int
    planned_steps: int
    planned_share: float
    intended_handoffs: int
    intact_handoffs: int
    handoffs_intact_share: float
    unowned_intended: int
    unowned_observed: int
    assumed_share_intended: float
    assumed_share_observed: float


@dataclass(frozen=True)
class Scores:
    """How far the observed service delivers the intended one."""

    intended_steps: int
    delivered_steps: int  # matched intended steps
    observed_steps: int
    planned_steps: int  # matched observed steps
    intended_handoffs: int
    intact_handoffs: int  # intended handoffs whose flow still happens
    unowned_intended: int  # unowned joins in each version
    unowned_observed: int
    assumed_share_intended: float  # 0..1, steps resting on assumption
    assumed_share_observed: float

    @property
    def delivered_share(self) -> float:
        return _share(self.delivered_steps, self.intended_steps)

    @property
    def planned_share(self) -> float:
        return _share(self.planned_steps, self.observed_steps)

    @property
    def handoffs_intact_share(self) -> float:
        return _share(self.intact_handoffs, self.intended_handoffs)

    def to_json(self) -> ScoresJson:
        return ScoresJson(
            intended_steps=self.intended_steps,
            delivered_steps=self.delivered_steps,
            delivered_share=round(self.delivered_share, 4),
            observed_steps=self.observed_steps,
            planned_steps=self.planned_steps,
            planned_share=round(self.planned_share, 4),
            intended_handoffs=self.intended_handoffs,
            intact_handoffs=self.intact_handoffs,
            handoffs_intact_share=round(self.handoffs_intact_share, 4),
            unowned_intended=self.unowned_intended,
            unowned_observed=self.unowned_observed,
            assumed_share_intended=round(self.assumed_share_intended, 4),
            assumed_share_observed=round(self.assumed_share_observed, 4),
        )


@dataclass(frozen=True)
class Comparison:
    """The result of `compare(intended, observed)`: everything the report and the formats need."""

    intended: Blueprint
    observed: Blueprint
    changes: tuple[Change, ...]  # by stage order, then kind (table order), then id
    step_matches: dict[str, StepMatch]  # intended step id -> its match, in intended order
    stage_matches: dict[str, str]  # intended stage id -> observed stage id, in intended order
    scores: Scores

    @cached_property
    def matches(self) -> dict[str, str]:
        """Intended step id -> observed step id, in intended order."""
        return {i: m.observed for i, m in self.step_matches.items()}

    @cached_property
    def similarity(self) -> dict[str, float]:
        """Intended step id -> label similarity, for the matches not made by id."""
        return {i: m.similarity for i, m in self.step_matches.items() if m.similarity is not None}

    def counts(self) -> dict[str, int]:
        return count_severities(change.severity for change in self.changes)
