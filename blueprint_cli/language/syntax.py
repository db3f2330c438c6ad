"""The syntax layer: one file's statements as written, with positions and comments.

This is what the parser produces and what the formatter prints. It knows nothing about other
files or whether a reference resolves; `resolve.py` turns documents into the `model.Blueprint`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from blueprint_cli.language.source import Span
from blueprint_cli.vocab import Lane


@dataclass(frozen=True, slots=True)
class Name:
    """An identifier as written."""

    value: str
    span: Span


@dataclass(frozen=True, slots=True)
class Text:
    """A quoted string, unescaped."""

    value: str
    span: Span


@dataclass(frozen=True, slots=True)
class Attr:
    """One `key=value` attribute as written."""

    key: Name
    value: str
    quoted: bool
    span: Span  # of the value


@dataclass(frozen=True, slots=True)
class Statement:
    """A statement as written: where it is and its attributes."""

    span: Span  # from the first keyword to the end of the statement
    attrs: tuple[Attr, ...]


@dataclass(frozen=True, slots=True)
class BlueprintDecl(Statement):
    """`blueprint "Title"`."""

    title: Text


@dataclass(frozen=True, slots=True)
class VariantDecl(Statement):
    """`variant intended|observed`."""

    value: Name


@dataclass(frozen=True, slots=True)
class DescriptionDecl(Statement):
    """`description "..."`."""

    text: Text


@dataclass(frozen=True, slots=True)
class IncludeDecl(Statement):
    """`include "path"`."""

    target: Text


@dataclass(frozen=True, slots=True)
class RenamedDecl(Statement):
    """`renamed old -> new`."""

    old: Name
    new: Name


@dataclass(frozen=True, slots=True)
class OrgDecl(Statement):
    """`org id "Label"`."""

    id: Name
    label: Text


@dataclass(frozen=True, slots=True)
class ActorDecl(Statement):
    """`actor id "Label" customer|@org`."""

    id: Name
    label: Text
    customer: bool
    org: Name | None


@dataclass(frozen=True, slots=True)
class SystemDecl(Statement):
    """`system id "Label" @org`."""

    id: Name
    label: Text
    org: Name | None


@dataclass(frozen=True, slots=True)
class OutcomeDecl(Statement):
    """`outcome id "Label"`."""

    id: Name
    label: Text


@dataclass(frozen=True, slots=True)
class DataDecl(Statement):
    """`data ID "Label"`: an item of information a step may collect."""

    id: Name
    label: Text


@dataclass(frozen=True, slots=True)
class StageDecl(Statement):
    """`stage id "Label"`."""

    id: Name
    label: Text


@dataclass(frozen=True, slots=True)
class StepDecl(Statement):
    """A step line: `lane id "Label" by actor uses systems -> targets`."""

    lane: Lane
    id: Name
    label: Text
    actor: Name | None
    systems: tuple[Name, ...]
    targets: tuple[Name, ...]
    data: tuple[Name, ...] = ()  # `collects DATA, ...`


@dataclass(frozen=True, slots=True)
class FlowDecl(Statement):
    """`flow a -> b -> c "label"`."""

    chain: tuple[Name, ...]
    label: Text | None


@dataclass(frozen=True, slots=True)
class AnnotationDecl(Statement):
    """A pain point, idea or other annotation on a step."""

    kind: str
    step: Name
    text: Text


@dataclass(frozen=True, slots=True)
class Comment:
    """A `#` comment and where it starts."""

    line: int
    column: int
    text: str  # including the leading '#'


@dataclass(frozen=True, slots=True)
class Document:
    """One file as written: its statements and comments, in order."""

    path: str
    statements: tuple[Statement, ...]
    comments: tuple[Comment, ...]


# ---------------------------------------------------------------- comments

_COMMENT_SCAN = re.compile(r'"(?:[^"\\\n]|\\.)*"?|#')


def find_comments(text: str) -> tuple[Comment, ...]:
    """Every `#` comment outside quoted strings, with its position."""
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        if "#" not in line:
            continue
        for m in _COMMENT_SCAN.finditer(line):
            if m.group(0) == "#":
                found.append(Comment(number, m.start() + 1, line[m.start() :].rstrip()))
                break
    return tuple(found)
