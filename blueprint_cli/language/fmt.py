"""The formatter: one file's syntax printed in the canonical layout, every comment kept in place.

Layout: the header (blueprint, variant, description), includes, orgs, actors, systems, data, outcomes
and renames, each a group with one blank line between groups; then each stage with its steps
indented in file order, followed by the annotations on those steps; then the `flow` lines.
A full-line comment moves with the statement below it, a trailing comment stays on its line, the
comments above the first statement (the file's header) stay at the top, and comments after the
last statement stay at the end. Nothing here changes what a file means:
stages and steps keep their order, and flows and annotations are ordered by the model, not by
where they are written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from blueprint_cli.language import syntax as S
from blueprint_cli.language.model import CHANNELS

ATTRIBUTE_ORDER = ("channel", "evidence", "duration", "target", "cases", "wait", "outcome", "owner", "severity")
_BARE_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")
INDENT = "  "


# ---------------------------------------------------------------- lexical pieces


def quote(text: str) -> str:
    """A label in double quotes; only `"` and `\\` are escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def attribute_value(key: str, value: str, *, quoted: bool) -> str:
    """A value bare where that reads the same, quoted otherwise.

    Quoting matters for one key only: a custom channel is valid only in quotes
    (`channel="video call"`), so a channel that is not a known one keeps the quoting it had.
    """
    bare = _BARE_VALUE.fullmatch(value) is not None
    if key == "channel" and value not in CHANNELS:
        bare = bare and not quoted
    return value if bare else quote(value)


def attributes(pairs: list[tuple[str, str, bool]]) -> str:
    """` [k=v, …]` in the canonical key order (unknown keys last, as written), or ''."""
    if not pairs:
        return ""
    rank = {key: i for i, key in enumerate(ATTRIBUTE_ORDER)}
    ordered = sorted(pairs, key=lambda p: rank.get(p[0], len(rank)))  # stable: duplicates keep order
    return " [" + ", ".join(f"{k}={attribute_value(k, v, quoted=q)}" for k, v, q in ordered) + "]"


def _attrs(stmt: S.Statement) -> str:
    return attributes([(a.key.value, a.value, a.quoted) for a in stmt.attrs])


def statement_text(stmt: S.Statement) -> str:
    """One statement as a canonical line, without indentation or comment."""
    if isinstance(stmt, S.BlueprintDecl):
        return f"blueprint {quote(stmt.title.value)}{_attrs(stmt)}"
    if isinstance(stmt, S.VariantDecl):
        return f"variant {stmt.value.value}"
    if isinstance(stmt, S.DescriptionDecl):
        return f"description {quote(stmt.text.value)}"
    if isinstance(stmt, S.IncludeDecl):
        return f"include {quote(stmt.target.value)}"
    if isinstance(stmt, S.RenamedDecl):
        return f"renamed {stmt.old.value} -> {stmt.new.value}"
    if isinstance(stmt, S.OrgDecl):
        return f"org {stmt.id.value} {quote(stmt.label.value)}{_attrs(stmt)}"
    if isinstance(stmt, S.ActorDecl):
        kind = " customer" if stmt.customer else f" @{stmt.org.value}" if stmt.org else ""
        return f"actor {stmt.id.value} {quote(stmt.label.value)}{kind}{_attrs(stmt)}"
    if isinstance(stmt, S.SystemDecl):
        org = f" @{stmt.org.value}" if stmt.org else ""
        return f"system {stmt.id.value} {quote(stmt.label.value)}{org}{_attrs(stmt)}"
    if isinstance(stmt, S.OutcomeDecl):
        return f"outcome {stmt.id.value} {quote(stmt.label.value)}{_attrs(stmt)}"
    if isinstance(stmt, S.DataDecl):
        return f"data {stmt.id.value} {quote(stmt.label.value)}{_attrs(stmt)}"
    if isinstance(stmt, S.StageDecl):
        return f"stage {stmt.id.value} {quote(stmt.label.value)}{_attrs(stmt)}"
    if isinstance(stmt, S.StepDecl):
        return step_line(
            lane=stmt.lane.value,
            step_id=stmt.id.value,
            label=stmt.label.value,
            actor=stmt.actor.value if stmt.actor else None,
            systems=[n.value for n in stmt.systems],
            targets=[n.value for n in stmt.targets],
            data=[n.value for n in stmt.data],
        ) + _attrs(stmt)
    if isinstance(stmt, S.FlowDecl):
        label = f" {quote(stmt.label.value)}" if stmt.label else ""
        return "flow " + " -> ".join(n.value for n in stmt.chain) + label + _attrs(stmt)
    if isinstance(stmt, S.AnnotationDecl):
        return f"{stmt.kind} {stmt.step.value} {quote(stmt.text.value)}{_attrs(stmt)}"
    raise TypeError(f"no canonical form for {type(stmt).__name__}")


def step_line(
    *,
    lane: str,
    step_id: str,
    label: str,
    actor: str | None,
    systems: Sequence[str],
    targets: Sequence[str],
    data: Sequence[str] = (),
) -> str:
    """`LANE ID "Label" [by ACTOR] [uses SYS, …] [collects DATA, …] [-> ID, …]`, without attributes."""
    parts = [f"{lane} {step_id} {quote(label)}"]
    if actor:
        parts.append(f"by {actor}")
    if systems:
        parts.append("uses " + ", ".join(systems))
    if data:
        parts.append("collects " + ", ".join(data))
    if targets:
        parts.append("-> " + ", ".join(targets))
    return " ".join(parts)


