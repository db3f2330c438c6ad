"""The LSP features: one small function each, on the server's documents and index."""

from __future__ import annotations

from typing import Any

from lsprotocol import types as T
from pygls.exceptions import JsonRpcException

from blueprint_cli.lsp import convert
from blueprint_cli.lsp.completion import complete
from blueprint_cli.lsp.documents import DEBOUNCE, REQUEST_FAILED, BlueprintServer, safe, safe_async
from blueprint_cli.lsp.edits import RenameError, format_text, rename
from blueprint_cli.lsp.hover import hover_text
from blueprint_cli.lsp.positions import Point, to_location, uri_to_path
from blueprint_cli.lsp.symbols import outline


@safe
def did_open(ls: BlueprintServer, params: T.DidOpenTextDocumentParams) -> None:
    ls.indexes.clear()  # the text of an include may come from the editor now
    ls.schedule(params.text_document.uri, 0)


@safe
def did_change(ls: BlueprintServer, params: T.DidChangeTextDocumentParams) -> None:
    ls.indexes.clear()  # the changed file may be included by another open one
    uri = params.text_document.uri
    ls.schedule(uri, DEBOUNCE)
    for other in ls.includers(uri):  # their problems may come from this file's unsaved text
        ls.schedule(other, DEBOUNCE)


@safe
def did_save(ls: BlueprintServer, params: T.DidSaveTextDocumentParams) -> None:
    ls.indexes.clear()
    for uri in list(ls.workspace.text_documents):  # a saved include changes what includes it
        ls.schedule(uri, 0)


