"""The table of change kinds: one source of truth for the README, SARIF rules and report legends."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of drift between an intended and an observed blueprint."""

    name: str  # stable, e.g. "step.missing"
    severity: str  # default severity: "error" | "warning" | "note"
    title: str  # a few words for people
    why: str  # why it matters, one or two sentences
    symbol: str = "~"  # one character for the text legend: - missing, + new, ~ changed, > renamed, ^ moved


def _kinds(*rows: tuple[str, str, str, str, str]) -> dict[str, Kind]:
    return {name: Kind(name, severity, title, why, symbol) for name, severity, symbol, title, why in rows}


KINDS: dict[str, Kind] = _kinds(
    # ------------------------------------------------------------ structure
    (
        "stage.missing",
        "error",
        "-",
        "Stage missing",
        "A whole stage of the intended journey does not happen: everything planned in it is lost.",
    ),
    (
        "stage.unplanned",
        "warning",
        "+",
        "Unplanned stage",
        "People go through a stage nobody designed; it is usually where delay and workarounds live.",
    ),
    (
        "stage.order",
        "note",
        "^",
        "Stage order changed",
        "The journey runs its stages in a different order from the plan.",
    ),
    # ------------------------------------------------------------ steps
    (
        "step.missing",
        "error",
        "-",
        "Step missing",
        "The service promises a step it never performs; whoever relies on it falls through.",
    ),
    (
        "step.unplanned",
        "warning",
        "+",
        "Unplanned step",
        "Something people really do that nobody designed: often a workaround, always unowned by the plan.",
    ),
    (
        "step.renamed",
        "note",
        ">",
        "Step renamed",
        "The same step under another id or wording (matched explicitly or by label similarity); nothing is lost.",
    ),
    (
        "step.label",
        "note",
        "~",
        "Step label changed",
        "The step kept its id but is described differently; check that it still means the same thing.",
    ),
    (
        "step.lane",
        "warning",
        "~",
        "Lane changed",
        "The step moved between lanes; crossing the line of interaction or visibility changes what the customer sees.",
    ),
    (
        "step.stage",
        "warning",
        "^",
        "Stage changed",
        "The step happens in another stage than planned, usually later: whatever depends on it waits.",
    ),
    (
        "step.order",
        "note",
        "^",
        "Order changed",
        "The step happens out of the planned order (judged against the longest common order of the matched steps).",
    ),
    (
        "step.actor",
        "warning",
        "~",
        "Actor changed",
        "Somebody else does the step: skills, workload and accountability move with it.",
    ),
    (
        "step.org",
        "warning",
        "~",
        "Organisation changed",
        "The step moved to another organisation, which creates or removes joins between organisations.",
    ),
    (
        "step.systems",
        "warning",
        "~",
        "Systems changed",
        "The step runs on other tools than planned; information may no longer reach the shared record.",
    ),
    (
        "step.data",
        "note",
        "~",
        "Data collected changed",
        "The step asks for or records more or fewer data items than planned; a warning when a customer step asks for more.",
    ),
    (
        "step.channel",
        "warning",
        "~",
        "Channel changed",
        "The customer is reached another way (phone instead of in person, ...), which changes the experience.",
    ),
    (
        "step.evidence",
        "note",
        "~",
        "Evidence weaker",
        "The observed step rests on weaker evidence than the plan claimed; only a weakening is reported.",
    ),
    (
        "step.duration",
        "warning",
        "~",
        "Duration changed",
        "The step takes a different time than planned (both versions must state a duration).",
    ),
    (
        "step.outcome",
        "warning",
        "~",
        "Outcome changed",
        "The step no longer serves the outcome it was designed for, or serves another one.",
    ),
    # ------------------------------------------------------------ flows and handoffs
    (
        "flow.missing",
        "warning",
        "-",
        "Flow missing",
        "Two steps that both still happen are no longer connected as planned (flows of missing steps are implied).",
    ),
    (
        "flow.unplanned",
        "note",
        "+",
        "Unplanned flow",
        "Two planned steps are connected in a way nobody designed (flows of unplanned steps are implied).",
    ),
    (
        "handoff.broken",
        "error",
        "-",
        "Handoff broken",
        "An intended hand-over between organisations no longer happens: the gap where people fall through.",
    ),
    (
        "handoff.new",
        "warning",
        "+",
        "New handoff",
        "A join between organisations nobody planned; an error when nobody owns it.",
    ),
    (
        "handoff.owner",
        "error",
        "~",
        "Handoff owner lost or changed",
        "Nobody, or somebody else, is accountable for the join: an error when the owner is lost, a warning when changed.",
    ),
    # ------------------------------------------------------------ who and what
    (
        "actor.missing",
        "warning",
        "-",
        "Actor no longer involved",
        "An actor with steps in the plan does none in the observed service.",
    ),
    (
        "actor.unplanned",
        "warning",
        "+",
        "Unplanned actor",
        "Somebody the plan does not involve does steps in the observed service.",
    ),
    (
        "system.missing",
        "warning",
        "-",
        "System no longer used",
        "A system the plan relies on is used by no observed step: the information it should carry goes elsewhere.",
    ),
    (
        "system.unplanned",
        "warning",
        "+",
        "Shadow system",
        "A system only the observed service uses (a spreadsheet, a phone): a shadow system outside the design.",
    ),
    (
        "data.unplanned",
        "warning",
        "+",
        "Data asked unplanned",
        "The customer is asked for a data item that no customer step of the plan asks for: extra effort the design did not intend.",
    ),
    (
        "outcome.unserved",
        "error",
        "-",
        "Outcome unserved",
        "An outcome the plan serves is served by no observed step: the service no longer aims at it.",
    ),
    # ------------------------------------------------------------ measured from an event log (`blueprint conform`)
    (
        "step.skipped",
        "warning",
        "-",
        "Step skipped",
        "Cases of the event log go past a planned step without doing it (model moves of the replay); "
        "reported when at least 1 % of cases skip it.",
    ),
    (
        "step.out_of_order",
        "note",
        "^",
        "Step done out of order",
        "Cases do the step where the plan does not allow it (log moves of the replay): "
        "rework, a step taken early, or a path nobody drew; reported from 1 % of cases.",
    ),
    (
        "step.slow",
        "warning",
        "~",
        "Step slower than its target",
        "The step's measured median time exceeds the plan's duration (a target) by more than 10 %.",
    ),
    (
        "handoff.slow",
        "warning",
        "~",
        "Wait longer than its target",
        "The median wait on a planned flow exceeds its `wait=` target by more than 10 %: "
        "cases queue between the two steps.",
    ),
    # ------------------------------------------------------------ research findings
    (
        "pain.added",
        "warning",
        "+",
        "New pain point",
        "Research found a pain point the plan did not expect; error when its severity is high, note when low.",
    ),
    (
        "pain.resolved",
        "note",
        "-",
        "Pain point gone",
        "A pain point recorded in the intended version is not seen in the observed one.",
    ),
    (
        "workaround.added",
        "warning",
        "+",
        "Workaround",
        "People work around a failure of the designed service; the workaround is unowned and fragile.",
    ),
    (
        "workaround.resolved",
        "note",
        "-",
        "Workaround gone",
        "A workaround recorded in the intended version is no longer seen.",
    ),
    (
        "unknown.added",
        "note",
        "+",
        "New unknown",
        "An area with no data: shown so that nobody mistakes it for a known, working part.",
    ),
    (
        "unknown.resolved",
        "note",
        "-",
        "Unknown resolved",
        "An unknown of the intended version is no longer listed: somebody found out.",
    ),
)

# Kinds only `blueprint conform` finds (from an event log), never `diff`: tested in tests/test_evidence_conform.py.
MEASURED_KINDS = ("step.skipped", "step.out_of_order", "step.slow", "handoff.slow")

KIND_ORDER = {name: i for i, name in enumerate(KINDS)}


def readme_table() -> str:
    """The README's table of change kinds, in table order (checked by a test)."""
    from blueprint_cli.links import kind_anchor

    rows = ["| kind | default severity | why it matters |", "|---|---|---|"]
    for kind in KINDS.values():
        anchor = f'<a id="{kind_anchor(kind.name)}"></a>'  # where SARIF's helpUri points
        rows.append(f"| {anchor}`{kind.name}` | {kind.severity} | **{kind.title}.** {kind.why} |")
    return "\n".join(rows)
