"""A wide blueprint drawn as bands of stages one under another, or one band per page (`--wrap-stages`).

Each band is laid out and routed on its own (`bands.py` cuts the blueprint; `layout.py` and
`routes.py` place it) and drawn by the unwrapped picture's pieces (`frame.py`, `steps.py`,
`flows.py`), moved down to its place: lane titles, stage headers, lines between lanes, org colours
and box styles as in the unwrapped picture. The title is drawn once at the top, the legend and
key once at the bottom (on the last page of a PDF).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from blueprint_cli.language.model import Blueprint, Flow
from blueprint_cli.render import content as C
from blueprint_cli.render import labels as L
from blueprint_cli.render import layout as G
from blueprint_cli.render.bands import CONNECTOR_FONT, INCOMING, Band, connector_boxes, is_connector, split
from blueprint_cli.render.escape import quoted
from blueprint_cli.render.flows import Looks, draw_flows
from blueprint_cli.render.frame import draw_header, draw_lanes, draw_lines, draw_stages
from blueprint_cli.render.legend import draw_legend, plan_legend
from blueprint_cli.render.metrics import text_width
from blueprint_cli.render.routes import Route, route_flows
from blueprint_cli.render.steps import draw_steps
from blueprint_cli.render.style import FLOW_COLOUR, GRID, INK, MUTED, Colours, org_colours, tint
from blueprint_cli.render.writer import Writer, document

CAPTION = 22.0  # the line above each band: "Band 2 of 3 · continued from band 1"
CAPTION_FONT = 10.5
BAND_GAP = 30.0  # clear space between one band's bottom and the next band's caption
CONNECTOR_HEADER_FILL = "#e4e8ee"


@dataclass(frozen=True, slots=True)
class _Placed:
    """A band laid out and routed in its own coordinates (y downwards from its own top)."""

    band: Band
    layout: G.Layout
    routes: list[Route]

    @property
    def top(self) -> float:
        """The top of the band's stage headers: what goes under the caption."""
        return min((box.top for box in self.layout.stage_headers.values()), default=self.layout.bands_bottom)


@dataclass(frozen=True, slots=True)
class _Context:
    """What every band is drawn with: the whole blueprint, its org colours, the overlay's statuses."""

    blueprint: Blueprint
    colours: Colours
    step_status: dict[str, str]
    looks: Looks  # the flows' looks (the overlay's flow statuses among what they depend on)
    count: int  # how many bands


def to_dot_wrapped(
    blueprint: Blueprint,
    wrap_stages: int | Literal["auto"],
    *,
    step_status: Mapping[str, str] | None = None,
    flow_status: Mapping[tuple[str, str], str] | None = None,
    heading: str | None = None,
) -> str:
    """DOT for `neato -n2`: the bands one under another, the title above, the legend and key below."""
    placed, context = _prepare(blueprint, wrap_stages, step_status, flow_status)
    width = max(p.layout.width for p in placed)
    legend = plan_legend(blueprint, width, set(blueprint.steps), context.colours, context.looks.flow_status)
    w = Writer()
    draw_header(w, blueprint, placed[0].layout, heading=heading)
    y = placed[0].top
    for p in placed:
        y = _draw_band(w, p, context, y, caption=_caption(p.band, context.count)) + BAND_GAP
    w.dx = w.dy = 0.0
    height = draw_legend(w, legend, y - BAND_GAP) + G.MARGIN
    return document(w, max(width, legend.width), height)


def to_dot_pages(
    blueprint: Blueprint,
    wrap_stages: int | Literal["auto"],
    *,
    step_status: Mapping[str, str] | None = None,
    flow_status: Mapping[tuple[str, str], str] | None = None,
    heading: str | None = None,
) -> list[str]:
    """One DOT per band, all of one size (the largest page), for a PDF with a page per band.

    The title is on the first page; every later page starts with the title and the band's
    number, so a loose page still says what it is. The legend and key are on the last page only:
    the key can be long, and repeated on every page it would make every page as tall as the last.
    """
    placed, context = _prepare(blueprint, wrap_stages, step_status, flow_status)
    width = max(p.layout.width for p in placed)
    legend = plan_legend(blueprint, width, set(blueprint.steps), context.colours, context.looks.flow_status)
    pages: list[tuple[Writer, float]] = []
    for p in placed:
        w = Writer()
        if p.band.number == 1:
            draw_header(w, blueprint, p.layout, heading=heading)
            y = p.top
        else:
            y = G.MARGIN
        caption = _caption(p.band, context.count, title=blueprint.title if p.band.number > 1 else None)
        bottom = _draw_band(w, p, context, y, caption=caption)
        if p.band.number == context.count:
            w.dx = w.dy = 0.0
            bottom = draw_legend(w, legend, bottom)
        pages.append((w, bottom + G.MARGIN))
    page_height = max(height for _, height in pages)
    page_width = max(width, legend.width)
    documents = []
    for w, _ in pages:
        # Graphviz sizes a page by what is drawn on it, not by `bb`: two invisible points in
        # opposite corners make every page the size of the largest.
        w.dx = w.dy = 0.0
        w.anchor("page_top_left", 0.0, 0.0)
        w.anchor("page_bottom_right", page_width, page_height)
        documents.append(document(w, page_width, page_height))
    return documents


