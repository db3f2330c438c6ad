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
        f'<TD BGCOLOR="{MARKER_COLOURS.get(m.annotation.kind, MUTED)}" CELLPADDING="2">'
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
        f'<TD ALIGN="RIGHT" VALIGN="TOP">{marker_cells(box.markers) if box.markers else ""}</TD></TR>'
    ]
    if box.status_tag:
        tag = font(box.status_tag, size=C.SMALL_FONT, colour=STEP_STATUS_COLOURS.get(status or "", MUTED), bold=True)
        rows.append(f'<TR><TD COLSPAN="2" ALIGN="LEFT" CELLPADDING="1">{tag}</TD></TR>')
    rows.append(
        f'<TR><TD COLSPAN="2" ALIGN="LEFT" BALIGN="LEFT" CELLPADDING="2">'
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


def legend_entries_width(entries) -> float:
    return sum(e[2] for e in entries)


def legend_label(*, sections) -> tuple[str, float, float]:
    """sections: [(title, [(swatch_html, text, width)])] -> (label, width, height)."""
    title_width = 92.0
    rows = []
    width = 0.0
    height = 0.0
    for title, entries in sections:
        cells = "".join(f"<TD>{swatch}</TD><TD ALIGN=\"LEFT\" WIDTH=\"{w - 22:g}\">{font(text, size=LEGEND_FONT)}</TD>" for swatch, text, w in entries)
        rows.append(
            f'<TR><TD ALIGN="LEFT" WIDTH="{title_width:g}">{font(title, size=LEGEND_FONT, bold=True)}</TD>'
            f'<TD><TABLE BORDER="0" CELLSPACING="3" CELLPADDING="1"><TR>{cells}</TR></TABLE></TD></TR>'
        )
        width = max(width, title_width + sum(w + 6 for _, _, w in entries) + 20)
        height += LEGEND_FONT * C.LINE + 12
    label = f'<<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="2">{"".join(rows)}</TABLE>>'
    return label, width, height


def legend_item(text: str, swatch: str) -> tuple[str, str, float]:
    return swatch, text, text_width(text, size=LEGEND_FONT) + 30


def swatch(*, fill: str, border: str, dashed: bool = False) -> str:
    style = ' STYLE="dashed"' if dashed else ""
    return f'<TABLE BORDER="1" COLOR="{border}" CELLSPACING="0" CELLPADDING="0"{style}><TR><TD BGCOLOR="{fill}" WIDTH="14" HEIGHT="10"></TD></TR></TABLE>'


def marker_swatch(letter: str, *, colour: str) -> str:
    return f'<TABLE BORDER="0" CELLPADDING="1" CELLSPACING="0"><TR><TD BGCOLOR="{colour}">{font(f" {letter} ", size=LEGEND_FONT, colour="#ffffff", bold=True)}</TD></TR></TABLE>'


def arrow_swatch(*, colour: str, heavy: bool = False) -> str:
    glyph = "━━━▶" if heavy else "───▶"
    return font(glyph, size=LEGEND_FONT, colour=colour)


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
