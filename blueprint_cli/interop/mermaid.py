"""A blueprint as a Mermaid flowchart, for Markdown that GitHub and GitLab render.

The chart runs left to right, as the journey does. Each lane is a subgraph, written in blueprint
order (evidence first, support last); where the boxes go is Mermaid's layout's choice (usually
one above the other, not always in that order), which is why each step also names its stage:
"2. Planning the discharge" above the label, the actor and systems below it, and the count of
pain points. Flows are arrows; a handoff between organisations is a thick arrow naming both; an
unowned join is a dotted red arrow marked "unowned join". Every piece of user text is written
as Mermaid entity codes where it could mean syntax, so no label can break out.
The title is left to the Markdown around the diagram: Mermaid shows a front-matter title with
`<`, `>` and `&` as HTML entities, not as the text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from blueprint_cli.language import model as M

# Characters that could mean something in a quoted Mermaid label (the quote, entity codes, HTML,
# a `%%{` directive, a `|` ending an arrow's text, a Markdown string's backtick): written `#NN;`.
_SYNTAX = frozenset('"#&<>;%|`\\')
LANE_STYLE = {
    M.Lane.EVIDENCE: "fill:#f5f5f5,stroke:#888",
    M.Lane.CUSTOMER: "fill:#fff4d6,stroke:#b58900",
    M.Lane.FRONTSTAGE: "fill:#dcecfb,stroke:#2a6ebb",
    M.Lane.BACKSTAGE: "fill:#e4e0f5,stroke:#5b4ba8",
    M.Lane.SUPPORT: "fill:#e3f1e3,stroke:#3d8b3d",
}
LANE_BOX = "fill:#fbfbfb,stroke:#b0b0b0"
HANDOFF_STYLE = "stroke:#5b4ba8,stroke-width:3px"
UNOWNED_STYLE = "stroke:#c62828,stroke-width:3px,stroke-dasharray:6 4"


# Mermaid strips the last `;` of anything that looks like a style line (`style … :…#…;`,
# `classDef … :…#…;`) before it parses, even inside a label: the words are written with their
# second letter as an entity code, which the diagram shows as the plain word.
_STYLE_WORDS = re.compile(r"(?i)(s)(t)(yle)|(c)(l)(assdef)")


# In a label with markup (`<br/>`, `<b>`), Mermaid turns a decoded backslash and `n` into a line
# break: an invisible word joiner after each backslash keeps `C:\new` on one line, as written.
_AFTER_BACKSLASH = "#8288;"


def text(value: str) -> str:
    """User text safe inside a quoted Mermaid label: syntax characters as entity codes (`#35;` for `#`)."""
    out = []
    for ch in value:
        if ch.isprintable() and ch not in _SYNTAX:
            out.append(ch)
        else:
            out.append(f"#{ord(ch)};")
        if ch == "\\":
            out.append(_AFTER_BACKSLASH)
    return _STYLE_WORDS.sub(_break_word, "".join(out))


def _break_word(match: re.Match[str]) -> str:
    first, second, rest = (g for g in match.groups() if g is not None)
    return f"{first}#{ord(second)};{rest}"


# Mermaid's defaults, which GitHub keeps: a longer diagram shows "Maximum text size in diagram
# exceeded", one with more arrows "Edge limit exceeded", instead of the picture.
MAX_TEXT = 50_000
MAX_ARROWS = 500
_ARROW = re.compile(r"^  s_\S+ (-->|==>|-\.->)", re.M)


def too_big(diagram: str) -> str | None:
    """Why Mermaid (and GitHub) would refuse to draw `diagram`, or None when it fits."""
    arrows = len(_ARROW.findall(diagram))
    if len(diagram) > MAX_TEXT:
        return f"the diagram has {len(diagram):,} characters; Mermaid draws at most {MAX_TEXT:,}"
    if arrows > MAX_ARROWS:
        return f"the diagram has {arrows} arrows; Mermaid draws at most {MAX_ARROWS}"
    return None


def node_id(step_id: str) -> str:
    """`s_` + the step id: never a Mermaid keyword (`end`), never an `o`/`x` arrow head after `--`."""
    return f"s_{step_id}"


@dataclass(frozen=True)
class Ghost:
    """A step of the intended version that the observed one lacks, drawn in the stage it was planned for."""

    stage: str  # the observed stage it belongs in
    lane: M.Lane
    id: str  # its intended id
    label: str
    who: str  # actor and systems, as labels


@dataclass
class Marks:
    """What a diff adds to the picture: a class per step id, the missing steps, and the class styles."""

    steps: dict[str, str] = field(default_factory=dict)  # step id -> class name (unplanned, changed)
    classes: dict[str, str] = field(default_factory=dict)  # class name -> style
    ghosts: list[Ghost] = field(default_factory=list)  # drawn with the class "missing"


def to_mermaid(
    blueprint: M.Blueprint,
    *,
    stages: Collection[str] | None = None,
    marks: Marks | None = None,
) -> str:
    """The flowchart; `stages` limits it to those stage ids (and the flows among their steps)."""
    marks = marks or Marks()
    shown = [s for s in blueprint.stages.values() if stages is None or s.id in stages]
    steps = {step_id for stage in shown for step_id in stage.steps}
    lines = ["flowchart LR"]
    present = []
    pains = Counter(a.step for a in blueprint.annotations if a.kind == "pain")
    for lane in M.LANES:
        body = _lane(blueprint, lane, shown, marks.ghosts, pains)
        if body:
            present.append(f"lane_{lane.value}")
        lines += body
    lines += [f"  style {lane} {LANE_BOX}" for lane in present]
    lines += _flows(blueprint, steps)
    for lane, style in LANE_STYLE.items():
        lines.append(f"  classDef {lane.value} {style}")
    lines += [f"  classDef {name} {style}" for name, style in marks.classes.items()]
    lines += [f"  class {node_id(s)} {blueprint.steps[s].lane.value}" for s in sorted(steps)]
    lines += [f"  class {node_id(s)} {name}" for s, name in sorted(marks.steps.items()) if s in steps]
    shown_ids = {stage.id for stage in shown}
    lines += [f"  class m_{g.id} missing" for g in marks.ghosts if g.stage in shown_ids]
    return "\n".join(lines) + "\n"


def _lane(
    blueprint: M.Blueprint, lane: M.Lane, shown: list[M.Stage], ghosts: list[Ghost], pains: Counter[str]
) -> list[str]:
    body: list[str] = []
    numbers = {stage_id: n for n, stage_id in enumerate(blueprint.stages, start=1)}
    for stage in shown:
        heading = text(f"{numbers[stage.id]}. {stage.label}")
        here = [blueprint.steps[s] for s in stage.steps if blueprint.steps[s].lane is lane]
        body += [
            f"    {node_id(step.id)}{_shape(lane, heading, _details(blueprint, step, pains[step.id]))}" for step in here
        ]
        for ghost in ghosts:
            if ghost.stage == stage.id and ghost.lane is lane:
                lines = [f"<b>{text(ghost.label)}</b>"] + ([text(ghost.who)] if ghost.who else []) + [text("✗ missing")]
                body.append(f"    m_{ghost.id}{_shape(lane, heading, lines)}")
    if not body:
        return []
    return [f'  subgraph lane_{lane.value}["{text(lane.heading)}"]', *body, "  end"]


def who_of(blueprint: M.Blueprint, step: M.Step) -> str:
    """The actor and systems of a step, as their labels."""
    who = [blueprint.actors[step.actor].label] if step.actor is not None else []
    return ", ".join(who + [blueprint.systems[s].label for s in step.systems])


def _details(blueprint: M.Blueprint, step: M.Step, pains: int) -> list[str]:
    lines = [f"<b>{text(step.label)}</b>"]
    who = who_of(blueprint, step)
    if who:
        lines.append(text(who))
    if pains:
        lines.append(text(f"⚠ {pains} pain point" + ("s" if pains != 1 else "")))
    return lines


def _shape(lane: M.Lane, heading: str, lines: list[str]) -> str:
    label = "<br/>".join([heading, *lines])
    if lane is M.Lane.CUSTOMER:
        return f'(["{label}"])'
    if lane is M.Lane.SUPPORT:
        return f'[("{label}")]'
    if lane is M.Lane.EVIDENCE:
        return f'[/"{label}"/]'
    return f'["{label}"]'


def _flows(blueprint: M.Blueprint, steps: set[str]) -> list[str]:
    handoffs = {(h.source, h.target): h for h in blueprint.handoffs}
    lines: list[str] = []
    styles: list[str] = []
    index = 0
    for flow in blueprint.flows:
        if flow.source not in steps or flow.target not in steps:
            continue
        handoff = handoffs.get(flow.key)
        words = [flow.label] if flow.label else []
        arrow = "-->"
        if handoff is not None:
            words.append(f"{blueprint.org_label(handoff.from_org)} → {blueprint.org_label(handoff.to_org)}")
            if handoff.owned:
                arrow = "==>"
                styles.append(f"  linkStyle {index} {HANDOFF_STYLE}")
            else:
                words.append("⚠ unowned join")
                arrow = "-.->"
                styles.append(f"  linkStyle {index} {UNOWNED_STYLE}")
        label = f'|"{text(" · ".join(words))}"|' if words else ""
        lines.append(f"  {node_id(flow.source)} {arrow}{label} {node_id(flow.target)}")
        index += 1
    return lines + styles
