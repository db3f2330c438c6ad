"""Orthogonal routes for the flows, computed on the grid so that arrows never cross a step box.

Columns leave a free vertical gap between them and rows a free horizontal channel, across the
whole picture. A flow leaves its source on the right, runs in the gap next to it, along the
channel next to its target row, down the gap before its target and enters it from the left.
Neighbours in one row get a straight arrow, and a step under another in the same column a
vertical one. Each flow in a gap or channel gets its own track, spread evenly, and tracks keep
clear of stage boundaries and of the lines between lanes.
"""

from __future__ import annotations

from dataclasses import dataclass

from blueprint_cli.language.model import Blueprint, Flow
from blueprint_cli.render.layout import Layout

Point = tuple[float, float]
GAP_MARGIN = 14.0  # keep tracks this far from a box: room for the arrowhead
CHANNEL_MARGIN = 6.0
# Keep tracks this far from a line drawn in a gap or channel (a stage boundary, a line between
# lanes, a band's edge): closer, an arrow seems to run along the line, or hides it.
AVOID = 10.0
PORT_SPACING = 12.0


@dataclass(frozen=True, slots=True)
class Route:
    """The polyline of one flow and where its label fits."""

    flow: Flow
    points: tuple[Point, ...]  # polyline, y downwards, from the source box to the target box
    label_segment: tuple[Point, Point]  # where a label for this flow fits best


@dataclass
class _Plan:
    """How a flow will be routed, before the tracks are assigned."""

    flow: Flow
    kind: str  # straight | down | up | gap
    exit_gap: int = -1
    entry_gap: int = -1
    channel: int = -1
    start: Point = (0.0, 0.0)
    end: Point = (0.0, 0.0)


def route_flows(blueprint: Blueprint, layout: Layout) -> list[Route]:
    cells = layout.cells
    occupied = {(cell.row, cell.column) for cell in cells.values()}
    plans: list[_Plan] = []
    for flow in blueprint.flows:
        if flow.source not in cells or flow.target not in cells:
            continue
        a, b = cells[flow.source], cells[flow.target]
        if (
            a.row == b.row
            and b.column > a.column
            and all((a.row, c) not in occupied for c in range(a.column + 1, b.column))
        ):
            plans.append(_Plan(flow, "straight", entry_gap=b.column))
        elif (
            a.column == b.column
            and a.row != b.row
            and all((r, a.column) not in occupied for r in range(min(a.row, b.row) + 1, max(a.row, b.row)))
        ):
            down = b.row > a.row
            plans.append(_Plan(flow, "down" if down else "up", channel=b.row if down else b.row + 1))
        else:
            if b.row > a.row:
                channel = b.row
            elif b.row < a.row:
                channel = b.row + 1
            else:
                channel = b.row
            exit_gap, entry_gap = a.column + 1, b.column
            plans.append(_Plan(flow, "gap", exit_gap, entry_gap, channel if exit_gap != entry_gap else -1))
    _assign_ports(layout, plans)
    gap_tracks = _gap_tracks(layout, plans)
    _separate_stubs(layout, plans, gap_tracks)
    channel_tracks = _channel_tracks(layout, plans)
    routes = []
    for index, plan in enumerate(plans):
        points = _points(plan, index, gap_tracks, channel_tracks)
        routes.append(Route(plan.flow, points, _label_segment(points)))
    return routes


def _assign_ports(layout: Layout, plans: list[_Plan]) -> None:
    """Spread the ends of the flows along each side of each box, ordered to avoid crossings."""
    sides: dict[tuple[str, str], list[tuple[float, int, bool]]] = {}
    for index, plan in enumerate(plans):
        a, b = layout.cells[plan.flow.source].box, layout.cells[plan.flow.target].box
        if plan.kind == "down":
            sides.setdefault((plan.flow.source, "bottom"), []).append((b.cx, index, True))
            sides.setdefault((plan.flow.target, "top"), []).append((a.cx, index, False))
        elif plan.kind == "up":
            sides.setdefault((plan.flow.source, "top"), []).append((b.cx, index, True))
            sides.setdefault((plan.flow.target, "bottom"), []).append((a.cx, index, False))
        else:
            sides.setdefault((plan.flow.source, "right"), []).append((b.cy, index, True))
            sides.setdefault((plan.flow.target, "left"), []).append((a.cy, index, False))
    for (step, side), ends in sides.items():
        box = layout.cells[step].box
        ends.sort()
        count = len(ends)
        horizontal = side in ("top", "bottom")
        length = box.width if horizontal else box.height
        spacing = min(PORT_SPACING * (1.6 if horizontal else 1), (length - 16) / max(count - 1, 1))
        for i, (_, index, outgoing) in enumerate(ends):
            offset = (i - (count - 1) / 2) * spacing
            if side == "right":
                point = (box.right, box.cy + offset)
            elif side == "left":
                point = (box.left, box.cy + offset)
            elif side == "bottom":
                point = (box.cx + offset, box.bottom)
            else:
                point = (box.cx + offset, box.top)
            if outgoing:
                plans[index].start = point
            else:
                plans[index].end = point
    # A straight arrow whose ends are slightly apart gets a jog; line them up where one end is free.
    for plan in plans:
        if plan.kind != "straight" or plan.start[1] == plan.end[1]:
            continue
        a, b = layout.cells[plan.flow.source].box, layout.cells[plan.flow.target].box
        if len(sides[(plan.flow.source, "right")]) == 1 and a.top + 8 <= plan.end[1] <= a.bottom - 8:
            plan.start = (plan.start[0], plan.end[1])
        elif len(sides[(plan.flow.target, "left")]) == 1 and b.top + 8 <= plan.start[1] <= b.bottom - 8:
            plan.end = (plan.end[0], plan.start[1])


