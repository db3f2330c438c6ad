"""HTML-like Graphviz labels: step boxes, header, legend and key; every piece of user text escaped."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from blueprint_cli.render import content as C
from blueprint_cli.render.escape import html_text
from blueprint_cli.render.metrics import text_width, wrap
from blueprint_cli.render.style import (
    INK,
    MUTED,
    STEP_STATUS_COLOURS,
    VERDICT_COLOURS,
    marker_description,
    marker_look,
)
from blueprint_cli.vocab import StepStatus

KEY_FONT = 9.0
LEGEND_FONT = 9.5


def font(
    text: str, *, size: float, colour: str = INK, bold: bool = False, strike: bool = False, italic: bool = False
) -> str:
    if not text:
        return ""  # Graphviz rejects an empty <B></B> as a syntax error
    body = html_text(text)
    if bold:
        body = f"<B>{body}</B>"
    if italic:
        body = f"<I>{body}</I>"
    if strike:
        body = f"<S>{body}</S>"
    return f'<FONT POINT-SIZE="{size:g}" COLOR="{colour}">{body}</FONT>'


def lines(items: Iterable[str], *, size: float, colour: str = INK, bold: bool = False, strike: bool = False) -> str:
    return (
        '<BR ALIGN="LEFT"/>'.join(font(t, size=size, colour=colour, bold=bold, strike=strike) for t in items)
        + '<BR ALIGN="LEFT"/>'
    )


CHIP_HEIGHT = 13.0  # for 8-8.5 pt text; 14 for 9 pt


def chip(
    text: str,
    *,
    kind: str,
    severity: str | None,
    width: float,
    size: float = C.MARKER_FONT,
    height: float = CHIP_HEIGHT,
) -> str:
    """A marker chip: a fixed-size coloured cell with its code vertically centred.

    Graphviz centres the text's line box, which includes room for descenders, so capitals and
    digits sit high; aligning the line box to the bottom of a cell of the right height centres
    them (measured in Cairo's PNG and in the SVG at 8, 8.5 and 9 pt).
    """
    fill, ink = marker_look(kind, severity)  # no border: it would move the text up by its width
    return (
        f'<TD FIXEDSIZE="TRUE" WIDTH="{width:g}" HEIGHT="{height:g}" BGCOLOR="{fill}" VALIGN="BOTTOM">'
        f"{font(text, size=size, colour=ink, bold=True)}</TD>"
    )


def marker_cells(markers: Sequence[C.Marker]) -> str:
    cells = "".join(
        chip(m.text, kind=m.annotation.kind, severity=m.annotation.severity, width=C.marker_width(m)) for m in markers
    )
    # A nested table stretches to fill its cell, spreading the chips apart; a fixed size keeps
    # them together at the right of the box.
    width = sum(C.marker_width(m) + 2 for m in markers) + 2
    return (
        f'<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="0" FIXEDSIZE="TRUE" WIDTH="{width:g}" HEIGHT="{CHIP_HEIGHT + 4:g}">'
        f"<TR>{cells}</TR></TABLE>"
    )


def step_label(box: C.StepContent, *, org_colour: str, status: str | None) -> str:
    missing = status == StepStatus.MISSING
    ink = "#8c959f" if missing else INK
    muted = "#8c959f" if missing else MUTED
    width = C.INNER_WIDTH
    top = lines(box.org_lines, size=C.SMALL_FONT, colour=org_colour if not missing else muted, bold=True)
    rows = [
        f'<TR><TD ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP" WIDTH="{width - C.markers_width(box.markers) - 2:g}">{top}</TD>'
        f'<TD ALIGN="RIGHT" VALIGN="TOP" FIXEDSIZE="TRUE" WIDTH="{C.markers_width(box.markers) + 2:g}" HEIGHT="17">{marker_cells(box.markers) if box.markers else ""}</TD></TR>'
    ]
    if box.status_tag:
        tag = font(box.status_tag, size=C.SMALL_FONT, colour=STEP_STATUS_COLOURS.get(status or "", MUTED), bold=True)
        rows.append(f'<TR><TD COLSPAN="2" ALIGN="LEFT" CELLPADDING="1">{tag}</TD></TR>')
    rows.append(
        f'<TR><TD COLSPAN="2" ALIGN="LEFT" BALIGN="LEFT" HEIGHT="{len(box.label_lines) * C.LABEL_FONT * C.LINE + C.BLOCK_GAP:g}">'
        f"{lines(box.label_lines, size=C.LABEL_FONT, colour=ink, strike=missing)}</TD></TR>"
    )
    if box.detail_lines:
        rows.append(
            f'<TR><TD COLSPAN="2" ALIGN="LEFT" BALIGN="LEFT">{lines(box.detail_lines, size=C.SMALL_FONT, colour=muted)}</TD></TR>'
        )
    if box.verdict:
        judged = lines(box.verdict_lines, size=C.SMALL_FONT, colour=VERDICT_COLOURS[box.verdict], bold=True)
        rows.append(f'<TR><TD COLSPAN="2" ALIGN="LEFT" BALIGN="LEFT" CELLPADDING="1">{judged}</TD></TR>')
    return (
        f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0" WIDTH="{width:g}">{"".join(rows)}</TABLE>>'
    )


def text_block(items: Iterable[str], *, size: float, colour: str = INK, bold: bool = False) -> str:
    return f'<<TABLE BORDER="0" CELLPADDING="0" CELLSPACING="0"><TR><TD ALIGN="CENTER">{"<BR/>".join(font(t, size=size, colour=colour, bold=bold) for t in items)}</TD></TR></TABLE>>'


def header_label(
    *,
    title_lines: Iterable[str],
    variant: str,
    variant_colour: str,
    subtitle_lines: Sequence[str],
    width: float,
    title_size: float,
    subtitle_size: float,
) -> str:
    rows = [f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{lines(title_lines, size=title_size, bold=True)}</TD></TR>']
    rows.append(
        f'<TR><TD ALIGN="LEFT" BALIGN="LEFT" CELLPADDING="3">{font(variant.upper(), size=subtitle_size - 1, colour=variant_colour, bold=True)}</TD></TR>'
    )
    if subtitle_lines:
        rows.append(
            f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{lines(subtitle_lines, size=subtitle_size, colour=MUTED)}</TD></TR>'
        )
    return f'<<TABLE BORDER="0" CELLPADDING="0" CELLSPACING="0" WIDTH="{width:g}" FIXEDSIZE="FALSE">{"".join(rows)}</TABLE>>'


LEGEND_TITLE = 96.0
# One entry of the legend: (the swatch's <TD>, its text, its width in points).
LegendEntry = tuple[str, str, float]
LEGEND_ROW = 22.0
SWATCH = 26.0
SPACER = 16.0


def legend_rows(sections: Iterable[tuple[str, Sequence[LegendEntry]]], *, max_width: float) -> list[tuple[str, float]]:
    """sections: [(title, [(swatch_td, text, width)])] -> one (label, width) per row.

    Every cell has a fixed width, so the width of a row is known exactly and rows can be pinned
    left-aligned; a section wider than `max_width` continues on another row.
    """
    rows = []
    for title, entries in sections:
        current: list[LegendEntry] = []
        width, first = LEGEND_TITLE, True
        for entry in entries:
            if current and width + entry[2] > max_width:
                rows.append(_legend_row(title if first else "", current))
                current, width, first = [], LEGEND_TITLE, False
            current.append(entry)
            width += entry[2]
        if current or first:
            rows.append(_legend_row(title if first else "", current))
    return rows


LEGEND_CELL = 13.0  # cells are this tall and text sits at their bottom: see `chip`


def _legend_row(title: str, entries: Sequence[LegendEntry]) -> tuple[str, float]:
    cell = f'FIXEDSIZE="TRUE" HEIGHT="{LEGEND_CELL:g}"'
    cells = [
        f'<TD {cell} WIDTH="{LEGEND_TITLE:g}" ALIGN="LEFT" VALIGN="BOTTOM">{font(title, size=LEGEND_FONT, bold=True)}</TD>'
    ]
    width = LEGEND_TITLE
    for swatch_td, text, entry_width in entries:
        text_cell = entry_width - SWATCH - SPACER
        cells.append(
            f'<TD {cell} WIDTH="{SWATCH:g}" ALIGN="LEFT"><TABLE BORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>{swatch_td}</TR></TABLE></TD>'
        )
        cells.append(
            f'<TD {cell} WIDTH="{text_cell:g}" ALIGN="LEFT" VALIGN="BOTTOM">{font(text, size=LEGEND_FONT)}</TD>'
        )
        cells.append(f'<TD {cell} WIDTH="{SPACER:g}"></TD>')
        width += entry_width
    return f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>{"".join(cells)}</TR></TABLE>>', width


def legend_item(text: str, swatch: str) -> LegendEntry:
    return swatch, text, SWATCH + round(text_width(text, size=LEGEND_FONT) + 4) + SPACER


def swatch(*, fill: str, border: str, dashed: bool = False) -> str:
    style = ' STYLE="dashed"' if dashed else ""
    return f'<TD FIXEDSIZE="TRUE" WIDTH="18" HEIGHT="12" BORDER="1" COLOR="{border}" BGCOLOR="{fill}"{style}></TD>'


def marker_swatch(text: str, *, kind: str, severity: str | None = None) -> str:
    return chip(text, kind=kind, severity=severity, width=max(18, C.chip_width(text)))


def arrow_swatch(*, colour: str, heavy: bool = False) -> str:
    glyph = "━━▶" if heavy else "──▶"
    return f'<TD FIXEDSIZE="TRUE" WIDTH="26" HEIGHT="13">{font(glyph, size=LEGEND_FONT - 1, colour=colour)}</TD>'


KEY_CODE = 40.0
KEY_STEP = 170.0
KEY_TEXT = 290.0
KEY_CHIP = 14.0  # chip height for 9 pt text
KEY_ENTRY_GAP = 8.0


def key_block(markers: Sequence[C.Marker], *, step_labels: dict[str, str]) -> tuple[str, float]:
    """One block of the key beneath the diagram: code, kind, step, text. Returns (table, height)."""
    rows = []
    height = 0.0
    code_width = max((C.chip_width(m.text, size=KEY_FONT) for m in markers), default=0)
    code_width = max(KEY_CODE - 8, code_width)  # one width for every chip in the block
    for m in markers:
        a = m.annotation
        kind = marker_description(a.kind, a.severity if a.kind == "pain" else None)
        step_lines = wrap(step_labels.get(a.step, a.step), width=KEY_STEP - 8, size=KEY_FONT)
        text_lines = wrap(a.text, width=KEY_TEXT - 8, size=KEY_FONT)
        high = a.kind == "pain" and a.severity == "high"
        kind_colour = marker_look("pain", "high")[0] if high else INK
        code = chip(m.text, kind=a.kind, severity=a.severity, width=code_width, size=KEY_FONT, height=KEY_CHIP)
        # The chip, the kind and the first line of the text share one line (bottom-aligned, so
        # on one baseline); the step and the rest of the text go underneath. Fixed gaps between
        # columns and entries instead of cell padding keep both rows' text left edges in line.
        first = f'<TD ALIGN="LEFT" VALIGN="BOTTOM" FIXEDSIZE="TRUE" HEIGHT="{KEY_CHIP:g}"'
        rows.append(
            f'<TR>{code}<TD FIXEDSIZE="TRUE" HEIGHT="{KEY_CHIP:g}" WIDTH="{max(KEY_CODE - code_width, 6):g}"></TD>'
            f'{first} WIDTH="{KEY_STEP:g}">{font(kind, size=KEY_FONT, colour=kind_colour, bold=True)}</TD>'
            f'{first} WIDTH="{KEY_TEXT:g}">{font(text_lines[0], size=KEY_FONT)}</TD></TR>'
            f'<TR><TD COLSPAN="2"></TD><TD ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP">{lines(step_lines, size=KEY_FONT, colour=MUTED)}</TD>'
            f'<TD ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP">{lines(text_lines[1:], size=KEY_FONT) if len(text_lines) > 1 else ""}</TD></TR>'
            f'<TR><TD COLSPAN="4" HEIGHT="{KEY_ENTRY_GAP:g}"></TD></TR>'
        )
        height += KEY_CHIP + max(len(step_lines), len(text_lines) - 1) * KEY_FONT * 1.2 + KEY_ENTRY_GAP + 1
    table = f'<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="0">{"".join(rows)}</TABLE>'
    return table, height


def key_label(blocks: list[str], *, title: str) -> str:
    cells = "".join(f'<TD VALIGN="TOP">{b}</TD>' for b in blocks)
    return (
        f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="2"><TR><TD ALIGN="LEFT" COLSPAN="{len(blocks)}">'
        f"{font(title, size=LEGEND_FONT + 1, bold=True)}</TD></TR><TR>{cells}</TR></TABLE>>"
    )


def edge_label(items: Iterable[str], *, colour: str, bold_first: bool = False) -> str:
    parts = []
    for i, text in enumerate(items):
        parts.append(font(text, size=8, colour=colour, bold=bold_first and i == 0))
    return f'<<TABLE BORDER="0" CELLPADDING="1" CELLSPACING="0" BGCOLOR="#ffffff"><TR><TD>{"<BR/>".join(parts)}</TD></TR></TABLE>>'
