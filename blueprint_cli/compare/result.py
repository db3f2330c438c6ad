"""What a comparison produces: `Change`, `Scores` and `Comparison` (the shared data contract)."""

from __future__ import annotations

from dataclasses import dataclass

from blueprint_cli.language.model import Blueprint
from blueprint_cli.language.source import Span
from blueprint_cli.vocab import count_severities


@dataclass(frozen=True, slots=True)
class Change:
    """One drift between the intended and the observed blueprint."""

    kind: str  # stable name from compare.kinds.KINDS, e.g. "step.missing"
    severity: str  # "error" | "warning" | "note"
    id: str  # element identity: intended id when matched, observed id when unplanned; "a->b" for flows
    message: str  # one plain sentence for people
    intended: object = None  # old value (JSON-serialisable) or None
    observed: object = None  # new value or None
    intended_span: Span | None = None
    observed_span: Span | None = None
    stage: str | None = None  # stage to group under: intended stage when it exists there, else observed
    lane: str | None = None
    org: str | None = None
    observed_id: str | None = None  # when the observed id differs (renames)
    step: str | None = None  # the step the change is about (intended id if matched), else None

    @property
    def spans(self) -> list[Span]:
        return [s for s in (self.intended_span, self.observed_span) if s is not None]

    def to_json(self) -> dict:
        locations = []
        for role, span in (("intended", self.intended_span), ("observed", self.observed_span)):
            if span is not None:
                locations.append({"version": role, **span.to_json()})
        return {
            "kind": self.kind,
            "id": self.id,
            "severity": self.severity,
            "message": self.message,
            "intended": self.intended,
            "observed": self.observed,
            "locations": locations,
            "stage": self.stage,
            "lane": self.lane,
            "org": self.org,
            "observed_id": self.observed_id,
            "step": self.step,
        }


def _share(part: int, whole: int) -> float:
    return 1.0 if whole == 0 else part / whole


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

    def to_json(self) -> dict:
        return {
            "intended_steps": self.intended_steps,
            "delivered_steps": self.delivered_steps,
            "delivered_share": round(self.delivered_share, 4),
            "observed_steps": self.observed_steps,
            "planned_steps": self.planned_steps,
            "planned_share": round(self.planned_share, 4),
            "intended_handoffs": self.intended_handoffs,
            "intact_handoffs": self.intact_handoffs,
            "handoffs_intact_share": round(self.handoffs_intact_share, 4),
            "unowned_intended": self.unowned_intended,
            "unowned_observed": self.unowned_observed,
            "assumed_share_intended": round(self.assumed_share_intended, 4),
            "assumed_share_observed": round(self.assumed_share_observed, 4),
        }


@dataclass(frozen=True)
class Comparison:
    """The result of `compare(intended, observed)`."""

    intended: Blueprint
    observed: Blueprint
    changes: tuple[Change, ...]  # by stage order, then kind (table order), then id
    matches: dict[str, str]  # intended step id -> observed step id
    similarity: dict[str, float]  # intended id -> label similarity, for matches not made by id
    scores: Scores

    def counts(self) -> dict[str, int]:
        return count_severities(change.severity for change in self.changes)
