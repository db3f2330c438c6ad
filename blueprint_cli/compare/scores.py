"""The scores of a comparison: delivered and planned steps, intact handoffs, unowned joins, assumptions."""

from __future__ import annotations

from blueprint_cli.compare.match import Matching
from blueprint_cli.compare.result import Scores
from blueprint_cli.language.model import Blueprint


def assumed_share(blueprint: Blueprint) -> float:
    """Share of steps resting on assumption (evidence assumed or not stated); 0.0 without steps."""
    if not blueprint.steps:
        return 0.0
    return sum(1 for s in blueprint.steps.values() if s.assumed) / len(blueprint.steps)


def score(intended: Blueprint, observed: Blueprint, matching: Matching) -> Scores:
    observed_flows = {f.key for f in observed.flows}
    pairs = matching.steps
    intact = sum(
        1
        for h in intended.handoffs
        if h.source in pairs and h.target in pairs and (pairs[h.source], pairs[h.target]) in observed_flows
    )
    return Scores(
        intended_steps=len(intended.steps),
        delivered_steps=len(pairs),
        observed_steps=len(observed.steps),
        planned_steps=len(pairs),
        intended_handoffs=len(intended.handoffs),
        intact_handoffs=intact,
        unowned_intended=sum(1 for h in intended.handoffs if not h.owned),
        unowned_observed=sum(1 for h in observed.handoffs if not h.owned),
        assumed_share_intended=assumed_share(intended),
        assumed_share_observed=assumed_share(observed),
    )
