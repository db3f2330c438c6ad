"""Render a report page: the comparison report and the single-blueprint report, one HTML string each."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol, TypedDict

from markupsafe import Markup

from blueprint_cli import __version__
from blueprint_cli.compare.result import Comparison
from blueprint_cli.language.model import Blueprint
from blueprint_cli.report import context as C
from blueprint_cli.report.environment import environment
from blueprint_cli.report.overlay import FlowKey, Overlay
from blueprint_cli.vocab import FlowStatus, Severity, StepStatus, Variant, count_severities, rank

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

    from blueprint_cli.checks import Finding

PAGE_SIZE = 100
# Up to this many steps, "side by side" shows each version's own drawing; beyond it the page
# draws both sides from the overlay (its intended-only and observed-only views) to stay small.
SIDE_RENDER_MAX_STEPS = 300  # findings shown at once; more are paged so a 1,000-step diff opens quickly

_PROLOGUE = re.compile(r"\A\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?(<!--.*?-->\s*)*", re.S)
_NOISE = re.compile(r"<!--[^<>]*?-->\n?|<title>[^<>]*</title>\n?")
_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="([\d.]+)(?:pt|px)?"[^>]*?\bheight="([\d.]+)(?:pt|px)?"', re.S)

# The values the templates are rendered from (see report/context.py for the typed pieces).
Context = dict[str, object]


class SvgRenderer(Protocol):
    """Draws a blueprint as SVG (`render.to_svg`), optionally marking the steps and flows of an overlay."""

    def __call__(
        self,
        blueprint: Blueprint,
        *,
        step_status: Mapping[str, str] | None = None,
        flow_status: Mapping[FlowKey, str] | None = None,
        heading: str | None = None,
    ) -> str: ...


class TopFinding(TypedDict):
    finding: C.FindingView
    stage: str  # the label of its stage, or "Whole service"


class Element(TypedDict):
    label: str
    status: str  # a sentence for the element panel, or ""
    findings: list[str]  # anchors


class SideView(TypedDict):
    version: str  # intended | observed
    label: str
    alt: str
    src: str  # a data: URL, or "" when the side is drawn from the overlay
    width: int
    height: int


def render_compare_report(
    comparison: Comparison,
    *,
    generated: str | None = None,
    to_svg: SvgRenderer | None = None,
    conformance: dict[str, object] | None = None,
) -> str:
    """The intended-vs-observed report for `comparison`."""
    from blueprint_cli.report import compare_view as V

    draw = to_svg or _default_svg
    overlay = V.build_compare_overlay(comparison)
    findings = V.finding_views(comparison, overlay)
    merged = overlay.blueprint
    counts = count_severities(f["severity"] for f in findings)
    stages = _compare_stages(comparison, overlay)
    target_of = _step_target
    context: Context = {
        "kind": "compare",
        "title": comparison.observed.title or comparison.intended.title,
        "headline": V.headline(comparison, counts=counts),
        "intended": C.variant_info(comparison.intended, label="Intended (to-be): the service as designed"),
        "observed": C.variant_info(comparison.observed, label="Observed (as-is): the service as it runs"),
        "sources": [comparison.intended.path, comparison.observed.path],
        "scores": V.score_cards(comparison),
        **_finding_context(findings, stages=stages, legend=C.COMPARE_LEGEND, captions=C.SEVERITY_CAPTIONS),
        "findings_intro": "Every difference between the plan and what really happens, grouped by stage of the journey. "
        "Open a finding to see what changed and why it matters; “Show in the blueprint” points at it in the diagram.",
        "no_findings": "The observed service matches the design: no differences were found.",
        "diagram": _compare_diagram(comparison, overlay, to_svg=draw),
        "steps_table": C.steps_table(merged, status=overlay.step_words(), target_of=target_of),
        "handoffs": V.handoff_rows(comparison, overlay),
        "handoffs_intro": "Every place where the journey passes from one organisation to another — where people most often "
        "fall through. A join nobody owns is a gap waiting to happen.",
        "evidence": C.evidence_rows(comparison.observed),
        "evidence_intro": "How much of the observed service is known from research and data, and how much is still assumed. "
        "Unknowns are areas with no data; they are listed so nobody mistakes them for working parts.",
        "unknowns": _compare_unknowns(comparison, overlay),
        "data": {
            "elements": _elements(merged, findings, status=overlay.step_words(), flow_status=overlay.flow_words())
        },
        "conformance": conformance,  # `report INTENDED LOG`: fitness, per-step replay, variants (evidence/)
    }
    return _render("report_compare.html.j2", context, generated=generated)


def _step_target(step_id: str) -> str:
    return f"step-{step_id}"  # overlay ids are the diagram's ids


def _compare_stages(comparison: Comparison, overlay: Overlay) -> dict[str, str]:
    """Stage id -> label: the overlay's stages in its order, then intended stages it does not have."""
    merged = overlay.blueprint
    labels = {
        **{s.id: s.label for s in comparison.intended.stages.values()},
        **{s.id: s.label for s in merged.stages.values()},
    }
    return {sid: labels[sid] for sid in merged.stages} | {
        sid: label for sid, label in labels.items() if sid not in merged.stages
    }