@safe
def did_close(ls: BlueprintServer, params: T.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    running = ls.pending.pop(uri, None)
    if running is not None:
        running.cancel()
    ls.analyses.pop(uri, None)
    ls.indexes.clear()  # the file is read from disk again where it is included
    ls.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
    for other in ls.includers(uri):
        ls.schedule(other, 0)


@safe_async
async def completion(ls: BlueprintServer, params: T.CompletionParams) -> T.CompletionList | None:
    uri = params.text_document.uri
    index = await ls.index_of(uri)
    if index is None:
        return None
    path = uri_to_path(uri)
    lines = ls.lines_of(index, path)
    line, column = to_location(lines, Point(params.position.line, params.position.character), ls.encoding)
    prefix = lines[line - 1][: column - 1] if line <= len(lines) else ""
    items = complete(index, path, line, prefix)
    return T.CompletionList(
        is_incomplete=False, items=[convert.completion_item(item, n) for n, item in enumerate(items)]
    )


@safe_async
async def hover(ls: BlueprintServer, params: T.HoverParams) -> T.Hover | None:
    found = await ls.occurrence_at(params.text_document.uri, params.position)
    if found is None:
        return None
    index, occurrence = found
    analysis = ls.analyses.get(params.text_document.uri)
    text = hover_text(index, occurrence.name, analysis.blueprint if analysis is not None else None)
    if text is None:
        text = f"unknown {occurrence.kind} `{occurrence.name}`: nothing declares it"
    return T.Hover(
        contents=T.MarkupContent(kind=T.MarkupKind.Markdown, value=text),
        range=ls.location(index, occurrence).range,
    )


@safe_async
async def definition(ls: BlueprintServer, params: T.DefinitionParams) -> T.Location | None:
    found = await ls.occurrence_at(params.text_document.uri, params.position)
    if found is None:
        return None
    index, occurrence = found
    declared = next((o for o in index.uses(occurrence.name) if o.definition), None)
    return ls.location(index, declared) if declared is not None else None


@safe_async
async def references(ls: BlueprintServer, params: T.ReferenceParams) -> list[T.Location] | None:
    found = await ls.occurrence_at(params.text_document.uri, params.position)
    if found is None:
        return None
    index, occurrence = found
    wanted = params.context.include_declaration
    return [ls.location(index, o) for o in index.uses(occurrence.name) if wanted or not o.definition]


@safe_async
async def prepare_rename(ls: BlueprintServer, params: T.PrepareRenameParams) -> T.Range | None:
    found = await ls.occurrence_at(params.text_document.uri, params.position)
    if found is None or found[1].name not in found[0].declarations:
        return None
    return ls.location(*found).range


@safe_async
async def rename_id(ls: BlueprintServer, params: T.RenameParams) -> T.WorkspaceEdit | None:
    found = await ls.occurrence_at(params.text_document.uri, params.position)
    if found is None:
        raise JsonRpcException(message="there is no id here to rename", code=REQUEST_FAILED)
    index, occurrence = found
    try:
        edits = rename(index, occurrence.name, params.new_name)
    except RenameError as error:
        raise JsonRpcException(message=str(error), code=REQUEST_FAILED) from None
    changes: dict[str, list[T.TextEdit]] = {}
    for path, spans in edits.items():
        lines = ls.lines_of(index, path)
        changes[ls.uri_for(path)] = [
            T.TextEdit(range=convert.span_to_range(span, lines, ls.encoding), new_text=new) for span, new in spans
        ]
    return T.WorkspaceEdit(changes=changes)


@safe_async
async def document_symbols(ls: BlueprintServer, params: T.DocumentSymbolParams) -> list[T.DocumentSymbol] | None:
    uri = params.text_document.uri
    index = await ls.index_of(uri)
    if index is None:
        return None
    path = uri_to_path(uri)
    lines = ls.lines_of(index, path)
    return [convert.document_symbol(s, lines, ls.encoding) for s in outline(index.documents[path])]


@safe
def formatting(ls: BlueprintServer, params: T.DocumentFormattingParams) -> list[T.TextEdit] | None:
    text = ls.text_of(params.text_document.uri)
    if text is None:
        return None
    formatted = format_text(uri_to_path(params.text_document.uri), text)
    if formatted is None or formatted == text:
        return [] if formatted is not None else None
    lines = text.split("\n")
    end = T.Position(line=len(lines), character=0)  # past the last line: the whole text
    return [T.TextEdit(range=T.Range(start=T.Position(line=0, character=0), end=end), new_text=formatted)]


@safe
def code_actions(ls: BlueprintServer, params: T.CodeActionParams) -> list[T.CodeAction] | None:
    actions = []
    for diagnostic in params.context.diagnostics:
        data = diagnostic.data
        replacement = data.get("replacement") if isinstance(data, dict) else None
        if not isinstance(replacement, str) or diagnostic.source != "blueprint":
            continue
        edit = T.TextEdit(range=diagnostic.range, new_text=replacement)
        actions.append(
            T.CodeAction(
                title=f"Replace with '{replacement}'",
                kind=T.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                is_preferred=True,
                edit=T.WorkspaceEdit(changes={params.text_document.uri: [edit]}),
            )
        )
    return actions


# (method, options, handler) for each feature the server offers.
FEATURES: list[tuple[str, Any, Any]] = [
    (T.TEXT_DOCUMENT_DID_OPEN, None, did_open),
    (T.TEXT_DOCUMENT_DID_CHANGE, None, did_change),
    (T.TEXT_DOCUMENT_DID_SAVE, None, did_save),
    (T.TEXT_DOCUMENT_DID_CLOSE, None, did_close),
    (T.TEXT_DOCUMENT_COMPLETION, T.CompletionOptions(trigger_characters=[" ", "@", "[", ",", "=", ">"]), completion),
    (T.TEXT_DOCUMENT_HOVER, None, hover),
    (T.TEXT_DOCUMENT_DEFINITION, None, definition),
    (T.TEXT_DOCUMENT_REFERENCES, None, references),
    (T.TEXT_DOCUMENT_PREPARE_RENAME, None, prepare_rename),
    (T.TEXT_DOCUMENT_RENAME, None, rename_id),
    (T.TEXT_DOCUMENT_DOCUMENT_SYMBOL, None, document_symbols),
    (T.TEXT_DOCUMENT_FORMATTING, None, formatting),
    (T.TEXT_DOCUMENT_CODE_ACTION, T.CodeActionOptions(code_action_kinds=[T.CodeActionKind.QuickFix]), code_actions),
]
