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

from blueprint_cli.compare.kinds import KINDS
from blueprint_cli.compare.match import Matching, normalise
from blueprint_cli.compare.result import Change
from blueprint_cli.compare.wording import and_list, duration_words, quoted, ratio_words
from blueprint_cli.language.model import LINES, Blueprint, Evidence, Lane, Step

ANNOTATION_KINDS = ("pain", "workaround", "unknown")


class Context:
    """The two blueprints, their matching, and lookups every change builder needs."""

    def __init__(self, intended: Blueprint, observed: Blueprint, matching: Matching):
        self.intended = intended
        self.observed = observed
        self.matching = matching
        self.back = matching.observed_to_intended
        self.stage_back = {o: i for i, o in matching.stages.items()}

    def change(self, kind: str, ident: str, message: str, *, severity: str | None = None, **fields) -> Change:
        return Change(kind, severity or KINDS[kind].severity, ident, message, **fields)

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
                    stage=s_id,
                )
            )
        elif s_id in ctx.matching.moved_stages:
            o_id = ctx.matching.stages[s_id]
            out.append(
                ctx.change(
                    "stage.order",
                    s_id,
                    f"The stage {ctx.label('stage', s_id)} happens out of the planned order ({s_id})",
                    intended=list(ctx.matching.stages),
                    observed=[ctx.stage_back.get(s, s) for s in ctx.observed.stages],
                    intended_span=stage.span,
                    observed_span=ctx.observed.stages[o_id].span,
                    stage=s_id,
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
                    stage=s_id,
                )
            )
    return out


def step_changes(ctx: Context, *, unserved: set[str]) -> list[Change]:
    out: list[Change] = []
    for i_id, step in ctx.intended.steps.items():
        if i_id not in ctx.matching.steps:
            out.append(
                ctx.change(
                    "step.missing",
                    i_id,
                    f"{quoted(step.label)} never happens ({i_id})",
                    intended=step.label,
                    intended_span=step.span,
                    stage=step.stage,
                    lane=step.lane.value,
                    org=step.org,
                    step=i_id,
                )
            )
            continue
        other = ctx.observed.steps[ctx.matching.steps[i_id]]
        out.extend(_pair_changes(ctx, step, other, unserved=unserved))
    for o_id, step in ctx.observed.steps.items():
        if o_id not in ctx.back:
            out.append(
                ctx.change(
                    "step.unplanned",
                    o_id,
                    f"{quoted(step.label)} happens but was never planned ({o_id})",
                    observed=step.label,
                    observed_span=step.span,
                    stage=ctx.stage_of_observed(step),
                    lane=step.lane.value,
                    org=step.org,
                    step=o_id,
                )
            )
    return out


