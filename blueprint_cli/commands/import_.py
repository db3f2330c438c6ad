"""`blueprint import FILE.csv|FILE.xlsx`: a spreadsheet blueprint as a `.blueprint` file."""

from __future__ import annotations

from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    app.command("import")(import_)


def import_(
    file: Annotated[
        str,
        typer.Argument(
            help="A CSV file (comma, semicolon or tab; UTF-8 with or without a BOM) or an Excel .xlsx workbook.",
            show_default=False,
            metavar="FILE",
        ),
    ],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="The .blueprint file to write (atomically); default: standard output.",
            show_default=False,
        ),
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", help="The worksheet of an .xlsx workbook (default: the first).", show_default=False),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option(
            "--title", help="The blueprint's title (default: a title row, else the file name).", show_default=False
        ),
    ] = None,
    flows: Annotated[
        bool,
        typer.Option(
            "--flows/--no-flows",
            help="Connect consecutive steps with flows when the table does not say how they connect.",
        ),
    ] = True,
    force: Annotated[bool, typer.Option("--force", help="Replace the output file if it exists.")] = False,
) -> None:
    """Import a blueprint from a spreadsheet: the long table or the designer's grid."""
    import sys
    from pathlib import Path

    from blueprint_cli import pipeline
    from blueprint_cli.commands.common import refuse_overwriting_inputs
    from blueprint_cli.console import err, esc, print_message
    from blueprint_cli.failures import UsageError

    refuse_overwriting_inputs([output], [file])
    if output is not None and output != "-" and Path(output).exists() and not force:
        raise UsageError(f"{output} exists; add --force to replace it")
    result = pipeline.import_spreadsheet(file, sheet=sheet, title=title, flows=flows)
    for problem in result.problems:
        print_message(f"{file}:{problem.cell}", problem.message, severity="warning")
    if output is None or output == "-":
        sys.stdout.write(result.text)
        sys.stdout.flush()
        return
    from blueprint_cli.atomic import write_atomic

    write_atomic(output, result.text, blueprint_text=True)
    count = len(result.problems)
    err().print(
        f"wrote {esc(output)} from the {result.shape}"
        + (f"; {count} cell{'s' if count != 1 else ''} kept as notes or adjusted (see above)" if count else "")
    )
