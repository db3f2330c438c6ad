"""The syntax layer: one file's statements as written, with positions and comments.

This is what the parser produces and what the formatter prints. It knows nothing about other
files or whether a reference resolves; `resolve.py` turns documents into the `model.Blueprint`.
"""

from __future__ import annotations

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
    key: Name
    value: str
    quoted: bool
    span: Span  # of the value


@dataclass(frozen=True, slots=True)
class Statement:
    span: Span  # from the first keyword to the end of the statement
    attrs: tuple[Attr, ...]


@dataclass(frozen=True, slots=True)
class BlueprintDecl(Statement):
    title: Text


@dataclass(frozen=True, slots=True)
class VariantDecl(Statement):
    value: Name


@dataclass(frozen=True, slots=True)
class DescriptionDecl(Statement):
    text: Text


@dataclass(frozen=True, slots=True)
class IncludeDecl(Statement):
    target: Text


@dataclass(frozen=True, slots=True)
class RenamedDecl(Statement):
    old: Name
    new: Name


@dataclass(frozen=True, slots=True)
class OrgDecl(Statement):
    id: Name
    label: Text


@dataclass(frozen=True, slots=True)
class ActorDecl(Statement):
    id: Name
    label: Text
    customer: bool
    org: Name | None


@dataclass(frozen=True, slots=True)
class SystemDecl(Statement):
    id: Name
    label: Text
    org: Name | None


@dataclass(frozen=True, slots=True)
class OutcomeDecl(Statement):
    id: Name
    label: Text


@dataclass(frozen=True, slots=True)
class DataDecl(Statement):
    """`data ID "Label"`: an item of information a step may collect."""

    id: Name
    label: Text


@dataclass(frozen=True, slots=True)
class StageDecl(Statement):
    id: Name
    label: Text


@dataclass(frozen=True, slots=True)
class StepDecl(Statement):
    lane: Lane
    id: Name
    label: Text
    actor: Name | None
    systems: tuple[Name, ...]
    targets: tuple[Name, ...]
    data: tuple[Name, ...] = ()  # `collects DATA, ...`


@dataclass(frozen=True, slots=True)
class FlowDecl(Statement):
    chain: tuple[Name, ...]
    label: Text | None


@dataclass(frozen=True, slots=True)
class AnnotationDecl(Statement):
    kind: str
    step: Name
    text: Text


@dataclass(frozen=True, slots=True)
class Comment:
    line: int
    column: int
    text: str  # including the leading '#'


@dataclass(frozen=True, slots=True)
class Document:
    path: str
    statements: tuple[Statement, ...]
    comments: tuple[Comment, ...]