def _pair_changes(ctx: Context, old: Step, new: Step, *, unserved: set[str]) -> list[Change]:
    out = []
    where = dict(
        intended_span=old.span, observed_span=new.span, stage=old.stage, lane=new.lane.value, org=new.org, step=old.id
    )
    if new.id != old.id:
        how = ctx.matching.how[old.id]
        sim = ctx.matching.similarity.get(old.id, 1.0)
        reason = {
            "renamed": "declared as renamed",
            "label": "matched by the same label, lane and stage",
            "similar": f"matched by label similarity {sim:.2f}",
        }[how]
        if normalise(old.label) != normalise(new.label):
            text = f"{quoted(old.label)} is now {quoted(new.label)} ({old.id} → {new.id}, {reason})"
        else:
            text = f"{quoted(new.label)} has a new id ({old.id} → {new.id}, {reason})"
        out.append(
            ctx.change(
                "step.renamed",
                old.id,
                text,
                intended={"id": old.id, "label": old.label},
                observed={"id": new.id, "label": new.label, "similarity": sim, "matched_by": how},
                observed_id=new.id,
                **where,
            )
        )
    elif normalise(old.label) != normalise(new.label):
        out.append(
            ctx.change(
                "step.label",
                old.id,
                f"{quoted(old.label)} is now described as {quoted(new.label)} ({old.id})",
                intended=old.label,
                observed=new.label,
                **where,
            )
        )
    name, ident = quoted(new.label), f" ({old.id})"
    if new.lane != old.lane:
        out.append(
            ctx.change(
                "step.lane",
                old.id,
                f"{name} moved from {old.lane.heading} to {new.lane.heading}{_crossings(old.lane, new.lane)}{ident}",
                intended=old.lane.value,
                observed=new.lane.value,
                **where,
            )
        )
    new_stage = ctx.stage_of_observed(new)
    if new_stage != old.stage:
        out.append(
            ctx.change(
                "step.stage",
                old.id,
                f"{name} happens in the stage {ctx.label('stage', new.stage, observed=True)} instead of {ctx.label('stage', old.stage)}{ident}",
                intended=old.stage,
                observed=new_stage,
                **where,
            )
        )
    elif old.id in ctx.matching.moved_steps:
        out.append(
            ctx.change(
                "step.order",
                old.id,
                f"{name} happens out of the planned order, {_now_after(ctx, new)}{ident}",
                intended=_neighbours(ctx.intended, old.id),
                observed=_neighbours(ctx.observed, new.id, back=ctx.back),
                **where,
            )
        )
    if new.actor != old.actor:
        if old.actor is None:
            text = f"{name} is now done by {ctx.label('actor', new.actor, observed=True)}, where the plan named nobody{ident}"
        elif new.actor is None:
            text = f"{name} is no longer done by {ctx.label('actor', old.actor)}, and nobody is named instead{ident}"
        else:
            text = f"{name} is done by {ctx.label('actor', new.actor, observed=True)} instead of {ctx.label('actor', old.actor)}{ident}"
        out.append(ctx.change("step.actor", old.id, text, intended=old.actor, observed=new.actor, **where))
    if new.org != old.org:
        out.append(
            ctx.change(
                "step.org",
                old.id,
                f"{name} moved from {_org(ctx.intended, old.org)} to {_org(ctx.observed, new.org)}{ident}",
                intended=old.org,
                observed=new.org,
                **where,
            )
        )
    if new.systems != old.systems and set(new.systems) != set(old.systems):
        out.append(
            ctx.change(
                "step.systems",
                old.id,
                f"{name} {_systems_phrase(ctx, old.systems, new.systems)}{ident}",
                intended=list(old.systems),
                observed=list(new.systems),
                **where,
            )
        )
    if old.channel and new.channel and old.channel != new.channel:
        out.append(
            ctx.change(
                "step.channel",
                old.id,
                f"{name} happens {_channel(new.channel)} instead of {_channel(old.channel)}{ident}",
                intended=old.channel,
                observed=new.channel,
                **where,
            )
        )
    if _evidence_rank(new.evidence) < _evidence_rank(old.evidence):
        out.append(
            ctx.change(
                "step.evidence",
                old.id,
                f"{name} rests on weaker evidence than planned: {_evidence(new)} instead of {_evidence(old)}{ident}",
                intended=_evidence(old),
                observed=_evidence(new),
                **where,
            )
        )
    if old.duration and new.duration and old.duration_minutes != new.duration_minutes:
        factor = ratio_words(old.duration_minutes, new.duration_minutes)
        text = (
            f"{name} takes {duration_words(new.duration)} instead of {duration_words(old.duration)}"
            + (f", {factor}" if factor else "")
            + ident
        )
        out.append(ctx.change("step.duration", old.id, text, intended=old.duration, observed=new.duration, **where))
    if new.outcome != old.outcome and not (new.outcome is None and old.outcome in unserved):
        if new.outcome is None:
            text = f"{name} no longer serves the outcome {ctx.label('outcome', old.outcome)}{ident}"
        elif old.outcome is None:
            text = f"{name} now serves the outcome {ctx.label('outcome', new.outcome, observed=True)}{ident}"
        else:
            text = f"{name} serves the outcome {ctx.label('outcome', new.outcome, observed=True)} instead of {ctx.label('outcome', old.outcome)}{ident}"
        out.append(ctx.change("step.outcome", old.id, text, intended=old.outcome, observed=new.outcome, **where))
    return out


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
    out = []
    for attribute, kind, table in (("actor", "actor", "actors"), ("systems", "system", "systems")):
        before, after = _used(ctx.intended, attribute), _used(ctx.observed, attribute)
        for ident, steps in before.items():
            if ident not in after:
                decl = getattr(ctx.intended, table)[ident]
                what = "does no step" if kind == "actor" else "is used by no step"
                text = f"{quoted(decl.label)} {what} in the observed service, though the plan {'gives them' if kind == 'actor' else 'uses it in'} {ctx.step_list(steps)} ({ident})"
                out.append(ctx.change(f"{kind}.missing", ident, text, intended=steps, intended_span=decl.span))
        for ident, steps in after.items():
            if ident not in before:
                decl = getattr(ctx.observed, table)[ident]
                if kind == "actor":
                    text = f"{quoted(decl.label)} is not in the plan but does {ctx.step_list(steps, observed=True)} ({ident})"
                else:
                    text = f"{quoted(decl.label)} is a shadow system: only the observed service uses it, in {ctx.step_list(steps, observed=True)} ({ident})"
                out.append(ctx.change(f"{kind}.unplanned", ident, text, observed=steps, observed_span=decl.span))
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
                intended=steps,
                observed=[],
                intended_span=decl.span,
                observed_span=span,
            )
        )
    return out


