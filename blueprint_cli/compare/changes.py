"""Changes to stages, steps, actors, systems, outcomes and research findings, given a matching.

Choices that keep a change from being reported twice (documented in the README):
- a missing step implies its flows are gone, so only `step.missing` is reported for them
  (`handoff.broken` is still reported: a lost join between organisations is the headline);
- a step that changed stage is not also reported as out of order;
- a step that loses an outcome that no observed step serves any more is covered by `outcome.unserved`;
- channel and duration are compared only when both versions state them, and evidence only when
  the observed version rests on weaker evidence than the plan claimed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from blueprint_cli.compare.kinds import KINDS
from blueprint_cli.compare.match import Matching, normalise
from blueprint_cli.compare.result import Change, MatchedBy, PainNote, RenamedStep, StepName, Value
from blueprint_cli.compare.wording import and_list, duration_words, quoted, ratio_words
from blueprint_cli.language.model import Annotation, Blueprint, Step
from blueprint_cli.language.source import Span
from blueprint_cli.vocab import LINES, Evidence, Lane, Severity

ANNOTATION_KINDS = ("pain", "workaround", "unknown")


@dataclass(frozen=True, slots=True)
class Place:
    """Where a change is grouped and pointed at: its stage, lane, organisation and step."""

    stage: str | None = None
    lane: str | None = None
    org: str | None = None
    step: str | None = None


NOWHERE = Place()


class Context:
    """The two blueprints, their matching, and lookups every change builder needs."""

    def __init__(self, intended: Blueprint, observed: Blueprint, matching: Matching):
        self.intended = intended
        self.observed = observed
        self.matching = matching
        self.back = matching.observed_to_intended
        self.stage_back = {o: i for i, o in matching.stages.items()}
        self._links: dict[tuple[bool, bool], dict[str, list[str]]] = {}  # (observed, forward) -> step -> next
        self._order: dict[bool, dict[str, int]] = {}

    def attachments(self, step_id: str, *, observed: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The matched steps a missing (intended) or unplanned (observed) step comes after and leads
        to, as intended ids in journey order, following flows through other unmatched steps."""
        bp = self.observed if observed else self.intended
        matched = self.back if observed else {i: i for i in self.matching.steps}
        order = self._order.setdefault(observed, {sid: n for n, sid in enumerate(bp.steps)})
        ends = []
        for forward in (False, True):
            links = self._links.get((observed, forward))
            if links is None:
                links = self._links[(observed, forward)] = {}
                for flow in bp.flows:
                    a, b = (flow.source, flow.target) if forward else (flow.target, flow.source)
                    links.setdefault(a, []).append(b)
            found, seen, todo = set(), {step_id}, [step_id]
            while todo:
                for nxt in links.get(todo.pop(), []):
                    if nxt in seen:
                        continue
                    seen.add(nxt)
                    if nxt in matched:
                        found.add(nxt)
                    else:
                        todo.append(nxt)
            ends.append(tuple(matched[sid] for sid in sorted(found, key=order.__getitem__)))
        return ends[0], ends[1]

    def where_attached(self, after: tuple[str, ...], before: tuple[str, ...], *, observed: bool) -> str:
        """`after “A” and before “B”` (labels of the version the step is in), or ''."""
        ids = self.matching.steps if observed else {i: i for i in self.matching.steps}
        names = [
            f"{word} " + and_list([self.label("step", ids[i], observed=observed) for i in found])
            for word, found in (("after", after), ("before", before))
            if found
        ]
        return " and ".join(names)

    def change(
        self,
        kind: str,
        ident: str,
        message: str,
        *,
        severity: str | None = None,
        intended: Value = None,
        observed: Value = None,
        intended_span: Span | None = None,
        observed_span: Span | None = None,
        place: Place = NOWHERE,
        observed_id: str | None = None,
        attached: tuple[tuple[str, ...], tuple[str, ...]] = ((), ()),
    ) -> Change:
        return Change(
            kind=kind,
            severity=severity or KINDS[kind].severity,
            id=ident,
            message=message,
            intended=intended,
            observed=observed,
            intended_span=intended_span,
            observed_span=observed_span,
            stage=place.stage,
            lane=place.lane,
            org=place.org,
            observed_id=observed_id,
            step=place.step,
            after=attached[0],
            before=attached[1],
        )

    def stage_of_observed(self, step: Step) -> str:
        """The intended id of an observed step's stage when the stage matched, else its own id."""
        return self.stage_back.get(step.stage, step.stage)

    def label(self, kind: str, ident: str | None, *, observed: bool = False) -> str:
        """The quoted label of an actor, system, outcome, stage or step, looked up in the version named first."""
        if ident is None:
            return "nobody named"
        first, second = (self.observed, self.intended) if observed else (self.intended, self.observed)
        for bp in (first, second):
            found = getattr(bp, kind + "s").get(ident)
            if found:
                return quoted(found.label)
        return quoted(ident)

    def step_list(self, ids: list[str], *, observed: bool = False) -> str:
        """`the step “A”`, `the steps “A”, “B” and 2 more`: steps by their labels, in the order given."""
        return ("the step " if len(ids) == 1 else "the steps ") + and_list(
            [self.label("step", i, observed=observed) for i in ids]
        )


