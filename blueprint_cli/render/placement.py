"""Where a flow's label goes: by its arrow, clear of the lines between lanes, other arrows' runs,
step boxes, stage boundaries and the labels placed before it."""

from __future__ import annotations

import bisect

from blueprint_cli.render import layout as G
from blueprint_cli.render.metrics import text_width, wrap
from blueprint_cli.render.routes import Point, Route, separator_ys

# A horizontal run of another arrow: (y, x from, x to, its route).
Run = tuple[float, float, float, Route]


class LabelPlacer:
    """Places the labels of one picture's routes one after another (each placed label becomes an
    obstacle for the next, so the order of the routes matters)."""

    def __init__(self, layout: G.Layout, routes: list[Route]) -> None:
        self.runs = _RunIndex([(*run, route) for route in routes for run in _runs(route)])
        self.separators = separator_ys(layout)
        self.gaps = _GapIndex(layout.gaps)
        self.obstacles = _obstacles(layout)  # grows with each label placed

    def place(self, texts: list[str], route: Route) -> tuple[Point, list[str]]:
        """The label's centre and its lines (wrapped to the room found)."""
        at, wrapped = _place_label(texts, route, self.gaps, self.separators, self.runs)
        return _clear_spot(at, wrapped, texts, route, self.obstacles)


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
