"""The swimlane grid: columns from the flows within each stage, rows from the lanes, every box placed.

Coordinates are points with y growing downwards; `writer.py` flips them for Graphviz. Within a
stage a step's column is the longest path to it over the stage's own flows: a flow to a step in
the same lane or a lane above moves one column right, a flow down to a lower lane (a backstage
step supporting a frontstage one) may stay in the same column. Steps of one lane that end up in
the same column stack in sub-rows, up to MAX_STACK deep, then move right; nothing overlaps.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from dataclasses import dataclass, field

from blueprint_cli.language.model import LANES, LINES, Blueprint, Lane
from blueprint_cli.render import content
from blueprint_cli.render.metrics import wrap

MARGIN = 28.0
HEADER_COLUMN = 150.0  # lane titles at the left of each band
BOX_WIDTH = content.BOX_WIDTH
COLUMN_GAP = 78.0
STAGE_GAP = 30.0  # extra space around a stage boundary
EDGE_GAP = 46.0  # before the first and after the last column
# Room between a band's edge and its boxes: arrows run here, clear of the edge (routes.AVOID)
# and of the boxes (routes.CHANNEL_MARGIN).
LANE_PADDING = 26.0
ROW_GAP = 26.0
EMPTY_LANE = 54.0
STAGE_FONT = 12.5
TITLE_FONT = 22.0
SUBTITLE_FONT = 12.0
SECTION_GAP = 26.0
# How many steps of one lane may share a column (stacked in sub-rows) before the next one moves
# right. Each extra sub-row makes that lane taller across the whole picture; 2 balances height
# against width on the samples.
MAX_STACK = 2


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle, y downwards."""

    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def cx(self) -> float:
        return self.left + self.width / 2

    @property
    def cy(self) -> float:
        return self.top + self.height / 2


@dataclass(frozen=True, slots=True)
class Cell:
    """Where a step sits: its global column, its global row and its box."""

    step: str
    column: int
    row: int
    box: Box


@dataclass(frozen=True, slots=True)
class Row:
    """A row of boxes in a lane band: its lane and vertical extent."""

    lane: Lane
    top: float  # of the boxes in this row
    bottom: float


@dataclass
class Layout:
    """Everything placed: the picture's size, bands, rows, columns, gaps and cells."""

    width: float = 0.0
    height: float = 0.0
    header: Box = Box(0, 0, 0, 0)
    title_lines: list[str] = field(default_factory=list)
    subtitle_lines: list[str] = field(default_factory=list)
    bands: dict[Lane, Box] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    stage_headers: dict[str, Box] = field(default_factory=dict)
    stage_lines: dict[str, list[str]] = field(default_factory=dict)
    boundaries: list[tuple[str, float]] = field(default_factory=list)  # (stage after, x)
    lines: list[tuple[str, float]] = field(default_factory=list)  # (name, y)
    cells: dict[str, Cell] = field(default_factory=dict)
    # Free vertical space right of column c is gaps[c + 1]; gaps[0] is left of the first column.
    gaps: list[tuple[float, float]] = field(default_factory=list)
    # Free horizontal space above row r is channels[r]; channels[-1] is below the last row.
    channels: list[tuple[float, float]] = field(default_factory=list)
    boundary_gaps: set[int] = field(default_factory=set)  # gap indexes holding a stage boundary
    content_left: float = 0.0
    content_right: float = 0.0
    bands_bottom: float = 0.0
    boxes: dict[str, content.StepContent] = field(default_factory=dict)


def stage_columns(blueprint: Blueprint, *, stack: Mapping[str, int] | None = None) -> dict[str, int]:
    """Each step's column within its stage (0-based); `stack` lets the steps of some stages stack
    deeper than MAX_STACK (a band's connectors: small boxes)."""
    stage_of = {sid: stage.id for stage in blueprint.stages.values() for sid in stage.steps}
    # The flows within each stage, in file order: one pass over the flows, not one per stage.
    inside: dict[str, list[tuple[str, str]]] = {}
    for flow in blueprint.flows:
        stage_id = stage_of.get(flow.source)
        if stage_id is not None and stage_id == stage_of.get(flow.target) and flow.source != flow.target:
            inside.setdefault(stage_id, []).append((flow.source, flow.target))
    columns: dict[str, int] = {}
    for stage in blueprint.stages.values():
        limit = stack.get(stage.id, MAX_STACK) if stack else MAX_STACK
        columns.update(_columns_in_stage(blueprint, stage.steps, inside.get(stage.id, []), limit))
    return columns


