"""The context of the intended-vs-observed report, built from a `Comparison`."""

from __future__ import annotations

from blueprint_cli.compare.kinds import KINDS
from blueprint_cli.compare.result import (
    Change,
    Comparison,
    FlowValue,
    PainNote,
    RenamedStep,
    StepName,
    Value,
)
from blueprint_cli.language.model import Blueprint, Handoff
from blueprint_cli.report import context as C
from blueprint_cli.report.overlay import FlowKey, Overlay, build_overlay, flow_dom_id
from blueprint_cli.vocab import Lane, StepStatus
from blueprint_cli.words import plural


def _overlay_stage(comparison: Comparison, change: Change) -> str:
    """The overlay's id of a change's stage: a stage matched by label goes by its observed id,
    so its findings sit where the stage is in the journey, not after the stages that follow it."""
    if not change.stage or change.kind == "stage.unplanned":  # an unplanned stage has its observed id
        return change.stage or ""
    return comparison.stage_matches.get(change.stage, change.stage)


def finding_views(comparison: Comparison, overlay: Overlay) -> list[C.FindingView]:
    """One view per change, in the engine's order, each with a unique stable anchor."""
    intended, observed = comparison.intended, comparison.observed
    merged = overlay.blueprint
    anchors = C.unique_anchors([C.anchor_for(change.kind, change.id) for change in comparison.changes])
    names = Names(intended, observed)
    views = []
    for change, anchor in zip(comparison.changes, anchors, strict=False):
        kind = KINDS.get(change.kind)
        symbol = kind.symbol if kind else "~"
        family = C.family_of(change.kind, symbol=symbol)
        says_it_all = change.kind.split(".")[0] in ("pain", "workaround", "unknown")  # the message quotes the text
        views.append(
            C.FindingView(
                anchor=anchor,
                kind=change.kind,
                kind_title=kind.title if kind else change.kind,
                family=family,
                symbol=C.FAMILIES[family][0],
                severity=change.severity,
                severity_word=C.SEVERITY_WORDS.get(change.severity, change.severity),
                message=change.message,
                subject=_subject(change, intended, observed),
                before=None if says_it_all else value_text(change.intended, kind=change.kind, names=names),
                after=None if says_it_all else value_text(change.observed, kind=change.kind, names=names),
                values_label=VALUES_LABELS.get(change.kind, ""),
                why=kind.why if kind else "",
                hint=None,
                where=_where(change),
                target=target_of_change(change, overlay),
                stage=_overlay_stage(comparison, change),
                lane=change.lane or "",
                lane_title=C.lane_title(change.lane),
                org=change.org or "",
                org_label=merged.org_label(change.org) if change.org else "",
            )
        )
    return views


class Names:
    """Labels for the ids a change carries, looked up in both versions (observed wording first)."""

    def __init__(self, intended: Blueprint, observed: Blueprint):
        self.tables: dict[str, dict[str, str]] = {}
        for table in ("steps", "actors", "systems", "stages", "outcomes", "orgs", "data"):
            self.tables[table] = {
                **{k: v.label for k, v in C.labelled(intended, table).items()},
                **{k: v.label for k, v in C.labelled(observed, table).items()},
            }
        self.tables["lanes"] = {lane.value: lane.heading for lane in Lane}

    def label(self, value: object, *tables: str) -> str:
        for table in tables:
            if isinstance(value, str) and value in self.tables[table]:
                return self.tables[table][value]
        return "none" if value is None else str(value)


# Which table the plain values of a change kind name things in.
_VALUE_TABLES = {
    "step.actor": ("actors",),
    "step.systems": ("systems",),
    "step.data": ("data",),
    "step.stage": ("stages",),
    "step.outcome": ("outcomes",),
    "step.lane": ("lanes",),
    "step.order": ("steps",),
    "handoff.owner": ("actors", "orgs"),
    "actor.missing": ("steps",),
    "actor.unplanned": ("steps",),
    "system.missing": ("steps",),
    "system.unplanned": ("steps",),
    "data.unplanned": ("steps",),
    "outcome.unserved": ("steps",),
}


