"""Colours, fonts and line styles of the diagram, in one place.

Organisation colours come from the Okabe–Ito palette, which stays distinguishable with the
common forms of colour blindness; colour is never the only cue (the org name is in every box).
"""

from __future__ import annotations

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


def org_colours(blueprint: Blueprint) -> dict[str | None, str]:
    """A colour for each org in file order; None (customer or no org) gets a neutral grey."""
    colours: dict[str | None, str] = {org: ORG_COLOURS[i % len(ORG_COLOURS)] for i, org in enumerate(blueprint.orgs)}
    colours[None] = NO_ORG_COLOUR
    return colours


def tint(colour: str, amount: float) -> str:
    """Mix `colour` with white; `amount` 0 gives the colour, 1 gives white."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round(c + (255 - c) * amount) for c in (r, g, b)]
    return "#" + "".join(f"{c:02x}" for c in mix)


def shade(colour: str, amount: float) -> str:
    """Mix `colour` with black."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c * (1 - amount)):02x}" for c in (r, g, b))
