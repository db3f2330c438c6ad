"""What the map page shows, as plain values for its template (`templates/map.html.j2`).

Every piece of user text stays a `str` here: the template's autoescape makes it safe. Anchors are
made from journey and organisation positions (`journey-2`, `org-3`) and step ids (lower case
letters, digits and _), never from file names or labels, so they need no escaping.
"""

from __future__ import annotations

import shlex
from typing import Any
from urllib.parse import quote

from blueprint_cli.architecture.base import MapFinding
from blueprint_cli.architecture.build import Architecture, Journey
from blueprint_cli.architecture.facts import Facts, StepRef
from blueprint_cli.architecture.overview import anchors
from blueprint_cli.words import plural

View = dict[str, Any]


class _Names:
    """Anchors and labels for journeys, orgs and steps."""

    def __init__(self, facts: Facts):
        self.facts = facts
        self.journey_anchor, self.org_anchor = anchors(facts)
        self.journeys = {j.stem: j for j in facts.journeys}

    def journey(self, stem: str) -> View:
        return {"anchor": self.journey_anchor[stem], "title": self.journeys[stem].title}

    def org(self, org: str) -> View:
        return {"anchor": self.org_anchor.get(org, ""), "label": self.facts.label("orgs", org)}

    def step(self, ref: StepRef) -> View:
        stem, step_id = ref
        bp = self.journeys[stem].primary
        step = bp.steps.get(step_id)
        return {
            "href": f"#{self.journey_anchor[stem]}-step-{step_id}",
            "label": step.label if step else step_id,
            "journey": self.journey(stem),
        }

    def tokens(self, stems: list[str], orgs: list[str]) -> View:
        """The `data-journeys` and `data-orgs` attributes the filters read."""
        return {
            "journeys": " ".join(self.journey_anchor[s] for s in stems),
            "orgs": " ".join(self.org_anchor[o] for o in orgs if o in self.org_anchor),
        }


def page_context(architecture: Architecture, facts: Facts, findings: list[MapFinding]) -> View:
    names = _Names(facts)
    unowned = sum(1 for j in facts.joins if j.owner is None)
    return {
        "title": "Service architecture",
        "sources": [j.path for j in facts.journeys],
        "counts": {
            "journeys": plural(len(facts.journeys), "journey"),
            "orgs": plural(len(facts.orgs), "organisation"),
            "systems": plural(len(facts.systems), "system"),
            "joins": plural(len(facts.joins), "join") + (f" ({unowned} unowned)" if unowned else ""),
            "data": plural(len(facts.data), "data item"),
        },
        "findings": [f.to_json() for f in findings],
        "left_out": [
            {"path": o.path, "problems": [f"{d.span.line}:{d.span.column}: {d.message}" for d in o.diagnostics]}
            for o in architecture.left_out
        ],
        "fragments": list(architecture.fragments),
        "filter_orgs": [names.org(o) for o in facts.orgs],
        "filter_journeys": [names.journey(j.stem) for j in facts.journeys],
        "outcomes": _outcomes(facts, names),
        "matrix": _matrix(facts, names),
        "systems": _systems(facts, names),
        "joins": _joins(facts, names),
        "pairs": [
            {"orgs": [names.org(o) for o in pair], "journeys": [names.journey(s) for s in stems]}
            for pair, stems in facts.pairs.items()
            if len(stems) > 1
        ],
        "data_items": _data(facts, names),
        "journeys": [_journey(j, facts, names) for j in facts.journeys],
    }


def _outcomes(facts: Facts, names: _Names) -> list[View]:
    out = []
    for ident, outcome in facts.outcomes.items():
        out.append(
            {
                "id": ident,
                "label": outcome.label,
                "journeys": [names.journey(s) for s in outcome.journeys],
                "steps": [names.step(ref) for ref in outcome.served_by],
                "tokens": names.tokens(outcome.journeys, []),
            }
        )
    return out


def _matrix(facts: Facts, names: _Names) -> View:
    rows = []
    for journey in facts.journeys:
        cells = []
        for org in facts.orgs:
            cell = facts.matrix.get((journey.stem, org))
            cells.append(
                {
                    "present": cell is not None,
                    "steps": cell.steps if cell else 0,
                    "handoffs": cell.handoffs if cell else 0,
                }
            )
        rows.append(
            {"journey": names.journey(journey.stem), "cells": cells, "tokens": names.tokens([journey.stem], [])}
        )
    return {"orgs": [names.org(o) for o in facts.orgs], "rows": rows}