def stage_changes(ctx: Context) -> list[Change]:
    out = []
    for s_id, stage in ctx.intended.stages.items():
        if s_id not in ctx.matching.stages:
            out.append(
                ctx.change(
                    "stage.missing",
                    s_id,
                    f"The stage {ctx.label('stage', s_id)} does not happen in the observed service ({s_id})",
                    intended=stage.label,
                    intended_span=stage.span,
                    place=Place(stage=s_id),
                )
            )
        elif s_id in ctx.matching.moved_stages:
            o_id = ctx.matching.stages[s_id]
            out.append(
                ctx.change(
                    "stage.order",
                    s_id,
                    f"The stage {ctx.label('stage', s_id)} happens out of the planned order ({s_id})",
                    intended=tuple(ctx.matching.stages),
                    observed=tuple(ctx.stage_back.get(s, s) for s in ctx.observed.stages),
                    intended_span=stage.span,
                    observed_span=ctx.observed.stages[o_id].span,
                    place=Place(stage=s_id),
                )
            )
    for s_id, stage in ctx.observed.stages.items():
        if s_id not in ctx.stage_back:
            out.append(
                ctx.change(
                    "stage.unplanned",
                    s_id,
                    f"The stage {quoted(stage.label)} happens but was never planned ({s_id})",
                    observed=stage.label,
                    observed_span=stage.span,
                    place=Place(stage=s_id),
                )
            )
    return out


def step_changes(ctx: Context, *, unserved: set[str]) -> list[Change]:
    out: list[Change] = []
    for i_id, step in ctx.intended.steps.items():
        if i_id not in ctx.matching.steps:
            after, before = ctx.attachments(i_id, observed=False)
            where = ctx.where_attached(after, before, observed=False)
            out.append(
                ctx.change(
                    "step.missing",
                    i_id,
                    f"{quoted(step.label)} never happens"
                    + (f": it was planned {where}" if where else "")
                    + f" ({i_id})",
                    intended=step.label,
                    intended_span=step.span,
                    place=Place(step.stage, step.lane.value, step.org, i_id),
                    attached=(after, before),
                )
            )
            continue
        other = ctx.observed.steps[ctx.matching.steps[i_id]]
        out.extend(_pair_changes(ctx, step, other, unserved=unserved))
    for o_id, step in ctx.observed.steps.items():
        if o_id not in ctx.back:
            after, before = ctx.attachments(o_id, observed=True)
            where = ctx.where_attached(after, before, observed=True)
            out.append(
                ctx.change(
                    "step.unplanned",
                    o_id,
                    f"{quoted(step.label)} happens but was never planned"
                    + (f": it comes {where}" if where else "")
                    + f" ({o_id})",
                    observed=step.label,
                    observed_span=step.span,
                    place=Place(ctx.stage_of_observed(step), step.lane.value, step.org, o_id),
                    attached=(after, before),
                )
            )
    return out


