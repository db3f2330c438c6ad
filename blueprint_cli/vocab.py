"""The project's one vocabulary: severities, lanes, variants, evidence, statuses and keywords.

Every stage speaks these words; nothing else defines its own copy. The keyword tables are
checked against `grammar/blueprint.lark` by the tests (tests/test_architecture.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum


class Word(str, Enum):
    """A word of the vocabulary: it reads as its value in f-strings and str(), as in the files."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self.value), spec)


class Severity(Word):
    """How much a finding or a change matters, for people and for exit codes."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


# Weakest first; `never` is above every severity (a `--fail-on never` threshold nothing reaches).
SEVERITY_RANK: dict[str, int] = {"note": 0, "warning": 1, "error": 2, "never": 3}
# Most severe first: the order in which counts and lists are shown.
SEVERITY_ORDER: tuple[str, ...] = ("error", "warning", "note")


def rank(severity: str) -> int:
    """The rank of a severity name (note < warning < error < never)."""
    return SEVERITY_RANK[severity]


def count_severities(severities: Iterable[str]) -> dict[str, int]:
    """How many of each severity, most severe first, every severity present (zero when absent)."""
    counts = dict.fromkeys(SEVERITY_ORDER, 0)
    for severity in severities:
        counts[severity] += 1
    return counts


def at_least(severity: str, threshold: str) -> bool:
    """Whether `severity` reaches `threshold` (a severity name or `never`)."""
    return rank(severity) >= rank(threshold)


class Lane(Word):
    """The five rows of a service blueprint, in their canonical top-to-bottom order."""

    EVIDENCE = "evidence"
    CUSTOMER = "customer"
    FRONTSTAGE = "frontstage"
    BACKSTAGE = "backstage"
    SUPPORT = "support"

    @property
    def order(self) -> int:
        return LANE_ORDER[self]

    @property
    def heading(self) -> str:
        """The lane's name as a diagram or a report shows it ("Customer actions")."""
        return LANE_HEADINGS[self]


LANES: tuple[Lane, ...] = tuple(Lane)
LANE_ORDER: dict[Lane, int] = {lane: i for i, lane in enumerate(LANES)}
LANE_HEADINGS: dict[Lane, str] = {
    Lane.EVIDENCE: "Evidence",
    Lane.CUSTOMER: "Customer actions",
    Lane.FRONTSTAGE: "Frontstage",
    Lane.BACKSTAGE: "Backstage",
    Lane.SUPPORT: "Support processes",
}
# The lines between lanes: (name, lane above, lane below).
LINES: tuple[tuple[str, Lane, Lane], ...] = (
    ("line of interaction", Lane.CUSTOMER, Lane.FRONTSTAGE),
    ("line of visibility", Lane.FRONTSTAGE, Lane.BACKSTAGE),
    ("line of internal interaction", Lane.BACKSTAGE, Lane.SUPPORT),
)


class Variant(Word):
    INTENDED = "intended"
    OBSERVED = "observed"


# What people write for a variant (letters only, lower case) -> the keyword they mean.
VARIANT_SYNONYMS = {
    **dict.fromkeys(("asis", "current", "actual", "now", "today", "real", "observed"), "observed"),
    **dict.fromkeys(("tobe", "future", "planned", "plan", "design", "designed", "target", "intended"), "intended"),
}


def variant_meant(word: str) -> str | None:
    """`observed` for `as-is`, `as_is` or `current`; `intended` for `to-be` or `planned`; else None."""
    return VARIANT_SYNONYMS.get("".join(ch for ch in word.lower() if ch.isalpha()))


class Evidence(Word):
    """How well a step is known, weakest first."""

    ASSUMED = "assumed"
    REPORTED = "reported"
    OBSERVED = "observed"
    MEASURED = "measured"

    @property
    def rank(self) -> int:
        return EVIDENCE_ORDER.index(self)


EVIDENCE_ORDER: tuple[Evidence, ...] = tuple(Evidence)


class StepStatus(Word):
    """What became of a step in an overlay of the intended and the observed version."""

    MISSING = "missing"
    UNPLANNED = "unplanned"
    MOVED = "moved"
    CHANGED = "changed"


class FlowStatus(Word):
    """What became of a flow in an overlay of the intended and the observed version."""

    BROKEN = "broken"
    NEW = "new"


CHANNELS: tuple[str, ...] = ("web", "app", "phone", "email", "letter", "in-person", "sms", "chat")
# Severities of pain points (a blueprint attribute; not the severity of a finding).
PAIN_SEVERITIES: tuple[str, ...] = ("low", "medium", "high")
ANNOTATION_KINDS: tuple[str, ...] = ("pain", "workaround", "unknown", "note")

# The words that start a line, in the order error hints list them.
LINE_KEYWORDS: tuple[str, ...] = (
    "blueprint", "variant", "description", "include", "renamed", "org", "actor", "system",
    "outcome", "data", "stage", "evidence", "customer", "frontstage", "backstage", "support", "flow",
    "pain", "workaround", "unknown", "note",
)  # fmt: skip
# Every keyword with the grammar terminal the lexer gives it.
KEYWORD_TERMINALS: dict[str, str] = {
    **{word: word.upper() for word in LINE_KEYWORDS if word not in LANES and word not in ANNOTATION_KINDS},
    **{lane.value: "LANE" for lane in LANES},
    **dict.fromkeys(ANNOTATION_KINDS, "ANNOTATION_KIND"),
    "by": "BY",
    "uses": "USES",
    "collects": "COLLECTS",
}
# The words of a step's clauses, in their canonical order (`->` targets come last).
CLAUSE_KEYWORDS: tuple[str, ...] = ("by", "uses", "collects")
