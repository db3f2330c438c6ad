"""The map page: one self-contained HTML file (the report's safety rules: autoescape, CSP, offline).

Level 0 is the outcomes and the journeys that serve them; level 1 the journeys × organisations
matrix, the shared systems, the joins and the data; level 2 each journey's own swimlane blueprint,
drawn by the existing renderer and inlined with its ids prefixed so that the page can link to a
step (`#journey-2-bp-step-<id>`). Each journey is drawn in a thread of its own: Graphviz runs as a
separate process, so drawings overlap.
"""

from __future__ import annotations

import base64
import hashlib
import re
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from markupsafe import Markup

from blueprint_cli import __version__
from blueprint_cli.architecture.build import Architecture, Journey
from blueprint_cli.architecture.facts import Facts, all_findings
from blueprint_cli.architecture.overview import anchors, draw_overview
from blueprint_cli.architecture.views import page_context
from blueprint_cli.report.environment import environment

if TYPE_CHECKING:
    from blueprint_cli.language.model import Blueprint

_PROLOGUE = re.compile(r"\A\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?(<!--.*?-->\s*)*", re.S)
_COMMENTS = re.compile(r"<!--.*?-->\n?|<title>[^<>]*</title>\n?", re.S)
_IDS = re.compile(r'(\s(?:id|href|xlink:href)=")(#?)')
_URLS = re.compile(r"url\(#")
_WIDTH = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"')
WORKERS = 4


def inline_svg(svg: str, prefix: str, *, image: bool = True) -> str:
    """SVG ready to sit in HTML next to others: no prologue or comments, every id (and link to one) prefixed.

    `image`: a picture without links (role="img", read by its figure's label); the overview keeps
    its links reachable by keyboard and screen reader, so it is not one.
    """
    from blueprint_cli.render.style import FONT

    svg = _COMMENTS.sub("", _PROLOGUE.sub("", svg, count=1))
    svg = svg.replace(f' font-family="{FONT}"', "")

    def prefixed(match: re.Match[str]) -> str:
        attribute, hash_mark = match.group(1), match.group(2)
        if "href" in attribute and not hash_mark:
            return match.group(0)  # not a link inside the page: left as it is (the renderer makes none)
        return f"{attribute}{hash_mark}{prefix}"

    svg = _IDS.sub(prefixed, svg)
    svg = _URLS.sub(f"url(#{prefix}", svg)
    role = ' role="img"' if image else ""
    return _WIDTH.sub(lambda m: f'<svg{role} width="{m.group(1)}pt" height="{m.group(2)}pt"', svg, count=1)


def _draw(blueprint: Blueprint) -> str:
    from blueprint_cli.render import to_svg

    return to_svg(blueprint)


def journey_drawings(journeys: tuple[Journey, ...], prefixes: dict[str, str]) -> dict[str, Markup]:
    """Each journey's blueprint as inline SVG, keyed by stem (drawn in parallel, in a fixed order)."""
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        drawn = list(pool.map(lambda j: _draw(j.primary), journeys))
    return {j.stem: Markup(inline_svg(svg, prefixes[j.stem] + "-bp-")) for j, svg in zip(journeys, drawn, strict=True)}


def render_page(architecture: Architecture, facts: Facts, *, generated: str | None = None) -> str:
    """The whole page as one string (same input, same bytes)."""
    journey_anchor, _ = anchors(facts)
    overview = draw_overview(facts, "svg").decode("utf-8")
    context = page_context(architecture, facts, all_findings(architecture, facts))
    context["overview_svg"] = Markup(inline_svg(overview, "", image=False)) if facts.journeys else Markup("")
    context["drawings"] = journey_drawings(facts.journeys, journey_anchor)
    return _render(context, generated=generated)


def _render(context: dict[str, object], *, generated: str | None) -> str:
    env = environment()
    if env.loader is None:
        raise RuntimeError("the report environment has no template loader")
    script = env.loader.get_source(env, "map.js")[0]
    style = env.loader.get_source(env, "report.css")[0] + env.loader.get_source(env, "map.css")[0]
    if "</script" in script.lower() or "</style" in style.lower():
        raise ValueError("map.js / map.css must not close their own element")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    context = {
        **context,
        "kind": "map",
        "version": __version__,
        "generated": generated,
        "style": Markup(style),
        "script": Markup(script),
        "data": {},
        "csp": Markup(
            f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
        ),
    }
    return env.get_template("map.html.j2").render(context)
