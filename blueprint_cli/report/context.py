"""The typed context the report templates are rendered from, and the pieces both reports share."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Literal, Protocol, TypedDict, cast

from blueprint_cli.language.model import Blueprint
from blueprint_cli.vocab import LANES, SEVERITY_ORDER, Evidence, Lane, count_severities, rank

SEVERITY_WORDS = {severity: severity.capitalize() for severity in SEVERITY_ORDER}  # "Error", "Warning", "Note"
SEVERITY_CAPTIONS = {  # after the count: (one, several); drift between a plan and reality
    "error": ("place where people are let down", "places where people are let down"),
    "warning": ("risk to look at", "risks to look at"),
    "note": ("thing worth knowing", "things worth knowing"),
}
CHECK_CAPTIONS = {  # the same for the checks of one blueprint: problems in the blueprint, not in the service
    "error": ("problem to fix", "problems to fix"),
    "warning": ("gap to look at", "gaps to look at"),
    "note": ("thing worth knowing", "things worth knowing"),
}

# How each family of change is drawn and named: symbol, word, what it means.
FAMILIES = {
    "missing": ("−", "Missing", "Intended but not done: ghosted and struck through"),
    "unplanned": ("+", "Unplanned", "Done but never designed: highlighted"),
    "changed": ("Δ", "Changed", "Done differently from the design"),
    "moved": ("⇄", "Moved", "Done at another stage or in another lane"),
    "broken": ("✕", "Broken", "An intended flow or handoff that no longer happens"),
    "new": ("↗", "New", "A flow or handoff nobody designed"),
    "unowned": ("?", "Unowned", "A join between organisations that nobody owns"),
    "evidence": ("◐", "Evidence", "Resting on assumption, or an unknown"),
    "pain": ("!", "Pain point", "Where people struggle, or work around the service"),
    "check": ("•", "Check", "A rule of good blueprint practice that is not met"),
}
COMPARE_LEGEND = ("missing", "unplanned", "changed", "moved", "broken", "new", "unowned", "evidence", "pain")
SINGLE_LEGEND = ("check", "unowned", "evidence", "pain")


class VariantInfo(TypedDict):
    label: str  # "Intended (to-be)"
    title: str
    description: str | None
    path: str
    steps: int
    stages: int
    orgs: int


class ScoreCard(TypedDict):
    key: str
    value: str  # "82%"
    caption: str  # "31 of 38 intended steps delivered"
    share: float | None  # 0..1: the bar, the very share the value says; None: a count, no bar
    tone: str  # good | fair | poor | neutral


class Count(TypedDict):
    key: str
    label: str
    symbol: str
    family: str
    severity: str
    count: int
    why: str


class Option(TypedDict):
    value: str
    label: str
    count: int


class FindingView(TypedDict):
    anchor: str  # the element id: change-<kind>-<id>
    kind: str
    kind_title: str
    family: str
    symbol: str
    severity: str
    severity_word: str
    message: str
    subject: str  # what it is about, e.g. a step label
    before: str | None  # old value, as text
    after: str | None  # new value, as text
    values_label: str  # what the values are, when the kind does not say it ("Steps that use it"), else ""
    why: str
    hint: str | None
    where: str  # "hospital-discharge.observed.blueprint:42"
    target: str  # element id in the diagram, or ""
    stage: str
    lane: str
    lane_title: str
    org: str
    org_label: str


class FindingGroup(TypedDict):
    stage: str
    label: str
    anchor: str
    findings: list[FindingView]
    severities: list[Count]


class StepRow(TypedDict):
    label: str
    status: str  # "" when nothing changed
    target: str


class LaneRow(TypedDict):
    lane: str
    title: str
    steps: list[StepRow]


class StageTable(TypedDict):
    stage: str
    label: str
    lanes: list[LaneRow]


class HandoffRow(TypedDict):
    source: str
    target: str
    from_org: str
    to_org: str
    intended_owner: str
    observed_owner: str
    state: str  # intact | broken | new | owner changed | unowned
    state_class: str
    target_id: str


class EvidenceLevel(TypedDict):
    level: str  # assumed | reported | observed | measured
    count: int
    share: float


class EvidenceRow(TypedDict):
    stage: str
    label: str
    steps: int
    assumed: int
    share: float
    levels: list[EvidenceLevel]


class NoteRow(TypedDict):
    kind: str
    step: str
    stage: str
    text: str
    severity: str
    variant: str
    target: str


class Filters(TypedDict):
    severities: list[Option]
    kinds: list[Option]
    lanes: list[Option]
    orgs: list[Option]


class Labelled(Protocol):
    """Anything a blueprint declares with a label: a step, stage, actor, system, outcome or organisation."""

    @property
    def label(self) -> str: ...


LabelTable = Literal["steps", "stages", "actors", "systems", "outcomes", "orgs", "data"]


def labelled(blueprint: Blueprint, table: LabelTable) -> Mapping[str, Labelled]:
    """One of a blueprint's tables of labelled elements, by name (every one maps ids to elements with a label)."""
    return cast("Mapping[str, Labelled]", getattr(blueprint, table))


