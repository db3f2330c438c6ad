"""A PDF with one page per band of stages (`render --wrap-stages N --format pdf`).

Graphviz's cairo PDF renderer draws one page per graph and ignores `page=`, and several graphs
in one input come out as PDFs glued together (not a valid PDF); so each band is drawn as its own
page-sized graph (`wrapped.to_dot_pages`, every page the same size) and the pages are joined with
pypdf. pypdf is imported here only: nothing else pays for loading it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Literal

from blueprint_cli.language.model import Blueprint
from blueprint_cli.render.graphviz import Drawing, draw


def draw_pages(
    blueprint: Blueprint,
    wrap_stages: int | Literal["auto"],
    *,
    step_status: Mapping[str, str] | None = None,
    flow_status: Mapping[tuple[str, str], str] | None = None,
    heading: str | None = None,
    timeout: float = 60.0,
) -> Drawing:
    """The PDF, a page per band, with every page's warnings (each once)."""
    from blueprint_cli.render.wrapped import to_dot_pages

    pages = to_dot_pages(blueprint, wrap_stages, step_status=step_status, flow_status=flow_status, heading=heading)
    drawings = [draw(page, fmt="pdf", timeout=timeout) for page in pages]
    warnings = tuple(dict.fromkeys(w for d in drawings for w in d.warnings))
    return Drawing(join_pdfs([d.data for d in drawings], title=blueprint.title), warnings)


def join_pdfs(pdfs: list[bytes], *, title: str) -> bytes:
    """One PDF of the pages of `pdfs`, in order: same bytes for the same input (pypdf writes no
    date and no random file identifier unless asked; the pages' own dates are fixed already)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for data in pdfs:
        for page in PdfReader(io.BytesIO(data)).pages:
            writer.add_page(page)
    writer.add_metadata({"/Title": title, "/Producer": "blueprint-cli (Graphviz cairo, pypdf)"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
