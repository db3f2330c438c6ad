"""The terminal: Rich consoles for output and errors, and how diagnostics are printed."""

from __future__ import annotations

import functools

from blueprint_cli.language.errors import BlueprintError, Diagnostic, excerpt


@functools.cache
def out():
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


@functools.cache
def err():
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


SEVERITY_STYLE = {"error": "bold red", "warning": "bold yellow", "note": "bold cyan"}


def esc(text: str) -> str:
    """Text from a user or a file, safe inside Rich markup (`[` is not read as a style)."""
    from rich.markup import escape

    return escape(text)


def print_diagnostic(diagnostic: Diagnostic, text: str | None, *, console=None) -> None:
    """`path:line:col: error: message`, the source line, a caret, and the hint."""
    from rich.text import Text

    console = console or err()
    line = Text()
    line.append(str(diagnostic.span), style="bold")
    line.append(": ")
    line.append(f"{diagnostic.severity.value}", style=SEVERITY_STYLE[diagnostic.severity.value])
    line.append(f": {diagnostic.message}")
    if diagnostic.code not in ("syntax", "reference", "structure", "attribute", "duplicate", "include", "encoding"):
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
        hint.append(diagnostic.hint)
        console.print(hint)


def print_error(error: BlueprintError, *, console=None) -> None:
    for diagnostic in error.diagnostics:
        print_diagnostic(diagnostic, error.sources.get(diagnostic.span.path), console=console)