def _columns_in_stage(
    blueprint: Blueprint, step_ids: tuple[str, ...], flows: list[tuple[str, str]], limit: int
) -> dict[str, int]:
    position = {sid: i for i, sid in enumerate(step_ids)}
    incoming: dict[str, list[str]] = {sid: [] for sid in step_ids}
    outgoing: dict[str, list[str]] = {sid: [] for sid in step_ids}
    for source, target in flows:
        incoming[target].append(source)
        outgoing[source].append(target)
    waiting = {sid: len(incoming[sid]) for sid in step_ids}
    ready = [position[sid] for sid in step_ids if waiting[sid] == 0]
    heapq.heapify(ready)
    placed: dict[str, int] = {}
    taken: dict[tuple[Lane, int], int] = {}
    while len(placed) < len(step_ids):
        if not ready:  # a cycle: break it at the earliest step in file order
            heapq.heappush(ready, min(position[s] for s in step_ids if s not in placed and waiting[s] >= 0))
        sid = step_ids[heapq.heappop(ready)]
        if sid in placed:
            continue
        step = blueprint.steps[sid]
        column = 0
        for source in incoming[sid]:
            if source in placed:
                down = step.lane.order > blueprint.steps[source].lane.order
                column = max(column, placed[source] + (0 if down else 1))
        while taken.get((step.lane, column), 0) >= limit:
            column += 1
        taken[(step.lane, column)] = taken.get((step.lane, column), 0) + 1
        placed[sid] = column
        waiting[sid] = -1
        for target in outgoing[sid]:
            if waiting[target] > 0:
                waiting[target] -= 1
                if waiting[target] == 0:
                    heapq.heappush(ready, position[target])
    return placed


@dataclass(frozen=True, slots=True)
class _Columns:
    """Where the columns went: the x and width of each global column and each step's global column."""

    left: list[float]
    width: list[float]  # of each global column's boxes
    of: dict[str, int]
    stages: list[tuple[str, float, float]]  # (stage id, left, right)


def compute(
    blueprint: Blueprint,
    *,
    step_status: dict[str, str] | None = None,
    markers: dict[str, tuple[content.Marker, ...]] | None = None,
    boxes: dict[str, content.StepContent] | None = None,
    stack: Mapping[str, int] | None = None,
    widths: Mapping[str, float] | None = None,
) -> Layout:
    """Place everything: header, stage headers, lane bands with their rows, step boxes.

    `markers` numbers the markers of a larger blueprint this one is part of (a band of a wrapped
    picture); `boxes` gives the content of steps that are not the blueprint's (its connectors),
    `stack` how deep the steps of some stages may stack (see `stage_columns`), `widths` how wide
    the boxes of some stages are (a band's connectors: narrower than BOX_WIDTH).
    """
    step_status = step_status or {}
    layout = Layout()
    markers = content.markers(blueprint) if markers is None else markers
    boxes = boxes or {}
    layout.boxes = {
        sid: boxes[sid]
        if sid in boxes
        else content.step_content(blueprint, step, markers=markers.get(sid, ()), status=step_status.get(sid))
        for sid, step in blueprint.steps.items()
    }
    columns = _place_columns(blueprint, layout, stack, widths)
    width = layout.content_right + MARGIN
    y = _place_header(blueprint, layout, width)
    y = _place_stage_headers(blueprint, layout, columns.stages, y)
    # Steps of one lane in one column stack in sub-rows, in file order.
    stacks: dict[tuple[Lane, int], list[str]] = {}
    for sid, step in blueprint.steps.items():
        stacks.setdefault((step.lane, columns.of[sid]), []).append(sid)
    row_height = {lane: 0.0 for lane in LANES}
    for sid, box in layout.boxes.items():
        lane = blueprint.steps[sid].lane
        row_height[lane] = max(row_height[lane], box.height)
    first_row, y = _place_lanes(layout, stacks, row_height, width, y)
    for (lane, column), ids in stacks.items():
        for depth_index, sid in enumerate(ids):
            row = first_row[lane] + depth_index
            top = layout.rows[row].top
            layout.cells[sid] = Cell(
                sid, column, row, Box(columns.left[column], top, columns.width[column], row_height[lane])
            )
    layout.cells = {sid: layout.cells[sid] for sid in blueprint.steps}
    layout.width = width
    layout.height = y  # legend and key are added below by legend.py
    return layout


def columns_width(
    blueprint: Blueprint, *, stack: Mapping[str, int] | None = None, widths: Mapping[str, float] | None = None
) -> float:
    """The width of the picture's bands (before a legend or key widens it), without placing the rest."""
    layout = Layout()
    _place_columns(blueprint, layout, stack, widths)
    return layout.content_right + MARGIN


