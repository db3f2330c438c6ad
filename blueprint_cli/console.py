"""The terminal: Rich consoles for output and errors, and the one place failures are worded.

Lower layers never print. Commands print their results through the consoles here; every error
a user can fix is printed by `print_failure` (one message) or `print_invalid` (the located
diagnostics of an invalid blueprint), called by the CLI boundary or, for a command that goes on
with its other files, by the command itself.
"""

from __future__ import annotations

import contextlib
import functools
import re
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TextIO

from blueprint_cli.language.errors import BlueprintError, Diagnostic, excerpt

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

    from rich.console import Console


@functools.cache
def out() -> Console:
    from rich.console import Console

    # No emoji codes: `file:100:3` is a location, not a 💯.
    return Console(highlight=False, soft_wrap=True, emoji=False)


@functools.cache
def err() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


def plain_stdout() -> bool:
    """Is standard output a file or a pipe that Rich would write plain text to (no colour, no layout)?

    Rich's own test (`Console.is_terminal`), without importing Rich: not a terminal, not forced to
    be one by TTY_COMPATIBLE or FORCE_COLOR, not inside IPython or Jupyter.
    """
    import builtins
    import os
    import sys

    if "TTY_COMPATIBLE" in os.environ or "FORCE_COLOR" in os.environ or hasattr(builtins, "get_ipython"):
        return False
    isatty = getattr(sys.stdout, "isatty", None)
    try:
        return isatty is not None and not isatty()
    except ValueError:  # closed
        return False


# What Rich would change in a line it prints (tabs, the control codes it strips, trailing space).
RICH_CHANGES = re.compile(r"[\t\r\x07\x08\x0b\x0c]|\s$")


def print_out(plain: str, markup: Callable[[], str]) -> None:
    """One line to standard output: `plain` as it is where Rich would write just that (a pipe or a
    file, and nothing Rich changes), without importing Rich; else `markup()` printed by Rich."""
    import sys

    if plain_stdout() and not RICH_CHANGES.search(plain):
        sys.stdout.write(plain + "\n")
    else:
        out().print(markup())


SEVERITY_STYLE = {"error": "bold red", "warning": "bold yellow", "note": "bold cyan"}
# Codes of problems with the text itself, shown without a code; rule findings show theirs.
_PLAIN_CODES = ("syntax", "reference", "structure", "attribute", "duplicate", "include", "encoding")


# Characters that would steer a terminal or a CI log rather than show: C0 and C1 controls (ESC
# starts escape sequences; a newline in a file name could start a `::error` workflow command)
# and the bidirectional overrides that make text read in another order than it is.
_STEERING = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe(text: str) -> str:
    """One line of text from a user or a file, with every steering character shown as '\ufffd'."""
    return _STEERING.sub("\ufffd", text)


def esc(text: str) -> str:
    """Text from a user or a file, safe inside Rich markup (`[` is not a style) and in a terminal."""
    from rich.markup import escape

    return escape(safe(text))


def print_diagnostic(diagnostic: Diagnostic, text: str | None, *, console: Console | None = None) -> None:
    """`path:line:col: error: message`, the source line, a caret, and the hint."""
    from rich.text import Text

    console = console or err()
    line = Text()
    line.append(safe(str(diagnostic.span)), style="bold")
    line.append(": ")
    line.append(f"{diagnostic.severity.value}", style=SEVERITY_STYLE[diagnostic.severity.value])
    line.append(f": {safe(diagnostic.message)}")
    if diagnostic.code not in _PLAIN_CODES:
        line.append(f" [{diagnostic.code}]", style="dim")
    console.print(line)
    if text is not None:
        from rich.cells import cell_len

        shown = excerpt(text, diagnostic.span, measure=cell_len)  # the terminal: pad by cells
        if shown:
            source_line, caret = shown.split("\n")
            console.print(Text(source_line, style="dim"))
            console.print(Text(caret, style=SEVERITY_STYLE[diagnostic.severity.value]))
    if diagnostic.hint:
        hint = Text("     = hint: ", style="bold cyan")
        hint.append(safe(diagnostic.hint))
        console.print(hint)


# The located errors printed per file unless `--max-errors` says otherwise (0: all of them);
# a file of garbage has one per line, and thousands of them help nobody.
MAX_ERRORS = 50


def print_error(error: BlueprintError, *, console: Console | None = None, limit: int = MAX_ERRORS) -> None:
    shown = _first(error.diagnostics, limit)
    for diagnostic in shown:
        print_diagnostic(diagnostic, error.sources.get(diagnostic.span.path), console=console)
    _print_more(len(error.diagnostics) - len(shown), console=console)


def print_invalid(
    path: str, diagnostics: Sequence[Diagnostic], sources: Mapping[str, str], *, limit: int = MAX_ERRORS
) -> None:
    """The diagnostics of an invalid file (the first `limit`; 0: all), then `✗ path: N errors`."""
    shown = _first(diagnostics, limit)
    for diagnostic in shown:
        if diagnostic.code == "input":  # the file itself (missing, binary): one line, no excerpt
            span = diagnostic.span
            print_message(str(span) if span.line else span.path, diagnostic.message)
        else:
            print_diagnostic(diagnostic, sources.get(diagnostic.span.path))
    _print_more(len(diagnostics) - len(shown))
    count = len(diagnostics)
    err().print(f"[bold red]✗[/] {esc(path)}: {count} error{'s' if count != 1 else ''}")