@dataclass(frozen=True, slots=True)
class _Pair:
    """A matched pair of steps, and how every change between them is worded and placed."""

    ctx: Context
    old: Step
    new: Step

    @property
    def name(self) -> str:
        return quoted(self.new.label)

    @property
    def ident(self) -> str:
        return f" ({self.old.id})"

    def change(
        self, kind: str, text: str, *, intended: Value, observed: Value, observed_id: str | None = None
    ) -> Change:
        old, new = self.old, self.new
        return self.ctx.change(
            kind,
            old.id,
            text,
            intended=intended,
            observed=observed,
            intended_span=old.span,
            observed_span=new.span,
            place=Place(old.stage, new.lane.value, new.org, old.id),
            observed_id=observed_id or (new.id if new.id != old.id else None),
        )


def _pair_changes(ctx: Context, old: Step, new: Step, *, unserved: set[str]) -> list[Change]:
    """Every change between two matched steps, in the order of the checks below."""
    pair = _Pair(ctx, old, new)
    found = [check(pair) for check in _PAIR_CHECKS]
    found.append(_outcome_change(pair, unserved=unserved))
    return [change for change in found if change is not None]


_REASONS = {
    MatchedBy.RENAMED: "declared as renamed",
    MatchedBy.LABEL: "matched by the same label, lane and stage",
}


def _identity_change(pair: _Pair) -> Change | None:
    """`step.renamed` when the ids differ, else `step.label` when the wording does."""
    old, new = pair.old, pair.new
    if new.id == old.id:
        if normalise(old.label) == normalise(new.label):
            return None
        return pair.change(
            "step.label",
            f"{quoted(old.label)} is now described as {quoted(new.label)} ({old.id})",
            intended=old.label,
            observed=new.label,
        )
    how = pair.ctx.matching.how[old.id]
    sim = pair.ctx.matching.similarity.get(old.id, 1.0)
    reason = _REASONS.get(how) or f"matched by label similarity {sim:.2f}"
    if normalise(old.label) != normalise(new.label):
        text = f"{quoted(old.label)} is now {quoted(new.label)} ({old.id} → {new.id}, {reason})"
    else:
        text = f"{quoted(new.label)} has a new id ({old.id} → {new.id}, {reason})"
    return pair.change(
        "step.renamed",
        text,
        intended=StepName(old.id, old.label),
        observed=RenamedStep(new.id, new.label, sim, how),
        observed_id=new.id,
    )


def _lane_change(pair: _Pair) -> Change | None:
    old, new = pair.old.lane, pair.new.lane
    if new == old:
        return None
    return pair.change(
        "step.lane",
        f"{pair.name} moved from {old.heading} to {new.heading}{_crossings(old, new)}{pair.ident}",
        intended=old.value,
        observed=new.value,
    )


def _placement_change(pair: _Pair) -> Change | None:
    """`step.stage` when the step changed stage, else `step.order` when it moved within it."""
    ctx, old, new = pair.ctx, pair.old, pair.new
    new_stage = ctx.stage_of_observed(new)
    if new_stage != old.stage:
        return pair.change(
            "step.stage",
            f"{pair.name} happens in the stage {ctx.label('stage', new.stage, observed=True)} instead of {ctx.label('stage', old.stage)}{pair.ident}",
            intended=old.stage,
            observed=new_stage,
        )
    if old.id in ctx.matching.moved_steps:
        return pair.change(
            "step.order",
            f"{pair.name} happens out of the planned order, {_now_after(ctx, new)}{pair.ident}",
            intended=tuple(_neighbours(ctx.intended, old.id)),
            observed=tuple(_neighbours(ctx.observed, new.id, back=ctx.back)),
        )
    return None