def _place_columns(
    blueprint: Blueprint, layout: Layout, stack: Mapping[str, int] | None, widths: Mapping[str, float] | None
) -> _Columns:
    """Columns left to right, stage by stage, with the gaps between them and the stage boundaries;
    a column is BOX_WIDTH wide unless `widths` says otherwise for its stage."""
    local = stage_columns(blueprint, stack=stack)
    column_left: list[float] = []
    column_width: list[float] = []
    column_of: dict[str, int] = {}
    x = MARGIN + HEADER_COLUMN + EDGE_GAP
    layout.content_left = MARGIN + HEADER_COLUMN
    layout.gaps.append((layout.content_left, x))
    stage_spans: list[tuple[str, float, float]] = []
    stages = list(blueprint.stages.values())
    for index, stage in enumerate(stages):
        count = max((local[s] for s in stage.steps), default=0) + 1
        first_column = len(column_left)
        stage_left = layout.gaps[-1][0] if index == 0 else x - (COLUMN_GAP + STAGE_GAP) / 2
        box_width = widths.get(stage.id, BOX_WIDTH) if widths else BOX_WIDTH
        for c in range(count):
            column_left.append(x)
            column_width.append(box_width)
            x += box_width
            last = c == count - 1
            if last and index < len(stages) - 1:
                gap = COLUMN_GAP + STAGE_GAP
                layout.boundary_gaps.add(len(layout.gaps))
            elif last:
                gap = EDGE_GAP
            else:
                gap = COLUMN_GAP
            layout.gaps.append((x, x + gap))
            x += gap
        stage_right = x if index == len(stages) - 1 else x - (COLUMN_GAP + STAGE_GAP) / 2
        stage_spans.append((stage.id, stage_left, stage_right))
        if index > 0:
            layout.boundaries.append((stage.id, stage_left))
        for sid in stage.steps:
            column_of[sid] = first_column + local[sid]
    if not stages:
        layout.gaps.append((x, x + EDGE_GAP))
        x += EDGE_GAP
    layout.content_right = x
    return _Columns(column_left, column_width, column_of, stage_spans)


def _place_header(blueprint: Blueprint, layout: Layout, width: float) -> float:
    """The title, then the variant and the description; returns the y below the header."""
    text_width = min(max(width - 2 * MARGIN, 640.0), 1600.0)
    layout.title_lines = wrap(blueprint.title, width=text_width, size=TITLE_FONT, bold=True)
    layout.subtitle_lines = (
        wrap(blueprint.description, width=text_width, size=SUBTITLE_FONT) if blueprint.description else []
    )
    header_height = (
        len(layout.title_lines) * TITLE_FONT + (len(layout.subtitle_lines) + 1) * SUBTITLE_FONT
    ) * content.LINE + 16
    layout.header = Box(MARGIN, MARGIN, text_width, header_height)
    return MARGIN + header_height + 14


def _place_stage_headers(
    blueprint: Blueprint, layout: Layout, stage_spans: list[tuple[str, float, float]], y: float
) -> float:
    """The stage headers along the top, one height for all; returns the y below them."""
    stage_lines = {
        sid: wrap(blueprint.stages[sid].label, width=max(right - left - 20, 60), size=STAGE_FONT, bold=True)
        for sid, left, right in stage_spans
    }
    stage_height = max((len(lines) for lines in stage_lines.values()), default=1) * STAGE_FONT * 1.3 + 18
    for sid, left, right in stage_spans:
        layout.stage_headers[sid] = Box(left + 3, y, right - left - 6, stage_height)
    layout.stage_lines = stage_lines
    return y + stage_height + 6


def _place_lanes(
    layout: Layout,
    stacks: dict[tuple[Lane, int], list[str]],
    row_height: dict[Lane, float],
    width: float,
    y: float,
) -> tuple[dict[Lane, int], float]:
    """The lane bands top to bottom, each with as many sub-rows as its deepest stack, the channels
    between rows and the lines between lanes. Returns each lane's first row and the bands' bottom."""
    depth = {lane: 0 for lane in LANES}
    for (lane, _), ids in stacks.items():
        depth[lane] = max(depth[lane], len(ids))
    first_row: dict[Lane, int] = {}
    previous_bottom = y
    for lane in LANES:
        top = y
        if depth[lane] == 0:
            y += EMPTY_LANE
        else:
            y += LANE_PADDING
            first_row[lane] = len(layout.rows)
            for r in range(depth[lane]):
                if r:
                    y += ROW_GAP
                layout.channels.append((previous_bottom, y))
                layout.rows.append(Row(lane, y, y + row_height[lane]))
                y += row_height[lane]
                previous_bottom = y
            y += LANE_PADDING
        layout.bands[lane] = Box(MARGIN, top, width - 2 * MARGIN, y - top)
    layout.channels.append((previous_bottom, y))
    layout.bands_bottom = y
    for name, upper, _lower in LINES:
        layout.lines.append((name, layout.bands[upper].bottom))
    return first_row, y