def _compare_unknowns(comparison: Comparison, overlay: Overlay) -> list[C.NoteRow]:
    """The observed unknowns, then the plan's unknowns research has since answered (each listed once)."""
    from blueprint_cli.compare.match import normalise

    unknowns = C.note_rows(
        comparison.observed,
        kinds=("unknown",),
        variant="observed",
        target_of=lambda sid: _step_target(overlay.observed_ids.get(sid, sid)),
    )
    still_unknown = {normalise(row["text"]) for row in unknowns}
    return unknowns + [
        row
        for row in C.note_rows(
            comparison.intended, kinds=("unknown",), variant="in the plan only", target_of=_step_target
        )
        if normalise(row["text"]) not in still_unknown
    ]


@contextlib.contextmanager
def _graphviz_stopped_on_interrupt(pool: ThreadPoolExecutor) -> Iterator[None]:
    """Ctrl-C or SIGTERM (in the main thread, waiting on the drawings): the Graphviz processes the
    worker threads wait on are killed at once and no new one starts, so the threads end and the
    command stops now, leaving no Graphviz behind (they run in their own sessions: the terminal's
    Ctrl-C does not reach them)."""
    from blueprint_cli.render import graphviz

    try:
        yield
    except (KeyboardInterrupt, SystemExit):
        graphviz.stop_all()
        try:
            pool.shutdown(wait=True, cancel_futures=True)
        finally:
            graphviz.resume()
        raise


def _compare_diagram(comparison: Comparison, overlay: Overlay, *, to_svg: SvgRenderer) -> dict[str, object]:
    """The overlay diagram, its views, and the two versions side by side."""
    from concurrent.futures import ThreadPoolExecutor

    merged = overlay.blueprint
    # The overlay and both sides are drawn at once: each drawing waits mostly on its own Graphviz
    # process. Results are taken in the old order, so the first failure is the one reported before.
    with ThreadPoolExecutor(max_workers=3) as pool, _graphviz_stopped_on_interrupt(pool):
        drawing = pool.submit(
            to_svg, merged, step_status=overlay.step_words(), flow_status=overlay.flow_words(), heading=OVERLAY_HEADING
        )
        drawn = {
            side: pool.submit(to_svg, blueprint)
            for side, blueprint in (("intended", comparison.intended), ("observed", comparison.observed))
            if len(merged.steps) <= SIDE_RENDER_MAX_STEPS
        }
        svg = drawing.result()
        sides = _side_by_side(comparison, drawn={side: future.result() for side, future in drawn.items()})
    return {
        "title": "The blueprint: the plan and reality, overlaid",
        "intro": "Both versions in one swimlane diagram. Missing steps are ghosted and struck through, unplanned steps "
        "are highlighted, changed and moved steps are marked, broken handoffs are drawn broken. Click a marked step or "
        "arrow to see what changed. “Intended only” and “Observed only” hide what the other version alone has; "
        "“Side by side” shows the two versions one above the other.",
        "views": [
            {"value": "both", "label": "Both overlaid"},
            {"value": "intended", "label": "Intended only"},
            {"value": "observed", "label": "Observed only"},
            {"value": "side", "label": "Side by side"},
        ],
        "svg": Markup(_inline_svg(svg)),
        "side": sides,
        "caption": f"The intended and the observed “{comparison.observed.title}”, overlaid or as chosen above. Zoom with the buttons above the diagram.",
    }