def _actor_change(pair: _Pair) -> Change | None:
    ctx, old, new, name, ident = pair.ctx, pair.old.actor, pair.new.actor, pair.name, pair.ident
    if new == old:
        return None
    if old is None:
        text = f"{name} is now done by {ctx.label('actor', new, observed=True)}, where the plan named nobody{ident}"
    elif new is None:
        text = f"{name} is no longer done by {ctx.label('actor', old)}, and nobody is named instead{ident}"
    else:
        text = f"{name} is done by {ctx.label('actor', new, observed=True)} instead of {ctx.label('actor', old)}{ident}"
    return pair.change("step.actor", text, intended=old, observed=new)


def _org_change(pair: _Pair) -> Change | None:
    ctx, old, new = pair.ctx, pair.old.org, pair.new.org
    if new == old:
        return None
    return pair.change(
        "step.org",
        f"{pair.name} moved from {_org(ctx.intended, old)} to {_org(ctx.observed, new)}{pair.ident}",
        intended=old,
        observed=new,
    )


def _systems_change(pair: _Pair) -> Change | None:
    old, new = pair.old.systems, pair.new.systems
    if new == old or set(new) == set(old):
        return None
    return pair.change(
        "step.systems",
        f"{pair.name} {_systems_phrase(pair.ctx, old, new)}{pair.ident}",
        intended=old,
        observed=new,
    )


def _data_change(pair: _Pair) -> Change | None:
    """`step.data`: the step collects more or fewer data items; a warning when the customer is asked more."""
    old, new = pair.old.data, pair.new.data
    if set(new) == set(old):
        return None
    ctx = pair.ctx
    added = [d for d in new if d not in old]
    gone = [d for d in old if d not in new]
    parts = []
    if added:
        parts.append("also collects " + and_list([_data_label(ctx, d) for d in added]))
    if gone:
        parts.append("no longer collects " + and_list([_data_label(ctx, d) for d in gone]))
    change = pair.change("step.data", f"{pair.name} {'; '.join(parts)}{pair.ident}", intended=old, observed=new)
    if added and pair.new.lane is Lane.CUSTOMER:
        change = replace(change, severity=Severity.WARNING.value)
    return change


def _data_label(ctx: Context, ident: str) -> str:
    for bp in (ctx.observed, ctx.intended):
        if ident in bp.data:
            return quoted(bp.data[ident].label)
    return quoted(ident)


def _asked_of_customer(bp: Blueprint) -> dict[str, list[str]]:
    """Data item id -> the customer steps that collect it, in journey order."""
    found: dict[str, list[str]] = {}
    for step in bp.steps.values():
        if step.lane is Lane.CUSTOMER:
            for item in step.data:
                found.setdefault(item, []).append(step.id)
    return found


def data_changes(ctx: Context) -> list[Change]:
    """`data.unplanned`: the observed service asks the customer for data no intended customer step asks for."""
    before, after = _asked_of_customer(ctx.intended), _asked_of_customer(ctx.observed)
    out: list[Change] = []
    for ident, steps in after.items():
        if ident in before:
            continue
        decl = ctx.observed.data.get(ident)
        text = f"The customer is asked for {_data_label(ctx, ident)} in {ctx.step_list(steps, observed=True)}, which the plan never asks of them ({ident})"
        out.append(
            ctx.change("data.unplanned", ident, text, observed=tuple(steps), observed_span=decl.span if decl else None)
        )
    return out


def _channel_change(pair: _Pair) -> Change | None:
    old, new = pair.old.channel, pair.new.channel
    if not (old and new and old != new):
        return None
    return pair.change(
        "step.channel",
        f"{pair.name} happens {_channel(new)} instead of {_channel(old)}{pair.ident}",
        intended=old,
        observed=new,
    )


def _evidence_change(pair: _Pair) -> Change | None:
    """Only a weakening is reported."""
    old, new = pair.old, pair.new
    if _evidence_rank(new.evidence) >= _evidence_rank(old.evidence):
        return None
    return pair.change(
        "step.evidence",
        f"{pair.name} rests on weaker evidence than planned: {_evidence(new)} instead of {_evidence(old)}{pair.ident}",
        intended=_evidence(old),
        observed=_evidence(new),
    )


