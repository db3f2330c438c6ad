"""Diagnostics: one error family for bad input, each problem with a span, a message and a hint."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from blueprint_cli.language.source import Span
from blueprint_cli.vocab import Severity

__all__ = ["BlueprintError", "Diagnostic", "Severity", "did_you_mean"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a blueprint: where, what, and what to do about it."""

    code: str
    span: Span
    message: str
    severity: Severity = Severity.ERROR
    hint: str | None = None

    def headline(self) -> str:
        return f"{self.span}: {self.severity.value}: {self.message}"

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
            "location": self.span.to_json(),
        }


class BlueprintError(Exception):
    """Invalid input: carries every diagnostic found, in source order."""

    def __init__(self, diagnostics: list[Diagnostic], sources: dict[str, str] | None = None):
        # The same problem found twice (a misspelt step in the middle of `flow a -> typo -> c`)
        # is reported once.
        unique = {(d.span, d.message): d for d in diagnostics}
        self.diagnostics = sorted(unique.values(), key=lambda d: (d.span.path, d.span.line, d.span.column))
        # path -> text, so the CLI can print the offending line under each message.
        self.sources = sources or {}
        super().__init__("\n".join(d.headline() for d in self.diagnostics))


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """The closest candidate to a misspelt word, or None when nothing is close."""
    pool = sorted(set(candidates))
    found = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if not found:
        lowered = {c.lower(): c for c in pool}
        found = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
        found = [lowered[f] for f in found]
    return found[0] if found else None


_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")


def printable(line: str) -> str:
    """A source line safe to show in a terminal: tabs as spaces, control characters as '�'.

    One character for one, so that a caret under the line still points at the right column.
    """
    return _UNPRINTABLE.sub("\ufffd", line.replace("\t", " "))


def excerpt_lines(lines: list[str], span: Span, *, measure: Callable[[str], int] = len) -> tuple[str, str] | None:
    """The numbered source line of a span and the caret line under it, from a file's lines.

    `measure` is how wide text is: code points (`len`, as columns are counted in machine
    formats) by default; a terminal passes `rich.cells.cell_len`, so that the caret stands under
    the word when the line holds wide characters (CJK, emoji take two cells).
    """
    if not 0 < span.line <= len(lines):
        return None
    line = printable(lines[span.line - 1])
    end = span.end_column if span.end_line == span.line and span.end_column > span.column else span.column + 1
    before, marked = line[: span.column - 1], line[span.column - 1 : end - 1]
    pad = measure(before) + max(0, span.column - 1 - len(before))  # a column past the end of the line
    width = max(1, measure(marked) if marked else end - span.column)
    number = f"{span.line:>4} | "
    caret = " " * (len(number) - 2) + "| " + " " * pad + "^" + "~" * (width - 1)
    return number + line, caret


def excerpt(text: str, span: Span, *, measure: Callable[[str], int] = len) -> str:
    """The source line of a span with a caret under it, as plain text."""
    shown = excerpt_lines(text.split("\n"), span, measure=measure)
    return "\n".join(shown) if shown else ""


def format_plain(diagnostic: Diagnostic, text: str | None) -> str:
    """A diagnostic as plain text: headline, source line, caret, hint."""
    parts = [diagnostic.headline()]
    if text is not None:
        shown = excerpt(text, diagnostic.span)
        if shown:
            parts.append(shown)
    if diagnostic.hint:
        parts.append(f"     = hint: {diagnostic.hint}")
    return "\n".join(parts)
