"""The blueprint as DOT text with every position pinned, for `neato -n2`: pure and deterministic.

Graphviz only draws: boxes, bands, headers and the routes of the arrows all come from
`layout.py` and `routes.py`. Backgrounds are pinned nodes declared first (drawn first with
`outputorder=nodesfirst`); lines and stage boundaries are edges between invisible anchors.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from blueprint_cli.language.model import Blueprint, Flow, Handoff, Variant
from blueprint_cli.render import content as C
from blueprint_cli.render import labels as L
from blueprint_cli.render import layout as G
from blueprint_cli.render.bands import is_connector
from blueprint_cli.render.escape import quoted
from blueprint_cli.render.metrics import text_width, wrap
from blueprint_cli.render.routes import Point, Route, route_flows, separator_ys
from blueprint_cli.render.style import (
    FAINT,
    FLOW_COLOUR,
    FLOW_STATUS_COLOURS,
    FONT,
    GRID,
    HANDOFF_COLOUR,
    INK,
    LANE_FILLS,
    LANE_HEADER_FILLS,
    MARKER_KINDS,
    MARKER_LETTERS,
    MUTED,
    SEVERITIES,
    STEP_STATUS_COLOURS,
    WARNING,
    marker_description,
    org_colours,
    shade,
    tint,
)
from blueprint_cli.vocab import FlowStatus, StepStatus

# An org's colour by org id (None: the customer, or no org).
Colours = dict[str | None, str]
# A flow's status in an overlay, by (source, target).
FlowStatuses = Mapping[tuple[str, str], str]
# A horizontal run of another arrow: (y, x from, x to, its route).
Run = tuple[float, float, float, Route]

ARROW = 9.0
CORNER = 6.0
STAGE_FILL = "#2f3b4c"


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
    draw_flows(w, blueprint, layout, routes, flow_status)
    return document(w, layout.width, height)


def document(w: Writer, width: float, height: float) -> str:
    """The DOT text: the graph's attributes and size, then everything written, flipped to y upwards."""
    head = [
        "digraph blueprint {",
        f"  graph [bb={quoted(f'0,0,{_n(width)},{_n(height)}')}, outputorder=nodesfirst, splines=true, pad=0.4,"
        f" bgcolor={quoted('#ffffff')}, fontname={quoted(FONT)}, id=blueprint, class={quoted('bp-blueprint')}];",
        f'  node [shape=box, fixedsize=true, margin=0, penwidth=1, fontname={quoted(FONT)}, fontsize=10, label=""];',
        f"  edge [fontname={quoted(FONT)}, fontsize=8, arrowsize=0.8];",
    ]
    return "\n".join(head + w.render(height) + ["}", ""])


class Writer:
    """Collects nodes and edges in y-down coordinates; flips them once the final height is known."""

    def __init__(self) -> None:
        self.items: list[Callable[[float], str]] = []
        self.dx = 0.0  # added to every x and y from now on: where a band of a wrapped picture goes
        self.dy = 0.0

    def _at(self, point: Point) -> Point:
        return (point[0] + self.dx, point[1] + self.dy) if self.dx or self.dy else point

    def node(self, name: str, box: G.Box, **attrs: str) -> None:
        if self.dx or self.dy:
            box = G.Box(box.left + self.dx, box.top + self.dy, box.width, box.height)

        def text(height: float) -> str:
            pinned = {
                "pos": f'"{_n(box.cx)},{_n(height - box.cy)}!"',
                "width": _n(box.width / 72),
                "height": _n(box.height / 72),
            }
            if attrs.get("shape") == "plain":
                pinned["fixedsize"] = "false"
            return f"  {quoted(name)} [{_attrs({**pinned, **attrs})}];"

        self.items.append(text)

    def edge(
        self,
        tail: str,
        head: str,
        points: Sequence[Point],
        *,
        arrow: bool,
        attrs: Mapping[str, str],
        label_at: Point | None = None,
    ) -> None:
        points = [self._at(p) for p in points]
        label_at = self._at(label_at) if label_at is not None else None

        def text(height: float) -> str:
            extra = {"pos": quoted(_spline(points, height=height, arrow=arrow))}
            if not arrow:
                extra["dir"] = "none"
            if label_at is not None:
                extra["lp"] = quoted(f"{_n(label_at[0])},{_n(height - label_at[1])}")
            return f"  {quoted(tail)} -> {quoted(head)} [{_attrs({**extra, **attrs})}];"

        self.items.append(text)

    def anchor(self, name: str, x: float, y: float) -> None:
        x, y = self._at((x, y))

        def text(height: float) -> str:
            attrs = {
                "pos": quoted(f"{_n(x)},{_n(height - y)}!"),
                "shape": "point",
                "width": "0.01",
                "height": "0.01",
                "style": "invis",
            }
            return f"  {quoted(name)} [{_attrs(attrs)}];"

        self.items.append(text)

    def render(self, height: float) -> list[str]:
        return [item(height) for item in self.items]