PAIN_SEVERITY = {"high": "error", "low": "note"}


def _annotations_by_step(bp: Blueprint) -> dict[tuple[str, str], list]:
    """(step, kind) -> annotations in source order, built once (not one scan per step)."""
    found: dict[tuple[str, str], list] = {}
    for note in bp.annotations:
        found.setdefault((note.step, note.kind), []).append(note)
    return found


def annotation_ids(ident: str, kind: str, notes: list) -> list[str]:
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


def annotation_changes(ctx: Context) -> list[Change]:
    """pain/workaround/unknown added or resolved, per matched or unplanned step, by text."""
    out = []
    by_step = [_annotations_by_step(ctx.intended), _annotations_by_step(ctx.observed)]
    for o_id, step in ctx.observed.steps.items():
        i_id = ctx.back.get(o_id)
        for kind in ANNOTATION_KINDS:
            now = by_step[1].get((o_id, kind), [])
            then = by_step[0].get((i_id, kind), []) if i_id else []
            then_texts = {normalise(a.text) for a in then}
            now_texts = {normalise(a.text) for a in now}
            ident = i_id or o_id
            stage = ctx.stage_of_observed(step)
            where = dict(stage=stage, lane=step.lane.value, org=step.org, step=ident)
            for note_id, note in zip(annotation_ids(ident, kind, now), now, strict=False):
                if normalise(note.text) not in then_texts:
                    severity = PAIN_SEVERITY.get(note.severity or "") if kind == "pain" else None
                    level = f"{note.severity}-severity " if note.severity else ""
                    what = {
                        "pain": f"a new {level}pain point",
                        "workaround": "a new workaround",
                        "unknown": "a new unknown",
                    }[kind]
                    text = f"{quoted(step.label)} has {what}: “{note.text}” ({ident})"
                    out.append(
                        ctx.change(
                            f"{kind}.added",
                            note_id,
                            text,
                            severity=severity,
                            observed={"text": note.text, "severity": note.severity} if kind == "pain" else note.text,
                            observed_span=note.span,
                            **where,
                        )
                    )
            for note_id, note in zip(annotation_ids(ident, kind, then), then, strict=False):
                if normalise(note.text) not in now_texts:
                    what = {
                        "pain": "the pain point is no longer seen",
                        "workaround": "the workaround is no longer seen",
                        "unknown": "the unknown is resolved",
                    }[kind]
                    text = f"At {quoted(step.label)}, {what}: “{note.text}” ({ident})"
                    out.append(
                        ctx.change(
                            f"{kind}.resolved",
                            note_id,
                            text,
                            intended={"text": note.text, "severity": note.severity} if kind == "pain" else note.text,
                            intended_span=note.span,
                            **{**where, "stage": ctx.intended.steps[i_id].stage},
                        )
                    )
    return out


def _evidence_rank(evidence: Evidence | None) -> int:
    """How well a step is known; no evidence attribute counts as assumed."""
    return evidence.rank if evidence is not None else Evidence.ASSUMED.rank