def _spread(low: float, high: float, count: int, avoid: list[float]) -> list[float]:
    """`count` positions spread evenly over [low, high], keeping clear of the `avoid` positions."""
    pieces = [(low, high)]
    for a in sorted(avoid):
        next_pieces = []
        for lo, hi in pieces:
            if a - AVOID <= lo and hi <= a + AVOID:
                continue
            if lo < a + AVOID and a - AVOID < hi:
                if lo < a - AVOID:
                    next_pieces.append((lo, a - AVOID))
                if a + AVOID < hi:
                    next_pieces.append((a + AVOID, hi))
            else:
                next_pieces.append((lo, hi))
        pieces = next_pieces or pieces
    total = sum(hi - lo for lo, hi in pieces)
    positions = []
    for i in range(count):
        at = total * (i + 0.5) / count
        for lo, hi in pieces:
            if at <= hi - lo:
                positions.append(round(lo + at, 2))
                break
            at -= hi - lo
        else:
            positions.append(round(pieces[-1][1], 2))
    return positions


def _gap_tracks(layout: Layout, plans: list[_Plan]) -> dict[tuple[int, int], float]:
    """x of each (plan, gap) use."""
    users: dict[int, list[int]] = {}
    for index, plan in enumerate(plans):
        if plan.kind == "gap":
            users.setdefault(plan.exit_gap, []).append(index)
            if plan.entry_gap != plan.exit_gap:
                users.setdefault(plan.entry_gap, []).append(index)
        elif plan.kind == "straight" and plan.start[1] != plan.end[1]:
            users.setdefault(plan.entry_gap, []).append(index)
    tracks: dict[tuple[int, int], float] = {}
    for gap, indexes in users.items():
        # Flows leaving the box left of the gap take the tracks on the left, flows entering the
        # box on its right the tracks on the right: a horizontal stub out of one box then never
        # lies on top of a stub into the other at the same height.
        indexes = sorted(indexes, key=lambda index: _side_in_gap(plans[index], gap))
        left, right = layout.gaps[gap]
        avoid = [(left + right) / 2] if gap in layout.boundary_gaps else []
        xs = _spread(left + GAP_MARGIN, right - GAP_MARGIN, len(indexes), avoid)
        for index, x in zip(indexes, xs, strict=False):
            tracks[(index, gap)] = x
    return tracks


# A horizontal piece of a flow inside a gap: (gap, x from, x to, y, moves its end?).
_Stub = tuple[int, float, float, float, bool]


def _stubs(plan: _Plan, index: int, layout: Layout, tracks: dict[tuple[int, int], float]) -> list[_Stub]:
    """The horizontal pieces of a flow inside gaps: (gap, x from, x to, y, moves its end?)."""
    if plan.kind == "straight":
        if plan.start[1] == plan.end[1]:
            return [(plan.entry_gap, plan.start[0], plan.end[0], plan.start[1], False)]
        x = tracks[(index, plan.entry_gap)]
        return [
            (plan.entry_gap, plan.start[0], x, plan.start[1], False),
            (plan.entry_gap, x, plan.end[0], plan.end[1], True),
        ]
    if plan.kind != "gap":
        return []
    out = tracks[(index, plan.exit_gap)]
    into = tracks[(index, plan.entry_gap)]
    return [
        (plan.exit_gap, plan.start[0], out, plan.start[1], False),
        (plan.entry_gap, into, plan.end[0], plan.end[1], True),
    ]