def anchor_for(kind: str, element_id: str) -> str:
    """The stable element id of a finding: `change-<kind>-<id>`, only [a-z0-9_-]."""
    raw = f"change-{kind}-{element_id}".lower()
    return re.sub(r"[^a-z0-9_-]", "-", raw)


def unique_anchors(anchors: list[str]) -> list[str]:
    """Make repeated anchors unique by numbering the later ones (order is deterministic)."""
    seen: dict[str, int] = {}
    result = []
    for anchor in anchors:
        seen[anchor] = seen.get(anchor, 0) + 1
        result.append(anchor if seen[anchor] == 1 else f"{anchor}-{seen[anchor]}")
    return result


def family_of(kind: str, *, symbol: str = "~") -> str:
    """Which family of change a kind belongs to (how it is drawn, its legend symbol and colour).

    `symbol` is the kind's one-character text symbol from the kinds table:
    `-` missing, `+` new, `~` changed, `>` renamed, `^` moved.
    """
    subject, _, what = kind.partition(".")
    if subject in ("pain", "workaround"):
        return "pain" if symbol == "+" else "changed"
    if subject == "unknown" or what == "evidence":
        return "evidence"
    if kind == "handoff.owner" or "unowned" in what:
        return "unowned"
    if symbol == "-":
        return "broken" if subject in ("flow", "handoff") else "missing"
    if symbol == "+":
        return "new" if subject in ("flow", "handoff") else "unplanned"
    if symbol == "^":
        return "moved"
    return "changed"