def _duration_change(pair: _Pair) -> Change | None:
    """Compared only when both versions state a duration."""
    old, new = pair.old, pair.new
    if not (old.duration and new.duration and old.duration_minutes != new.duration_minutes):
        return None
    before, after = old.duration_minutes, new.duration_minutes
    factor = ratio_words(before, after) if before is not None and after is not None else ""
    text = (
        f"{pair.name} takes {duration_words(new.duration)} instead of {duration_words(old.duration)}"
        + (f", {factor}" if factor else "")
        + pair.ident
    )
    return pair.change("step.duration", text, intended=old.duration, observed=new.duration)


def _outcome_change(pair: _Pair, *, unserved: set[str]) -> Change | None:
    """Not reported when the step loses an outcome nothing serves any more (`outcome.unserved` says it)."""
    ctx, old, new, name, ident = pair.ctx, pair.old.outcome, pair.new.outcome, pair.name, pair.ident
    if new == old or (new is None and old in unserved):
        return None
    if new is None:
        text = f"{name} no longer serves the outcome {ctx.label('outcome', old)}{ident}"
    elif old is None:
        text = f"{name} now serves the outcome {ctx.label('outcome', new, observed=True)}{ident}"
    else:
        text = f"{name} serves the outcome {ctx.label('outcome', new, observed=True)} instead of {ctx.label('outcome', old)}{ident}"
    return pair.change("step.outcome", text, intended=old, observed=new)


# The checks of a matched pair, in the order their changes are listed.
_PAIR_CHECKS = (
    _identity_change,
    _lane_change,
    _placement_change,
    _actor_change,
    _org_change,
    _systems_change,
    _data_change,
    _channel_change,
    _evidence_change,
    _duration_change,
)


def _crossings(old: Lane, new: Lane) -> str:
    top, bottom = sorted((old.order, new.order))
    crossed = [name for name, above, below in LINES if top <= above.order and bottom >= below.order]
    if not crossed:
        return ""
    down = new.order > old.order
    effect = ""
    if "line of interaction" in crossed:
        effect = ", so the customer no longer does it" if down else ", so the customer now does it"
    elif "line of visibility" in crossed:
        effect = ", so the customer no longer sees it" if down else ", so the customer now sees it"
    return ", crossing the " + " and the ".join(crossed) + effect


CHANNEL_PHRASES = {"in-person": "in person", "web": "on the web", "app": "in the app"}


def _channel(channel: str) -> str:
    return CHANNEL_PHRASES.get(channel, f"by {channel}")


def _now_after(ctx: Context, new: Step) -> str:
    ids = list(ctx.observed.steps)
    n = ids.index(new.id)
    if n == 0:
        return "now the first step"
    before = ids[n - 1]
    if ctx.observed.steps[before].stage != new.stage:
        return "now the first step of its stage"
    return f"now after {ctx.label('step', before, observed=True)}"


def _neighbours(bp: Blueprint, step_id: str, *, back: dict[str, str] | None = None) -> list[str]:
    """The step ids of a step's stage in order, as intended ids where matched."""
    stage = bp.stages[bp.steps[step_id].stage]
    return [back.get(s, s) if back else s for s in stage.steps]


def _org(bp: Blueprint, org: str | None) -> str:
    return "the customer" if org is None else bp.org_label(org)


def _evidence(step: Step) -> str:
    return step.evidence.value if step.evidence else "not stated (assumed)"


def _systems_phrase(ctx: Context, old: tuple[str, ...], new: tuple[str, ...]) -> str:
    gone = [s for s in old if s not in new]
    added = [s for s in new if s not in old]

    def names(ids: list[str], observed: bool) -> str:
        return " and ".join(ctx.label("system", s, observed=observed) for s in ids)

    if gone and added:
        return f"uses {names(added, True)} instead of {names(gone, False)}"
    if added:
        return f"also uses {names(added, True)}"
    return f"no longer uses {names(gone, False)}"