# What the old and new values of a kind are, when the kind's title does not say it.
VALUES_LABELS = {
    "actor.missing": "Steps they do",
    "actor.unplanned": "Steps they do",
    "system.missing": "Steps that use it",
    "system.unplanned": "Steps that use it",
    "outcome.unserved": "Steps that serve it",
    "step.order": "Order in the stage",
}
_CHANNEL_WORDS = {"in-person": "in person"}


def value_text(value: Value, *, kind: str, names: Names) -> str | None:
    """An old or new value as people read it: labels instead of ids, flows as `a → b`, durations in words."""
    if value is None:
        return "nobody" if kind == "handoff.owner" else None
    if isinstance(value, str):
        return _word_text(value, kind=kind, names=names)
    if isinstance(value, tuple):
        if not value:
            return None if kind in VALUES_LABELS else "none"  # the page shows an empty side as "none", unstruck
        joiner = " › " if kind == "step.order" else ", "  # "→" is the before-after arrow
        return joiner.join(names.label(v, *_VALUE_TABLES.get(kind, ())) for v in value)
    if isinstance(value, (StepName, RenamedStep)):
        return value.label
    if isinstance(value, PainNote):
        return value.text + (f" ({value.severity})" if value.severity else "")
    if isinstance(value, FlowValue):
        text = f"{names.label(value.source, 'steps')} → {names.label(value.target, 'steps')}"
        return text + _flow_extras(value.label, value.owner, names=names, nobody="")
    text = f"{names.label(value.from_org, 'orgs')} → {names.label(value.to_org, 'orgs')}"
    return text + _flow_extras(value.label, value.owner, names=names, nobody=", owned by nobody")


def _word_text(value: str, *, kind: str, names: Names) -> str | None:
    """A plain value: a duration in words, a channel as said, an id as its label."""
    from blueprint_cli.compare.wording import duration_words

    if kind == "step.duration":
        return duration_words(value)
    if kind == "step.channel":
        return _CHANNEL_WORDS.get(value, value)
    tables = _VALUE_TABLES.get(kind, ())
    return names.label(value, *tables) if tables else C.as_text(value)


def _flow_extras(label: str | None, owner: str | None, *, names: Names, nobody: str) -> str:
    """`: “label”, owned by X` after a flow or a handoff; `nobody` when it has no owner."""
    text = f": “{label}”" if label else ""
    if owner:
        return text + f", owned by {names.label(owner, 'actors', 'orgs')}"
    return text + nobody


def target_of_change(change: Change, overlay: Overlay) -> str:
    """The element of the overlay diagram a change is about: a step, a flow or a stage; or ""."""
    merged = overlay.blueprint
    if change.kind == "step.unplanned":
        found = overlay.step_dom_id(observed=change.observed_id or change.step or change.id)
        if found:
            return found
    if change.step is not None or change.kind.startswith("step."):
        found = overlay.step_dom_id(intended=change.step or change.id, observed=change.observed_id or change.id)
        if found:
            return found
    if "->" in change.id:
        source, _, target = change.id.partition("->")
        ends = [_overlay_step(end, overlay) for end in (source, target)]
        if ends[0] and ends[1] and any(f.key == (ends[0], ends[1]) for f in merged.flows):
            return flow_dom_id(ends[0], ends[1])
        if ends[0]:
            return f"step-{ends[0]}"
    step_part = change.id.split("#", 1)[0]
    if "#" in change.id or change.kind.split(".")[0] in ("pain", "workaround", "unknown"):
        found = overlay.step_dom_id(intended=step_part, observed=step_part)
        if found:
            return found
    if change.kind.startswith("stage.") and change.id in merged.stages:
        return f"stage-{change.id}"
    return ""


def _overlay_step(step_id: str, overlay: Overlay) -> str | None:
    if step_id in overlay.intended_ids:
        return overlay.intended_ids[step_id]
    return overlay.observed_ids.get(step_id)


