"""The check rules: one small function each; its docstring is its documentation (what, why, fix)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from blueprint_cli.checks.base import Finding, Options, Rule
from blueprint_cli.language.model import Blueprint, Lane
from blueprint_cli.language.source import Span
from blueprint_cli.vocab import Severity, Variant
from blueprint_cli.words import quoted

# Steps in these lanes need no actor: evidence is a thing, support is often a system.
LANES_WITHOUT_ACTOR = (Lane.EVIDENCE, Lane.SUPPORT)
# What answers a customer: a visible staff or system action, or evidence the service shows them.
RESPONSE_LANES = (Lane.FRONTSTAGE, Lane.EVIDENCE)


def _main_file(blueprint: Blueprint, span: Span) -> bool:
    """Declarations from an included (shared) file are meant to be shared, so unused ones are fine."""
    return not blueprint.path or span.path == blueprint.path


def unowned_join(bp: Blueprint, options: Options) -> Iterator[Finding]:
    """A flow between two organisations names no owner.

    Anti-pattern: `flow refer -> accept` where `refer` is done by the hospital and `accept` by the
    council, with no `owner=`: nobody mapped the join, so nobody owns the gap.

    Best practice: name the actor or organisation accountable for the handoff:
    `flow refer -> accept [owner=coordinator]`.
    """
    for handoff in bp.handoffs:
        if not handoff.owned:
            yield Finding(
                "BP101",
                "unowned-join",
                Severity.WARNING.value,
                f"The handoff from {bp.org_label(handoff.from_org)} to {bp.org_label(handoff.to_org)}, {quoted(bp.steps[handoff.source].label)} → {quoted(bp.steps[handoff.target].label)}, has no owner",
                handoff.span,
                handoff.id,
                hint="add [owner=ACTOR_OR_ORG] to the flow",
            )


def step_without_actor(bp: Blueprint, options: Options) -> Iterator[Finding]:
    """A customer, frontstage or backstage step says nobody does it.

    Anti-pattern: `backstage refer "Refers for home care"`: a step with no `by` and no system, so
    the blueprint cannot show who is accountable. Evidence and support steps are exempt, and so is
    a step that a system does on its own (`frontstage queue "Plays a waiting message" uses phone`).

    Best practice: say who does it: `backstage refer "Refers for home care" by coordinator`.
    """
    for step in bp.steps.values():
        if step.actor is None and not step.systems and step.lane not in LANES_WITHOUT_ACTOR:
            yield Finding(
                "BP102",
                "step-without-actor",
                Severity.WARNING.value,
                f"{quoted(step.label)} ({step.id}, {step.lane.heading.lower()}) says nobody does it",
                step.span,
                step.id,
                hint="add 'by ACTOR' to the step, or 'uses SYSTEM' when a system does it on its own",
            )


def customer_without_response(bp: Blueprint, options: Options) -> Iterator[Finding]:
    """A customer action gets no frontstage response.

    Anti-pattern: a customer step from which no flow reaches a frontstage or evidence step
    (directly, or through further customer actions and support systems) and into which no
    frontstage or evidence step leads: the customer acts and, as far as the blueprint shows, the
    service never answers.

    Best practice: connect it to the frontstage step that responds (`flow ask -> answer`), or add
    that step if it is missing.
    """
    following: dict[str, list[str]] = {}
    answered: set[str] = set()
    for flow in bp.flows:
        following.setdefault(flow.source, []).append(flow.target)
        if bp.steps[flow.source].lane in RESPONSE_LANES:
            answered.add(flow.target)
    for step in bp.steps.values():
        if step.lane is not Lane.CUSTOMER or step.id in answered:
            continue
        seen, queue, found = {step.id}, deque([step.id]), False
        while queue and not found:
            for nxt in following.get(queue.popleft(), ()):
                lane = bp.steps[nxt].lane
                if lane in RESPONSE_LANES:
                    found = True
                    break
                if nxt not in seen and lane in (Lane.CUSTOMER, Lane.SUPPORT):
                    seen.add(nxt)
                    queue.append(nxt)
        if not found:
            yield Finding(
                "BP103",
                "customer-without-response",
                Severity.WARNING.value,
                f"The customer gets no response to {quoted(step.label)} ({step.id}): no flow leads from it to a frontstage or evidence step",
                step.span,
                step.id,
                hint="add a flow from it to the frontstage step (or evidence) that answers it",
            )


def _entries(bp: Blueprint) -> list[str]:
    """Where journeys start: every step of the first stage, and customer steps that nothing leads into.

    A step of the first stage is an entry even when a flow loops back into it (`decide -> fill`):
    otherwise a journey whose flows go round would have no start and every step would be flagged.
    """
    targets = {f.target for f in bp.flows}
    first = next(iter(bp.stages), None)
    return [s.id for s in bp.steps.values() if s.stage == first or (s.lane is Lane.CUSTOMER and s.id not in targets)]


def unreachable_step(bp: Blueprint, options: Options) -> Iterator[Finding]:
    """A step cannot be reached from where the journey starts.

    Anti-pattern: a step that no flow leads to from an entry point (any step of the first stage, or a
    customer action that nothing leads into): it floats in the diagram, disconnected from the
    journey. Evidence steps are exempt.

    Best practice: add the flow that leads to it (`flow told_date -> explain`), or remove it.
    """
    following: dict[str, list[str]] = {}
    for flow in bp.flows:
        following.setdefault(flow.source, []).append(flow.target)
    seen = set(_entries(bp))
    queue = deque(seen)
    while queue:
        for nxt in following.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    for step in bp.steps.values():
        if step.id not in seen and step.lane is not Lane.EVIDENCE:
            yield Finding(
                "BP104",
                "unreachable-step",
                Severity.WARNING.value,
                f"{quoted(step.label)} ({step.id}) cannot be reached from the start of the journey by following flows",
                step.span,
                step.id,
                hint="add a flow into it from the step that comes before",
            )


def dead_end(bp: Blueprint, options: Options) -> Iterator[Finding]:
    """A step leads nowhere before the last stage.

    Anti-pattern: a step with no outgoing flow that serves no outcome and is not in the last stage:
    the journey stops there, or a flow was forgotten. Evidence steps are exempt.

    Best practice: add the flow to what happens next, or mark what the step achieves with
    `[outcome=ID]`.
    """
    sources = {f.source for f in bp.flows}
    last = next(reversed(bp.stages), None) if bp.stages else None
    for step in bp.steps.values():
        if step.id not in sources and step.stage != last and step.outcome is None and step.lane is not Lane.EVIDENCE:
            yield Finding(
                "BP105",
                "dead-end",
                Severity.NOTE.value,
                f"{quoted(step.label)} ({step.id}) leads nowhere before the last stage: no flow goes on from it and it serves no outcome",
                step.span,
                step.id,
                hint="add a flow to the next step, or [outcome=ID]",
            )


def unused_actor(bp: Blueprint, options: Options) -> Iterator[Finding]:
    """An actor is declared but does no step and owns no flow.

    Anti-pattern: `actor bed_manager "Bed manager" @hospital` in a file where no step says
    `by bed_manager`: the diagram suggests a role that plays no part.

    Best practice: remove the declaration, or add the steps the actor does. Declarations in an
    included shared file are exempt.
    """
    used = {s.actor for s in bp.steps.values()} | {f.owner for f in bp.flows}
    for actor in bp.actors.values():
        if actor.id not in used and _main_file(bp, actor.span):
            yield Finding(
                "BP106",
                "unused-actor",
                Severity.NOTE.value,
                f"The actor {quoted(actor.label)} ({actor.id}) does no step",
                actor.span,
                actor.id,
                hint="remove it or add 'by " + actor.id + "' to its steps",
            )


def unused_system(bp: Blueprint, options: Options) -> Iterator[Finding]:
    """A system is declared but no step uses it.

    Anti-pattern: `system spreadsheet "Tracker"` that no step lists in `uses`: either a shadow
    system whose use is not mapped, or a leftover.

    Best practice: add `uses SYSTEM` to the steps that use it, or remove the declaration.
    Declarations in an included shared file are exempt.
    """
    used = {system for s in bp.steps.values() for system in s.systems}
    for system in bp.systems.values():
        if system.id not in used and _main_file(bp, system.span):
            yield Finding(
                "BP107",
                "unused-system",
                Severity.NOTE.value,
                f"The system {quoted(system.label)} ({system.id}) is used by no step",
                system.span,
                system.id,
                hint="add 'uses " + system.id + "' to its steps, or remove it",
            )


def unserved_outcome(bp: Blueprint, options: Options) -> Iterator[Finding]:
    """An outcome is declared but no step serves it.

    Anti-pattern: `outcome safe_home "Safe at home"` and no step with `[outcome=safe_home]`: the
    service claims an aim that nothing in it works towards (this also covers outcomes declared
    and never used, since steps are the only users of outcomes).

    Best practice: mark the steps that achieve it with `[outcome=safe_home]`, or remove it.
    Outcomes declared in an included shared file are exempt (`blueprint map` reports the ones
    that no journey serves).
    """
    served = {s.outcome for s in bp.steps.values()}
    for outcome in bp.outcomes.values():
        if outcome.id not in served and _main_file(bp, outcome.span):
            yield Finding(
                "BP108",
                "unserved-outcome",
                Severity.WARNING.value,
                f"No step serves the outcome {quoted(outcome.label)} ({outcome.id})",
                outcome.span,
                outcome.id,
                hint=f"add [outcome={outcome.id}] to the steps that achieve it",
            )


def assumed_share(bp: Blueprint, options: Options) -> Iterator[Finding]:
    """Too many steps of an observed blueprint rest on assumption.

    Anti-pattern: an observed (as-is) blueprint where more than half of the steps (the
    `--max-assumed` share) have no evidence level or `evidence=assumed`: it looks like research
    but is mostly guesswork. Intended blueprints are plans and are exempt.

    Best practice: go and look, then record `[evidence=observed]`, `reported` or `measured`; keep
    what is still unknown visible with `unknown STEP "..."`.
    """
    if bp.variant is not Variant.OBSERVED or not bp.steps:
        return
    assumed = [s for s in bp.steps.values() if s.assumed]
    share = len(assumed) / len(bp.steps)
    if share > options.max_assumed:
        yield Finding(
            "BP109",
            "assumed-share",
            Severity.NOTE.value,
            f"{share:.0%} of the steps rest on assumption ({len(assumed)} of {len(bp.steps)}; the limit is {options.max_assumed:.0%})",
            bp.span,
            "blueprint",
            hint="record [evidence=observed|reported|measured] where research supports the step",
        )


def tell_us_once(bp: Blueprint, options: Options) -> Iterator[Finding]:
    """The customer is asked for the same data item in two or more steps.

    Anti-pattern: `customer tell_council "..." collects address` and later
    `customer tell_benefits "..." collects address`: the service makes the person say the same
    thing twice, and the two answers can disagree.

    Best practice: ask once ("tell us once") and pass it on: keep `collects address` on one
    customer step and let the later step read it from a shared system (`uses shared_record`).
    """
    asked: dict[str, list[str]] = {}
    for step in bp.steps.values():
        if step.lane is Lane.CUSTOMER:
            for item in step.data:
                asked.setdefault(item, []).append(step.id)
    for item, step_ids in asked.items():
        if len(step_ids) < 2:
            continue
        label = bp.data[item].label if item in bp.data else item
        later = bp.steps[step_ids[1]]
        labels = ", ".join(quoted(bp.steps[s].label) for s in step_ids)
        yield Finding(
            "BP110",
            "tell-us-once",
            Severity.WARNING.value,
            f"The customer is asked for {quoted(label)} ({item}) in {len(step_ids)} steps: {labels}",
            later.span,
            item,
            hint=f"collect {item} once and share it; remove it from 'collects' on the later steps",
        )


def renamed_in_plan(bp: Blueprint, options: Options) -> Iterator[Finding]:
    """A `renamed` line in an intended blueprint.

    Anti-pattern: `renamed old -> new` in an intended (to-be) file. A rename tells `diff` which
    step of the plan an observed step is; in the plan itself it does nothing, and it is easy to
    believe that it did.

    Best practice: write `renamed` lines in the observed file (`variant observed`), or remove it.
    """
    if bp.variant is Variant.OBSERVED:
        return
    for rename in bp.renames:
        yield Finding(
            "BP111",
            "renamed-in-plan",
            Severity.WARNING.value,
            f"The renamed line {rename.old} → {rename.new} is in an intended blueprint, where it does nothing",
            rename.span,
            f"{rename.old}->{rename.new}",
            hint="renamed lines belong in the observed file (variant observed)",
        )


RULES: tuple[Rule, ...] = (
    Rule("BP101", "unowned-join", Severity.WARNING.value, unowned_join),
    Rule("BP102", "step-without-actor", Severity.WARNING.value, step_without_actor),
    Rule("BP103", "customer-without-response", Severity.WARNING.value, customer_without_response),
    Rule("BP104", "unreachable-step", Severity.WARNING.value, unreachable_step),
    Rule("BP105", "dead-end", Severity.NOTE.value, dead_end),
    Rule("BP106", "unused-actor", Severity.NOTE.value, unused_actor),
    Rule("BP107", "unused-system", Severity.NOTE.value, unused_system),
    Rule("BP108", "unserved-outcome", Severity.WARNING.value, unserved_outcome),
    Rule("BP109", "assumed-share", Severity.NOTE.value, assumed_share),
    Rule("BP110", "tell-us-once", Severity.WARNING.value, tell_us_once),
    Rule("BP111", "renamed-in-plan", Severity.WARNING.value, renamed_in_plan),
)