def _first(diagnostics: Sequence[Diagnostic], limit: int) -> Sequence[Diagnostic]:
    """The diagnostics to print: the first `limit` per file (0: all)."""
    if limit <= 0:
        return diagnostics
    counts: dict[str, int] = {}
    shown = []
    for diagnostic in diagnostics:
        counts[diagnostic.span.path] = counts.get(diagnostic.span.path, 0) + 1
        if counts[diagnostic.span.path] <= limit:
            shown.append(diagnostic)
    return shown


def _print_more(more: int, *, console: Console | None = None) -> None:
    if more > 0:
        (console or err()).print(
            f"... and {more:,} more error{'s' if more != 1 else ''} not shown ('blueprint check --max-errors 0' shows every error)"
        )


def print_message(where: str | None, message: str, *, hint: str | None = None, severity: str = "error") -> None:
    """`where: error: message` (or `error: message`) and a hint line."""
    place = f"[bold]{esc(where)}[/]: " if where else ""
    err().print(f"{place}[{SEVERITY_STYLE[severity]}]{severity}[/]: {esc(message)}")
    if hint:
        err().print(f"     [bold cyan]= hint:[/] {esc(hint)}")


def print_failure(error: BaseException) -> None:
    """Any failure a user can fix, as one message (an invalid blueprint: all its diagnostics)."""
    from blueprint_cli.language.source import SourceError

    if isinstance(error, BlueprintError):
        print_error(error)
        paths = sorted({d.span.path for d in error.diagnostics})
        count = len(error.diagnostics)
        err().print(f"[bold red]✗[/] {esc(', '.join(paths))}: {count} error{'s' if count != 1 else ''}")
    elif isinstance(error, SourceError):
        print_message(error.location, error.message)
    elif isinstance(error, OSError):  # atomic.WriteError names the file the user gave
        print_message(None, str(error))
    else:
        from blueprint_cli.failures import AlreadyReported, Failure

        if isinstance(error, AlreadyReported):
            return
        if isinstance(error, Failure):
            print_message(error.location, error.message, hint=error.hint)
        else:
            print_message(None, str(error))


class PipeGuard:
    """Standard output that outlives its reader: once a pipe closes (`blueprint diff … | head`), the
    rest of the output goes to the null device, so the command finishes quietly and its exit code
    is still decided by what it found."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.broken = False

    def _silence(self) -> None:
        import os

        self.broken = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, ValueError):  # not a real file (a test's capture): dropping the text is enough
            pass

    def write(self, text: str) -> int:
        if not self.broken:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._silence()
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if not self.broken and not self._stream.closed:  # closed: the language server ended its stream
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._silence()

    @property
    def buffer(self) -> _BufferGuard:
        return _BufferGuard(self)

    def write_bytes(self, data: bytes) -> None:
        if not self.broken:
            try:
                self._stream.buffer.write(data)
            except BrokenPipeError:
                self._silence()

    @property
    def real(self) -> TextIO:
        return self._stream

    def __getattr__(self, name: str) -> Any:  # isatty, fileno, encoding ...: the real stream's
        return getattr(self._stream, name)


class _BufferGuard:
    """`sys.stdout.buffer` of a guarded standard output (pictures, formatted files)."""

    def __init__(self, guard: PipeGuard) -> None:
        self._guard = guard

    def write(self, data: bytes) -> int:
        self._guard.write_bytes(data)
        return len(data)

    def flush(self) -> None:
        self._guard.flush()

    def __getattr__(self, name: str) -> Any:  # close, fileno ...: the real buffer's (the language server's own use)
        return getattr(self._guard.real.buffer, name)


@contextlib.contextmanager
def guarded_stdout() -> Iterator[PipeGuard]:
    """Run a command with a `PipeGuard` as standard output; the real one is back afterwards."""
    import sys

    real = sys.stdout
    guard = PipeGuard(real)
    sys.stdout = guard  # duck-typed: write, flush, buffer, and the rest delegated
    try:
        yield guard
    finally:
        guard.flush()  # what is still buffered: a reader that has gone by now is no error either
        if sys.stdout is guard:  # a command may have put its own in place (the language server's)
            sys.stdout = real


# ---------------------------------------------------------------- how much to say

_VERBOSITY: ContextVar[int] = ContextVar("verbosity", default=0)  # -1 quiet, 0 normal, 1 verbose


def set_verbosity(level: int) -> None:
    _VERBOSITY.set(level)


def quiet() -> bool:
    """`--quiet`: only problems are printed (no ✓ lines, no 'reformatted', no notes)."""
    return _VERBOSITY.get() < 0


def detail(message: str) -> None:
    """A line for `--verbose` only (which configuration, which files a folder gave)."""
    if _VERBOSITY.get() > 0:
        err().print(f"[dim]{esc(message)}[/]")
