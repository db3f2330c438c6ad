"""Positions: blueprint spans (1-based, in characters) and LSP positions (0-based, in UTF-16 units)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlparse

from blueprint_cli.language.source import Span


@dataclass(frozen=True, slots=True)
class Point:
    """An LSP position: 0-based line, 0-based UTF-16 column."""

    line: int
    character: int


@dataclass(frozen=True, slots=True)
class Range:
    start: Point
    end: Point


# The position encodings of LSP (`utf-16` is the default every client supports).
ENCODINGS = ("utf-8", "utf-16", "utf-32")


def _width(char: str, encoding: str) -> int:
    code = ord(char)
    if encoding == "utf-32":
        return 1
    if encoding == "utf-8":
        return 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
    return 2 if code > 0xFFFF else 1


def unit_column(line_text: str, column: int, encoding: str = "utf-16") -> int:
    """The offset in code units of a 0-based character column in a line (past the end: clamped)."""
    return sum(_width(char, encoding) for char in line_text[: max(column, 0)])


def character_column(line_text: str, units: int, encoding: str = "utf-16") -> int:
    """The 0-based character column of an offset in code units (inside a character: rounded down)."""
    count = 0
    for index, char in enumerate(line_text):
        width = _width(char, encoding)
        if count + width > units:
            return index
        count += width
    return len(line_text)


def span_range(span: Span, lines: list[str], encoding: str = "utf-16") -> Range:
    """The LSP range of a span, given the lines of the file it points into."""

    def point(line: int, column: int) -> Point:
        if line < 1:
            return Point(0, 0)
        index = line - 1
        text = lines[index] if index < len(lines) else ""
        return Point(index, unit_column(text, column - 1, encoding))

    start = point(span.line, span.column)
    end = point(span.end_line, span.end_column) if span.end_line >= span.line else start
    if (end.line, end.character) < (start.line, start.character):
        end = start
    return Range(start, end)


def text_lines(text: str) -> list[str]:
    """A text's lines as the parser counts them: LF, CRLF or a lone CR end a line."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def to_location(lines: list[str], point: Point, encoding: str = "utf-16") -> tuple[int, int]:
    """An LSP position as the parser's (1-based line, 1-based character column)."""
    text = lines[point.line] if 0 <= point.line < len(lines) else ""
    return point.line + 1, character_column(text, point.character, encoding) + 1


def uri_to_path(uri: str) -> str:
    """A file URI as a path; any other URI (an unsaved buffer) is returned as it is."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return uri
    return unquote(parsed.path)


def path_to_uri(path: str) -> str:
    """A path as a file URI (normalised, so that `a/../b` and `b` are one file)."""
    if "://" in path or path.startswith("untitled:"):
        return path
    return "file://" + quote(os.path.normpath(os.path.abspath(path)))
