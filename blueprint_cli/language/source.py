"""Source text and positions: reading blueprint files and the Span every node carries."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple


class Span(NamedTuple):
    """A range in a source file; lines and columns count from 1, the end is exclusive.

    A named tuple rather than a dataclass: a large blueprint creates hundreds of thousands.
    """

    path: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def to_json(self) -> dict[str, str | int]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
        }


@dataclass(frozen=True, slots=True)
class Source:
    """A decoded blueprint file: its display path and its text with BOM and CRs removed."""

    path: str
    text: str

    def line_text(self, line: int) -> str:
        lines = self.text.split("\n")
        return lines[line - 1] if 0 < line <= len(lines) else ""


class SourceError(Exception):
    """A file that cannot be read as blueprint text (missing, binary, not UTF-8)."""

    def __init__(self, path: str, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.path = path
        self.message = message
        self.line = line
        self.column = column

    @property
    def location(self) -> str:
        """`path:line:column` where the problem has a place in the file, else just `path`."""
        return f"{self.path}:{self.line}:{self.column}" if self.line is not None else self.path


def decode(data: bytes, path: str) -> Source:
    """Turn file bytes into a Source, or raise SourceError for binary or invalid UTF-8."""
    _refuse_utf16(data, path)
    if b"\x00" in data:  # anywhere in the file, not only at its start: fmt would otherwise keep it
        raise SourceError(path, "this looks like a binary file, not a blueprint (it contains NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = _column(data, exc.start)
        raise SourceError(
            path,
            f"invalid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            line,
            column,
        ) from None
    return from_text(path, text)


def from_text(path: str, text: str) -> Source:
    """Text as the parser reads it (a file's, or an editor's buffer): no byte-order mark; CRLF and
    lone CR become LF (a CR only ever ends a line, so columns are unchanged)."""
    return Source(path, text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))


def _column(data: bytes, offset: int) -> int:
    return offset - (data.rfind(b"\n", 0, offset) + 1) + 1


_UTF16_HINT = "this file is UTF-16 text; save it as UTF-8 (a blueprint is UTF-8)"


def _refuse_utf16(data: bytes, path: str) -> None:
    """UTF-16 (with a byte order mark, or ASCII text with every other byte NUL) gets its own message."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError(path, _UTF16_HINT)
    head = data[:512]
    if len(head) >= 4 and (head[1::2].count(0) == len(head) // 2 or head[0::2].count(0) == (len(head) + 1) // 2):
        raise SourceError(path, _UTF16_HINT)


# The largest blueprint file read: a 100,000-step blueprint is about 8 MB.
MAX_BYTES = 32 * 1024 * 1024


def _regular_file(path: Path, shown: str) -> None:
    """Only regular files are read: a device (/dev/zero) never ends and a FIFO may block forever."""
    import stat

    mode = path.stat().st_mode  # follows symbolic links; a loop raises OSError (ELOOP)
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(shown)
    if not stat.S_ISREG(mode):
        raise SourceError(shown, "is not a regular file (a device, a pipe or a socket); a blueprint is a text file")


def _limited(data: bytes, shown: str) -> bytes:
    if len(data) > MAX_BYTES:
        raise SourceError(shown, f"is larger than {MAX_BYTES // (1024 * 1024)} MB; that is not a blueprint")
    return data


def display_path(path: str) -> str:
    """A file name as text for people and for every output format: a name that is not valid UTF-8
    (Python keeps its bytes as lone surrogates, which no encoder accepts) shows '\ufffd' for them."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return path


def read_bytes(path: Path | str, display: str | None = None) -> tuple[bytes, str]:
    """The raw bytes of a file (`-`: standard input) and the name to show for it."""
    if str(path) == "-":
        import sys

        if sys.stdin is None or sys.stdin.closed:
            raise SourceError("<stdin>", "standard input is closed; give a file name instead of '-'")
        return _limited(sys.stdin.buffer.read(MAX_BYTES + 1), "<stdin>"), "<stdin>"
    shown = display if display is not None else display_path(str(path))
    try:
        _regular_file(Path(path), shown)
        with open(path, "rb") as handle:
            return _limited(handle.read(MAX_BYTES + 1), shown), shown
    except FileNotFoundError:
        raise SourceError(shown, "no such file") from None
    except IsADirectoryError:
        raise SourceError(shown, "is a directory, not a blueprint file") from None
    except OSError as exc:
        raise SourceError(shown, f"cannot read file: {exc.strerror or exc}") from None


def read_source(path: Path | str, display: str | None = None) -> Source:
    """Read a blueprint file from disk; `-` reads standard input."""
    data, shown = read_bytes(path, display)
    return decode(data, shown)