# ---------------------------------------------------------------- comments


@dataclass
class _Comments:
    """Where each comment of a file goes: above a statement, after it, or at the end."""

    leading: dict[int, list[str | None]] = field(default_factory=dict)  # statement line -> block
    trailing: dict[int, str] = field(default_factory=dict)  # statement line -> comment
    tail: list[str | None] = field(default_factory=list)


def _normalise(block: list[str | None], *, at_end: bool) -> list[str | None]:
    """Blank runs become one blank (None); a block without comments disappears."""
    if not any(item is not None for item in block):
        return []
    out: list[str | None] = []
    for item in block:
        if item is None and out and out[-1] is None:
            continue
        out.append(item)
    while at_end and out and out[-1] is None:
        out.pop()
    return out


def _place_comments(doc: S.Document, source_text: str) -> _Comments:
    statement_lines = {stmt.span.line for stmt in doc.statements}
    full_line: dict[int, str] = {}
    placed = _Comments()
    for comment in doc.comments:
        if comment.line in statement_lines:
            placed.trailing[comment.line] = comment.text
        else:
            full_line[comment.line] = comment.text
    pending: list[str | None] = []
    for number, text in enumerate(source_text.split("\n"), start=1):
        if number in statement_lines:
            placed.leading[number] = _normalise(pending, at_end=False)
            pending = []
        elif number in full_line:
            pending.append(full_line[number])
        elif not text.strip():
            pending.append(None)
    placed.tail = _normalise(pending, at_end=True)
    return placed


# ---------------------------------------------------------------- layout

_GROUPS = (
    (S.BlueprintDecl, S.VariantDecl, S.DescriptionDecl),
    (S.IncludeDecl,),
    (S.OrgDecl,),
    (S.ActorDecl,),
    (S.SystemDecl,),
    (S.DataDecl,),
    (S.OutcomeDecl,),
    (S.RenamedDecl,),
)


class _Printer:
    def __init__(self, comments: _Comments):
        self.comments = comments
        self.lines: list[str] = []
        self.started = False  # has a statement been printed yet

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def statement(self, stmt: S.Statement, *, indent: str = "", opens_group: bool = False) -> None:
        if opens_group and self.started:
            self.blank()
        self.started = True
        for item in self.comments.leading.get(stmt.span.line, []):
            if item is None:
                self.blank()
            else:
                self.lines.append(indent + item)
        line = indent + statement_text(stmt)
        trailing = self.comments.trailing.get(stmt.span.line)
        self.lines.append(line + ("  " + trailing if trailing else ""))

    def group(self, statements: Iterable[S.Statement], *, indent: str = "") -> None:
        for index, stmt in enumerate(statements):
            self.statement(stmt, indent=indent, opens_group=index == 0)

    def tail(self) -> None:
        for item in self.comments.tail:
            if item is None:
                self.blank()
            else:
                self.lines.append(item)


def format_document(doc: S.Document, source_text: str) -> str:
    """The canonical text of a parsed file (LF line ends, one final newline)."""
    comments = _place_comments(doc, source_text)
    printer = _Printer(comments)
    statements = doc.statements
    if statements:  # the comments above the first statement are the file's header: they stay on top
        for item in comments.leading.pop(statements[0].span.line, []):
            printer.blank() if item is None else printer.lines.append(item)
    for kinds in _GROUPS:
        ordered = [s for kind in kinds for s in statements if type(s) is kind]
        printer.group(ordered)

    # Stages in file order, each with the steps written under it; steps before any stage
    # (an error the resolver reports) stay before the first stage.
    loose_steps: list[S.StepDecl] = []
    sections: list[tuple[S.StageDecl, list[S.StepDecl]]] = []
    for stmt in statements:
        if isinstance(stmt, S.StageDecl):
            sections.append((stmt, []))
        elif isinstance(stmt, S.StepDecl):
            (sections[-1][1] if sections else loose_steps).append(stmt)
    section_of: dict[str, int] = {}
    for index, (_, steps) in enumerate(sections):
        for step in steps:
            section_of.setdefault(step.id.value, index)
    notes: dict[int, list[S.AnnotationDecl]] = {}
    loose_notes: list[S.AnnotationDecl] = []
    for stmt in statements:
        if isinstance(stmt, S.AnnotationDecl):
            section = section_of.get(stmt.step.value)
            (notes.setdefault(section, []) if section is not None else loose_notes).append(stmt)

    printer.group(loose_steps)
    for index, (stage, steps) in enumerate(sections):
        printer.statement(stage, opens_group=True)
        for stmt in steps + notes.get(index, []):
            printer.statement(stmt, indent=INDENT)
    printer.group(loose_notes)
    printer.group([s for s in statements if isinstance(s, S.FlowDecl)])
    printer.tail()
    while printer.lines and printer.lines[-1] == "":
        printer.lines.pop()
    return "\n".join(printer.lines) + "\n" if printer.lines else ""
