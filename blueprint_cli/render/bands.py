"""Wrapping a wide blueprint into bands of stages, one under the other (`render --wrap-stages`).

A band is the blueprint cut down to some consecutive stages, plus two connector columns: flows
that leave the band end at an off-band connector in a column on its right ("to “Target” ·
band 2"), flows that arrive from another band start at one in a column on its left ("from
“Source” · band 1"), whichever band the other end is in (the picture still reads left to
right). Each connector is a pseudo-step, so the grid and the router place and route it like any
step (`layout.compute`, `routes.route_flows`); `wrapped.py` draws the bands one under another.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from blueprint_cli.language.model import Blueprint, Flow, Stage, Step
from blueprint_cli.render import content
from blueprint_cli.render import layout as G
from blueprint_cli.render.metrics import text_width, wrap

# `--wrap-stages N` (stages per band) or `auto`; None: one picture, as it has always been.
Wrap = int | Literal["auto"] | None

# `auto` keeps every band at most this wide (points). A landscape A3 page is 1,191 pt wide; a
# band of 1,700 pt printed across it shrinks to 70 %, where the steps' 11 pt labels read as
# 7.7 pt and the arrows' 8 pt labels as 5.6 pt, about the smallest print a reader holding the
# page can still read. A single stage wider than this gets a band of its own (we never break
# inside a stage).
MAX_BAND_WIDTH = 1700.0

# Connector pseudo-ids start with "~", which no id in the language can (ids are words).
INCOMING = "~from"
OUTGOING = "~to"
# How many connectors of one lane share a column before the next moves right (steps: 2). A band
# is wider than a landscape page's shape, so a deeper lane costs less print scale than another
# column, and connectors are small.
CONNECTOR_STACK = 4
CONNECTOR_FONT = 9.0
# A connector's box is narrower than a step's (its few words wrap over more lines): each connector
# column costs 60 pt less of a band's width, so a band prints larger and `auto` has more room.
CONNECTOR_WIDTH = 128.0
CONNECTOR_TEXT = CONNECTOR_WIDTH - 34  # room for the text beside the connector's point


@dataclass(frozen=True, slots=True)
class Connector:
    """An off-band connector at the edge of a band: where flows leave for a step in another band
    (right edge), or arrive from one (left edge). One per step at the other end, whatever the
    number of flows, as one off-page connector in a flowchart takes several arrows."""

    id: str  # the pseudo-step's id
    flows: tuple[Flow, ...]  # the blueprint's flows it stands for, in file order
    outgoing: bool  # True: the flows leave this band here (right edge); False: they arrive (left edge)
    other_step: str  # the step at the flows' other end
    other_band: int  # the band (1-based) of that step
    text: str  # "to “Target” · band 2" / "from “Source” · band 1"


@dataclass(frozen=True, slots=True)
class Band:
    """Some consecutive stages of the blueprint, with connectors for the flows crossing its edges."""

    number: int  # 1-based
    stages: tuple[str, ...]  # the blueprint's stage ids in this band
    blueprint: Blueprint  # the band's stages and steps, the connector pseudo-stages and steps
    connectors: dict[str, Connector]  # by pseudo-step id
    flows: dict[tuple[str, str], Flow]  # the blueprint's flow behind each flow of the band

    @property
    def stack(self) -> dict[str, int]:
        """How deep steps may stack in each stage that is not the default: the connector columns."""
        return {sid: CONNECTOR_STACK for sid in self.blueprint.stages if is_connector(sid)}

    @property
    def widths(self) -> dict[str, float]:
        """How wide the boxes of each stage that is not the default are: the connector columns."""
        return {sid: CONNECTOR_WIDTH for sid in self.blueprint.stages if is_connector(sid)}


def split(blueprint: Blueprint, wrap_stages: int | Literal["auto"]) -> list[Band]:
    """The bands: `wrap_stages` stages each, or as many as fit in MAX_BAND_WIDTH (`auto`)."""
    stage_ids = list(blueprint.stages)
    touching = flows_by_step(blueprint)
    if wrap_stages == "auto":
        groups = _greedy(blueprint, stage_ids, touching)
    else:
        groups = [stage_ids[i : i + wrap_stages] for i in range(0, len(stage_ids), wrap_stages)]
    groups = groups or [[]]
    band_of = {
        sid: number for number, group in enumerate(groups, 1) for stage in group for sid in _steps(blueprint, stage)
    }
    return [
        _band(blueprint, tuple(group), number, band_of, _touching(blueprint, group, touching))
        for number, group in enumerate(groups, 1)
    ]


def _steps(blueprint: Blueprint, stage_id: str) -> tuple[str, ...]:
    return blueprint.stages[stage_id].steps


def flows_by_step(blueprint: Blueprint) -> dict[str, list[int]]:
    """The indexes (in `blueprint.flows`) of the flows from or to each step: a band looks only at
    its own steps' flows, so cutting a blueprint into bands stays linear in its size."""
    touching: dict[str, list[int]] = {}
    for index, flow in enumerate(blueprint.flows):
        touching.setdefault(flow.source, []).append(index)
        if flow.target != flow.source:
            touching.setdefault(flow.target, []).append(index)
    return touching