def _prepare(
    blueprint: Blueprint,
    wrap_stages: int | Literal["auto"],
    step_status: Mapping[str, str] | None,
    flow_status: Mapping[tuple[str, str], str] | None,
) -> tuple[list[_Placed], _Context]:
    """Every band cut, laid out and routed; what they are drawn with."""
    statuses = dict(step_status or {})
    markers = C.markers(blueprint)  # numbered over the whole blueprint, not per band
    placed = []
    for band in split(blueprint, wrap_stages):
        boxes = connector_boxes(band)
        layout = G.compute(
            band.blueprint, step_status=statuses, markers=markers, boxes=boxes, stack=band.stack, widths=band.widths
        )
        _fit_connectors(layout)
        placed.append(_Placed(band, layout, route_flows(band.blueprint, layout)))
    context = _Context(blueprint, org_colours(blueprint), statuses, Looks.of(blueprint, flow_status or {}), len(placed))
    return placed, context


def _fit_connectors(layout: G.Layout) -> None:
    """A connector's box is as tall as its text, centred in its row (a step's row is taller). No
    stage boundary beside a connector column: its lighter header sets it apart, and its arrows'
    labels get the whole gap (a label on a short arrow there would sit on the boundary)."""
    pairs = list(zip(sorted(layout.boundary_gaps), layout.boundaries, strict=True))
    stage_ids = list(layout.stage_headers)
    beside = {stage_ids[1]} if stage_ids and is_connector(stage_ids[0]) and len(stage_ids) > 1 else set()
    kept = [(gap, (sid, x)) for gap, (sid, x) in pairs if not is_connector(sid) and sid not in beside]
    layout.boundary_gaps = {gap for gap, _ in kept}
    layout.boundaries = [boundary for _, boundary in kept]
    for sid, cell in layout.cells.items():
        if is_connector(sid):
            height = layout.boxes[sid].height
            box = G.Box(cell.box.left, cell.box.cy - height / 2, cell.box.width, height)
            layout.cells[sid] = G.Cell(sid, cell.column, cell.row, box)


def _caption(band: Band, count: int, *, title: str | None = None) -> str:
    """A band's caption, "Band 2 of 3 · continued from band 1"; none when the whole blueprint is one
    band (a "Band 1 of 1" over a picture that is not cut says nothing a reader needs)."""
    if count == 1:
        return ""
    words = f"Band {band.number} of {count}"
    if band.number > 1:
        words += f" · continued from band {band.number - 1}"
    return f"{title} — {words}" if title else words


def _draw_band(w: Writer, p: _Placed, context: _Context, y: float, *, caption: str) -> float:
    """The band's caption at `y`, then the band under it; returns the y of the band's bottom."""
    w.dx, w.dy = 0.0, 0.0
    if caption:
        caption_width = text_width(caption, size=CAPTION_FONT, bold=True) + 8
        w.node(
            f"band_{p.band.number}_caption",
            G.Box(G.MARGIN, y, caption_width, CAPTION),
            id=quoted(f"band-{p.band.number}-caption"),
            **{"class": quoted("bp-band-caption")},
            shape="plain",
            label=L.text_block([caption], size=CAPTION_FONT, colour=MUTED, bold=True),
        )
    w.dy = y + CAPTION - p.top
    suffix = f"-band-{p.band.number}"
    layout = p.layout
    draw_lanes(w, layout, suffix=suffix)
    draw_stages(w, layout, extra_class=f" band-{p.band.number}")
    _connector_headers(w, layout, p.band.number)
    own = [sid for sid in p.band.blueprint.steps if not is_connector(sid)]
    draw_steps(w, context.blueprint, layout, context.colours, context.step_status, only=own)
    _connectors(w, p, context)
    draw_lines(w, layout, suffix=suffix)
    behind = {key: (flow, _half(key, flow)) for key, flow in p.band.flows.items()}
    draw_flows(w, context.looks, layout, p.routes, behind=behind)
    return layout.bands_bottom + w.dy


def _half(key: tuple[str, str], flow: Flow) -> str:
    """The id suffix of a band's flow: none for a flow inside the band, else which half it is."""
    if key == flow.key:
        return ""
    return "-to-connector" if is_connector(key[1]) else "-from-connector"


def _connector_headers(w: Writer, layout: G.Layout, number: int) -> None:
    """The headers of the connector columns, lighter than a stage's: they are not stages."""
    for sid, box in layout.stage_headers.items():
        if not is_connector(sid):
            continue
        side = "in" if sid.startswith(INCOMING) else "out"
        w.node(
            f"connectors_{side}_{number}",
            box,
            id=quoted(f"connectors-{side}-band-{number}"),
            **{"class": quoted(f"bp-connector-header band-{number}")},
            style='"filled,rounded"',
            fillcolor=quoted(CONNECTOR_HEADER_FILL),
            color=quoted(GRID),
            label=L.text_block(layout.stage_lines[sid], size=G.STAGE_FONT - 1, colour=MUTED, bold=True),
        )


def _connectors(w: Writer, p: _Placed, context: _Context) -> None:
    """Each off-band connector: a pointed box linked to the step at the other end, in its flow's
    colour and line style (grey when it gathers several flows: their arrows have their own)."""
    for end in p.band.connectors.values():
        flow = end.flows[0]
        look = context.looks.look(flow)
        colour, dashed = (look.colour, look.style == "dashed") if len(end.flows) == 1 else (FLOW_COLOUR, False)
        side = "to" if end.outgoing else "from"
        w.node(
            f"step_{end.id}",
            p.layout.cells[end.id].box,
            id=quoted(f"connector-{side}-{end.other_step}-band-{p.band.number}"),
            **{"class": quoted(f"bp-connector {side}")},
            shape="cds",
            style=quoted("filled,dashed" if dashed else "filled"),
            fillcolor=quoted(tint(colour, 0.9)),
            color=quoted(colour),
            penwidth="1.3",
            href=quoted(f"#step-{end.other_step}"),
            tooltip=quoted(end.text),
            label=L.text_block(p.layout.boxes[end.id].label_lines, size=CONNECTOR_FONT, colour=INK),
        )
