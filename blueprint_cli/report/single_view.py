"""The context of the single-blueprint report: its check findings, scores and handoffs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from blueprint_cli.language.model import Blueprint
from blueprint_cli.report import context as C
from blueprint_cli.vocab import Severity, count_severities
from blueprint_cli.words import plural

if TYPE_CHECKING:
    from blueprint_cli.checks import Finding


def finding_views(blueprint: Blueprint, findings: Sequence[Finding]) -> list[C.FindingView]:
    """One view per check finding (`Finding(code, name, severity, message, span, id, hint)`)."""
    from blueprint_cli.checks import all_rules

    rules = {rule.code: rule for rule in all_rules()}
    anchors = C.unique_anchors([_anchor(f) for f in findings])
    views = []
    for finding, anchor in zip(findings, anchors, strict=False):
        element = finding.id or ""
        step = blueprint.steps.get(element.split("#", 1)[0].split("->", 1)[0])
        family = C.family_of(f"check.{finding.name}")
        family = family if family in ("unowned", "evidence", "pain") else "check"
        rule = rules.get(finding.code)
        views.append(
            C.FindingView(
                anchor=anchor,
                kind=finding.code,
                kind_title=f"{finding.code} {_words(finding.name)}",
                family=family,
                symbol=C.FAMILIES[family][0],
                severity=finding.severity,
                severity_word=C.SEVERITY_WORDS.get(finding.severity, finding.severity),
                message=finding.message,
                subject=step.label if step else _subject(blueprint, element),
                before=None,
                after=None,
                values_label="",
                why=rule.summary if rule else "",  # the rule's "Anti-pattern" is an example from another blueprint
                hint=finding.hint or (rule.section("Best practice") if rule else None) or None,
                where=f"{finding.span.path}:{finding.span.line}"
                if finding.span is not None and finding.span.line > 0
                else "",
                target=_target(blueprint, element),
                stage=step.stage if step else (element if element in blueprint.stages else ""),
                lane=step.lane.value if step else "",
                lane_title=step.lane.heading if step else "",
                org=(step.org or "") if step else "",
                org_label=blueprint.org_label(step.org) if step and step.org else "",
            )
        )
    return views


def _anchor(finding: Finding) -> str:
    return C.anchor_for(finding.code, finding.id or "blueprint").replace("change-", "finding-", 1)


def _words(name: str) -> str:
    return name.replace("-", " ").replace("_", " ")


def _subject(blueprint: Blueprint, element: str) -> str:
    for table in ("stages", "actors", "systems", "outcomes", "orgs"):
        found = C.labelled(blueprint, table).get(element)
        if found is not None:
            return found.label
    if "->" in element:
        source, _, target = element.partition("->")
        first, second = blueprint.steps.get(source), blueprint.steps.get(target)
        if first is not None and second is not None:
            return f"{first.label} → {second.label}"
    return ""


def _target(blueprint: Blueprint, element: str) -> str:
    if "->" in element:
        source, _, target = element.partition("->")
        if any(f.key == (source, target) for f in blueprint.flows):
            return f"flow-{source}--{target}"
        element = source
    element = element.split("#", 1)[0]
    if element in blueprint.steps:
        return f"step-{element}"
    if element in blueprint.stages:
        return f"stage-{element}"
    return ""


def handoff_rows(blueprint: Blueprint) -> list[C.HandoffRow]:
    rows = []
    for handoff in blueprint.handoffs:
        owner = "nobody"
        if handoff.owner is not None:
            actor = blueprint.actors.get(handoff.owner)
            owner = actor.label if actor else blueprint.org_label(handoff.owner)
        state = "owned" if handoff.owned else "unowned"
        rows.append(
            C.HandoffRow(
                source=blueprint.steps[handoff.source].label,
                target=blueprint.steps[handoff.target].label,
                from_org=blueprint.org_label(handoff.from_org),
                to_org=blueprint.org_label(handoff.to_org),
                intended_owner=owner,
                observed_owner=owner,
                state=state,
                state_class=state,
                target_id=f"flow-{handoff.source}--{handoff.target}",
            )
        )
    return rows


def _word(count: int, singular: str) -> str:
    """The noun after a count shown separately: `step` for 1, `steps` otherwise."""
    return plural(count, singular).split(" ", 1)[1]


def score_cards(blueprint: Blueprint, findings: list[C.FindingView]) -> list[C.ScoreCard]:
    handoffs = len(blueprint.handoffs)
    owned = sum(1 for h in blueprint.handoffs if h.owned)
    assumed = C.assumed_share(blueprint)
    pains = sum(1 for a in blueprint.annotations if a.kind in ("pain", "workaround"))
    unknowns = sum(1 for a in blueprint.annotations if a.kind == "unknown")
    errors = count_severities(f["severity"] for f in findings)[Severity.ERROR.value]
    owned_share = owned / handoffs if handoffs else 1.0
    return [
        C.ScoreCard(
            key="steps",
            value=str(len(blueprint.steps)),
            share=None,
            tone="neutral",
            caption=f"{_word(len(blueprint.steps), 'step')} in {plural(len(blueprint.stages), 'stage')}, across {plural(len(blueprint.orgs), 'organisation')}",
        ),
        C.ScoreCard(
            key="handoffs",
            value=f"{owned} of {handoffs}" if handoffs else "–",
            share=owned_share,
            tone=C.tone(owned_share) if handoffs else "neutral",
            caption="handoff between organisations has an owner"
            if handoffs == 1
            else f"handoffs between organisations {'has' if owned == 1 else 'have'} an owner",
        ),
        C.ScoreCard(
            key="assumed",
            value=f"{round(assumed * 100)}%",
            share=assumed,  # the bar shows the number on the card
            tone=C.tone(1 - assumed, good=0.8, fair=0.5),
            caption="of the steps rest on assumption",
        ),
        C.ScoreCard(
            key="pains",
            value=str(pains),
            share=None,
            tone="neutral",
            caption=f"{'pain point or workaround' if pains == 1 else 'pain points and workarounds'}; {plural(unknowns, 'unknown')}",
        ),
        C.ScoreCard(
            key="errors",
            value=str(errors),
            share=None,
            tone="good" if errors == 0 else "poor",
            caption=f"{_word(errors, 'error')} found by the checks",
        ),
    ]