def _touching(blueprint: Blueprint, stage_ids: Sequence[str], touching: dict[str, list[int]]) -> list[Flow]:
    """The flows from or to the steps of these stages, in file order."""
    found = {i for stage in stage_ids for sid in _steps(blueprint, stage) for i in touching.get(sid, ())}
    return [blueprint.flows[i] for i in sorted(found)]


def _greedy(blueprint: Blueprint, stage_ids: list[str], touching: dict[str, list[int]]) -> list[list[str]]:
    """Stages in order, a new band whenever the next stage would make this one too wide.

    A band's width depends only on its own stages (its connectors are its flows to and from
    everything outside it), so each candidate is measured exactly, by the grid itself. A stage
    without steps never gets a band (a page) of its own: it joins the band before it, or the
    one after it when it comes first.
    """
    groups: list[list[str]] = []
    current: list[str] = []
    for stage_id in stage_ids:
        candidate = [*current, stage_id]
        if (
            _steps(blueprint, stage_id)
            and any(_steps(blueprint, sid) for sid in current)
            and band_width(blueprint, candidate, touching=touching) > MAX_BAND_WIDTH
        ):
            groups.append(current)
            candidate = [stage_id]
        current = candidate
    if current:
        groups.append(current)
    return groups


def band_width(blueprint: Blueprint, stage_ids: list[str], *, touching: dict[str, list[int]] | None = None) -> float:
    """How wide a band of these stages is drawn (points), its connector columns included."""
    touching = flows_by_step(blueprint) if touching is None else touching
    # The other bands' numbers only change the connectors' words, not the band's width.
    elsewhere = _Elsewhere()
    band = _band(blueprint, tuple(stage_ids), 1, elsewhere, _touching(blueprint, stage_ids, touching))
    return G.columns_width(band.blueprint, stack=band.stack, widths=band.widths)


class _Elsewhere(dict[str, int]):
    """Every step is in band 2 (for measuring a band: which band the other ends are in is moot)."""

    def __missing__(self, key: str) -> int:
        return 2


