"""The frame of the picture: the title header, the lane bands and their titles, the stage headers,
the lines between lanes and the boundaries between stages: everything but steps, arrows and legend."""

from __future__ import annotations

from blueprint_cli.language.model import Blueprint, Variant
from blueprint_cli.render import content as C
from blueprint_cli.render import labels as L
from blueprint_cli.render import layout as G
from blueprint_cli.render.bands import is_connector
from blueprint_cli.render.escape import quoted
from blueprint_cli.render.metrics import wrap
from blueprint_cli.render.style import GRID, INK, LANE_FILLS, LANE_HEADER_FILLS
from blueprint_cli.render.writer import Writer

STAGE_FILL = "#2f3b4c"
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
