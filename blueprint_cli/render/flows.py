"""The arrows: each flow's look (handoffs, overlay statuses, measured cases) and its route drawn
as an edge, with its label where `placement.py` finds room for it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from blueprint_cli.language.model import Blueprint, Flow, Handoff
from blueprint_cli.render import labels as L
from blueprint_cli.render import layout as G
from blueprint_cli.render.escape import quoted
from blueprint_cli.render.placement import LabelPlacer
from blueprint_cli.render.routes import Route
from blueprint_cli.render.style import FLOW_COLOUR, FLOW_STATUS_COLOURS, HANDOFF_COLOUR, MUTED, WARNING
from blueprint_cli.render.writer import Writer, number
from blueprint_cli.vocab import FlowStatus

# A flow's status in an overlay, by (source, target).
FlowStatuses = Mapping[tuple[str, str], str]


@dataclass(frozen=True, slots=True)
class Look:
    """How a flow is drawn: its classes, colour, thickness, line style and the texts of its label."""

    classes: list[str]
    colour: str
    penwidth: float
    style: str
    texts: list[str]
    bold_first: bool


@dataclass(frozen=True, slots=True)
class Looks:
    """What every flow's look depends on besides the flow, worked out once per picture (a wrapped
    picture draws its bands and connectors with the same one)."""

    blueprint: Blueprint
    flow_status: FlowStatuses
    handoffs: Mapping[tuple[str, str], Handoff]  # the blueprint's, by (source, target)
    busiest: int  # the most cases a flow carries: the scale of measured thickness

    @classmethod
    def of(cls, blueprint: Blueprint, flow_status: FlowStatuses) -> Looks:
        handoffs = {(h.source, h.target): h for h in blueprint.handoffs}
        return cls(blueprint, flow_status, handoffs, busiest_flow(blueprint))

    def look(self, flow: Flow) -> Look:
        """A flow's look: handoffs heavy (unowned in vermillion), overlay statuses, cases measured."""
        key = flow.key
        return _look(self.blueprint, flow, self.handoffs.get(key), self.flow_status.get(key), self.busiest)


def _look(blueprint: Blueprint, flow: Flow, handoff: Handoff | None, status: str | None, busiest: int) -> Look:
    classes = ["bp-flow"]
    colour, penwidth, style = FLOW_COLOUR, 1.2, "solid"
    texts: list[str] = []
    if flow.label:
        texts.append(flow.label)
    if handoff is not None:
        classes.append("handoff")
        if handoff.owned:
            colour, penwidth = HANDOFF_COLOUR, 2.6
            texts.append("owner: " + _owner_label(blueprint, handoff.owner))
        else:
            classes.append("unowned")
            colour, penwidth = WARNING, 2.6
            texts.insert(0, "unowned handoff")
    if status:
        classes.append(f"status-{status}")
        colour = FLOW_STATUS_COLOURS.get(status, colour)
        if status == FlowStatus.BROKEN:
            style = "dashed"
            texts.insert(0, "✕ broken")
        elif status == FlowStatus.NEW:
            penwidth = max(penwidth, 2.4)
            texts.insert(0, "new")
    if flow.cases is not None and busiest:
        # measured (`observe`): thickness by the cases that take the flow; waits on handoffs
        penwidth = round(penwidth + 4.0 * flow.cases / busiest, 2)
        if handoff is not None:
            texts.append(f"{flow.cases:,} cases" + (f" · waits {flow.wait}" if flow.wait else ""))
    bold_first = bool(status or (handoff and not handoff.owned))
    return Look(classes, colour, penwidth, style, texts, bold_first)


def busiest_flow(blueprint: Blueprint) -> int:
    """The most cases any flow carries (0 when nothing is measured): the scale of measured thickness."""
    return max((f.cases for f in blueprint.flows if f.cases), default=0)


def _owner_label(blueprint: Blueprint, owner: str | None) -> str:
    if owner in blueprint.actors:
        return blueprint.actors[owner].label
    if owner in blueprint.orgs:
        return blueprint.orgs[owner].label
    return owner or ""


def draw_flows(
    w: Writer,
    looks: Looks,
    layout: G.Layout,
    routes: list[Route],
    *,
    behind: Mapping[tuple[str, str], tuple[Flow, str]] | None = None,
) -> None:
    """Every route drawn as its flow; `behind` maps a band's route to the blueprint's flow and a
    suffix for its id (a flow between bands is drawn as two halves, to and from connectors)."""
    placer = LabelPlacer(layout, routes)
    behind = behind or {}
    for route in routes:
        flow, suffix = behind.get(route.flow.key, (route.flow, ""))
        look = looks.look(flow)
        attrs = {
            "id": quoted(f"flow-{flow.source}--{flow.target}{suffix}"),
            "class": quoted(" ".join(look.classes + (["off-band"] if suffix else []))),
            "color": quoted(look.colour),
            "penwidth": number(look.penwidth),
            "style": look.style,
        }
        label_at = None
        if look.texts:
            label_at, wrapped = placer.place(look.texts, route)
            attrs["label"] = L.edge_label(
                wrapped, colour=look.colour if look.colour != FLOW_COLOUR else MUTED, bold_first=look.bold_first
            )
        tail, head = route.flow.source, route.flow.target
        w.edge(f"step_{tail}", f"step_{head}", route.points, arrow=True, label_at=label_at, attrs=attrs)
