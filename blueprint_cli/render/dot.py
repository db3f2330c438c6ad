"""The blueprint as DOT text with every position pinned, for `neato -n2`: pure and deterministic.

Graphviz only draws: boxes, bands, headers and the routes of the arrows all come from
`layout.py` and `routes.py`. Backgrounds are pinned nodes declared first (drawn first with
`outputorder=nodesfirst`); lines and stage boundaries are edges between invisible anchors.
"""

from __future__ import annotations

from collections.abc import Mapping

from blueprint_cli.language.model import Blueprint
from blueprint_cli.render import layout as G
from blueprint_cli.render.flows import Looks, draw_flows
from blueprint_cli.render.frame import draw_header, draw_lanes, draw_lines, draw_stages
from blueprint_cli.render.legend import draw_legend, plan_legend
from blueprint_cli.render.routes import route_flows
from blueprint_cli.render.steps import draw_steps
from blueprint_cli.render.style import org_colours
from blueprint_cli.render.writer import Writer, document


def to_dot(
    blueprint: Blueprint,
    *,
    step_status: Mapping[str, str] | None = None,
    flow_status: Mapping[tuple[str, str], str] | None = None,
    heading: str | None = None,
) -> str:
    """DOT for `neato -n2`: the whole swimlane picture with pinned positions.

    `heading` replaces the line under the title that names the variant (the HTML report's
    overlay of both versions is neither the intended nor the observed service).
    """
    step_status = dict(step_status or {})
    flow_status = dict(flow_status or {})
    layout = G.compute(blueprint, step_status=step_status)
    routes = route_flows(blueprint, layout)
    colours = org_colours(blueprint)
    legend = plan_legend(blueprint, layout.width, set(layout.cells), colours, flow_status)
    layout.width = legend.width  # final before anything is drawn: the lines between lanes span it
    w = Writer()
    draw_header(w, blueprint, layout, heading=heading)
    draw_lanes(w, layout)
    draw_stages(w, layout)
    draw_steps(w, blueprint, layout, colours, step_status)
    height = draw_legend(w, legend, layout.bands_bottom) + G.MARGIN
    draw_lines(w, layout)
    draw_flows(w, Looks.of(blueprint, flow_status), layout, routes)
    return document(w, layout.width, height)
