"""HTML-like Graphviz labels: step boxes, header, legend and key; every piece of user text escaped."""

from __future__ import annotations

from blueprint_cli.render import content as C
from blueprint_cli.render.escape import html_text
from blueprint_cli.render.metrics import text_width, wrap
from blueprint_cli.render.style import INK, MARKER_COLOURS, MARKER_NAMES, MUTED, STEP_STATUS_COLOURS

KEY_FONT = 9.0
LEGEND_FONT = 9.5


def font(text: str, *, size: float, colour: str = INK, bold: bool = False, strike: bool = False, italic: bool = False) -> str:
    body = html_text(text)
    if bold:
        body = f"<B>{body}</B>"
    if italic:
        body = f"<I>{body}</I>"
    if strike:
        body = f"<S>{body}</S>"
    return f'<FONT POINT-SIZE="{size:g}" COLOR="{colour}">{body}</FONT>'


def lines(items, *, size: float, colour: str = INK, bold: bool = False, strike: bool = False) -> str:
    return '<BR ALIGN="LEFT"/>'.join(font(t, size=size, colour=colour, bold=bold, strike=strike) for t in items) + '<BR ALIGN="LEFT"/>'


def marker_cells(markers) -> str:
    cells = "".join(
        f'<TD FIXEDSIZE="TRUE" WIDTH="{C.marker_width(m):g}" HEIGHT="13" BGCOLOR="{MARKER_COLOURS.get(m.annotation.kind, MUTED)}">'
        f'{font(m.code, size=C.MARKER_FONT, colour="#ffffff", bold=True)}</TD>'
        for m in markers
    )
    return f'<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="0"><TR>{cells}</TR></TABLE>'


def step_label(box: C.StepContent, *, org_colour: str, status: str | None) -> str:
    missing = status == "missing"
    ink = "#8c959f" if missing else INK
    muted = "#8c959f" if missing else MUTED
    width = C.INNER_WIDTH
    top = lines(box.org_lines, size=C.SMALL_FONT, colour=org_colour if not missing else muted, bold=True)
    rows = [
        f'<TR><TD ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP">{top}</TD>'
        f'<TD ALIGN="RIGHT" VALIGN="TOP" FIXEDSIZE="TRUE" WIDTH="{C.markers_width(box.markers) + 2:g}" HEIGHT="17">{marker_cells(box.markers) if box.markers else ""}</TD></TR>'
    ]
    if box.status_tag:
        tag = font(box.status_tag, size=C.SMALL_FONT, colour=STEP_STATUS_COLOURS.get(status or "", MUTED), bold=True)
        rows.append(f'<TR><TD COLSPAN="2" ALIGN="LEFT" CELLPADDING="1">{tag}</TD></TR>')
    rows.append(
        f'<TR><TD COLSPAN="2" ALIGN="LEFT" BALIGN="LEFT" HEIGHT="{len(box.label_lines) * C.LABEL_FONT * C.LINE + C.BLOCK_GAP:g}">'
        f'{lines(box.label_lines, size=C.LABEL_FONT, colour=ink, strike=missing)}</TD></TR>'
    )
    if box.detail_lines:
        rows.append(f'<TR><TD COLSPAN="2" ALIGN="LEFT" BALIGN="LEFT">{lines(box.detail_lines, size=C.SMALL_FONT, colour=muted)}</TD></TR>')
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0" WIDTH="{width:g}">{"".join(rows)}</TABLE>>'


def text_block(items, *, size: float, colour: str = INK, bold: bool = False) -> str:
    return f'<<TABLE BORDER="0" CELLPADDING="0" CELLSPACING="0"><TR><TD ALIGN="CENTER">{"<BR/>".join(font(t, size=size, colour=colour, bold=bold) for t in items)}</TD></TR></TABLE>>'


