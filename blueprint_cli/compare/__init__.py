"""Comparing an intended and an observed blueprint: `compare(intended, observed) -> Comparison`."""

from __future__ import annotations

from blueprint_cli.compare.kinds import KIND_ORDER, KINDS, Kind
from blueprint_cli.compare.result import Change, Comparison, MatchedBy, Scores, StepMatch
from blueprint_cli.language.model import Blueprint

__all__ = ["KINDS", "Change", "Comparison", "Kind", "MatchedBy", "Scores", "StepMatch", "compare", "stage_order"]


def compare(intended: Blueprint, observed: Blueprint) -> Comparison:
    """Every drift between two versions of a service, in a deterministic order."""
    from blueprint_cli.compare.changes import (
        Context,
        annotation_changes,
        data_changes,
        outcome_changes,
        stage_changes,
        step_changes,
        unserved_outcomes,
        who_and_what_changes,
    )
    from blueprint_cli.compare.flows import flow_changes
    from blueprint_cli.compare.match import match
    from blueprint_cli.compare.scores import score

    matching = match(intended, observed)
    ctx = Context(intended, observed, matching)
    unserved = unserved_outcomes(intended, observed)
    changes = [
        *stage_changes(ctx),
        *step_changes(ctx, unserved=set(unserved)),
        *flow_changes(ctx),
        *who_and_what_changes(ctx),
        *data_changes(ctx),
        *outcome_changes(ctx, unserved),
        *annotation_changes(ctx),
    ]
    rank = {s: n for n, s in enumerate(stage_order(intended, observed, matching.stages))}
    changes.sort(key=lambda c: (rank.get(c.stage, -1) if c.stage else -1, KIND_ORDER[c.kind], c.id))
    return Comparison(
        intended,
        observed,
        tuple(changes),
        matching.step_matches(),
        dict(matching.stages),
        score(intended, observed, matching),
    )


def stage_order(intended: Blueprint, observed: Blueprint, stages: dict[str, str]) -> list[str]:
    """Intended stage ids in order, with unplanned observed stages after the stage they follow."""
    back = {o: i for i, o in stages.items()}
    after: dict[str | None, list[str]] = {}
    previous: str | None = None
    for o_id in observed.stages:
        if o_id in back:
            previous = back[o_id]
        else:
            after.setdefault(previous, []).append(o_id)
    order = list(after.get(None, []))
    for s_id in intended.stages:
        order.append(s_id)
        order.extend(after.get(s_id, []))
    return order