def _subject(change: Change, intended: Blueprint, observed: Blueprint) -> str:
    if "->" in change.id:
        labels = []
        for end in change.id.split("->", 1):
            found = intended.steps.get(end) or observed.steps.get(end)
            labels.append(found.label if found else end)
        return " → ".join(labels)
    step_id = change.step or change.id.split("#", 1)[0]
    step = intended.steps.get(step_id) or observed.steps.get(change.observed_id or step_id)
    if step is not None:
        return step.label
    for table in ("stages", "actors", "systems", "outcomes"):
        element = C.labelled(intended, table).get(change.id) or C.labelled(observed, table).get(change.id)
        if element is not None:
            return element.label
    return ""


def _where(change: Change) -> str:
    span = change.observed_span or change.intended_span
    if span is None or not span.path or span.line <= 0:
        return ""
    return f"{span.path}:{span.line}"


def handoff_rows(comparison: Comparison, overlay: Overlay) -> list[C.HandoffRow]:
    """Every join between organisations in either version, intended first, then new ones."""
    intended, observed = comparison.intended, comparison.observed
    merged = overlay.blueprint
    observed_by_key: dict[FlowKey, Handoff] = {}
    for handoff in observed.handoffs:
        key = (overlay.observed_ids[handoff.source], overlay.observed_ids[handoff.target])
        observed_by_key.setdefault(key, handoff)
    rows = []
    seen: set[FlowKey] = set()
    for handoff in intended.handoffs:
        key = (handoff.source, handoff.target)
        seen.add(key)
        now = observed_by_key.get(key)
        if now is None:
            state = "broken"
        elif now.owner is None:
            state = "unowned"
        elif handoff.owner != now.owner:
            state = "owner changed"
        else:
            state = "intact"
        rows.append(_row(handoff, now, key=key, state=state, intended=intended, observed=observed, merged=merged))
    for key, handoff in observed_by_key.items():
        if key in seen:
            continue
        rows.append(
            _row(
                None,
                handoff,
                key=key,
                state="new" if handoff.owner else "unowned",
                intended=intended,
                observed=observed,
                merged=merged,
            )
        )
    return rows


def _row(
    before: Handoff | None,
    after: Handoff | None,
    *,
    key: FlowKey,
    state: str,
    intended: Blueprint,
    observed: Blueprint,
    merged: Blueprint,
) -> C.HandoffRow:
    either = before or after
    assert either is not None, "a handoff row has at least one side"
    source, target = merged.steps[key[0]], merged.steps[key[1]]
    return C.HandoffRow(
        source=source.label,
        target=target.label,
        from_org=merged.org_label(either.from_org),
        to_org=merged.org_label(either.to_org),
        intended_owner=_owner(before, intended) if before else "not planned",
        observed_owner=_owner(after, observed) if after else "does not happen",
        state=state,
        state_class=state.replace(" ", "-"),
        target_id=flow_dom_id(*key),
    )


def _owner(handoff: Handoff, blueprint: Blueprint) -> str:
    if handoff.owner is None:
        return "nobody"
    actor = blueprint.actors.get(handoff.owner)
    if actor is not None:
        return actor.label
    return blueprint.org_label(handoff.owner)