def _n(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _attrs(attrs: dict[str, str]) -> str:
    return ", ".join(f"{key}={value}" for key, value in attrs.items())


def _spline(points: Sequence[Point], *, height: float, arrow: bool) -> str:
    """A polyline with rounded corners as Graphviz B-spline points (y flipped), with an arrowhead end."""
    pts = [(x, y) for x, y in points]
    end = pts[-1]
    if arrow:
        (px, py), (qx, qy) = pts[-2], pts[-1]
        length = max(abs(qx - px) + abs(qy - py), 1e-6)
        cut = min(ARROW, length * 0.6)
        pts[-1] = (qx - (qx - px) / length * cut, qy - (qy - py) / length * cut)
    bez = [pts[0]]
    for i in range(1, len(pts)):
        p, q = bez[-1], pts[i]
        if i < len(pts) - 1:
            r = pts[i + 1]
            radius = min(CORNER, _dist(pts[i - 1], q) / 2, _dist(q, r) / 2)
            a = _toward(q, pts[i - 1], radius)
            b = _toward(q, r, radius)
            bez += [_lerp(p, a, 1 / 3), _lerp(p, a, 2 / 3), a, q, q, b]
        else:
            bez += [_lerp(p, q, 1 / 3), _lerp(p, q, 2 / 3), q]
    text = " ".join(f"{_n(x)},{_n(height - y)}" for x, y in bez)
    if arrow:
        return f"e,{_n(end[0])},{_n(height - end[1])} {text}"
    return text


def _dist(p: Point, q: Point) -> float:
    return abs(p[0] - q[0]) + abs(p[1] - q[1])


def _toward(p: Point, q: Point, distance: float) -> Point:
    length = _dist(p, q) or 1.0
    return (p[0] + (q[0] - p[0]) / length * distance, p[1] + (q[1] - p[1]) / length * distance)


def _lerp(p: Point, q: Point, t: float) -> Point:
    return (p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t)


HEADING_COLOUR = "#57606a"


def draw_header(w: Writer, blueprint: Blueprint, layout: G.Layout, *, heading: str | None) -> None:
    observed = blueprint.variant is Variant.OBSERVED
    label = L.header_label(
        title_lines=layout.title_lines,
        variant=heading if heading is not None else C.variant_text(blueprint),
        variant_colour=HEADING_COLOUR if heading is not None else ("#AA3377" if observed else "#0072B2"),
        subtitle_lines=layout.subtitle_lines,
        width=layout.header.width,
        title_size=G.TITLE_FONT,
        subtitle_size=G.SUBTITLE_FONT,
    )
    w.node("header", layout.header, id="header", **{"class": quoted("bp-header")}, shape="plain", label=label)


def draw_lanes(w: Writer, layout: G.Layout, *, suffix: str = "") -> None:
    """The lane bands and their titles at the left; `suffix` tells apart the bands of a wrapped picture."""
    for lane, band in layout.bands.items():
        w.node(
            f"lane_{lane.value}{suffix}",
            band,
            id=quoted(f"lane-{lane.value}{suffix}"),
            **{"class": quoted(f"bp-lane lane-{lane.value}")},
            style="filled",
            fillcolor=quoted(LANE_FILLS[lane]),
            color=quoted(GRID),
            penwidth="0.8",
        )
    for lane, band in layout.bands.items():
        head = G.Box(band.left, band.top, G.HEADER_COLUMN, band.height)
        title = wrap(lane.heading, width=G.HEADER_COLUMN - 20, size=11.5, bold=True)
        w.node(
            f"lane_{lane.value}_title{suffix}",
            head,
            id=quoted(f"lane-{lane.value}-title{suffix}"),
            **{"class": quoted("bp-lane-title")},
            style="filled",
            fillcolor=quoted(LANE_HEADER_FILLS[lane]),
            color=quoted(GRID),
            penwidth="0.8",
            label=L.text_block(title, size=11.5, colour=INK, bold=True),
        )


def draw_stages(w: Writer, layout: G.Layout, *, extra_class: str = "") -> None:
    """The stage headers (a band's connector columns have theirs drawn by `wrapped.py`)."""
    for sid, box in layout.stage_headers.items():
        if is_connector(sid):
            continue
        w.node(
            f"stage_{sid}",
            box,
            id=quoted(f"stage-{sid}"),
            **{"class": quoted("bp-stage" + extra_class)},
            style='"filled,rounded"',
            fillcolor=quoted(STAGE_FILL),
            color=quoted(STAGE_FILL),
            label=L.text_block(layout.stage_lines[sid], size=G.STAGE_FONT, colour="#ffffff", bold=True),
        )


def draw_steps(
    w: Writer,
    blueprint: Blueprint,
    layout: G.Layout,
    colours: Colours,
    step_status: Mapping[str, str],
    *,
    only: Iterable[str] | None = None,
) -> None:
    """The step boxes: every step's, or `only` these (a band's, in a wrapped picture)."""
    for sid in blueprint.steps if only is None else only:
        step = blueprint.steps[sid]
        cell = layout.cells[sid]
        status = step_status.get(sid)
        colour = colours.get(step.org, colours[None])
        fill = tint(colour, 0.88)
        border = shade(colour, 0.1)
        styles = ["filled", "rounded"]
        penwidth = 1.3
        if step.assumed:
            styles.append("dashed")
        if status == StepStatus.MISSING:
            fill, border, styles, penwidth = "#f6f8fa", FAINT, ["filled", "rounded", "dashed"], 1.3
        elif status in STEP_STATUS_COLOURS:
            border, penwidth = STEP_STATUS_COLOURS[status], 3.5
        classes = ["bp-step", f"lane-{step.lane.value}", "assumed" if step.assumed else "evidenced"]
        if step.outcome:
            classes.append("serves-outcome")
        if status:
            classes.append(f"status-{status}")
        label = L.step_label(layout.boxes[sid], org_colour=shade(colour, 0.35), status=status)
        w.node(
            f"step_{sid}",
            cell.box,
            id=quoted(f"step-{sid}"),
            **{"class": quoted(" ".join(classes))},
            style=quoted(",".join(styles)),
            fillcolor=quoted(fill),
            color=quoted(border),
            penwidth=_n(penwidth),
            label=label,
        )


def draw_lines(w: Writer, layout: G.Layout, *, suffix: str = "") -> None:
    """The three lines between the bands and the boundaries between stages."""
    left, right = G.MARGIN, layout.width - G.MARGIN
    for index, (name, y) in enumerate(layout.lines):
        a, b = f"line_{index}_a{suffix}", f"line_{index}_b{suffix}"
        w.anchor(a, left, y)
        w.anchor(b, right, y)
        label_x = G.MARGIN + G.HEADER_COLUMN / 2
        w.edge(
            a,
            b,
            [(left, y), (right, y)],
            arrow=False,
            attrs={
                "id": quoted("line-" + name.replace("line of ", "").replace(" ", "-") + suffix),
                "class": quoted("bp-line"),
                "style": "dashed",
                "color": quoted("#57606a"),
                "penwidth": "1.3",
                "label": L.edge_label([name], colour="#57606a"),
            },
            label_at=(label_x, y),
        )
    top = min((box.bottom for box in layout.stage_headers.values()), default=0)
    for sid, x in layout.boundaries:
        a, b = f"boundary_{sid}_a", f"boundary_{sid}_b"
        w.anchor(a, x, top)
        w.anchor(b, x, layout.bands_bottom)
        w.edge(
            a,
            b,
            [(x, top), (x, layout.bands_bottom)],
            arrow=False,
            attrs={
                "id": quoted(f"stage-{sid}-boundary"),
                "class": quoted("bp-stage-boundary"),
                "color": quoted("#aab2bd"),
                "penwidth": "1.2",
            },
        )


@dataclass(frozen=True, slots=True)
class Look:
    """How a flow is drawn: its classes, colour, thickness, line style and the texts of its label."""

    classes: list[str]
    colour: str
    penwidth: float
    style: str
    texts: list[str]
    bold_first: bool


def flow_look(
    blueprint: Blueprint, flow: Flow, *, status: str | None, busiest: int, handoffs: Mapping[tuple[str, str], Handoff]
) -> Look:
    """A flow's look: handoffs heavy (unowned in vermillion), overlay statuses, cases measured;
    `handoffs` are the blueprint's by (source, target)."""
    return _look(blueprint, flow, handoffs.get(flow.key), status, busiest)


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


def draw_flows(
    w: Writer,
    blueprint: Blueprint,
    layout: G.Layout,
    routes: list[Route],
    flow_status: FlowStatuses,
    *,
    behind: Mapping[tuple[str, str], tuple[Flow, str]] | None = None,
) -> None:
    """Every route drawn as its flow; `behind` maps a band's route to the blueprint's flow and a
    suffix for its id (a flow between bands is drawn as two halves, to and from connectors)."""
    handoffs = {(h.source, h.target): h for h in blueprint.handoffs}
    runs = _RunIndex([(*run, route) for route in routes for run in _runs(route)])
    separators = separator_ys(layout)
    gaps = _GapIndex(layout.gaps)
    busiest = busiest_flow(blueprint)
    obstacles = _obstacles(layout)  # grows with each label placed
    behind = behind or {}
    for route in routes:
        flow, suffix = behind.get(route.flow.key, (route.flow, ""))
        look = _look(blueprint, flow, handoffs.get(flow.key), flow_status.get(flow.key), busiest)
        attrs = {
            "id": quoted(f"flow-{flow.source}--{flow.target}{suffix}"),
            "class": quoted(" ".join(look.classes + (["off-band"] if suffix else []))),
            "color": quoted(look.colour),
            "penwidth": _n(look.penwidth),
            "style": look.style,
        }
        label_at = None
        if look.texts:
            label_at, wrapped = _place_label(look.texts, route, gaps, separators, runs)
            label_at, wrapped = _clear_spot(label_at, wrapped, look.texts, route, obstacles)
            attrs["label"] = L.edge_label(
                wrapped, colour=look.colour if look.colour != FLOW_COLOUR else MUTED, bold_first=look.bold_first
            )
        tail, head = route.flow.source, route.flow.target
        w.edge(f"step_{tail}", f"step_{head}", route.points, arrow=True, label_at=label_at, attrs=attrs)


Rect = tuple[float, float, float, float]  # left, top, right, bottom


Grid = dict[int, list[Rect]]  # obstacles by column of GRID_CELL points, so a label looks only nearby
GRID_CELL = 256.0


def _add(grid: Grid, rect: Rect) -> None:
    for cell in range(int(rect[0] // GRID_CELL), int(rect[2] // GRID_CELL) + 1):
        grid.setdefault(cell, []).append(rect)


def _obstacles(layout: G.Layout) -> Grid:
    """What a label must not sit on: step boxes, the lines between lanes and the stage boundaries."""
    boxes = [(c.box.left, c.box.top, c.box.right, c.box.bottom) for c in layout.cells.values()]
    top = min((box.bottom for box in layout.stage_headers.values()), default=0)
    boxes += [(x - 0.6, top, x + 0.6, layout.bands_bottom) for _, x in layout.boundaries]
    boxes += [(G.MARGIN, y - 0.6, layout.width - G.MARGIN, y + 0.6) for y in separator_ys(layout)]
    grid: Grid = {}
    for box in boxes:
        _add(grid, box)
    return grid


def _clear_spot(
    at: Point, wrapped: list[str], texts: list[str], route: Route, obstacles: Grid
) -> tuple[Point, list[str]]:
    """`at`, or the nearest place by the arrow's own line where the label covers no step box, line
    between lanes, stage boundary or earlier label (narrower, if it fits nowhere as it is); the
    label's box joins `obstacles`."""
    xs, ys = [p[0] for p in route.points], [p[1] for p in route.points]
    for lines in (wrapped, [line for t in texts for line in wrap(t, width=44, size=8)]):
        w = max(text_width(t, size=8) for t in lines) + 6
        h = len(lines) * 8 * 1.25 + 4
        left, right, top, bottom = min(xs) - w - 16, max(xs) + w + 16, min(ys) - h - 16, max(ys) + h + 16
        cells = range(int(left // GRID_CELL), int(right // GRID_CELL) + 1)
        near = [
            o
            for c in cells
            for o in obstacles.get(c, ())
            if o[0] < right and left < o[2] and o[1] < bottom and top < o[3]
        ]

        def box(c: Point, w: float = w, h: float = h) -> Rect:
            return (c[0] - w / 2, c[1] - h / 2, c[0] + w / 2, c[1] + h / 2)

        def clear(c: Point, near: list[Rect] = near) -> bool:
            b = box(c)
            return not any(b[0] < o[2] and o[0] < b[2] and b[1] < o[3] and o[1] < b[3] for o in near)

        if lines is wrapped and clear(at):
            _add(obstacles, box(at))
            return at, wrapped
        spots = sorted(_spots(route, w, h), key=lambda c: (abs(c[0] - at[0]) + abs(c[1] - at[1]), c))
        best = next((c for c in spots if clear(c)), None)  # the nearest clear place
        if best is not None:
            _add(obstacles, box(best))
            return best, lines
    return at, wrapped


def _spots(route: Route, w: float, h: float) -> list[Point]:
    """Places for a label w × h by each segment of a route, every 6 points along it: beside the
    line, then a little further off; on a vertical segment also across it (the label's white box
    interrupts its own line, as in a gap between columns)."""
    spots: list[Point] = []
    for (x1, y1), (x2, y2) in zip(route.points, route.points[1:], strict=False):
        length = abs(x2 - x1) + abs(y2 - y1)
        for i in range(int(length // 6) + 1):
            t = i * 6 / length if length else 0.0
            x, y = x1 + (x2 - x1) * t, y1 + (y2 - y1) * t
            if x1 != x2:
                spots += [(x, y + side * (h / 2 + off)) for off in (1.0, 8.0, 16.0) for side in (-1, 1)]
            else:
                spots.append((x, y))
                spots += [(x + side * (w / 2 + off), y) for off in (1.0, 8.0, 16.0) for side in (-1, 1)]
    return spots


class _GapIndex:
    """The free vertical gaps between columns (sorted, disjoint), found by bisection."""

    def __init__(self, gaps: list[tuple[float, float]]) -> None:
        self.gaps = gaps
        self.lefts = [left for left, _ in gaps]

    def around(self, x: float) -> tuple[float, float] | None:
        """The gap with left < x < right, if any."""
        index = bisect.bisect_left(self.lefts, x) - 1
        if index < 0:
            return None
        left, right = self.gaps[index]
        return (left, right) if left < x < right else None


class _RunIndex:
    """The horizontal runs of all arrows in buckets of x, so a label only looks at runs near it."""

    BUCKET = 256.0

    def __init__(self, runs: list[Run]) -> None:
        self.buckets: dict[int, list[Run]] = {}
        for run in runs:
            for b in range(int(run[1] // self.BUCKET), int(run[2] // self.BUCKET) + 1):
                self.buckets.setdefault(b, []).append(run)

    def overlapping(self, left: float, right: float, low: float, high: float, route: Route) -> list[float]:
        """The y of the runs of other routes with a < right, left < b and low <= y <= high (each once)."""
        seen: set[int] = set()
        found: list[float] = []
        for b in range(int(left // self.BUCKET), int(right // self.BUCKET) + 1):
            for run in self.buckets.get(b, ()):
                y, a, end, owner = run
                if owner is not route and a < right and left < end and low <= y <= high and id(run) not in seen:
                    seen.add(id(run))
                    found.append(y)
        return found


def _place_label(
    texts: list[str], route: Route, gaps: _GapIndex, separators: list[float], runs: _RunIndex
) -> tuple[Point, list[str]]:
    """Above a long enough horizontal run; else centred in the free gap holding a vertical run.

    `runs` are the horizontal pieces (y, x from, x to, route) of all arrows: a label on a vertical
    run slides along it to keep clear of those of other arrows and of the lines between lanes.
    """
    (x1, y1), (x2, y2) = route.label_segment
    gap = gaps.around(x1) if x1 == x2 else None
    if y1 == y2:
        room = abs(x2 - x1) - 12
    elif gap is not None:
        room = gap[1] - gap[0] - 10
    else:
        room = 96
    wrapped = [line for t in texts for line in wrap(t, width=max(56, min(110, room)), size=8)]
    label_w = max(text_width(t, size=8) for t in wrapped) + 4
    label_h = len(wrapped) * 8 * 1.25 + 2
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    near: list[float] = []  # runs of other arrows a label on a vertical run must not hide

    def covers(centre: float, *, arrows: bool = True) -> bool:
        """Would the label's white box hide a line between lanes (or another arrow's run)?"""
        if any(abs(y - centre) < label_h / 2 + 1 for y in separators):
            return True
        return arrows and any(abs(y - centre) < label_h / 2 + 1 for y in near)

    if y1 == y2:
        # Above the run, unless the label would cover a line between lanes there and not below.
        above, below = cy - label_h / 2 - 2, cy + label_h / 2 + 2
        cy = below if covers(above, arrows=False) and not covers(below, arrows=False) else above
    else:
        cx = (gap[0] + gap[1]) / 2 if gap is not None else cx + label_w / 2 + 3
        left, right = cx - label_w / 2, cx + label_w / 2
        low, high = min(y1, y2) + label_h / 2, max(y1, y2) - label_h / 2
        # Runs of other arrows under the label's width and along this vertical run.
        near = runs.overlapping(left, right, low - label_h, high + label_h, route)
        if covers(cy):
            # Slide along the vertical run to the nearest place clear of the lines and arrows.
            obstacles = separators + near
            places = [y + side * (label_h / 2 + 2) for y in obstacles for side in (-1, 1)]
            for arrows in (True, False):
                clear = [p for p in places if low <= p <= high and not covers(p, arrows=arrows)]
                if clear:
                    cy = min(clear, key=lambda p: (abs(p - cy), p))
                    break
    return (cx, cy), wrapped


def _runs(route: Route) -> list[tuple[float, float, float]]:
    """The horizontal pieces of a route as (y, x from, x to)."""
    return [
        (y1, min(x1, x2), max(x1, x2))
        for (x1, y1), (x2, y2) in zip(route.points, route.points[1:], strict=False)
        if y1 == y2
    ]


def _marker_kinds(blueprint: Blueprint) -> list[tuple[str, str | None]]:
    """The kinds of marker in this diagram (pain points by severity), in legend order."""
    found = {(a.kind, a.severity if a.kind == "pain" else None) for a in blueprint.annotations}
    order = [("pain", severity) for severity in SEVERITIES] + [(kind, None) for kind in MARKER_KINDS if kind != "pain"]
    return [entry for entry in order if entry in found]


def _owner_label(blueprint: Blueprint, owner: str | None) -> str:
    if owner in blueprint.actors:
        return blueprint.actors[owner].label
    if owner in blueprint.orgs:
        return blueprint.orgs[owner].label
    return owner or ""


def _org_entries(blueprint: Blueprint, colours: Colours) -> list[L.LegendEntry]:
    """The organisations whose steps are in the picture (every org when there are no steps)."""
    used_orgs = {step.org for step in blueprint.steps.values()}
    entries = []
    for org_id in [*blueprint.orgs, None]:
        if org_id in used_orgs or (org_id is not None and not blueprint.steps):
            colour = colours.get(org_id, colours[None])
            name = blueprint.org_label(org_id) if org_id else "Customer / no organisation"
            entries.append(L.legend_item(name, L.swatch(fill=tint(colour, 0.88), border=shade(colour, 0.1))))
    return entries


def _step_entries(blueprint: Blueprint) -> list[L.LegendEntry]:
    steps = blueprint.steps.values()
    entries = []
    if any(not step.assumed for step in steps):
        entries.append(L.legend_item("observed, reported or measured", L.swatch(fill="#ffffff", border=INK)))
    if any(step.assumed for step in steps):
        # A plan is unproven by nature: say so, not that something is wrong with it.
        words = (
            "planned — not yet observed" if blueprint.variant is Variant.INTENDED else "assumed (nobody has checked)"
        )
        entries.append(L.legend_item(words, L.swatch(fill="#ffffff", border=INK, dashed=True)))
    return entries


def _outcome_entries(blueprint: Blueprint) -> list[L.LegendEntry]:
    """Every outcome, with how many steps in the picture serve it (marked ◎ in their boxes)."""
    mark = f"<TD>{L.font(C.OUTCOME_MARK, size=L.LEGEND_FONT + 1, bold=True)}</TD>"
    entries = []
    for outcome in blueprint.outcomes.values():
        count = sum(1 for step in blueprint.steps.values() if step.outcome == outcome.id)
        served = f"{count} step{'s' if count != 1 else ''}" if count else "no step serves it"
        entries.append(L.legend_item(f"{outcome.label} ({served})", mark))
    return entries


def _flow_entries(blueprint: Blueprint, placed: set[str], flow_status: FlowStatuses) -> list[L.LegendEntry]:
    handoffs = {(h.source, h.target): h for h in blueprint.handoffs}
    drawn = [flow for flow in blueprint.flows if flow.source in placed and flow.target in placed]
    entries = []
    if any(flow.key not in handoffs for flow in drawn):
        entries.append(L.legend_item("flow", L.arrow_swatch(colour=FLOW_COLOUR)))
    if any(flow.key in handoffs and handoffs[flow.key].owned for flow in drawn):
        entries.append(
            L.legend_item(
                "handoff between organisations (owner named)", L.arrow_swatch(colour=HANDOFF_COLOUR, heavy=True)
            )
        )
    if any(flow.key in handoffs and not handoffs[flow.key].owned for flow in drawn):
        entries.append(L.legend_item("unowned handoff", L.arrow_swatch(colour=WARNING, heavy=True)))
    if FlowStatus.BROKEN in flow_status.values():
        entries.append(
            L.legend_item("broken flow", f"<TD>{L.font('╌╌▶', size=L.LEGEND_FONT - 1, colour=WARNING)}</TD>")
        )
    if FlowStatus.NEW in flow_status.values():
        entries.append(
            L.legend_item("new flow", L.arrow_swatch(colour=FLOW_STATUS_COLOURS[FlowStatus.NEW], heavy=True))
        )
    return entries


def _marker_entries(blueprint: Blueprint) -> list[L.LegendEntry]:
    return [
        L.legend_item(
            marker_description(kind, severity),
            L.marker_swatch(
                C.chip_text(MARKER_LETTERS[kind], kind=kind, severity=severity), kind=kind, severity=severity
            ),
        )
        for kind, severity in _marker_kinds(blueprint)
    ]


@dataclass(frozen=True, slots=True)
class _Key:
    """The key to the markers: its blocks side by side, their total width and the key's height."""

    blocks: list[str]
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class Legend:
    """The legend's rows (label, width), the key if any markers are drawn, and the picture's width with them."""

    rows: list[tuple[str, float]]
    key: _Key | None
    width: float


def _plan_key(blueprint: Blueprint, width: float) -> _Key | None:
    """Every marker in annotation order, in as many blocks side by side as the picture's width allows."""
    markers = [m for found in C.markers(blueprint).values() for m in found]
    order = {id(a): i for i, a in enumerate(blueprint.annotations)}
    markers.sort(key=lambda m: order[id(m.annotation)])
    if not markers:
        return None
    block_width = L.KEY_CODE + L.KEY_STEP + L.KEY_TEXT + 24
    columns = max(1, min(int((width - 2 * G.MARGIN) // block_width), -(-len(markers) // 6)))
    per_block = -(-len(markers) // columns)
    blocks, heights = [], []
    step_labels = {sid: step.label for sid, step in blueprint.steps.items()}
    for start in range(0, len(markers), per_block):
        table, h = L.key_block(markers[start : start + per_block], step_labels=step_labels)
        blocks.append(table)
        heights.append(h)
    return _Key(blocks, block_width * len(blocks), max(heights) + 26)


def plan_legend(
    blueprint: Blueprint, width: float, placed: set[str], colours: Colours, flow_status: FlowStatuses
) -> Legend:
    """Legend and key, measured before anything is drawn: the picture widens to fit them.

    Only what this diagram shows: an entry for a style nobody can find in the picture is noise.
    The rows wrap at the bands' width (or 700 pt, when the bands are narrower), and the picture
    widens to fit the rows and the key: a legend row is never wider than the drawing.
    """
    sections = [
        ("Organisations", _org_entries(blueprint, colours)),
        ("Steps", _step_entries(blueprint)),
        ("Outcomes", _outcome_entries(blueprint)),
        ("Arrows", _flow_entries(blueprint, placed, flow_status)),
        ("Markers", _marker_entries(blueprint)),
    ]
    sections = [(title, entries) for title, entries in sections if entries]
    rows = L.legend_rows(sections, max_width=max(width - 2 * G.MARGIN, 700))
    key = _plan_key(blueprint, width)
    rows_width = max((row_width for _, row_width in rows), default=0.0)
    width = max(width, rows_width + 2 * G.MARGIN, key.width + 2 * G.MARGIN if key is not None else 0.0)
    return Legend(rows, key, width)


def draw_legend(w: Writer, legend: Legend, top: float) -> float:
    """Legend and key beneath the bands (whose bottom is `top`); returns the y of their bottom."""
    y = top + G.SECTION_GAP
    for index, (label, row_width) in enumerate(legend.rows):
        name = "legend" if index == 0 else f"legend_{index}"
        w.node(
            name,
            G.Box(G.MARGIN, y, row_width, L.LEGEND_ROW),
            id=quoted(name.replace("_", "-")),
            **{"class": quoted("bp-legend")},
            shape="plain",
            label=label,
        )
        y += L.LEGEND_ROW
    y += G.SECTION_GAP
    key = legend.key
    if key is None:
        return y - G.SECTION_GAP
    w.node(
        "key",
        G.Box(G.MARGIN, y, key.width, key.height),
        id="key",
        **{"class": quoted("bp-key")},
        shape="plain",
        label=L.key_label(key.blocks, title="Key to the markers"),
    )
    return y + key.height
