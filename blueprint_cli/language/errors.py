"""Diagnostics: one error family for bad input, each problem with a span, a message and a hint."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterable, Sequence
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

    def __post_init__(self) -> None:
        # A message quotes what it is about (a word, a label); from a 1 MB line that would be
        # megabytes in every output format, so the quote is cut in the middle.
        object.__setattr__(self, "message", clipped(self.message))
        if self.hint is not None:
            object.__setattr__(self, "hint", clipped(self.hint))

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


MESSAGE_LIMIT = 400  # characters of a message or hint


def clipped(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """`text`, or its start and end around '…' when it is longer than `limit` characters."""
    if len(text) <= limit:
        return text
    half = (limit - 1) // 2
    return text[:half] + "…" + text[len(text) - half :]


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


# Control characters, non-characters and the bidirectional embeddings, overrides and isolates.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff]")


def printable(line: str) -> str:
    """A source line safe to show in a terminal: tabs as spaces, control characters as '�'.

    One character for one, so that a caret under the line still points at the right column.
    """
    return _UNPRINTABLE.sub("\ufffd", line.replace("\t", " "))


# An excerpt shows at most this many characters of a long line, around the caret: a 1 MB line
# would otherwise be printed whole under every message about it.
EXCERPT_WIDTH = 120


def excerpt_lines(lines: Sequence[str], span: Span, *, measure: Callable[[str], int] = len) -> tuple[str, str] | None:
    """The numbered source line of a span and the caret line under it, from a file's lines.

    `measure` is how wide text is: code points (`len`, as columns are counted in machine
    formats) by default; a terminal passes `rich.cells.cell_len`, so that the caret stands under
    the word when the line holds wide characters (CJK, emoji take two cells). A line longer than
    EXCERPT_WIDTH is shown around the caret, cut with '…'.
    """
    if not 0 < span.line <= len(lines):
        return None
    width = 1
    if span.end_line == span.line and span.end_column > span.column:
        width = span.end_column - span.column
    shown, column, width = _window(lines[span.line - 1], span.column, width)
    line = printable(shown)
    before, marked = line[: column - 1], line[column - 1 : column - 1 + width]
    pad = measure(before) + max(0, column - 1 - len(before))  # a column past the end of the line
    cells = max(1, measure(marked) if marked else width)
    number = f"{span.line:>4} | "
    caret = " " * (len(number) - 2) + "| " + " " * pad + "^" + "~" * (cells - 1)
    return number + line, caret


def _window(line: str, column: int, width: int) -> tuple[str, int, int]:
    """At most EXCERPT_WIDTH characters of a line around `column`, '…' where it is cut; the column there."""
    if len(line) <= EXCERPT_WIDTH:
        return line, column, width
    start = max(0, min(column - 1 - EXCERPT_WIDTH // 3, len(line) - EXCERPT_WIDTH))
    end = start + EXCERPT_WIDTH
    head = "…" if start > 0 else ""
    shown = head + line[start:end] + ("…" if end < len(line) else "")
    column = column - start + len(head)
    return shown, column, max(1, min(width, len(shown) - column + 1))


@functools.lru_cache(maxsize=8)
def _lines(text: str) -> tuple[str, ...]:
    """A file's lines, split once however many messages point into it."""
    return tuple(text.split("\n"))


def excerpt(text: str, span: Span, *, measure: Callable[[str], int] = len) -> str:
    """The source line of a span with a caret under it, as plain text."""
    shown = excerpt_lines(_lines(text), span, measure=measure)
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