def header_label(*, title_lines, variant: str, variant_colour: str, subtitle_lines, width: float, title_size: float, subtitle_size: float) -> str:
    rows = [f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{lines(title_lines, size=title_size, bold=True)}</TD></TR>']
    rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT" CELLPADDING="3">{font(variant.upper(), size=subtitle_size - 1, colour=variant_colour, bold=True)}</TD></TR>')
    if subtitle_lines:
        rows.append(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{lines(subtitle_lines, size=subtitle_size, colour=MUTED)}</TD></TR>')
    return f'<<TABLE BORDER="0" CELLPADDING="0" CELLSPACING="0" WIDTH="{width:g}" FIXEDSIZE="FALSE">{"".join(rows)}</TABLE>>'


LEGEND_TITLE = 96.0
LEGEND_ROW = 22.0
SWATCH = 26.0
SPACER = 16.0


def legend_rows(sections, *, max_width: float) -> list[tuple[str, float]]:
    """sections: [(title, [(swatch_td, text, width)])] -> one (label, width) per row.

    Every cell has a fixed width, so the width of a row is known exactly and rows can be pinned
    left-aligned; a section wider than `max_width` continues on another row.
    """
    rows = []
    for title, entries in sections:
        current, width, first = [], LEGEND_TITLE, True
        for entry in entries:
            if current and width + entry[2] > max_width:
                rows.append(_legend_row(title if first else "", current))
                current, width, first = [], LEGEND_TITLE, False
            current.append(entry)
            width += entry[2]
        if current or first:
            rows.append(_legend_row(title if first else "", current))
    return rows


def _legend_row(title: str, entries) -> tuple[str, float]:
    cells = [f'<TD FIXEDSIZE="TRUE" WIDTH="{LEGEND_TITLE:g}" HEIGHT="{LEGEND_ROW:g}" ALIGN="LEFT">{font(title, size=LEGEND_FONT, bold=True)}</TD>']
    width = LEGEND_TITLE
    for swatch_td, text, entry_width in entries:
        text_cell = entry_width - SWATCH - SPACER
        cells.append(f'<TD FIXEDSIZE="TRUE" WIDTH="{SWATCH:g}" HEIGHT="{LEGEND_ROW:g}" ALIGN="LEFT"><TABLE BORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>{swatch_td}</TR></TABLE></TD>')
        cells.append(f'<TD FIXEDSIZE="TRUE" WIDTH="{text_cell:g}" HEIGHT="{LEGEND_ROW:g}" ALIGN="LEFT">{font(text, size=LEGEND_FONT)}</TD>')
        cells.append(f'<TD FIXEDSIZE="TRUE" WIDTH="{SPACER:g}" HEIGHT="{LEGEND_ROW:g}"></TD>')
        width += entry_width
    return f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>{"".join(cells)}</TR></TABLE>>', width


def legend_item(text: str, swatch: str) -> tuple[str, str, float]:
    return swatch, text, SWATCH + round(text_width(text, size=LEGEND_FONT) + 4) + SPACER


def swatch(*, fill: str, border: str, dashed: bool = False) -> str:
    style = ' STYLE="dashed"' if dashed else ""
    return f'<TD FIXEDSIZE="TRUE" WIDTH="18" HEIGHT="12" BORDER="1" COLOR="{border}" BGCOLOR="{fill}"{style}></TD>'


def marker_swatch(letter: str, *, colour: str) -> str:
    return f'<TD FIXEDSIZE="TRUE" WIDTH="18" HEIGHT="13" BGCOLOR="{colour}">{font(letter, size=LEGEND_FONT - 1, colour="#ffffff", bold=True)}</TD>'


def arrow_swatch(*, colour: str, heavy: bool = False) -> str:
    glyph = "━━▶" if heavy else "──▶"
    return f'<TD FIXEDSIZE="TRUE" WIDTH="26" HEIGHT="13">{font(glyph, size=LEGEND_FONT - 1, colour=colour)}</TD>'


KEY_CODE = 30.0
KEY_STEP = 150.0
KEY_TEXT = 290.0


def key_block(markers, *, step_labels: dict[str, str]) -> tuple[str, float]:
    """One block of the key beneath the diagram: code, kind, step, text. Returns (table, height)."""
    rows = []
    height = 0.0
    for m in markers:
        a = m.annotation
        kind = MARKER_NAMES.get(a.kind, a.kind)
        if a.severity:
            kind += f" ({a.severity})"
        step_lines = wrap(step_labels.get(a.step, a.step), width=KEY_STEP - 8, size=KEY_FONT)
        text_lines = wrap(a.text, width=KEY_TEXT - 8, size=KEY_FONT)
        kind_lines = [kind]
        code = font(m.code, size=KEY_FONT, colour="#ffffff", bold=True)
        rows.append(
            f'<TR><TD BGCOLOR="{MARKER_COLOURS.get(a.kind, MUTED)}" WIDTH="{KEY_CODE - 6:g}" VALIGN="TOP">{code}</TD>'
            f'<TD ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP" WIDTH="{KEY_STEP:g}">{lines(kind_lines + step_lines, size=KEY_FONT, colour=MUTED)}</TD>'
            f'<TD ALIGN="LEFT" BALIGN="LEFT" VALIGN="TOP" WIDTH="{KEY_TEXT:g}">{lines(text_lines, size=KEY_FONT)}</TD></TR>'
        )
        height += max(len(step_lines) + 1, len(text_lines)) * KEY_FONT * 1.2 + 8
    table = f'<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="2">{"".join(rows)}</TABLE>'
    return table, height


def key_label(blocks: list[str], *, title: str) -> str:
    cells = "".join(f'<TD VALIGN="TOP">{b}</TD>' for b in blocks)
    return (
        f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="2"><TR><TD ALIGN="LEFT" COLSPAN="{len(blocks)}">'
        f'{font(title, size=LEGEND_FONT + 1, bold=True)}</TD></TR><TR>{cells}</TR></TABLE>>'
    )


def edge_label(items, *, colour: str, bold_first: bool = False) -> str:
    parts = []
    for i, text in enumerate(items):
        parts.append(font(text, size=8, colour=colour, bold=bold_first and i == 0))
    return f'<<TABLE BORDER="0" CELLPADDING="1" CELLSPACING="0" BGCOLOR="#ffffff"><TR><TD>{"<BR/>".join(parts)}</TD></TR></TABLE>>'