def _band(
    blueprint: Blueprint, stage_ids: tuple[str, ...], number: int, band_of: Mapping[str, int], touching: list[Flow]
) -> Band:
    """The band's own blueprint: its stages and steps, its inner flows, and a connector for each
    step in another band that its flows lead to or come from (`touching`: the flows from or to
    its steps, in file order, so routing stays deterministic)."""
    steps = {sid: blueprint.steps[sid] for stage in stage_ids for sid in _steps(blueprint, stage)}
    flows: dict[tuple[str, str], Flow] = {}
    ends: dict[str, list[Flow]] = {}
    for flow in touching:
        inside_source, inside_target = flow.source in steps, flow.target in steps
        if inside_source and inside_target:
            flows[flow.key] = flow
        elif inside_source:
            end = f"{OUTGOING}{number}~{flow.target}"
            ends.setdefault(end, []).append(flow)
            flows[(flow.source, end)] = flow
        elif inside_target:
            end = f"{INCOMING}{number}~{flow.source}"
            ends.setdefault(end, []).append(flow)
            flows[(end, flow.target)] = flow
    connectors = {end: _connector(blueprint, end, tuple(found), band_of) for end, found in ends.items()}
    stages = _stages_with_connectors(blueprint, stage_ids, connectors, number)
    for connector in connectors.values():
        first = connector.flows[0]
        lane = blueprint.steps[first.source if connector.outgoing else first.target].lane
        stage = f"{OUTGOING if connector.outgoing else INCOMING}{number}"
        steps[connector.id] = Step(id=connector.id, label=connector.text, lane=lane, stage=stage)
    band_flows = tuple(
        dataclasses.replace(flow, source=source, target=target) for (source, target), flow in flows.items()
    )
    cut = dataclasses.replace(blueprint, stages=stages, steps=steps, flows=band_flows)
    return Band(number, stage_ids, cut, connectors, flows)


def _connector(blueprint: Blueprint, end: str, flows: tuple[Flow, ...], band_of: Mapping[str, int]) -> Connector:
    outgoing = end.startswith(OUTGOING)
    other = flows[0].target if outgoing else flows[0].source
    label = blueprint.steps[other].label
    text = f"{'to' if outgoing else 'from'} “{label}” · band {band_of[other]}"
    return Connector(end, flows, outgoing, other, band_of[other], text)


def _stages_with_connectors(
    blueprint: Blueprint, stage_ids: tuple[str, ...], connectors: dict[str, Connector], number: int
) -> dict[str, Stage]:
    """The band's stages between a column of incoming connectors and one of outgoing ones (each
    only when there are any)."""
    incoming = tuple(c.id for c in connectors.values() if not c.outgoing)
    outgoing = tuple(c.id for c in connectors.values() if c.outgoing)
    stages: dict[str, Stage] = {}
    if incoming:
        stages[f"{INCOMING}{number}"] = Stage(f"{INCOMING}{number}", "from other bands", incoming)
    stages.update({sid: blueprint.stages[sid] for sid in stage_ids})
    if outgoing:
        stages[f"{OUTGOING}{number}"] = Stage(f"{OUTGOING}{number}", "to other bands", outgoing)
    return stages


def is_connector(step_or_stage_id: str) -> bool:
    """Whether an id is one of a band's connector pseudo-steps or pseudo-stages."""
    return step_or_stage_id.startswith("~")


def connector_lines(text: str) -> list[str]:
    """A connector's text as lines, its closing "band N" never split ("…” · band" over "2"): the
    label is wrapped, then "band N" goes on its last line if it fits there, else on a line of its own."""
    label, _, where = text.rpartition(" · ")
    lines = wrap(f"{label} ·", width=CONNECTOR_TEXT, size=CONNECTOR_FONT)
    if text_width(f"{lines[-1]} {where}", size=CONNECTOR_FONT) <= CONNECTOR_TEXT:
        lines[-1] = f"{lines[-1]} {where}"
    else:
        lines.append(where)
    return lines


def connector_boxes(band: Band) -> dict[str, content.StepContent]:
    """What each connector box says and how tall it is (smaller than a step's box)."""
    boxes = {}
    for end in band.connectors.values():
        lines = connector_lines(end.text)
        height = round(len(lines) * CONNECTOR_FONT * content.LINE + 2 * content.PAD_Y, 1)
        boxes[end.id] = content.StepContent((), (), None, tuple(lines), (), height)
    return boxes
