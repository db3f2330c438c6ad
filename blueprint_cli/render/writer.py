"""The DOT writer: nodes, edges and invisible anchors collected in y-down coordinates and written
with y upwards once the picture's height is known, and the document around them.

Every drawing module writes through a `Writer`; nothing here knows what a blueprint is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from blueprint_cli.render import layout as G
from blueprint_cli.render.escape import quoted
from blueprint_cli.render.routes import Point
from blueprint_cli.render.style import FONT

ARROW = 9.0
CORNER = 6.0


def document(w: Writer, width: float, height: float) -> str:
    """The DOT text: the graph's attributes and size, then everything written, flipped to y upwards."""
    head = [
        "digraph blueprint {",
        f"  graph [bb={quoted(f'0,0,{number(width)},{number(height)}')}, outputorder=nodesfirst, splines=true, pad=0.4,"
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
                "pos": f'"{number(box.cx)},{number(height - box.cy)}!"',
                "width": number(box.width / 72),
                "height": number(box.height / 72),
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
                extra["lp"] = quoted(f"{number(label_at[0])},{number(height - label_at[1])}")
            return f"  {quoted(tail)} -> {quoted(head)} [{_attrs({**extra, **attrs})}];"

        self.items.append(text)

    def anchor(self, name: str, x: float, y: float) -> None:
        x, y = self._at((x, y))

        def text(height: float) -> str:
            attrs = {
                "pos": quoted(f"{number(x)},{number(height - y)}!"),
                "shape": "point",
                "width": "0.01",
                "height": "0.01",
                "style": "invis",
            }
            return f"  {quoted(name)} [{_attrs(attrs)}];"

        self.items.append(text)

    def render(self, height: float) -> list[str]:
        return [item(height) for item in self.items]


def number(value: float) -> str:
    """A coordinate or width as DOT gets it: at most two decimals, no trailing zeros, never -0."""
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
    text = " ".join(f"{number(x)},{number(height - y)}" for x, y in bez)
    if arrow:
        return f"e,{number(end[0])},{number(height - end[1])} {text}"
    return text


def _dist(p: Point, q: Point) -> float:
    return abs(p[0] - q[0]) + abs(p[1] - q[1])


def _toward(p: Point, q: Point, distance: float) -> Point:
    length = _dist(p, q) or 1.0
    return (p[0] + (q[0] - p[0]) / length * distance, p[1] + (q[1] - p[1]) / length * distance)


def _lerp(p: Point, q: Point, t: float) -> Point:
    return (p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t)
