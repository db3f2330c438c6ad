"""Spreadsheets as plain rows of text cells: CSV (any common dialect) and Excel (.xlsx).

A CSV file may start with a byte-order mark, be UTF-8 or Windows-1252, and use commas,
semicolons or tabs. An Excel workbook is read with openpyxl (imported only here, only when an
.xlsx file is imported). Every cell becomes text as written; merged cells are empty except the first.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path


class TableError(Exception):
    """A spreadsheet that cannot be read at all; the message says which file and why."""


@dataclass(frozen=True)
class Table:
    """Rows of cells as text; `rows[0][0]` is cell A1."""

    name: str  # the file (and sheet) as shown in messages
    rows: list[list[str]]

    def cell(self, row: int, column: int) -> str:
        if row < len(self.rows) and column < len(self.rows[row]):
            return self.rows[row][column]
        return ""

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


def cell_name(row: int, column: int) -> str:
    """Spreadsheet notation for 0-based indices: (6, 1) -> `B7`, (0, 27) -> `AB1`."""
    letters = ""
    number = column + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{row + 1}"


def clean(value: object) -> str:
    """A cell as text: each line stripped and its spaces collapsed, empty lines and control characters dropped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    lines = []
    for line in text.split("\n"):
        line = " ".join("".join(ch if ch.isprintable() else " " if ch.isspace() else "" for ch in line).split())
        if line:
            lines.append(line)
    return "\n".join(lines)


def one_line(text: str) -> str:
    """A cell's lines, each stripped, joined by spaces: what a label may be."""
    return " ".join(line.strip() for line in text.split("\n") if line.strip())


def read_table(path: str, *, sheet: str | None = None) -> Table:
    """A CSV file or an .xlsx workbook (`-`: standard input, either); regular files only, up to 32 MB."""
    from blueprint_cli.language.source import SourceError, read_bytes

    try:
        data, shown = read_bytes(path)
    except SourceError as exc:
        raise TableError(f"{exc.path}: {exc.message}") from None
    suffix = Path(path).suffix.lower()
    if suffix in (".xlsx", ".xlsm") or (path == "-" and data.startswith(b"PK\x03\x04")):
        return _read_xlsx(shown, data, sheet)
    if suffix == ".xls":
        raise TableError(f"{shown}: old .xls workbooks cannot be read; save it as .xlsx or CSV")
    if sheet is not None:
        raise TableError(f"{shown}: --sheet applies to Excel workbooks only")
    return read_csv_bytes(shown, data)


def read_csv_bytes(name: str, data: bytes) -> Table:
    if data.startswith(b"PK\x03\x04"):
        raise TableError(f"{name}: this is an Excel workbook, not CSV; name it .xlsx")
    try:
        # Excel's "Unicode Text" is UTF-16 with a BOM (and tabs); its "CSV UTF-8" has a UTF-8 BOM.
        utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
        text = data.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    if "\x00" in text:
        raise TableError(f"{name}: not a text file (UTF-16 or binary); save it as CSV UTF-8")
    delimiter = _delimiter(text)
    rows = [[raw(c) for c in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    return Table(name, rows)


def raw(value: object) -> str:
    """A cell as written, line ends made LF; whole numbers without `.0`. The readers clean it further."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def cleaned(table: Table) -> Table:
    """Every cell through `clean`: what the grid reader works on."""
    return Table(table.name, [[clean(c) for c in row] for row in table.rows])


def _delimiter(text: str) -> str:
    """The separator used in the first lines: comma, semicolon or tab, whichever splits most."""
    sample = [line for line in text.splitlines()[:10] if line.strip()]
    best, best_count = ",", 0
    for candidate in (",", ";", "\t"):
        rows = list(csv.reader(io.StringIO("\n".join(sample)), delimiter=candidate))
        count = sum(len(r) - 1 for r in rows)
        if count > best_count:
            best, best_count = candidate, count
    return best


def _read_xlsx(path: str, data: bytes, sheet: str | None) -> Table:
    import zipfile

    try:
        from openpyxl import load_workbook
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise TableError("reading .xlsx needs openpyxl: pip install openpyxl") from None
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise TableError(f"{path}: not a readable .xlsx workbook ({exc})") from None
    try:
        if sheet is None:
            worksheet = book.worksheets[0]
        elif sheet in book.sheetnames:
            worksheet = book[sheet]
        else:
            raise TableError(f"{path}: no sheet named {sheet!r}; the sheets are: {', '.join(book.sheetnames)}")
        rows = [[raw(v) for v in row] for row in worksheet.iter_rows(values_only=True)]
        name = path if sheet is None else f"{path} [{sheet}]"
    finally:
        book.close()
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    return Table(name, rows)


def write_csv(rows: list[list[str]]) -> str:
    """CSV text with a header row, every field quoted only where needed, CRLF line ends (RFC 4180)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(rows)
    return out.getvalue()
