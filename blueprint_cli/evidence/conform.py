"""`conform`: the intended blueprint against an event log.

Everything `diff` finds between the intended blueprint and the observed one built from the log,
plus what only data shows: the replay of each variant on the intended flow graph (fitness, and
per step the cases that do it in place, skip it, or do it out of order) and the steps and waits
slower than their targets. The intended `duration=` of a step and `wait=` of a flow are targets:
only what exceeds them by more than TOLERANCE is reported, and `diff`'s `step.duration` (any
difference) is left out.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from blueprint_cli.compare.result import Change, Comparison
from blueprint_cli.evidence.mapping import Mapping
from blueprint_cli.evidence.replay import FlowGraph, Replay, flow_graph, replay
from blueprint_cli.evidence.stepstats import PairFigures, StepFigures, duration_text
from blueprint_cli.language import model as M

TOLERANCE = 0.10  # a step or a wait is slow when its median exceeds the target by more than 10 %
MIN_SHARE = 0.01  # skipped and out-of-order steps are reported from 1 % of cases
TOP_VARIANTS = 10


@dataclass
class Conformance:
    comparison: Comparison
    fitness: dict[str, Any]
    steps: list[dict[str, Any]]
    variants: list[dict[str, Any]]
    observed_text: str
    log: dict[str, Any]


def intended_graph(intended: M.Blueprint, mapping: Mapping, seen_steps: set[str]) -> FlowGraph:
    """The intended flows as a state machine; the log sees every step but those outside it."""
    if mapping.outside_log:
        visible = set(intended.steps) - set(mapping.outside_log)
    else:
        visible = set(intended.steps) & seen_steps
    outcomes = {s.id for s in intended.steps.values() if s.outcome}
    return flow_graph(list(intended.steps), [f.key for f in intended.flows], outcomes, visible)


def conformance(log: str, intended: M.Blueprint, mapping: Mapping, *, fmt: str | None = None) -> Conformance:
    from blueprint_cli.compare import compare
    from blueprint_cli.evidence.build import observed_text, provenance_of
    from blueprint_cli.evidence.figures import variant_rows
    from blueprint_cli.evidence.observe import document, measure
    from blueprint_cli.evidence.stepstats import map_steps, pair_figures, step_channel, step_figures
    from blueprint_cli.language.resolve import load_text

    info, prepared, figures, con = measure(log, mapping, fmt=fmt)
    try:
        map_steps(con, mapping)
        steps = step_figures(con, mapping, has_starts=prepared.has_starts)
        pairs = pair_figures(con)
        provenance = provenance_of(info, prepared, figures)
        text = observed_text(provenance, mapping, intended, steps, pairs, step_channel(con, mapping))
        variants = [([mapping.step_or_slug(a) for a in trace], cases) for trace, cases in variant_rows(con)]
    finally:
        con.close()
    observed = load_text(text, f"{log} (observed)")
    graph = intended_graph(intended, mapping, set(steps))
    replayed = replay(variants, graph)
    comparison = compare(intended, observed)
    extra = [*replay_changes(intended, graph, replayed), *slow_changes(intended, steps, pairs)]
    comparison = with_changes(comparison, extra, set(mapping.outside_log))
    return Conformance(
        comparison=comparison,
        fitness={
            "average_trace": round(replayed.average_trace, 6),
            "log": round(replayed.log, 6),
            "fitting_cases": replayed.fitting_cases,
            "cases": replayed.cases,
            "fitting_share": round(replayed.fitting_cases / replayed.cases, 6) if replayed.cases else 1.0,
        },
        steps=step_rows(intended, graph, replayed, steps),
        variants=[
            {"steps": list(trace), "cases": cases, "fitness": round(fitness, 6)}
            for trace, cases, fitness in replayed.variants[:TOP_VARIANTS]
        ],
        observed_text=text,
        log=document(info, prepared, figures, mapping)["log"],
    )


def _left_out(change: Change, carried: set[str]) -> bool:
    """`step.duration` (targets are judged by `step.slow`) and the unknowns of steps outside the log."""
    return change.kind == "step.duration" or (change.kind == "unknown.added" and change.step in carried)


def with_changes(comparison: Comparison, extra: list[Change], carried: set[str]) -> Comparison:
    """The comparison less what `_left_out` drops, plus `extra`, sorted as `diff` sorts."""
    from blueprint_cli.compare.kinds import KIND_ORDER

    stages = [
        *comparison.intended.stages,
        *(s for s in comparison.observed.stages if s not in comparison.intended.stages),
    ]
    rank = {s: n for n, s in enumerate(stages)}
    changes = [c for c in comparison.changes if not _left_out(c, carried)] + extra
    changes.sort(key=lambda c: (rank.get(c.stage, -1) if c.stage else -1, KIND_ORDER[c.kind], c.id))
    return dataclasses.replace(comparison, changes=tuple(changes))


def _percent(part: int, whole: int) -> str:
    return f"{part} of {whole} cases ({100 * part / whole:.1f} %)" if whole else f"{part} cases"


def _step_change(
    kind: str, severity: str, step: M.Step, message: str, intended: str | None, observed: str | None
) -> Change:
    return Change(
        kind=kind,
        severity=severity,
        id=step.id,
        message=message,
        intended=intended,
        observed=observed,
        intended_span=step.span,
        stage=step.stage,
        lane=step.lane.value,
        org=step.org,
        step=step.id,
    )


def replay_changes(intended: M.Blueprint, graph: FlowGraph, replayed: Replay) -> list[Change]:
    changes: list[Change] = []
    total = replayed.cases
    for step_id, tally in sorted(replayed.steps.items()):
        step = intended.steps.get(step_id)
        if step is None or step_id not in graph.visible or not total:
            continue
        if tally.skipped / total >= MIN_SHARE:
            message = f"“{step.label}” ({step_id}) is skipped in {_percent(tally.skipped, total)}"
            changes.append(
                _step_change(
                    "step.skipped", "warning", step, message, f"{total} cases", f"{total - tally.skipped} cases"
                )
            )
        if tally.out_of_order / total >= MIN_SHARE:
            message = (
                f"“{step.label}” ({step_id}) is done out of the planned order in {_percent(tally.out_of_order, total)}"
            )
            changes.append(
                _step_change("step.out_of_order", "note", step, message, "0 cases", f"{tally.out_of_order} cases")
            )
    return changes


def slow_changes(intended: M.Blueprint, steps: dict[str, StepFigures], pairs: list[PairFigures]) -> list[Change]:
    changes: list[Change] = []
    for step in intended.steps.values():
        figures = steps.get(step.id)
        target = step.duration_minutes
        if figures is None or target is None or figures.duration_s is None:
            continue
        if figures.duration_s > target * 60 * (1 + TOLERANCE):
            shown = duration_text(figures.duration_s)
            message = f"“{step.label}” ({step.id}) takes {shown} (median), over its target of {step.duration}"
            changes.append(_step_change("step.slow", "warning", step, message, step.duration, shown))
    waits = {(p.source, p.target): p for p in pairs}
    for flow in intended.flows:
        pair = waits.get(flow.key)
        if flow.wait_minutes is None or pair is None or pair.wait_s is None:
            continue
        if pair.wait_s > flow.wait_minutes * 60 * (1 + TOLERANCE):
            shown = duration_text(pair.wait_s)
            source = intended.steps[flow.source]
            changes.append(
                Change(
                    kind="handoff.slow",
                    severity="warning",
                    id=flow.id,
                    message=f"cases wait {shown} (median) between {flow.source} and {flow.target}, over the target of {flow.wait}",
                    intended=flow.wait,
                    observed=shown,
                    intended_span=flow.span,
                    stage=source.stage,
                    lane=source.lane.value,
                    org=source.org,
                )
            )
    return changes


def step_rows(
    intended: M.Blueprint, graph: FlowGraph, replayed: Replay, steps: dict[str, StepFigures]
) -> list[dict[str, Any]]:
    """Per intended step the log can see: shares of cases that pass, skip or do it out of order, and its time."""
    rows: list[dict[str, Any]] = []
    total = replayed.cases or 1
    for step in intended.steps.values():
        if step.id not in graph.visible:
            continue
        tally = replayed.steps.get(step.id)
        figures = steps.get(step.id)
        seconds = figures.duration_s if figures else None
        rows.append(
            {
                "step": step.id,
                "label": step.label,
                "cases": figures.cases if figures else 0,
                "passed": round((tally.passed if tally else 0) / total, 6),
                "skipped": round((tally.skipped if tally else 0) / total, 6),
                "out_of_order": round((tally.out_of_order if tally else 0) / total, 6),
                "duration_s": round(figures.duration_s, 3) if figures and figures.duration_s is not None else None,
                "duration": duration_text(seconds),
                "p25": duration_text(figures.p25_s) if figures else None,
                "p90": duration_text(figures.p90_s) if figures else None,
                "target": step.duration,
                "verdict": verdict(seconds, step.duration_minutes),
            }
        )
    return rows


def verdict(seconds: float | None, target_minutes: int | None) -> str | None:
    """`met` (within the target), `near` (up to TOLERANCE over) or `missed`; None without both figures."""
    if seconds is None or target_minutes is None:
        return None
    if seconds <= target_minutes * 60:
        return "met"
    return "near" if seconds <= target_minutes * 60 * (1 + TOLERANCE) else "missed"
