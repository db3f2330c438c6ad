"""A blueprint as a PlantUML activity diagram with swimlanes (for Confluence and wikis).

An activity diagram is a sequence, not a graph: the steps are drawn in journey order, each in
the swimlane of its lane, inside a partition per stage (drawn in each swimlane it crosses). An arrow between two consecutive
steps is solid when a flow joins them (labelled with the flow's label, a handoff's organisations
or an unowned join) and dotted when it only shows the journey order; every other flow is listed
in a note on its source step. User text is written with numeric character references where it
could mean PlantUML syntax (creole markup, `;`, a preprocessor `!`, a `$` its regular expressions
would read as a group), so no label can break out.
"""

from __future__ import annotations

from collections import Counter

from blueprint_cli.language import model as M

_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.:?()'")
LANE_COLOUR = {
    M.Lane.EVIDENCE: "#F5F5F5",
    M.Lane.CUSTOMER: "#FFF4D6",
    M.Lane.FRONTSTAGE: "#DCECFB",
    M.Lane.BACKSTAGE: "#E4E0F5",
    M.Lane.SUPPORT: "#E3F1E3",
}


def text(value: str) -> str:
    """User text as PlantUML shows it literally: punctuation and symbols as `<U+XXXX>`.

    Not `&#NN;`: PlantUML decodes those before it parses creole and before it runs its own regular
    expressions, so `&#36;` (a `$`) or `&#92;` (a backslash) ends in a Java exception and `&#60;`
    can still start a `<U+...>` escape. Characters beyond U+FFFF (emoji) are `&#N;`.
    """
    return "".join(_char(ch) for ch in value)


def _char(ch: str) -> str:
    if ch in _PLAIN or (ord(ch) > 127 and ch.isalnum()):
        return ch
    return f"<U+{ord(ch):04X}>" if ord(ch) <= 0xFFFF else f"&#{ord(ch)};"


def to_plantuml(blueprint: M.Blueprint) -> str:
    lanes = [lane for lane in M.LANES if any(s.lane is lane for s in blueprint.steps.values())]
    lines = ["@startuml", f"title {text(blueprint.title)}"]
    # Declaring every swimlane first fixes their order, left to right, in blueprint order.
    lines += [f"|{LANE_COLOUR[lane]}|{lane.heading}|" for lane in lanes]
    order = [blueprint.steps[s] for stage in blueprint.stages.values() for s in stage.steps]
    if not order:
        return "\n".join([*lines, "start", "stop", "@enduml"]) + "\n"
    flows = {f.key: f for f in blueprint.flows}
    handoffs = {h.id: h for h in blueprint.handoffs}
    stage_of = {s.id: s.stage for s in order}
    following = {a.id: b.id for a, b in zip(order, order[1:], strict=False)}
    outgoing: dict[str, list[M.Flow]] = {}
    for flow in blueprint.flows:
        if flow.target != following.get(flow.source):  # the sequence draws the others
            outgoing.setdefault(flow.source, []).append(flow)
    pains = Counter(a.step for a in blueprint.annotations if a.kind == "pain")
    lines.append(f"|{order[0].lane.heading}|")
    lines.append("start")
    previous: M.Step | None = None
    for step in order:
        if previous is not None:
            lines.append(_arrow(blueprint, flows.get((previous.id, step.id)), handoffs))
        if previous is None or stage_of[previous.id] != step.stage:
            if previous is not None:
                lines.append("}")
            lines.append(f'partition "{text(blueprint.stages[step.stage].label)}" {{')
        lines.append(f"|{step.lane.heading}|")
        lines.append(f":{_label(blueprint, step, pains[step.id])};")
        lines += _note(blueprint, outgoing.get(step.id, []), handoffs)
        previous = step
    lines += ["}", "stop", "@enduml"]
    return "\n".join(lines) + "\n"


def _label(blueprint: M.Blueprint, step: M.Step, pains: int) -> str:
    label = "<b>" + text(step.label) + "</b>"
    who = ([blueprint.actors[step.actor].label] if step.actor else []) + [
        blueprint.systems[s].label for s in step.systems
    ]
    if who:
        label += "\\n" + text(", ".join(who))
    if pains:
        label += "\\n<color:#C62828>" + text(f"⚠ {pains} pain point" + ("s" if pains != 1 else "")) + "</color>"
    return label


def _arrow(blueprint: M.Blueprint, flow: M.Flow | None, handoffs: dict[str, M.Handoff]) -> str:
    if flow is None:
        return "-[dotted]->"
    words = [flow.label] if flow.label else []
    handoff = handoffs.get(flow.id)
    style = ""
    if handoff is not None:
        words.append(f"{blueprint.org_label(handoff.from_org)} → {blueprint.org_label(handoff.to_org)}")
        if handoff.owned:
            style = "[#5B4BA8,bold]"
        else:
            words.append("⚠ unowned join")
            style = "[#C62828,dashed]"
    arrow = f"-{style}->" if style else "->"
    return arrow + (f" {text(' · '.join(words))};" if words else "")


def _note(blueprint: M.Blueprint, others: list[M.Flow], handoffs: dict[str, M.Handoff]) -> list[str]:
    """A note listing the flows from a step that the sequence does not draw (to any step but the next one)."""
    if not others:
        return []
    lines = ["note right"]
    for flow in others:
        handoff = handoffs.get(flow.id)
        mark = ""
        if handoff is not None:
            mark = " (handoff, " + ("owned)" if handoff.owned else "⚠ unowned join)")
        label = f" “{flow.label}”" if flow.label else ""
        lines.append(text(f"→ {blueprint.steps[flow.target].label}{label}{mark}"))
    lines.append("end note")
    return lines