def render_single_report(
    blueprint: Blueprint,
    findings: Sequence[Finding],
    *,
    generated: str | None = None,
    to_svg: SvgRenderer | None = None,
) -> str:
    """The report of one blueprint: its diagram, its check findings, pain points, unknowns and handoffs."""
    from blueprint_cli.report import single_view as V

    draw = to_svg or _default_svg
    views = V.finding_views(blueprint, findings)
    stages = {s.id: s.label for s in blueprint.stages.values()}

    def target_of(step_id: str) -> str:
        return f"step-{step_id}" if step_id in blueprint.steps else ""

    label = "intended (to-be)" if blueprint.variant is Variant.INTENDED else "observed (as-is)"
    context: Context = {
        "kind": "single",
        "title": blueprint.title,
        "single": C.variant_info(blueprint, label=label),
        "sources": [blueprint.path],
        "scores": V.score_cards(blueprint, views),
        **_finding_context(views, stages=stages, legend=C.SINGLE_LEGEND, captions=C.CHECK_CAPTIONS),
        "findings_intro": "What the checks found in this blueprint, grouped by stage.",
        "no_findings": "The checks found nothing to report.",
        "diagram": {
            "title": "The blueprint",
            "intro": "The service as a swimlane diagram: stages left to right, lanes from what the customer sees down to support processes.",
            "views": [],
            "svg": Markup(_inline_svg(draw(blueprint))),
            "side": [],
            "caption": f"Swimlane diagram of “{blueprint.title}”.",
        },
        "steps_table": C.steps_table(blueprint, status={}, target_of=target_of),
        "pains": C.note_rows(blueprint, kinds=("pain", "workaround"), variant="", target_of=target_of),
        "handoffs": V.handoff_rows(blueprint),
        "handoffs_intro": "Every place where the journey passes from one organisation to another. A join nobody owns is a gap waiting to happen.",
        "evidence": C.evidence_rows(blueprint),
        "evidence_intro": "How much of this blueprint is known from research and data, and how much is assumed.",
        "unknowns": C.note_rows(blueprint, kinds=("unknown",), variant="", target_of=target_of),
        "data": {"elements": _elements(blueprint, views, status={}, flow_status={})},
    }
    return _render("report_single.html.j2", context, generated=generated)


def _finding_context(
    findings: list[C.FindingView],
    *,
    stages: dict[str, str],
    legend: tuple[str, ...],
    captions: dict[str, tuple[str, str]],
) -> Context:
    kinds: dict[str, C.Count] = {}
    for f in findings:
        if f["kind"] not in kinds:
            kinds[f["kind"]] = C.Count(
                key=f["kind"],
                label=f["kind_title"],
                symbol=f["symbol"],
                family=f["family"],
                severity=f["severity"],
                count=0,
                why=f["why"],
            )
        kinds[f["kind"]]["count"] += 1
        if rank(f["severity"]) > rank(kinds[f["kind"]]["severity"]):
            kinds[f["kind"]]["severity"] = f["severity"]
    return {
        "total_findings": len(findings),
        "groups": C.group_findings(findings, stages=stages),
        "filters": C.filters_for(findings),
        "severity_totals": C.severity_counts(findings, captions=captions),
        "kind_totals": sorted(kinds.values(), key=lambda c: (-c["count"], c["label"])),
        "top_findings": _top_findings(findings, stages=stages),
        "legend": [
            C.Count(
                key=k,
                label=C.FAMILIES[k][1],
                symbol=C.FAMILIES[k][0],
                family=k,
                severity="",
                count=0,
                why=C.FAMILIES[k][2],
            )
            for k in legend
        ],
        "page_size": PAGE_SIZE,
    }


TOP_FAMILIES = ("broken", "missing", "unowned", "pain", "unplanned", "moved", "changed", "new", "evidence", "check")


def _top_findings(findings: list[C.FindingView], *, stages: dict[str, str], limit: int = 6) -> list[TopFinding]:
    """The errors to read first: one of each family in turn (broken handoffs, missing steps, unowned joins, pain ...)."""
    by_family: dict[str, list[C.FindingView]] = {}
    for f in findings:
        if f["severity"] == Severity.ERROR.value:
            by_family.setdefault(f["family"], []).append(f)
    queues = [by_family[family] for family in (*TOP_FAMILIES, *sorted(by_family)) if family in by_family]
    queues = list({id(q): q for q in queues}.values())
    chosen: list[C.FindingView] = []
    depth = 0
    while len(chosen) < limit and any(depth < len(q) for q in queues):
        chosen += [q[depth] for q in queues if depth < len(q)][: limit - len(chosen)]
        depth += 1
    return [TopFinding(finding=f, stage=stages.get(f["stage"], "Whole service")) for f in chosen]


