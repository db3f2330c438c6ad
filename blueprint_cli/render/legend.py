"""The legend and the key to the markers beneath the bands: planned before anything is drawn (the
picture widens to fit them), drawn last."""

from __future__ import annotations

from dataclasses import dataclass

from blueprint_cli.language.model import Blueprint, Variant
from blueprint_cli.render import content as C
from blueprint_cli.render import labels as L
from blueprint_cli.render import layout as G
from blueprint_cli.render.escape import quoted
from blueprint_cli.render.flows import FlowStatuses
from blueprint_cli.render.style import (
    FLOW_COLOUR,
    FLOW_STATUS_COLOURS,
    HANDOFF_COLOUR,
    INK,
    MARKER_KINDS,
    MARKER_LETTERS,
    SEVERITIES,
    WARNING,
    Colours,
    marker_description,
    shade,
    tint,
)
from blueprint_cli.render.writer import Writer
from blueprint_cli.vocab import FlowStatus


def _marker_kinds(blueprint: Blueprint) -> list[tuple[str, str | None]]:
    """The kinds of marker in this diagram (pain points by severity), in legend order."""
    found = {(a.kind, a.severity if a.kind == "pain" else None) for a in blueprint.annotations}
    order = [("pain", severity) for severity in SEVERITIES] + [(kind, None) for kind in MARKER_KINDS if kind != "pain"]
    return [entry for entry in order if entry in found]


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
