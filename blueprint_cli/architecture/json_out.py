"""`blueprint map --format json`: the architecture as plain JSON values (sorted keys, journey order)."""

from __future__ import annotations

import json

from blueprint_cli.architecture.build import Architecture, Journey
from blueprint_cli.architecture.facts import Facts, all_findings

MAP_VERSION = 1


def _journey(journey: Journey) -> dict[str, object]:
    bp = journey.primary
    out: dict[str, object] = {
        "stem": journey.stem,
        "title": journey.title,
        "path": journey.path,
        "variants": journey.variants,
        "files": {variant: version.path for variant, version in journey.versions.items()},
        "steps": len(bp.steps),
        "handoffs": len(bp.handoffs),
        "unowned_joins": sum(1 for h in bp.handoffs if not h.owned),
        "scores": None,
    }
    if journey.comparison is not None:
        out["scores"] = dict(journey.comparison.scores.to_json())
        out["changes"] = journey.comparison.counts()
    return out


def to_json(architecture: Architecture, facts: Facts) -> dict[str, object]:
    """The map's JSON document: journeys, orgs, systems, joins, data, outcomes, matrix and findings."""
    return {
        "version": MAP_VERSION,
        "journeys": [_journey(j) for j in facts.journeys],
        "left_out": [o.path for o in architecture.left_out],
        "fragments": list(architecture.fragments),
        "orgs": dict(facts.orgs),
        "systems": dict(facts.systems),
        "joins": [
            {
                "journey": j.journey,
                "from": j.source,
                "to": j.target,
                "from_org": j.from_org,
                "to_org": j.to_org,
                "owner": j.owner,
            }
            for j in facts.joins
        ],
        "org_pairs": [{"orgs": list(pair), "journeys": stems} for pair, stems in facts.pairs.items() if len(stems) > 1],
        "data": {
            ident: {
                "label": item.label,
                "asked_of_customer": [list(ref) for ref in item.asked_of_customer],
                "collected_by": [list(ref) for ref in item.collected_by],
                "stored_in": item.stored_in,
            }
            for ident, item in facts.data.items()
        },
        "outcomes": {
            ident: {"label": o.label, "served_by": [list(ref) for ref in o.served_by]}
            for ident, o in facts.outcomes.items()
        },
        "matrix": [
            {"journey": stem, "org": org, "steps": cell.steps, "handoffs": cell.handoffs}
            for (stem, org), cell in facts.matrix.items()
        ],
        "findings": [f.to_json() for f in all_findings(architecture, facts)],
    }


def dumps(architecture: Architecture, facts: Facts) -> str:
    return json.dumps(to_json(architecture, facts), indent=2, ensure_ascii=False) + "\n"
