"""Rendering blueprints as swimlane diagrams: DOT text (pure) and SVG, PNG, PDF through Graphviz.

`to_dot`, `to_svg` and `render_bytes` take the model, never a syntax tree. `step_status` and
`flow_status` mark steps and flows for an overlay of two versions (see `dot.to_dot`).
"""

from __future__ import annotations

from collections.abc import Mapping

from blueprint_cli.language.model import Blueprint
from blueprint_cli.render.bands import Wrap
from blueprint_cli.render.dot import to_dot
from blueprint_cli.render.graphviz import FORMATS, Drawing, GraphvizError

ALL_FORMATS = ("svg", "png", "pdf", "dot")

__all__ = [
    "ALL_FORMATS",
    "LARGE_DIAGRAM_STEPS",
    "Drawing",
    "GraphvizError",
    "Wrap",
    "render_bytes",
    "render_drawing",
    "to_dot",
    "to_svg",
    "too_large",
]

# Above this many steps a diagram is too big to read on a screen or a wall (at 1,000 steps it is
# already 190,000 pt, some 67 m, wide), and Graphviz takes minutes to draw it.
LARGE_DIAGRAM_STEPS = 2_000


def too_large(blueprint: Blueprint) -> str | None:
    """A warning for a diagram too large to be useful, said before the long wait; None when it is fine."""
    steps = len(blueprint.steps)
    if steps <= LARGE_DIAGRAM_STEPS:
        return None
    return (
        f"{steps:,} steps make a diagram too large to read (more than {LARGE_DIAGRAM_STEPS:,} steps), "
        "and drawing it may take minutes; split the blueprint into parts (shared declarations in an include), "
        "or use 'blueprint check' and 'blueprint export' for a list"
    )


def to_svg(
    blueprint: Blueprint,
    *,
    step_status: Mapping[str, str] | None = None,
    flow_status: Mapping[tuple[str, str], str] | None = None,
    heading: str | None = None,
    timeout: float = 60,
    wrap_stages: Wrap = None,
) -> str:
    """The diagram as SVG text (runs Graphviz)."""
    return render_bytes(
        blueprint,
        "svg",
        step_status=step_status,
        flow_status=flow_status,
        heading=heading,
        timeout=timeout,
        wrap_stages=wrap_stages,
    ).decode("utf-8")


def render_bytes(
    blueprint: Blueprint,
    fmt: str,
    *,
    step_status: Mapping[str, str] | None = None,
    flow_status: Mapping[tuple[str, str], str] | None = None,
    heading: str | None = None,
    timeout: float = 60,
    wrap_stages: Wrap = None,
) -> bytes:
    """The diagram in `fmt` (svg, png, pdf or dot); only `dot` works without Graphviz."""
    return render_drawing(
        blueprint,
        fmt,
        step_status=step_status,
        flow_status=flow_status,
        heading=heading,
        timeout=timeout,
        wrap_stages=wrap_stages,
    ).data


def render_drawing(
    blueprint: Blueprint,
    fmt: str,
    *,
    step_status: Mapping[str, str] | None = None,
    flow_status: Mapping[tuple[str, str], str] | None = None,
    heading: str | None = None,
    timeout: float = 60,
    wrap_stages: Wrap = None,
) -> Drawing:
    """Like `render_bytes`, with warnings for the user (e.g. a PNG too large, scaled down by Graphviz).

    `wrap_stages` (N stages per band, or "auto") draws the stages in bands one under another; a
    PDF then has one page per band.
    """
    from blueprint_cli.render.graphviz import draw

    if wrap_stages is not None and fmt == "pdf":
        from blueprint_cli.render.pages import draw_pages

        return draw_pages(
            blueprint, wrap_stages, step_status=step_status, flow_status=flow_status, heading=heading, timeout=timeout
        )
    if wrap_stages is not None:
        from blueprint_cli.render.wrapped import to_dot_wrapped

        dot_text = to_dot_wrapped(
            blueprint, wrap_stages, step_status=step_status, flow_status=flow_status, heading=heading
        )
    else:
        dot_text = to_dot(blueprint, step_status=step_status, flow_status=flow_status, heading=heading)
    if fmt == "dot":
        return Drawing(dot_text.encode("utf-8"))
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(ALL_FORMATS)}")
    return draw(dot_text, fmt=fmt, timeout=timeout)