def _used(bp: Blueprint, attribute: str) -> dict[str, list[str]]:
    """Actor or system id -> the steps that use it, in journey order."""
    found: dict[str, list[str]] = {}
    for step in bp.steps.values():
        values = step.systems if attribute == "systems" else ((step.actor,) if step.actor else ())
        for value in values:
            found.setdefault(value, []).append(step.id)
    return found


def who_and_what_changes(ctx: Context) -> list[Change]:
    """actor.*, system.* by use in steps (declarations copied between versions say nothing)."""
    out: list[Change] = []
    for attribute, kind, table in (("actor", "actor", "actors"), ("systems", "system", "systems")):
        before, after = _used(ctx.intended, attribute), _used(ctx.observed, attribute)
        for ident, steps in before.items():
            if ident not in after:
                decl = getattr(ctx.intended, table)[ident]
                what = "does no step" if kind == "actor" else "is used by no step"
                text = f"{quoted(decl.label)} {what} in the observed service, though the plan {'gives them' if kind == 'actor' else 'uses it in'} {ctx.step_list(steps)} ({ident})"
                out.append(ctx.change(f"{kind}.missing", ident, text, intended=tuple(steps), intended_span=decl.span))
        for ident, steps in after.items():
            if ident not in before:
                decl = getattr(ctx.observed, table)[ident]
                if kind == "actor":
                    text = f"{quoted(decl.label)} is not in the plan but does {ctx.step_list(steps, observed=True)} ({ident})"
                else:
                    text = f"{quoted(decl.label)} is a shadow system: only the observed service uses it, in {ctx.step_list(steps, observed=True)} ({ident})"
                out.append(ctx.change(f"{kind}.unplanned", ident, text, observed=tuple(steps), observed_span=decl.span))
    return out


def unserved_outcomes(intended: Blueprint, observed: Blueprint) -> dict[str, list[str]]:
    """Outcome id -> intended steps serving it, for outcomes that no observed step serves."""
    served_before: dict[str, list[str]] = {}
    for step in intended.steps.values():
        if step.outcome:
            served_before.setdefault(step.outcome, []).append(step.id)
    served_after = {s.outcome for s in observed.steps.values() if s.outcome}
    return {o: steps for o, steps in served_before.items() if o not in served_after}


def outcome_changes(ctx: Context, unserved: dict[str, list[str]]) -> list[Change]:
    out = []
    for ident, steps in unserved.items():
        decl = ctx.intended.outcomes[ident]
        span = ctx.observed.outcomes[ident].span if ident in ctx.observed.outcomes else None
        out.append(
            ctx.change(
                "outcome.unserved",
                ident,
                f"No observed step serves the outcome {quoted(decl.label)}, which the plan served through {ctx.step_list(steps)} ({ident})",
                intended=tuple(steps),
                observed=(),
                intended_span=decl.span,
                observed_span=span,
            )
        )
    return out


PAIN_SEVERITY = {"high": "error", "low": "note"}


def _annotations_by_step(bp: Blueprint) -> dict[tuple[str, str], list[Annotation]]:
    """(step, kind) -> annotations in source order, built once (not one scan per step)."""
    found: dict[tuple[str, str], list[Annotation]] = {}
    for note in bp.annotations:
        found.setdefault((note.step, note.kind), []).append(note)
    return found


def annotation_ids(ident: str, kind: str, notes: list[Annotation]) -> list[str]:
    """Ids from each note's normalised text (not its position, so inserting a note shifts nothing).

    `step#pain:` + the first 10 hex digits of the SHA-1 of the text; a repeat of the same text on the
    same step gets `~2`, `~3`, ... in source order.
    """
    seen: dict[str, int] = {}
    ids = []
    for note in notes:
        digest = hashlib.sha1(normalise(note.text).encode("utf-8")).hexdigest()[:10]
        seen[digest] = seen.get(digest, 0) + 1
        ids.append(f"{ident}#{kind}:{digest}" + (f"~{seen[digest]}" if seen[digest] > 1 else ""))
    return ids


