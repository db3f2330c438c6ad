"""The server: pygls wiring, open documents, and diagnostics debounced after each change.

Every handler is wrapped so that an unexpected error is logged and answered with an empty
result: whatever is typed, the server keeps answering.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from lsprotocol import types as T
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer

from blueprint_cli import __version__
from blueprint_cli.language.source import Span
from blueprint_cli.lsp import convert
from blueprint_cli.lsp.analysis import Analysis, analyse
from blueprint_cli.lsp.completion import complete
from blueprint_cli.lsp.edits import RenameError, format_text, rename
from blueprint_cli.lsp.hover import hover_text
from blueprint_cli.lsp.index import Index, Occurrence, build
from blueprint_cli.lsp.positions import Point, path_to_uri, text_lines, to_location, uri_to_path
from blueprint_cli.lsp.symbols import outline

# Diagnostics wait this long after the last change, so that typing does not queue analyses.
DEBOUNCE = 0.05
REQUEST_FAILED = -32803
_INCLUDE = re.compile(r'^[ \t]*include[ \t]+"((?:[^"\\\n]|\\.)*)"')

log = logging.getLogger("blueprint.lsp")
R = TypeVar("R")
P = ParamSpec("P")


class BlueprintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("blueprint-lsp", __version__, text_document_sync_kind=T.TextDocumentSyncKind.Incremental)
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.analyses: dict[str, Analysis] = {}
        self.indexes: dict[str, tuple[str, Index]] = {}

    # ------------------------------------------------------------ documents

    @property
    def encoding(self) -> str:
        chosen = self.workspace.position_encoding
        return str(chosen.value if isinstance(chosen, T.PositionEncodingKind) else chosen or "utf-16")

    def text_of(self, uri: str) -> str | None:
        document = self.workspace.text_documents.get(uri)
        return document.source if document is not None else None

    def read(self, path: str) -> str | None:
        """A file's text: the editor's when it is open there, else from disk (None if unreadable)."""
        from blueprint_cli.language.source import SourceError, read_source

        for uri, document in list(self.workspace.text_documents.items()):
            if uri_to_path(uri) == path:
                return str(document.source)
        try:
            return read_source(path).text
        except SourceError:
            return None

    def index_of(self, uri: str) -> Index | None:
        text = self.text_of(uri)
        if text is None:
            return None
        cached = self.indexes.get(uri)
        if cached is not None and cached[0] == text:
            return cached[1]
        index = build(uri_to_path(uri), text, read=self.read)
        self.indexes[uri] = (text, index)
        return index

    def lines_of(self, index: Index, path: str) -> list[str]:
        return text_lines(index.texts.get(path, ""))

    def occurrence_at(self, uri: str, position: T.Position) -> tuple[Index, Occurrence] | None:
        index = self.index_of(uri)
        if index is None:
            return None
        path = uri_to_path(uri)
        line, column = to_location(self.lines_of(index, path), Point(position.line, position.character), self.encoding)
        found = index.at(path, line, column)
        return (index, found) if found is not None else None

    def location(self, index: Index, occurrence: Occurrence) -> T.Location:
        path = occurrence.span.path
        return T.Location(
            uri=path_to_uri(path),
            range=convert.span_to_range(occurrence.span, self.lines_of(index, path), self.encoding),
        )

    # ------------------------------------------------------------ diagnostics

    def schedule(self, uri: str, delay: float) -> None:
        running = self.pending.pop(uri, None)
        if running is not None:
            running.cancel()
        self.pending[uri] = asyncio.get_running_loop().create_task(self.diagnose(uri, delay))

    async def diagnose(self, uri: str, delay: float) -> None:
        try:
            await asyncio.sleep(delay)
            document = self.workspace.text_documents.get(uri)
            if document is None:
                return
            text, version = document.source, document.version
            loop = asyncio.get_running_loop()
            analysis = await loop.run_in_executor(None, analyse, uri_to_path(uri), text)
            if self.text_of(uri) != text:  # changed meanwhile: a newer analysis is on its way
                return
            self.analyses[uri] = analysis
            self.publish(uri, analysis, version)
        except asyncio.CancelledError:
            raise
        except Exception:  # never let one bad text stop the server
            log.exception("diagnostics failed for %s", uri)

    def publish(self, uri: str, analysis: Analysis, version: int | None = None) -> None:
        lines = text_lines(analysis.text)
        diagnostics = []
        for problem in analysis.problems:
            if problem.span.path in (analysis.path, "<none>"):
                diagnostics.append(convert.diagnostic(problem, lines, self.encoding))
            else:  # in an included file: shown on the include line that brings it in
                place = self.include_span(analysis, problem.span.path)
                shown = problem.span.path.rsplit("/", 1)[-1]
                moved = type(problem)(
                    problem.code, problem.severity,
                    f"in {shown}:{problem.span.line}:{problem.span.column}: {problem.message}",
                    place, problem.hint, problem.rule, None,
                )  # fmt: skip
                diagnostics.append(convert.diagnostic(moved, lines, self.encoding))
        self.text_document_publish_diagnostics(
            T.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    @staticmethod
    def include_span(analysis: Analysis, path: str) -> Span:
        name = path.rsplit("/", 1)[-1]
        for number, line in enumerate(analysis.text.split("\n"), start=1):
            found = _INCLUDE.match(line)
            if found and found.group(1).rsplit("/", 1)[-1] == name:
                return Span(analysis.path, number, found.start(1), number, found.end(1) + 2)
        return Span(analysis.path, 1, 1, 1, 1)


def safe(handler: Callable[P, R]) -> Callable[P, R | None]:
    """Log an unexpected error of a handler and answer null instead (a refusal still goes out)."""

    @functools.wraps(handler)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            return handler(*args, **kwargs)
        except JsonRpcException:
            raise
        except Exception:
            log.exception("%s failed", handler.__name__)
            return None

    return guarded


def create() -> BlueprintServer:
    server = BlueprintServer()

    @server.feature(T.TEXT_DOCUMENT_DID_OPEN)
    @safe
    def did_open(ls: BlueprintServer, params: T.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(T.TEXT_DOCUMENT_DID_CHANGE)
    @safe
    def did_change(ls: BlueprintServer, params: T.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, DEBOUNCE)

    @server.feature(T.TEXT_DOCUMENT_DID_SAVE)
    @safe
    def did_save(ls: BlueprintServer, params: T.DidSaveTextDocumentParams) -> None:
        for uri in list(ls.workspace.text_documents):  # a saved include changes what includes it
            ls.schedule(uri, 0)

    @server.feature(T.TEXT_DOCUMENT_DID_CLOSE)
    @safe
    def did_close(ls: BlueprintServer, params: T.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        running = ls.pending.pop(uri, None)
        if running is not None:
            running.cancel()
        ls.analyses.pop(uri, None)
        ls.indexes.pop(uri, None)
        ls.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(T.TEXT_DOCUMENT_COMPLETION, T.CompletionOptions(trigger_characters=[" ", "@", "[", ",", "=", ">"]))
    @safe
    def completion(ls: BlueprintServer, params: T.CompletionParams) -> T.CompletionList | None:
        uri = params.text_document.uri
        index = ls.index_of(uri)
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

    @server.feature(T.TEXT_DOCUMENT_HOVER)
    @safe
    def hover(ls: BlueprintServer, params: T.HoverParams) -> T.Hover | None:
        found = ls.occurrence_at(params.text_document.uri, params.position)
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

    @server.feature(T.TEXT_DOCUMENT_DEFINITION)
    @safe
    def definition(ls: BlueprintServer, params: T.DefinitionParams) -> T.Location | None:
        found = ls.occurrence_at(params.text_document.uri, params.position)
        if found is None:
            return None
        index, occurrence = found
        declared = next((o for o in index.uses(occurrence.name) if o.definition), None)
        return ls.location(index, declared) if declared is not None else None

    @server.feature(T.TEXT_DOCUMENT_REFERENCES)
    @safe
    def references(ls: BlueprintServer, params: T.ReferenceParams) -> list[T.Location] | None:
        found = ls.occurrence_at(params.text_document.uri, params.position)
        if found is None:
            return None
        index, occurrence = found
        wanted = params.context.include_declaration
        return [ls.location(index, o) for o in index.uses(occurrence.name) if wanted or not o.definition]

    @server.feature(T.TEXT_DOCUMENT_PREPARE_RENAME)
    @safe
    def prepare_rename(ls: BlueprintServer, params: T.PrepareRenameParams) -> T.Range | None:
        found = ls.occurrence_at(params.text_document.uri, params.position)
        if found is None or found[1].name not in found[0].declarations:
            return None
        return ls.location(*found).range

    @server.feature(T.TEXT_DOCUMENT_RENAME)
    @safe
    def rename_id(ls: BlueprintServer, params: T.RenameParams) -> T.WorkspaceEdit | None:
        found = ls.occurrence_at(params.text_document.uri, params.position)
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
            changes[path_to_uri(path)] = [
                T.TextEdit(range=convert.span_to_range(span, lines, ls.encoding), new_text=new) for span, new in spans
            ]
        return T.WorkspaceEdit(changes=changes)

    @server.feature(T.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @safe
    def document_symbols(ls: BlueprintServer, params: T.DocumentSymbolParams) -> list[T.DocumentSymbol] | None:
        uri = params.text_document.uri
        index = ls.index_of(uri)
        if index is None:
            return None
        path = uri_to_path(uri)
        lines = ls.lines_of(index, path)
        return [convert.document_symbol(s, lines, ls.encoding) for s in outline(index.documents[path])]

    @server.feature(T.TEXT_DOCUMENT_FORMATTING)
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

    @server.feature(T.TEXT_DOCUMENT_CODE_ACTION, T.CodeActionOptions(code_action_kinds=[T.CodeActionKind.QuickFix]))
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

    return server


def _not_a_refusal(record: logging.LogRecord) -> bool:
    """pygls logs every error answer with a traceback; a refused rename is an answer, not a fault."""
    return not (record.exc_info and isinstance(record.exc_info[1], JsonRpcException))


def main() -> None:
    """Serve over standard input and output until the client says exit."""
    logging.basicConfig(level=logging.WARNING, format="blueprint lsp: %(levelname)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(_not_a_refusal)
    create().start_io()