def as_text(value: object) -> str | None:
    """An old or new value for people: lists joined, mappings as `key: value`, None as None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(as_text(v)) for v in value) if value else "none"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {as_text(v)}" for k, v in value.items())
    return str(value)


def variant_info(blueprint: Blueprint, *, label: str) -> VariantInfo:
    return VariantInfo(
        label=label,
        title=blueprint.title,
        description=blueprint.description,
        path=blueprint.path,
        steps=len(blueprint.steps),
        stages=len(blueprint.stages),
        orgs=len(blueprint.orgs),
    )


def tone(share: float, *, good: float = 0.9, fair: float = 0.7) -> str:
    return "good" if share >= good else "fair" if share >= fair else "poor"


def group_findings(findings: list[FindingView], *, stages: dict[str, str]) -> list[FindingGroup]:
    """Findings under their stage, stages in journey order, the rest under 'Whole service'."""
    by_stage: dict[str, list[FindingView]] = {}
    for finding in findings:
        key = finding["stage"] if finding["stage"] in stages else ""
        by_stage.setdefault(key, []).append(finding)
    groups = []
    for stage_id in ["", *stages]:
        members = by_stage.get(stage_id)
        if not members:
            continue
        members.sort(
            key=lambda f: -rank(f["severity"])
        )  # most severe first; stable: keeps the engine's order within a severity
        groups.append(
            FindingGroup(
                stage=stage_id,
                label=stages.get(stage_id, "Whole service"),
                anchor=f"stage-findings-{stage_id}" if stage_id else "stage-findings-whole-service",
                findings=members,
                severities=severity_counts(members),
            )
        )
    return groups


def severity_counts(
    findings: list[FindingView], *, captions: dict[str, tuple[str, str]] = SEVERITY_CAPTIONS
) -> list[Count]:
    """Findings per severity; `why` is the words that follow the count (`1 risk to look at`, `2 risks ...`)."""
    counts = count_severities(f["severity"] for f in findings)
    return [
        Count(
            key=s,
            label=SEVERITY_WORDS[s],
            symbol="",
            family="",
            severity=s,
            count=counts[s],
            why=captions[s][counts[s] != 1],
        )
        for s in SEVERITY_ORDER
    ]


_FilterKey = Literal["severity", "kind", "lane", "org"]
_FilterLabel = Literal["severity_word", "kind_title", "lane_title", "org_label"]
# The element id a step is drawn with in the diagram ("" when it is not drawn).
TargetOf = Callable[[str], str]


def filters_for(findings: list[FindingView]) -> Filters:
    def options(key: _FilterKey, label_key: _FilterLabel, order: list[str] | None = None) -> list[Option]:
        counts: dict[str, int] = {}
        labels: dict[str, str] = {}
        for finding in findings:
            if finding[key]:
                counts[finding[key]] = counts.get(finding[key], 0) + 1
                labels[finding[key]] = finding[label_key]
        keys = [k for k in order if k in counts] if order else sorted(counts, key=lambda k: labels[k].lower())
        return [Option(value=k, label=labels[k], count=counts[k]) for k in keys]

    return Filters(
        severities=options("severity", "severity_word", list(SEVERITY_ORDER)),
        kinds=options("kind", "kind_title"),
        lanes=options("lane", "lane_title", [lane.value for lane in LANES]),
        orgs=options("org", "org_label"),
    )


def steps_table(blueprint: Blueprint, *, status: Mapping[str, str], target_of: TargetOf) -> list[StageTable]:
    """The diagram as a table (its text alternative): steps by stage and lane, with their status."""
    tables = []
    for stage in blueprint.stages.values():
        lanes = []
        for lane in LANES:
            rows = [
                StepRow(label=blueprint.steps[sid].label, status=status.get(sid, ""), target=target_of(sid))
                for sid in stage.steps
                if blueprint.steps[sid].lane is lane
            ]
            if rows:
                lanes.append(LaneRow(lane=lane.value, title=lane.heading, steps=rows))
        tables.append(StageTable(stage=stage.id, label=stage.label, lanes=lanes))
    return tables


def evidence_rows(blueprint: Blueprint) -> list[EvidenceRow]:
    """Per stage: how many steps rest on assumption (no evidence stated, or `assumed`)."""
    rows = []
    for stage in blueprint.stages.values():
        steps = [blueprint.steps[sid] for sid in stage.steps if sid in blueprint.steps]
        assumed = sum(1 for step in steps if step.assumed)
        levels = []
        for level in Evidence:
            count = assumed if level is Evidence.ASSUMED else sum(1 for step in steps if step.evidence is level)
            levels.append(EvidenceLevel(level=level.value, count=count, share=count / len(steps) if steps else 0.0))
        rows.append(
            EvidenceRow(
                stage=stage.id,
                label=stage.label,
                steps=len(steps),
                assumed=assumed,
                share=assumed / len(steps) if steps else 0.0,
                levels=levels,
            )
        )
    return rows


def assumed_share(blueprint: Blueprint) -> float:
    steps = list(blueprint.steps.values())
    return sum(1 for s in steps if s.assumed) / len(steps) if steps else 0.0


def note_rows(blueprint: Blueprint, *, kinds: tuple[str, ...], variant: str, target_of: TargetOf) -> list[NoteRow]:
    """Annotations of the given kinds, in journey order of their steps."""
    order = {sid: i for i, sid in enumerate(blueprint.steps)}
    rows = []
    for annotation in sorted(
        (a for a in blueprint.annotations if a.kind in kinds), key=lambda a: order.get(a.step, len(order))
    ):
        step = blueprint.steps.get(annotation.step)
        stage = blueprint.stages.get(step.stage) if step else None
        rows.append(
            NoteRow(
                kind=annotation.kind,
                step=step.label if step else annotation.step,
                stage=stage.label if stage else "",
                text=annotation.text,
                severity=annotation.severity or "",
                variant=variant,
                target=target_of(annotation.step),
            )
        )
    return rows


def lane_title(value: str | None) -> str:
    if not value:
        return ""
    try:
        return Lane(value).heading
    except ValueError:
        return value
