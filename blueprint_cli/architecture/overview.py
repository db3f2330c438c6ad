"""The overview diagram: journeys, organisations and the joins between organisations (Graphviz `neato`).

A journey is a box linked to each organisation that takes part in it (thin grey lines); two
organisations that hand off to each other are joined by one line, thicker for more joins across
all journeys, and red when any of those joins is unowned. In SVG each node links to its section
of the map page (`#journey-N`, `#org-N`), so the diagram is also a way in.
"""

from __future__ import annotations

import shutil
import subprocess

from blueprint_cli.architecture.facts import Facts
from blueprint_cli.render.escape import quoted
from blueprint_cli.render.graphviz import INSTALL_HINT, GraphvizError, fixed_pdf_dates
from blueprint_cli.render.style import FONT

RED = "#c62828"
GREY = "#9aa4b1"
JOIN = "#34495e"


def anchors(facts: Facts) -> tuple[dict[str, str], dict[str, str]]:
    """Page anchors for each journey stem and each org id: `journey-1`, `org-1`, in order."""
    journeys = {j.stem: f"journey-{n}" for n, j in enumerate(facts.journeys, start=1)}
    orgs = {org: f"org-{n}" for n, org in enumerate(facts.orgs, start=1)}
    return journeys, orgs


def to_dot(facts: Facts) -> str:
    """The overview as DOT text (deterministic: journeys, orgs and joins in sorted order)."""
    journey_anchor, org_anchor = anchors(facts)
    lines = [
        "graph architecture {",
        f'  graph [layout=neato, start=7, overlap=prism, splines=true, forcelabels=true, sep="+10", fontname={quoted(FONT)}, pad=0.3, bgcolor="white"];',
        f'  node [fontname={quoted(FONT)}, fontsize=11, style="filled", penwidth=1];',
        f'  edge [color="{GREY}", penwidth=0.8];',
    ]
    for journey in facts.journeys:
        anchor = journey_anchor[journey.stem]
        lines.append(
            f'  {quoted("j:" + journey.stem)} [shape=box, fillcolor="#e8f1fb", color="#0072b2", '
            f"label={quoted(journey.title)}, href={quoted('#' + anchor)}, id={quoted('ov-' + anchor)}, "
            f"tooltip={quoted('Journey: ' + journey.title)}];"
        )
    for org in facts.orgs:
        anchor = org_anchor[org]
        label = facts.label("orgs", org)
        lines.append(
            f'  {quoted("o:" + org)} [shape=ellipse, fillcolor="#fdf3e1", color="#b26b00", '
            f"label={quoted(label)}, href={quoted('#' + anchor)}, id={quoted('ov-' + anchor)}, "
            f"tooltip={quoted('Organisation: ' + label)}];"
        )
    for journey in facts.journeys:
        for org, stems in facts.orgs.items():
            if journey.stem in stems:
                lines.append(f"  {quoted('j:' + journey.stem)} -- {quoted('o:' + org)};")
    lines.extend(_join_edges(facts))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _join_edges(facts: Facts) -> list[str]:
    counts: dict[tuple[str, str], int] = {}
    unowned: dict[tuple[str, str], int] = {}
    for join in facts.joins:
        key = (min(join.from_org, join.to_org), max(join.from_org, join.to_org))
        counts[key] = counts.get(key, 0) + 1
        if join.owner is None:
            unowned[key] = unowned.get(key, 0) + 1
    out = []
    for (a, b), count in sorted(counts.items()):
        lost = unowned.get((a, b), 0)
        colour = RED if lost else JOIN
        words = f"{count} join{'s' if count != 1 else ''}" + (f", {lost} unowned" if lost else "")
        out.append(
            f'  {quoted("o:" + a)} -- {quoted("o:" + b)} [color="{colour}", penwidth={min(1.5 + count, 9):.1f}, '
            f'label=<{_count_label(count)}>, fontcolor="{colour}", fontsize=10, fontname={quoted(FONT)}, '
            f"tooltip={quoted(words)}];"
        )
    return out


def _count_label(count: int) -> str:
    """The number of joins on a white ground (an HTML-like label), so a thick line does not hide it."""
    return f'<table border="0" cellborder="0" cellpadding="1" bgcolor="white"><tr><td>{count}</td></tr></table>'


def draw_overview(facts: Facts, fmt: str, *, timeout: float = 60.0) -> bytes:
    """The overview in `fmt` (svg, png, pdf or dot); all but dot run Graphviz (`neato`, seeded: same input, same picture)."""
    text = to_dot(facts)
    if fmt == "dot":
        return text.encode("utf-8")
    program = shutil.which("neato")
    if program is None:
        raise GraphvizError(INSTALL_HINT)
    device = {"png": "png:cairo", "pdf": "pdf:cairo", "svg": "svg"}[fmt]
    try:
        done = subprocess.run(
            [program, f"-T{device}"], input=text.encode("utf-8"), capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise GraphvizError(f"Graphviz took longer than {timeout:g} s and was stopped") from None
    except OSError as error:
        raise GraphvizError(f"could not run Graphviz ({program}): {error}") from None
    if done.returncode != 0 or not done.stdout:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit status {done.returncode}"
        raise GraphvizError(f"Graphviz failed: {message}")
    return fixed_pdf_dates(done.stdout) if fmt == "pdf" else done.stdout
