"""Document symbols for the outline: the declarations, then each stage with its steps."""

from __future__ import annotations

from dataclasses import dataclass, field

from blueprint_cli.language import syntax as S
from blueprint_cli.language.source import Span
from blueprint_cli.lsp.index import KINDS


@dataclass(frozen=True, slots=True)
class Symbol:
    name: str
    detail: str
    kind: str  # org | actor | system | outcome | stage | step
    span: Span  # the whole statement (of a stage: through its last step)
    selection: Span  # the id
    children: list[Symbol] = field(default_factory=list)


def outline(document: S.Document) -> list[Symbol]:
    symbols: list[Symbol] = []
    stage: Symbol | None = None
    for stmt in document.statements:
        kind = KINDS.get(type(stmt))
        if kind is None:
            continue
        ident: S.Name = stmt.id  # type: ignore[attr-defined]
        label: S.Text = stmt.label  # type: ignore[attr-defined]
        symbol = Symbol(ident.value, label.value, kind, stmt.span, ident.span)
        if kind == "step" and stage is not None:
            stage.children.append(symbol)
            continue
        if kind == "stage":
            stage = symbol
        symbols.append(symbol)
    return [_stretch(s) for s in symbols]


def _stretch(symbol: Symbol) -> Symbol:
    """A stage's range runs to the end of its last step (a symbol's range holds its children's)."""
    if not symbol.children:
        return symbol
    last = symbol.children[-1].span
    span = Span(symbol.span.path, symbol.span.line, symbol.span.column, last.end_line, last.end_column)
    return Symbol(symbol.name, symbol.detail, symbol.kind, span, symbol.selection, symbol.children)
