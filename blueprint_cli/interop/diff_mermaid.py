"""The Mermaid diagram of the stages a diff touches, for `diff --format markdown --mermaid`.

The observed blueprint is drawn, limited to the stages with changes; unplanned steps are dashed
green, changed steps outlined orange, and the intended steps that no longer happen are drawn
dotted grey in the stage they were planned for (a stage missing as a whole is not drawn).
Mermaid itself draws at most 50,000 characters and 500 arrows: the diagram stays within those too. A pull-request comment holds at most 65,536 characters:
stages are added, those with most changes first, while the whole comment stays under the limit;
what is left out is said.
"""

from __future__ import annotations

from blueprint_cli.compare.result import Change, Comparison
from blueprint_cli.formats.markdown import COMMENT_LIMIT, escape, size
from blueprint_cli.interop.mermaid import MAX_ARROWS, MAX_TEXT, Ghost, Marks, to_mermaid, too_big, who_of
from blueprint_cli.language import model as M

MARK_STYLES = {
    "missing": "fill:#ffffff,stroke:#9e9e9e,stroke-width:2px,stroke-dasharray:3 3,color:#757575",
    "unplanned": "fill:#e8f5e9,stroke:#2e7d32,stroke-width:3px,stroke-dasharray:6 3",
    "changed": "stroke:#ef6c00,stroke-width:3px",
}


def _observed_step(change: Change, observed: M.Blueprint) -> str | None:
    for candidate in (change.observed_id, change.step, change.id):
        if candidate is not None and candidate in observed.steps:
            return candidate
    return None


def _observed_stage(change: Change, comparison: Comparison) -> str | None:
    observed = comparison.observed
    step = _observed_step(change, observed)
    if step is not None:
        return observed.steps[step].stage
    if change.stage in observed.stages:
        return change.stage
    intended = comparison.intended.stages.get(change.stage or "")
    if intended is not None:
        return next((s.id for s in observed.stages.values() if s.label == intended.label), None)
    return None


def marks_of(comparison: Comparison) -> tuple[Marks, dict[str, int]]:
    """The class of each changed observed step, and how many changes each observed stage has."""
    marks = Marks(classes=dict(MARK_STYLES))
    counts: dict[str, int] = {}
    for change in comparison.changes:
        stage = _observed_stage(change, comparison)
        if stage is not None:
            counts[stage] = counts.get(stage, 0) + 1
        if change.kind == "step.missing" and stage is not None:
            marks.ghosts.append(_ghost(comparison.intended, change, stage))
        step = _observed_step(change, comparison.observed)
        if step is None or not change.kind.startswith("step."):
            continue
        if change.kind == "step.unplanned":
            marks.steps[step] = "unplanned"
        else:
            marks.steps.setdefault(step, "changed")
    return marks, counts


def _ghost(intended: M.Blueprint, change: Change, stage: str) -> Ghost:
    step = intended.steps[change.step or change.id]
    return Ghost(stage=stage, lane=step.lane, id=step.id, label=step.label, who=who_of(intended, step))


def section(comparison: Comparison, *, budget: int) -> str:
    """The Markdown to append: the diagram of as many changed stages as fit in `budget` characters."""
    marks, counts = marks_of(comparison)
    if not counts:
        return ""
    observed = comparison.observed
    ranked = sorted(counts, key=lambda s: (-counts[s], list(observed.stages).index(s)))
    chosen: list[str] = []
    best = ""
    for stage in ranked:
        diagram = to_mermaid(observed, stages={*chosen, stage}, marks=marks)
        trial = _block(comparison, [*chosen, stage], diagram, total=len(ranked))
        if size(trial) > budget or too_big(diagram) is not None:
            continue
        chosen.append(stage)
        best = trial
    if best:
        return best
    return (
        "\n_The diagram of the changed stages is left out: it would not fit in a comment "
        f"({COMMENT_LIMIT:,} characters) or in what Mermaid draws ({MAX_TEXT:,} characters, {MAX_ARROWS} arrows)._\n"
    )


def _block(comparison: Comparison, stages: list[str], diagram: str, *, total: int) -> str:
    observed = comparison.observed
    names = ", ".join(observed.stages[s].label for s in observed.stages if s in stages)
    shown = f"{len(stages)} of the {total} changed stages" if len(stages) < total else "the changed stages"
    return (
        f"\n<details open><summary>Diagram of {shown} (observed): {escape(names)}</summary>\n\n"
        "Dashed green: unplanned steps; orange outline: changed steps; dotted grey, marked ✗: missing steps "
        "(in the stage they were planned for); thick arrows: handoffs between organisations; dotted red: "
        "unowned joins.\n\n"
        f"```mermaid\n{diagram}```\n\n</details>\n"
    )
