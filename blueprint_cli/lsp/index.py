"""The index: every id written in a blueprint and its includes, where it is declared and used.

Built from the syntax of each line that parses (so it works while a file is being typed), for
go to definition, references, rename, hover, completion and the outline. Ids share one
namespace in a blueprint, so a name is enough to find all its uses.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from blueprint_cli.language import syntax as S
from blueprint_cli.language.project import include_root, inside
from blueprint_cli.language.source import Span

# What each declaration declares.
KINDS: dict[type, str] = {
    S.OrgDecl: "org",
    S.ActorDecl: "actor",
    S.SystemDecl: "system",
    S.OutcomeDecl: "outcome",
    S.StageDecl: "stage",
    S.StepDecl: "step",
}

Reader = Callable[[str], "str | None"]


@dataclass(frozen=True, slots=True)
class Occurrence:
    """An id as written: its declaration, or a reference to it."""

    name: str
    span: Span
    kind: str  # what is expected there: org, actor, system, outcome, stage, step, owner
    definition: bool


@dataclass(frozen=True, slots=True)
class Declaration:
    name: str
    kind: str
    label: str
    span: Span  # of the id
    statement: S.Statement
    stage: str | None = None  # for a step: the stage it is written under


@dataclass
class Index:
    path: str
    documents: dict[str, S.Document] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    declarations: dict[str, Declaration] = field(default_factory=dict)
    occurrences: list[Occurrence] = field(default_factory=list)

    def names(self, *kinds: str) -> list[str]:
        """Declared ids of these kinds, in declaration order."""
        return [d.name for d in self.declarations.values() if d.kind in kinds]

    def at(self, path: str, line: int, column: int) -> Occurrence | None:
        """The id under a 1-based (line, column), the end of a word included."""
        for occurrence in self.occurrences:
            span = occurrence.span
            if span.path == path and span.line == line and span.column <= column <= span.end_column:
                return occurrence
        return None

    def uses(self, name: str) -> list[Occurrence]:
        """The declaration and every reference of an id, in file and source order."""
        found = [o for o in self.occurrences if o.name == name]
        return sorted(found, key=lambda o: (o.span.path != self.path, o.span.path, o.span.line, o.span.column))


def build(path: str, text: str, *, read: Reader) -> Index:
    """The index of a text and of the files it includes (read with `read`, by absolute path)."""
    from blueprint_cli.language.parser import parse_lines
    from blueprint_cli.language.source import Source

    index = Index(path)
    root = include_root(Path(os.path.dirname(os.path.abspath(path))))
    pending = [(path, text)]
    while pending:
        current, content = pending.pop(0)
        if current in index.documents:
            continue
        document = parse_lines(Source(current, content))
        index.documents[current] = document
        index.texts[current] = content
        for stmt in document.statements:
            if isinstance(stmt, S.IncludeDecl):
                written = stmt.target.value
                target = os.path.normpath(os.path.join(os.path.dirname(current), written))
                # Only what the resolver would read: .blueprint files inside the project.
                if target in index.documents or not written.endswith(".blueprint"):
                    continue
                if not inside(Path(target).resolve(), root):
                    continue
                included = read(target)
                if included is not None:
                    pending.append((target, included))
    for document in index.documents.values():
        _collect(index, document)
    return index


def _collect(index: Index, document: S.Document) -> None:
    stage: str | None = None
    for stmt in document.statements:
        kind = KINDS.get(type(stmt))
        if kind is not None:
            ident: S.Name = stmt.id  # type: ignore[attr-defined]
            label: S.Text = stmt.label  # type: ignore[attr-defined]
            if kind == "stage":
                stage = ident.value
            index.occurrences.append(Occurrence(ident.value, ident.span, kind, True))
            index.declarations.setdefault(
                ident.value,
                Declaration(ident.value, kind, label.value, ident.span, stmt, stage if kind == "step" else None),
            )
        for name, expected in _references(stmt):
            index.occurrences.append(Occurrence(name.value, name.span, expected, False))


def _references(stmt: S.Statement) -> list[tuple[S.Name, str]]:
    """The references a statement makes, with what each must name."""
    found: list[tuple[S.Name, str]] = []
    if isinstance(stmt, (S.ActorDecl, S.SystemDecl)) and stmt.org is not None:
        found.append((stmt.org, "org"))
    elif isinstance(stmt, S.StepDecl):
        if stmt.actor is not None:
            found.append((stmt.actor, "actor"))
        found += [(n, "system") for n in stmt.systems]
        found += [(n, "step") for n in stmt.targets]
    elif isinstance(stmt, S.FlowDecl):
        found += [(n, "step") for n in stmt.chain]
    elif isinstance(stmt, S.AnnotationDecl):
        found.append((stmt.step, "step"))
    elif isinstance(stmt, S.RenamedDecl):
        found.append((stmt.new, "step"))  # the old id names a step of the intended file
    for attr in stmt.attrs:
        if attr.key.value in ("outcome", "owner"):
            found.append((_attr_name(attr), attr.key.value))
    return found


def _attr_name(attr: S.Attr) -> S.Name:
    """An attribute value as a name, its span without the quotes of a quoted value."""
    span = attr.span
    if attr.quoted and span.end_column - span.column == len(attr.value) + 2:
        span = Span(span.path, span.line, span.column + 1, span.end_line, span.end_column - 1)
    return S.Name(attr.value, span)