def _systems(facts: Facts, names: _Names) -> list[View]:
    out = []
    for ident, stems in facts.systems.items():
        orgs = facts.system_orgs.get(ident, [])
        out.append(
            {
                "id": ident,
                "label": facts.label("systems", ident),
                "journeys": [names.journey(s) for s in stems],
                "orgs": [names.org(o) for o in orgs],
                "shared": len(stems) > 1,
                "tokens": names.tokens(stems, orgs),
            }
        )
    return out


def _joins(facts: Facts, names: _Names) -> list[View]:
    return [
        {
            "journey": names.journey(j.journey),
            "source": names.step((j.journey, j.source)),
            "target": names.step((j.journey, j.target)),
            "from_org": names.org(j.from_org),
            "to_org": names.org(j.to_org),
            "owner": _owner(facts, j.owner),
            "tokens": names.tokens([j.journey], [j.from_org, j.to_org]),
        }
        for j in facts.joins
    ]


def _owner(facts: Facts, owner: str | None) -> str | None:
    if owner is None:
        return None
    for table in ("actors", "orgs"):
        if owner in facts.labels.get(table, {}):
            return facts.label(table, owner)
    return owner


def _data(facts: Facts, names: _Names) -> list[View]:
    out = []
    for ident, item in facts.data.items():
        stems = list(dict.fromkeys(stem for stem, _ in item.collected_by))
        out.append(
            {
                "id": ident,
                "label": item.label,
                "asked": [names.step(ref) for ref in item.asked_of_customer],
                "asked_again": len(item.asked_in) > 1,
                "collected": len(item.collected_by),
                "stored_in": [facts.label("systems", s) for s in item.stored_in],
                "duplicated": len(item.stored_in) > 1,
                "tokens": names.tokens(stems, []),
            }
        )
    return out


def _journey(journey: Journey, facts: Facts, names: _Names) -> View:
    bp = journey.primary
    anchor = names.journey_anchor[journey.stem]
    orgs = [o for o, stems in facts.orgs.items() if journey.stem in stems]
    steps = []
    for step in bp.steps.values():
        stage = bp.stages.get(step.stage)
        steps.append(
            {
                "anchor": f"{anchor}-step-{step.id}",
                "target": f"{anchor}-bp-step-{step.id}",
                "id": step.id,
                "label": step.label,
                "lane": step.lane.heading,
                "stage": stage.label if stage else step.stage,
                "org": bp.org_label(step.org) if step.org else "",
                "collects": [bp.data[d].label if d in bp.data else d for d in step.data],
                "outcome": bp.outcomes[step.outcome].label if step.outcome and step.outcome in bp.outcomes else "",
            }
        )
    return {
        "anchor": anchor,
        "stem": journey.stem,
        "title": journey.title,
        "description": bp.description or "",
        "files": [{"variant": v, "path": b.path} for v, b in journey.versions.items()],
        "orgs": [names.org(o) for o in orgs],
        "summary": f"{plural(len(bp.steps), 'step')}, {plural(len(bp.stages), 'stage')}, {plural(len(bp.handoffs), 'handoff')}",
        "scores": _scores(journey),
        "steps": steps,
        "tokens": names.tokens([journey.stem], orgs),
    }


def _scores(journey: Journey) -> View | None:
    comparison = journey.comparison
    if comparison is None:
        return None
    s = comparison.scores
    counts = comparison.counts()
    intended = journey.versions["intended"].path
    observed = journey.versions["observed"].path
    return {
        "delivered": f"{round(s.delivered_share * 100)}%",
        "planned": f"{round(s.planned_share * 100)}%",
        "handoffs": f"{round(s.handoffs_intact_share * 100)}%",
        "unowned": f"{s.unowned_intended} → {s.unowned_observed}",
        "changes": ", ".join(plural(n, severity) for severity, n in counts.items()),
        "report_href": "./" + quote(f"{journey.stem}.report.html"),
        "report_command": shlex.join(["blueprint", "report", intended, observed, "-o", f"{journey.stem}.report.html"]),
    }
