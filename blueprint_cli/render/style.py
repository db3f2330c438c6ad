"""Colours, fonts and line styles of the diagram, in one place.

Organisation colours come from the Okabe–Ito palette, which stays distinguishable with the
common forms of colour blindness; colour is never the only cue (the org name is in every box).
"""

from __future__ import annotations

import zlib

from blueprint_cli.language.model import Blueprint, Lane
from blueprint_cli.vocab import ANNOTATION_KINDS, PAIN_SEVERITIES, FlowStatus, StepStatus

FONT = "DejaVu Sans,Helvetica,Arial,sans-serif"
INK = "#1f2328"
MUTED = "#57606a"
FAINT = "#8c959f"
GRID = "#c9ced6"
PAPER = "#ffffff"

# Okabe-Ito, vermillion kept back for "unowned" and "broken"; ordered so that the first five
# tints are easy to tell apart (blue and sky blue look alike as box fills: sky blue comes late).
ORG_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#999933", "#882255", "#56B4E9", "#F0E442")
CUSTOMER_COLOUR = "#6b7280"
NO_ORG_COLOUR = "#a0a7b1"
WARNING = "#D55E00"  # vermillion

LANE_FILLS = {
    Lane.EVIDENCE: "#f6f8fa",
    Lane.CUSTOMER: "#fdfaf3",
    Lane.FRONTSTAGE: "#f4f8fc",
    Lane.BACKSTAGE: "#f6f8fa",
    Lane.SUPPORT: "#f3f5f3",
}
LANE_HEADER_FILLS = {
    Lane.EVIDENCE: "#e8ebef",
    Lane.CUSTOMER: "#f6ecd4",
    Lane.FRONTSTAGE: "#dce8f4",
    Lane.BACKSTAGE: "#e4e8ed",
    Lane.SUPPORT: "#e1e7e1",
}

MARKER_COLOURS = {"pain": "#C75300", "workaround": "#8a6100", "unknown": "#5e3c99", "note": "#57606a"}
MARKER_LETTERS = {"pain": "P", "workaround": "W", "unknown": "U", "note": "N"}
MARKER_NAMES = {"pain": "Pain point", "workaround": "Workaround", "unknown": "Unknown", "note": "Note"}
MARKER_KINDS = ANNOTATION_KINDS  # order in the legend
# Pain points by severity: a high one is a strong red chip marked "!", a medium one orange, a
# low one muted grey-brown; one without a severity pale orange. Colour is never the only cue: the
# "!" and the key and legend say the severity in words. White text keeps >= 4.5:1 contrast.
SEVERITIES = (*reversed(PAIN_SEVERITIES), None)  # most severe first
SEVERITY_LOOKS = {  # severity -> (fill, text)
    "high": ("#C0001A", "#ffffff"),
    "medium": ("#C75300", "#ffffff"),
    "low": ("#e9e3de", "#5c4b3f"),
    None: ("#f5cfb0", "#7a3300"),
}
SEVERITY_WORDS = {
    "high": "high severity",
    "medium": "medium severity",
    "low": "low severity",
    None: "no severity given",
}


def marker_look(kind: str, severity: str | None = None) -> tuple[str, str]:
    """(fill, text colour) of the chip for an annotation of `kind`."""
    if kind == "pain":
        return SEVERITY_LOOKS.get(severity, SEVERITY_LOOKS[None])
    return MARKER_COLOURS.get(kind, MUTED), "#ffffff"


def marker_description(kind: str, severity: str | None = None) -> str:
    """The kind of a marker in words, with the severity of a pain point."""
    name = MARKER_NAMES.get(kind, kind)
    return f"{name}, {SEVERITY_WORDS.get(severity, severity)}" if kind == "pain" else name


FLOW_COLOUR = "#6e7781"
HANDOFF_COLOUR = "#1b4f8a"
# Keyed by the str enums: a status given as plain text ("missing") finds its entry too.
STEP_STATUS_COLOURS: dict[str, str] = {
    StepStatus.MISSING: "#8c959f",
    StepStatus.UNPLANNED: "#AA3377",
    StepStatus.CHANGED: "#E69F00",
    StepStatus.MOVED: "#0072B2",
}
STEP_STATUS_TAGS: dict[str, str] = {status: status.value.upper() for status in StepStatus}
FLOW_STATUS_COLOURS: dict[str, str] = {FlowStatus.BROKEN: WARNING, FlowStatus.NEW: "#009E73"}
# A measured duration against the plan's target (`target=`): colour, and always a symbol and a word.
VERDICT_COLOURS = {"met": "#1a7f37", "near": "#9a6700", "missed": "#cf222e"}
VERDICT_WORDS = {"met": "✓ met", "near": "≈ near", "missed": "✗ missed"}
TARGET_TOLERANCE = 0.10  # near: up to 10 % over the target (as `conform` judges step.slow)


DISTINCT_COLOURS = 5  # the first five of ORG_COLOURS are the easiest to tell apart


def palette_slots(org_id: str) -> list[int]:
    """An org's slots in ORG_COLOURS, best first: its home slot among the first five (a hash
    of its id, the same in every file and run), the other four after it, then the last three."""
    home = zlib.crc32(org_id.encode("utf-8")) % DISTINCT_COLOURS
    return [(home + i) % DISTINCT_COLOURS for i in range(DISTINCT_COLOURS)] + list(
        range(DISTINCT_COLOURS, len(ORG_COLOURS))
    )


# An org's colour by org id (None: the customer, or no org).
Colours = dict[str | None, str]


def org_colours(blueprint: Blueprint) -> Colours:
    """A colour for each org, by a stable key, so one org looks the same in every picture.

    An org's `[colour=…]` wins. Every other org takes the palette colour of its home slot (a hash
    of its id, not its place in the file; the first by id when two want one); the orgs left over
    then take the next free slot. The colours depend only on which orgs there are: reordering
    never moves a colour, and adding an org moves none whose home slot it does not share. Past
    eight orgs, colours repeat (the org name is in every box). None (customer, no org) is grey.
    """
    colours: dict[str | None, str] = {o.id: o.colour for o in blueprint.orgs.values() if o.colour}
    taken = {ORG_COLOURS.index(c.upper()) for c in colours.values() if c and c.upper() in ORG_COLOURS}
    waiting = sorted(o for o in blueprint.orgs if o not in colours)
    for org_id in list(waiting):  # first pass: home slots
        home = palette_slots(org_id)[0]
        if home not in taken:
            taken.add(home)
            colours[org_id] = ORG_COLOURS[home]
            waiting.remove(org_id)
    for org_id in waiting:  # second pass: the next free slot
        slots = palette_slots(org_id)
        slot = next((s for s in slots if s not in taken), slots[0])
        taken.add(slot)
        colours[org_id] = ORG_COLOURS[slot]
    colours[None] = NO_ORG_COLOUR
    return {org: colours[org] for org in [*blueprint.orgs, None]}


def tint(colour: str, amount: float) -> str:
    """Mix `colour` with white; `amount` 0 gives the colour, 1 gives white."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round(c + (255 - c) * amount) for c in (r, g, b)]
    return "#" + "".join(f"{c:02x}" for c in mix)


def shade(colour: str, amount: float) -> str:
    """Mix `colour` with black."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c * (1 - amount)):02x}" for c in (r, g, b))