def score_cards(comparison: Comparison) -> list[C.ScoreCard]:
    s = comparison.scores
    unowned_tone = "good" if s.unowned_observed == 0 else "poor"
    return [
        C.ScoreCard(
            key="delivered",
            value=_pct(s.delivered_share),
            share=s.delivered_share,
            tone=C.tone(s.delivered_share),
            caption=f"{_of(s.delivered_steps, s.intended_steps, 'intended step')} {'is' if s.delivered_steps == 1 else 'are'} delivered",
        ),
        C.ScoreCard(
            key="planned",
            value=_pct(s.planned_share),
            share=s.planned_share,
            tone=C.tone(s.planned_share),
            caption=f"{_of(s.planned_steps, s.observed_steps, 'step')} people really take {'was' if s.planned_steps == 1 else 'were'} planned",
        ),
        C.ScoreCard(
            key="handoffs",
            value=_pct(s.handoffs_intact_share) if s.intended_handoffs else "–",
            share=s.handoffs_intact_share,
            tone=C.tone(s.handoffs_intact_share) if s.intended_handoffs else "neutral",
            caption=f"{_of(s.intact_handoffs, s.intended_handoffs, 'planned handoff')} between organisations still {'happens' if s.intact_handoffs == 1 else 'happen'}",
        ),
        C.ScoreCard(
            key="unowned",
            value=str(s.unowned_observed),
            share=None,  # a count: no bar
            tone=unowned_tone,
            caption=f"{'join' if s.unowned_observed == 1 else 'joins'} between organisations nobody owns (planned: {s.unowned_intended})",
        ),
        C.ScoreCard(
            key="assumed",
            value=_pct(s.assumed_share_observed),
            share=s.assumed_share_observed,  # the bar shows the number on the card
            tone=C.tone(1 - s.assumed_share_observed, good=0.8, fair=0.5),
            caption=f"of the observed service rests on assumption (the plan: {_pct(s.assumed_share_intended)})",
        ),
    ]


def headline(comparison: Comparison, *, counts: dict[str, int]) -> str:
    """One plain-English sentence for the top of the page."""
    s = comparison.scores
    missing = s.intended_steps - s.delivered_steps
    unplanned = s.observed_steps - s.planned_steps
    parts = [f"The service as observed delivers {s.delivered_steps} of its {plural(s.intended_steps, 'intended step')}"]
    if missing or unplanned:
        parts.append(
            f"{missing} {'is' if missing == 1 else 'are'} missing and {unplanned} {'step happens' if unplanned == 1 else 'steps happen'} that nobody planned"
        )
    if s.intended_handoffs:
        parts.append(
            f"{_of(s.intact_handoffs, s.intended_handoffs, 'handoff')} between organisations still {'works' if s.intact_handoffs == 1 else 'work'}"
        )
    sentence = "; ".join(parts) + "."
    if counts.get("error"):
        sentence += (
            f" {counts['error']} {'finding needs' if counts['error'] == 1 else 'findings need'} attention first."
        )
    return sentence


def _of(part: int, whole: int, singular: str) -> str:
    """`3 of 5 intended steps`, `1 of 1 intended step`."""
    return f"{part} of {plural(whole, singular)}"


def _pct(share: float) -> str:
    return f"{round(share * 100)}%"


def build_compare_overlay(comparison: Comparison) -> Overlay:
    """The overlay, with each matched step marked `moved` or `changed` as the engine judged it."""
    return build_overlay(
        intended=comparison.intended,
        observed=comparison.observed,
        matches=comparison.matches,
        step_changes=matched_step_statuses(comparison),
        stage_matches=comparison.stage_matches,
    )


def _same_words(change: Change) -> bool:
    """Whether a renamed step reads the same in both versions (only its id changed)."""
    from blueprint_cli.compare.match import normalise

    old, new = getattr(change.intended, "label", None), getattr(change.observed, "label", None)
    return isinstance(old, str) and isinstance(new, str) and normalise(old) == normalise(new)


def matched_step_statuses(comparison: Comparison) -> dict[str, StepStatus]:
    """Intended id -> `moved` (its stage, order or lane changed) or `changed` (anything else did)."""
    statuses: dict[str, StepStatus] = {}
    for change in comparison.changes:
        if not change.step or change.step not in comparison.matches or not change.kind.startswith("step."):
            continue
        if change.kind == "step.renamed" and _same_words(change):
            continue  # a new id for the same step is not a change anybody sees in the diagram
        kind = KINDS.get(change.kind)
        if kind is not None and kind.symbol == "^" or change.kind == "step.lane":
            statuses[change.step] = StepStatus.MOVED
        else:
            statuses.setdefault(change.step, StepStatus.CHANGED)
    return statuses