_ADDED_WORDS = {"workaround": "a new workaround", "unknown": "a new unknown"}
_RESOLVED_WORDS = {
    "pain": "the pain point is no longer seen",
    "workaround": "the workaround is no longer seen",
    "unknown": "the unknown is resolved",
}


def _note_value(kind: str, note: Annotation) -> Value:
    """A pain point keeps its severity; a workaround or an unknown is its text."""
    return PainNote(note.text, note.severity) if kind == "pain" else note.text


def annotation_changes(ctx: Context) -> list[Change]:
    """pain/workaround/unknown added or resolved, per matched or unplanned step, by text."""
    out = []
    by_step = [_annotations_by_step(ctx.intended), _annotations_by_step(ctx.observed)]
    for o_id, step in ctx.observed.steps.items():
        i_id = ctx.back.get(o_id)
        ident = i_id or o_id
        place = Place(ctx.stage_of_observed(step), step.lane.value, step.org, ident)
        for kind in ANNOTATION_KINDS:
            now = by_step[1].get((o_id, kind), [])
            then = by_step[0].get((i_id, kind), []) if i_id else []
            out += _added_notes(ctx, step, kind, now=now, then=then, ident=ident, place=place)
            if i_id:
                then_place = replace(place, stage=ctx.intended.steps[i_id].stage)
                out += _resolved_notes(ctx, step, kind, now=now, then=then, ident=ident, place=then_place)
    return out


def _added_notes(
    ctx: Context,
    step: Step,
    kind: str,
    *,
    now: list[Annotation],
    then: list[Annotation],
    ident: str,
    place: Place,
) -> list[Change]:
    out = []
    for note_id, note in _only_in(now, then, ident=ident, kind=kind):
        severity = PAIN_SEVERITY.get(note.severity or "") if kind == "pain" else None
        level = f"{note.severity}-severity " if note.severity else ""
        what = f"a new {level}pain point" if kind == "pain" else _ADDED_WORDS[kind]
        out.append(
            ctx.change(
                f"{kind}.added",
                note_id,
                f"{quoted(step.label)} has {what}: “{note.text}” ({ident})",
                severity=severity,
                observed=_note_value(kind, note),
                observed_span=note.span,
                place=place,
                observed_id=_observed_note_id(note_id, step.id),
            )
        )
    return out


def _resolved_notes(
    ctx: Context,
    step: Step,
    kind: str,
    *,
    now: list[Annotation],
    then: list[Annotation],
    ident: str,
    place: Place,
) -> list[Change]:
    out = []
    for note_id, note in _only_in(then, now, ident=ident, kind=kind):
        out.append(
            ctx.change(
                f"{kind}.resolved",
                note_id,
                f"At {quoted(step.label)}, {_RESOLVED_WORDS[kind]}: “{note.text}” ({ident})",
                intended=_note_value(kind, note),
                intended_span=note.span,
                place=place,
                observed_id=_observed_note_id(note_id, step.id),
            )
        )
    return out


def _only_in(
    notes: list[Annotation], others: list[Annotation], *, ident: str, kind: str
) -> list[tuple[str, Annotation]]:
    """The notes (with their ids) whose text, as compared, is not among the other version's."""
    texts = {normalise(a.text) for a in others}
    ids = annotation_ids(ident, kind, notes)
    return [(i, note) for i, note in zip(ids, notes, strict=False) if normalise(note.text) not in texts]


def _observed_note_id(note_id: str, observed_step: str) -> str | None:
    """An annotation change's id with the observed step's id, when the step was renamed; else None."""
    step, _, rest = note_id.partition("#")
    return f"{observed_step}#{rest}" if step != observed_step else None


def _evidence_rank(evidence: Evidence | None) -> int:
    """How well a step is known; no evidence attribute counts as assumed."""
    return evidence.rank if evidence is not None else Evidence.ASSUMED.rank
