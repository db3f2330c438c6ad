"""The step boxes: filled in their org's colour, dashed when assumed, bordered by an overlay's status."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from blueprint_cli.language.model import Blueprint
from blueprint_cli.render import labels as L
from blueprint_cli.render import layout as G
from blueprint_cli.render.escape import quoted
from blueprint_cli.render.style import FAINT, STEP_STATUS_COLOURS, Colours, shade, tint
from blueprint_cli.render.writer import Writer, number
from blueprint_cli.vocab import StepStatus


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
            penwidth=number(penwidth),
            label=label,
        )