def _separate_stubs(layout: Layout, plans: list[_Plan], tracks: dict[tuple[int, int], float]) -> None:
    """Where a flow's stub into a box would lie on another flow's stub at the same height, move
    the end of the first along the side of its box (arrows must never run on top of each other)."""
    for _ in range(3):
        by_gap: dict[int, list[tuple[int, _Stub]]] = {}
        for index, plan in enumerate(plans):
            for stub in _stubs(plan, index, layout, tracks):
                by_gap.setdefault(stub[0], []).append((index, stub))
        moved = False
        for stubs in by_gap.values():
            for index, (_, a1, a2, y, is_end) in stubs:
                clash = is_end and any(
                    other != index
                    and abs(oy - y) < 2
                    and min(max(a1, a2), max(b1, b2)) - max(min(a1, a2), min(b1, b2)) > 1
                    for other, (_, b1, b2, oy, _) in stubs
                )
                if not clash:
                    continue
                box = layout.cells[plans[index].flow.target].box
                taken = [stub[3] for _, stub in stubs]
                for step in (PORT_SPACING / 2, -PORT_SPACING / 2, PORT_SPACING, -PORT_SPACING):
                    new_y = y + step
                    if box.top + 8 <= new_y <= box.bottom - 8 and all(abs(new_y - t) >= 2 for t in taken):
                        plans[index].end = (plans[index].end[0], round(new_y, 2))
                        moved = True
                        break
        if not moved:
            return


def _side_in_gap(plan: _Plan, gap: int) -> int:
    """0: the flow only leaves its source through `gap`; 2: it only enters its target; 1: both."""
    if plan.kind == "gap" and plan.exit_gap != plan.entry_gap:
        return 0 if gap == plan.exit_gap else 2
    return 1


def _channel_tracks(layout: Layout, plans: list[_Plan]) -> dict[int, float]:
    """y of each plan's run along a channel."""
    users: dict[int, list[int]] = {}
    for index, plan in enumerate(plans):
        needs = plan.kind == "gap" and plan.channel >= 0
        needs |= plan.kind in ("down", "up") and plan.start[0] != plan.end[0]
        if needs:
            users.setdefault(plan.channel, []).append(index)
    line_ys = separator_ys(layout)
    tracks: dict[int, float] = {}
    for channel, indexes in users.items():
        top, bottom = layout.channels[channel]
        ys = _spread(top + CHANNEL_MARGIN, bottom - CHANNEL_MARGIN, len(indexes), line_ys)
        for index, y in zip(indexes, ys, strict=False):
            tracks[index] = y
    return tracks


def separator_ys(layout: Layout) -> list[float]:
    """The y of every horizontal line drawn across the bands: the lines between lanes and band edges."""
    ys = {y for _, y in layout.lines}
    for band in layout.bands.values():
        ys |= {band.top, band.bottom}
    return sorted(ys)


def _points(
    plan: _Plan, index: int, gaps: dict[tuple[int, int], float], channels: dict[int, float]
) -> tuple[Point, ...]:
    (x1, y1), (x2, y2) = plan.start, plan.end
    if plan.kind == "straight":
        if y1 == y2:
            return ((x1, y1), (x2, y2))
        tx = gaps[(index, plan.entry_gap)]
        return ((x1, y1), (tx, y1), (tx, y2), (x2, y2))
    if plan.kind in ("down", "up"):
        if x1 == x2:
            return ((x1, y1), (x2, y2))
        ty = channels[index]
        return ((x1, y1), (x1, ty), (x2, ty), (x2, y2))
    ex = gaps[(index, plan.exit_gap)]
    if plan.entry_gap == plan.exit_gap:
        return ((x1, y1), (ex, y1), (ex, y2), (x2, y2))
    nx = gaps[(index, plan.entry_gap)]
    ty = channels[index]
    return ((x1, y1), (ex, y1), (ex, ty), (nx, ty), (nx, y2), (x2, y2))


def _label_segment(points: tuple[Point, ...]) -> tuple[Point, Point]:
    """The longest horizontal segment if it is long enough for a label, else the longest one."""
    segments = list(zip(points, points[1:], strict=False))
    horizontal = [s for s in segments if s[0][1] == s[1][1]]
    if horizontal:
        best = max(horizontal, key=lambda s: abs(s[1][0] - s[0][0]))
        if abs(best[1][0] - best[0][0]) >= 60:
            return best
    return max(segments, key=lambda s: abs(s[1][0] - s[0][0]) + abs(s[1][1] - s[0][1]))
