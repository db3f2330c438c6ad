"""Conversions between this package's records and LSP types (lsprotocol)."""

from __future__ import annotations

from lsprotocol import types as T

from blueprint_cli.language.source import Span
from blueprint_cli.lsp.analysis import Problem
from blueprint_cli.lsp.completion import Item
from blueprint_cli.lsp.positions import Range, span_range
from blueprint_cli.lsp.symbols import Symbol

SEVERITIES = {
    "error": T.DiagnosticSeverity.Error,
    "warning": T.DiagnosticSeverity.Warning,
    "note": T.DiagnosticSeverity.Information,
}
ITEM_KINDS = {
    "keyword": T.CompletionItemKind.Keyword,
    "lane": T.CompletionItemKind.Keyword,
    "id": T.CompletionItemKind.Reference,
    "key": T.CompletionItemKind.Property,
    "value": T.CompletionItemKind.Value,
}
SYMBOL_KINDS = {
    "org": T.SymbolKind.Namespace,
    "actor": T.SymbolKind.Class,
    "system": T.SymbolKind.Interface,
    "outcome": T.SymbolKind.Constant,
    "stage": T.SymbolKind.Module,
    "step": T.SymbolKind.Function,
}


def lsp_range(value: Range) -> T.Range:
    return T.Range(
        start=T.Position(line=value.start.line, character=value.start.character),
        end=T.Position(line=value.end.line, character=value.end.character),
    )


def span_to_range(span: Span, lines: list[str], encoding: str) -> T.Range:
    return lsp_range(span_range(span, lines, encoding))


def diagnostic(problem: Problem, lines: list[str], encoding: str, *, span: Span | None = None) -> T.Diagnostic:
    """A problem as an LSP diagnostic; the hint on a second line, the quick fix's text in `data`."""
    message = problem.message + (f"\nhint: {problem.hint}" if problem.hint else "")
    return T.Diagnostic(
        range=span_to_range(span or problem.span, lines, encoding),
        message=message,
        severity=SEVERITIES.get(problem.severity, T.DiagnosticSeverity.Error),
        code=problem.code,
        source="blueprint",
        data={"replacement": problem.replacement} if problem.replacement is not None else None,
    )


def completion_item(item: Item, order: int) -> T.CompletionItem:
    return T.CompletionItem(
        label=item.label,
        kind=ITEM_KINDS.get(item.kind, T.CompletionItemKind.Text),
        detail=item.detail or None,
        sort_text=f"{order:05d}",
    )


def document_symbol(symbol: Symbol, lines: list[str], encoding: str) -> T.DocumentSymbol:
    return T.DocumentSymbol(
        name=symbol.name,
        detail=symbol.detail,
        kind=SYMBOL_KINDS[symbol.kind],
        range=span_to_range(symbol.span, lines, encoding),
        selection_range=span_to_range(symbol.selection, lines, encoding),
        children=[document_symbol(child, lines, encoding) for child in symbol.children] or None,
    )
