"""The terminal: Rich consoles for output and errors, and the one place failures are worded.

Lower layers never print. Commands print their results through the consoles here; every error
a user can fix is printed by `print_failure` (one message) or `print_invalid` (the located
diagnostics of an invalid blueprint), called by the CLI boundary or, for a command that goes on
with its other files, by the command itself.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from blueprint_cli.language.errors import BlueprintError, Diagnostic, excerpt

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

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
        shown = excerpt(text, diagnostic.span)
        if shown:
            source_line, caret = shown.split("\n")
            console.print(Text(source_line, style="dim"))
            console.print(Text(caret, style=SEVERITY_STYLE[diagnostic.severity.value]))
    if diagnostic.hint:
        hint = Text("     = hint: ", style="bold cyan")
        hint.append(safe(diagnostic.hint))
        console.print(hint)


def print_error(error: BlueprintError, *, console: Console | None = None) -> None:
    for diagnostic in error.diagnostics:
        print_diagnostic(diagnostic, error.sources.get(diagnostic.span.path), console=console)


def print_invalid(path: str, diagnostics: Sequence[Diagnostic], sources: Mapping[str, str]) -> None:
    """Every diagnostic of an invalid file, then `✗ path: N errors`."""
    for diagnostic in diagnostics:
        if diagnostic.code == "input":  # the file itself (missing, binary): one line, no excerpt
            span = diagnostic.span
            print_message(str(span) if span.line else span.path, diagnostic.message)
        else:
            print_diagnostic(diagnostic, sources.get(diagnostic.span.path))
    count = len(diagnostics)
    err().print(f"[bold red]✗[/] {esc(path)}: {count} error{'s' if count != 1 else ''}")


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
        hint = error.hint if isinstance(error, Failure) else None
        print_message(None, str(error), hint=hint)