def _elements(
    blueprint: Blueprint,
    findings: list[C.FindingView],
    *,
    status: Mapping[str, str],
    flow_status: Mapping[FlowKey, str],
) -> dict[str, Element]:
    """For the script: each diagram element that has something to say, with its findings' anchors."""
    by_target: dict[str, list[str]] = {}
    for f in findings:
        if f["target"]:
            by_target.setdefault(f["target"], []).append(f["anchor"])
    elements: dict[str, Element] = {}
    for step in blueprint.steps.values():
        dom_id = f"step-{step.id}"
        if dom_id in by_target or step.id in status:
            word = status.get(step.id, "")
            elements[dom_id] = Element(
                label=step.label, status=_status_sentence(word), findings=by_target.get(dom_id, [])
            )
    for flow in blueprint.flows:
        dom_id = f"flow-{flow.source}--{flow.target}"
        if dom_id in by_target or flow.key in flow_status:
            source, target = blueprint.steps.get(flow.source), blueprint.steps.get(flow.target)
            label = f"{source.label if source else flow.source} → {target.label if target else flow.target}"
            word = flow_status.get(flow.key, "")
            elements[dom_id] = Element(label=label, status=_status_sentence(word), findings=by_target.get(dom_id, []))
    for stage in blueprint.stages.values():
        dom_id = f"stage-{stage.id}"
        if dom_id in by_target:
            elements[dom_id] = Element(label=stage.label, status="", findings=by_target[dom_id])
    return elements


_STATUS_SENTENCES: dict[str, str] = {
    StepStatus.MISSING.value: "Missing: planned, but not done.",
    StepStatus.UNPLANNED.value: "Unplanned: done, but never designed.",
    StepStatus.CHANGED.value: "Changed: done differently from the plan.",
    StepStatus.MOVED.value: "Moved: done at another point than planned.",
    FlowStatus.BROKEN.value: "Broken: this planned flow no longer happens.",
    FlowStatus.NEW.value: "New: a flow nobody planned.",
}


def _status_sentence(word: str) -> str:
    return _STATUS_SENTENCES.get(word, "")


OVERLAY_HEADING = "Intended and observed, overlaid"


def _inline_svg(svg: str) -> str:
    """The renderer's SVG ready to sit inside HTML: no XML prologue, no comments, no id tooltips."""
    from blueprint_cli.render.style import FONT

    svg = _PROLOGUE.sub("", svg, count=1)
    svg = svg.replace(f' font-family="{FONT}"', "")  # set once by the page's style sheet instead
    return _NOISE.sub("", svg)


def _side_by_side(comparison: Comparison, *, drawn: Mapping[str, str]) -> list[SideView]:
    """Both versions: each its own drawing (`drawn`, by version) when small enough, else the overlay's grid."""
    versions = (
        ("intended", "Intended (to-be)", comparison.intended),
        ("observed", "Observed (as-is)", comparison.observed),
    )
    sides = []
    for version, label, blueprint in versions:
        alt = f"Swimlane diagram of the {version} service: {blueprint.title}"
        if version in drawn:
            sides.append(_side_image(drawn[version], version=version, label=label, alt=alt))
        else:
            sides.append(
                SideView(
                    version=version, label=f"{label}, drawn on the overlay's grid", alt=alt, src="", width=0, height=0
                )
            )
    return sides


def _side_image(svg: str, *, version: str, label: str, alt: str) -> SideView:
    """One version's own diagram as a data: image (its ids stay out of the page's id space)."""
    size = _SIZE.search(svg)
    width, height = (round(float(size.group(1))), round(float(size.group(2)))) if size else (0, 0)
    src = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return SideView(version=version, label=label, alt=alt, src=src, width=width, height=height)


def _default_svg(
    blueprint: Blueprint,
    *,
    step_status: Mapping[str, str] | None = None,
    flow_status: Mapping[FlowKey, str] | None = None,
    heading: str | None = None,
) -> str:
    from blueprint_cli.render import to_svg

    return to_svg(blueprint, step_status=step_status, flow_status=flow_status, heading=heading)


def svg_renderer(timeout: float) -> SvgRenderer:
    """`render.to_svg` with a time limit for Graphviz per diagram."""

    def draw(
        blueprint: Blueprint,
        *,
        step_status: Mapping[str, str] | None = None,
        flow_status: Mapping[FlowKey, str] | None = None,
        heading: str | None = None,
    ) -> str:
        from blueprint_cli.render import to_svg

        return to_svg(blueprint, step_status=step_status, flow_status=flow_status, heading=heading, timeout=timeout)

    return draw


def _render(template: str, context: Context, *, generated: str | None) -> str:
    env = environment()
    if env.loader is None:
        raise RuntimeError("the report environment has no template loader")
    script = env.loader.get_source(env, "report.js")[0]
    style = env.loader.get_source(env, "report.css")[0]
    if "</script" in script.lower() or "</style" in style.lower():
        raise ValueError("report.js / report.css must not close their own element")
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    context = {
        **context,
        "version": __version__,
        "generated": generated,
        "style": Markup(style),
        "script": Markup(script),
        "csp": Markup(
            f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
        ),
    }
    return env.get_template(template).render(context)
