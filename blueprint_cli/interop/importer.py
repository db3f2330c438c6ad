"""`blueprint import`: a spreadsheet (CSV or .xlsx) to blueprint text in the canonical layout.

The table is a long table when a row names the columns (at least `lane` or `kind`, and `label`
or `step`); otherwise it is read as a designer's grid. The text is checked by loading it: an
importer bug must never hand the user a file that `blueprint check` rejects.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from blueprint_cli.failures import Failure
from blueprint_cli.interop.draft import Problem, to_source
from blueprint_cli.interop.grid import GridError, read_grid
from blueprint_cli.interop.long_table import header_columns, is_long_header, read_long_table
from blueprint_cli.interop.table import Table, TableError, one_line, read_table
from blueprint_cli.language.errors import BlueprintError


class SpreadsheetError(Failure):
    """The spreadsheet cannot be imported; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Imported:
    text: str  # blueprint source, canonical layout
    problems: list[Problem]
    shape: str  # "long table" or "grid"


def title_from(path: str) -> str:
    """`hospital-discharge.xlsx` -> `Hospital discharge`."""
    stem = Path(path).stem.replace("_", " ").replace("-", " ").strip()
    return stem[:1].upper() + stem[1:] if stem else "Imported blueprint"


def import_table(table: Table, *, title: str, flows: bool = True, keep_title: bool = False) -> Imported:
    """`title` is the default; a title row or a `blueprint` row replaces it unless `keep_title`."""
    filled = [r for r, row in enumerate(table.rows) if any(c.strip() for c in row)]
    if not filled:
        raise SpreadsheetError(f"{table.name}: the table is empty")
    # A long table's header row may sit under a title row or two.
    header = next((r for r in filled[:5] if is_long_header(table.rows[r])), None)
    try:
        if header is not None:
            draft = read_long_table(table, header, title=_title_above(table, filled, header) or title)
            shape = "long table"
            if not flows:
                for step in draft.steps:
                    step.targets.clear()
                draft.flows.clear()
        else:
            draft = read_grid(table, title=title, flows=flows)
            shape = "grid"
    except GridError as exc:
        raise SpreadsheetError(str(exc)) from None
    if keep_title:
        draft.title = title
    if not draft.steps and (header is None or "kind" not in header_columns(table.rows[header])):
        raise SpreadsheetError(f"{table.name}: no steps found (a step row needs a lane and a label)")
    try:
        text = to_source(draft)
    except BlueprintError as exc:
        raise _bug(exc, table.name) from None
    _verify(text, table.name)
    return Imported(text, draft.problems, shape)


def _title_above(table: Table, filled: list[int], header: int) -> str | None:
    """The one cell of the first row above a long table's header, if that is all there is."""
    for r in filled:
        if r >= header:
            return None
        cells = [c.strip() for c in table.rows[r] if c.strip()]
        if len(cells) == 1:
            return one_line(cells[0])
    return None


def import_file(path: str, *, sheet: str | None = None, title: str | None = None, flows: bool = True) -> Imported:
    try:
        table = read_table(path, sheet=sheet)
    except TableError as exc:
        raise SpreadsheetError(str(exc)) from None
    return import_table(table, title=title or title_from(path), flows=flows, keep_title=title is not None)


def _verify(text: str, name: str) -> None:
    from blueprint_cli.language.resolve import load_text

    try:
        load_text(text, path=f"<{name}>")
    except BlueprintError as exc:
        raise _bug(exc, name) from None


def _bug(error: BlueprintError, name: str) -> SpreadsheetError:
    first = error.diagnostics[0].headline() if error.diagnostics else str(error)
    return SpreadsheetError(
        f"{name}: the imported blueprint does not resolve ({first}); this is a bug, please report it"
    )
