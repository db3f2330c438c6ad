"""The server's state: open documents, their index and analysis, diagnostics debounced after each change.

Every handler is wrapped so that an unexpected error is logged and answered with an empty
result: whatever is typed, the server keeps answering.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import re
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, ParamSpec, TypeVar

from lsprotocol import types as T
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer

from blueprint_cli import __version__
from blueprint_cli.language.source import Span
from blueprint_cli.lsp import convert
from blueprint_cli.lsp.analysis import Analysis, analyse
from blueprint_cli.lsp.index import Index, Occurrence, Reader, build
from blueprint_cli.lsp.positions import Point, path_to_uri, text_lines, to_location, uri_to_path

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

    def opened(self) -> dict[str, str]:
        """The editor's text of every open file, by absolute path (a snapshot, safe to hand to a thread)."""
        return {uri_to_path(str(uri)): str(doc.source) for uri, doc in list(self.workspace.text_documents.items())}

    def includers(self, uri: str) -> list[str]:
        """The other open files that include something: a change to `uri` may change their problems."""
        return [
            other
            for other, doc in list(self.workspace.text_documents.items())
            if other != uri and any(_INCLUDE.match(line) for line in str(doc.source).split("\n"))
        ]

    def reader(self) -> Reader:
        """How the index reads a file, safe in another thread: the editor's text of the files open
        now, else the file on disk (None if unreadable)."""
        from blueprint_cli.language.source import SourceError, read_source

        opened = self.opened()

        def read(path: str) -> str | None:
            if path in opened:
                return opened[path]
            try:
                return read_source(path).text
            except SourceError:
                return None

        return read

    def uri_for(self, path: str) -> str:
        """The URI of a file: the client's own for an open one (its spelling may differ from ours)."""
        for uri in list(self.workspace.text_documents):
            if uri_to_path(str(uri)) == path:
                return str(uri)
        return path_to_uri(path)

    async def index_of(self, uri: str) -> Index | None:
        """The index of an open file, built again (in a worker thread) when its text changed."""
        text = self.text_of(uri)
        if text is None:
            return None
        cached = self.indexes.get(uri)
        if cached is not None and cached[0] == text:
            return cached[1]
        work = functools.partial(build, uri_to_path(uri), text, read=self.reader())
        index = await asyncio.get_running_loop().run_in_executor(None, work)
        self.indexes[uri] = (text, index)
        return index

    def lines_of(self, index: Index, path: str) -> list[str]:
        return text_lines(index.texts.get(path, ""))

    async def occurrence_at(self, uri: str, position: T.Position) -> tuple[Index, Occurrence] | None:
        index = await self.index_of(uri)
        if index is None:
            return None
        path = uri_to_path(uri)
        line, column = to_location(self.lines_of(index, path), Point(position.line, position.character), self.encoding)
        found = index.at(path, line, column)
        return (index, found) if found is not None else None

    def location(self, index: Index, occurrence: Occurrence) -> T.Location:
        path = occurrence.span.path
        return T.Location(
            uri=self.uri_for(path),
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
            work = functools.partial(analyse, uri_to_path(uri), text, unsaved=self.opened())
            analysis = await loop.run_in_executor(None, work)
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
        """The include line that brings in `path`: the one naming it, else one naming a file of
        the same name (it is included further down), else the first line."""
        here = os.path.dirname(analysis.path)
        wanted = os.path.normpath(path)
        lines = [(n, _INCLUDE.match(line)) for n, line in enumerate(analysis.text.split("\n"), start=1)]
        found = [(n, m) for n, m in lines if m is not None]
        for test in (
            lambda written: os.path.normpath(os.path.join(here, written)) == wanted,
            lambda written: os.path.basename(written) == os.path.basename(path),
        ):
            for number, match in found:
                if test(match.group(1)):
                    return Span(analysis.path, number, match.start(1), number, match.end(1) + 2)
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


def safe_async(handler: Callable[P, Awaitable[R]]) -> Callable[P, Coroutine[Any, Any, R | None]]:
    """`safe` for a handler that awaits."""

    @functools.wraps(handler)
    async def guarded(*args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            return await handler(*args, **kwargs)
        except JsonRpcException:
            raise
        except Exception:
            log.exception("%s failed", handler.__name__)
            return None

    return guarded
