"""What each step box says (org, markers, wrapped label, actor, systems, channel) and how tall it is."""

from __future__ import annotations

from dataclasses import dataclass

from blueprint_cli.language.model import Annotation, Blueprint, Lane, Step, Variant
from blueprint_cli.render.metrics import text_width, wrap
from blueprint_cli.render.style import MARKER_LETTERS, STEP_STATUS_TAGS, TARGET_TOLERANCE, VERDICT_WORDS

BOX_WIDTH = 188.0
PAD_X = 10.0
PAD_Y = 8.0
INNER_WIDTH = BOX_WIDTH - 2 * PAD_X
LABEL_FONT = 11.0
SMALL_FONT = 8.5
MARKER_FONT = 8.0
LINE = 1.22  # line height as a multiple of the font size
BLOCK_GAP = 4.0
OUTCOME_MARK = "◎"  # before the outcome a step serves, in its box and in the legend


@dataclass(frozen=True, slots=True)
class Marker:
    """An annotation's chip on a step box."""

    code: str  # "P1", "W2", ...
    annotation: Annotation

    @property
    def text(self) -> str:
        """What the chip says: the code, with "!" for a high-severity pain point."""
        return chip_text(self.code, kind=self.annotation.kind, severity=self.annotation.severity)


def chip_text(code: str, *, kind: str, severity: str | None) -> str:
    return code + "!" if kind == "pain" and severity == "high" else code


@dataclass(frozen=True, slots=True)
class StepContent:
    """What a step box shows, wrapped, and its height."""

    org_lines: tuple[str, ...]
    markers: tuple[Marker, ...]
    status_tag: str | None
    label_lines: tuple[str, ...]
    detail_lines: tuple[str, ...]
    height: float
    verdict: str | None = None  # "met" | "near" | "missed": the measured duration against `target=`
    verdict_lines: tuple[str, ...] = ()


def verdict(step: Step) -> str | None:
    """How a measured duration compares with the plan's target; None unless both are stated."""
    measured, target = step.duration_minutes, step.target_minutes
    if step.cases is None or measured is None or target is None:
        return None
    if measured <= target:
        return "met"
    return "near" if measured <= target * (1 + TARGET_TOLERANCE) else "missed"


def markers(blueprint: Blueprint) -> dict[str, tuple[Marker, ...]]:
    """Numbered markers per step, numbered per kind in source order (P1, P2, W1, U1, N1 ...)."""
    counters: dict[str, int] = {}
    result: dict[str, list[Marker]] = {}
    for annotation in blueprint.annotations:
        counters[annotation.kind] = counters.get(annotation.kind, 0) + 1
        code = f"{MARKER_LETTERS.get(annotation.kind, '?')}{counters[annotation.kind]}"
        result.setdefault(annotation.step, []).append(Marker(code, annotation))
    return {step: tuple(found) for step, found in result.items()}


def org_name(blueprint: Blueprint, step: Step) -> str:
    if step.org is not None:
        return blueprint.org_label(step.org)
    actor = blueprint.actors.get(step.actor) if step.actor else None
    if actor is not None and actor.customer:
        return "Customer"
    if step.lane is Lane.EVIDENCE:
        return "Seen by the customer"
    return "No organisation"


def variant_text(blueprint: Blueprint) -> str:
    if blueprint.variant is Variant.OBSERVED:
        return "Observed service (as-is)"
    return "Intended service (to-be)"


def marker_width(marker: Marker) -> float:
    return chip_width(marker.text)


def chip_width(text: str, *, size: float = MARKER_FONT) -> float:
    return round(text_width(text, size=size, bold=True) + 7)


def markers_width(found: tuple[Marker, ...]) -> float:
    return sum(marker_width(m) + 2 for m in found) + 2 if found else 0


def step_content(
    blueprint: Blueprint, step: Step, *, markers: tuple[Marker, ...] = (), status: str | None = None
) -> StepContent:
    org_room = max(INNER_WIDTH - markers_width(markers) - 4, 60)
    org_lines = wrap(org_name(blueprint, step), width=org_room, size=SMALL_FONT, bold=True)
    label_lines = wrap(step.label, width=INNER_WIDTH, size=LABEL_FONT)
    details: list[str] = []
    if step.actor:
        actor = blueprint.actors.get(step.actor)
        details += wrap("by " + (actor.label if actor else step.actor), width=INNER_WIDTH, size=SMALL_FONT)
    if step.systems:
        names = [blueprint.systems[s].label if s in blueprint.systems else s for s in step.systems]
        details += wrap("uses " + ", ".join(names), width=INNER_WIDTH, size=SMALL_FONT)
    if step.data:
        items = [blueprint.data[d].label if d in blueprint.data else d for d in step.data]
        details += wrap("collects " + ", ".join(items), width=INNER_WIDTH, size=SMALL_FONT)
    extras = []
    if step.channel:
        extras.append(f"channel: {step.channel}")
    from_log = step.cases is not None  # written by `observe`: its duration is a median
    if step.duration:
        extras.append(f"median {step.duration}" if from_log else f"takes {step.duration}")
    if step.cases is not None:
        extras.append(f"{step.cases:,} cases")
    if extras:
        details += wrap(" · ".join(extras), width=INNER_WIDTH, size=SMALL_FONT)
    if step.outcome:
        outcome = blueprint.outcomes.get(step.outcome)
        details += wrap(
            f"{OUTCOME_MARK} serves: {outcome.label if outcome else step.outcome}", width=INNER_WIDTH, size=SMALL_FONT
        )
    tag = STEP_STATUS_TAGS.get(status) if status else None
    judged = verdict(step)
    verdict_lines = (
        tuple(wrap(f"{VERDICT_WORDS[judged]} target {step.target}", width=INNER_WIDTH, size=SMALL_FONT, bold=True))
        if judged
        else ()
    )
    height = 2 * PAD_Y
    height += max(len(org_lines) * SMALL_FONT * LINE, MARKER_FONT * LINE + 4 if markers else 0)
    height += BLOCK_GAP + len(label_lines) * LABEL_FONT * LINE
    if details:
        height += BLOCK_GAP + len(details) * SMALL_FONT * LINE
    if tag:
        height += SMALL_FONT * LINE + 2
    if verdict_lines:
        height += len(verdict_lines) * SMALL_FONT * LINE + 2
    return StepContent(
        tuple(org_lines),
        markers,
        tag,
        tuple(label_lines),
        tuple(details),
        round(height + 2, 1),
        verdict=judged,
        verdict_lines=verdict_lines,
    )
