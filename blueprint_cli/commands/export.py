"""`blueprint export FILE`: the resolved model as JSON (documented schema) or canonical text."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer


class ExportFormat(str, Enum):
    json = "json"
    text = "text"
    csv = "csv"
    mermaid = "mermaid"
    plantuml = "plantuml"


def register(app: typer.Typer) -> None:
    app.command("export")(export)


def export(
    file: Annotated[
        str,
        typer.Argument(help="The blueprint to export ('-' reads standard input).", show_default=False, metavar="FILE"),
    ],
    format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="json: the model (schemas/blueprint.schema.json); text: canonical source, e.g. for a git textconv; "
            "csv: the long table, one row per step (for spreadsheets; `blueprint import` reads it back); "
            "mermaid: a flowchart for Markdown (GitHub, GitLab); plantuml: an activity diagram with swimlanes.",
        ),
    ] = ExportFormat.json,
    output: Annotated[
        str | None,
        typer.Option(
            "--output", "-o", help="Write to this file (atomically) instead of standard output.", show_default=False
        ),
    ] = None,
) -> None:
    """Export a blueprint's resolved model for other tools."""
    import sys

    from blueprint_cli import pipeline
    from blueprint_cli.commands.common import load_all

    (blueprint,) = load_all([file])
    text = pipeline.export(blueprint, format.value)
    if format is ExportFormat.mermaid:
        from blueprint_cli.console import print_message
        from blueprint_cli.interop.mermaid import too_big

        problem = too_big(text)
        if problem is not None:
            print_message(file, f"{problem}; GitHub will show an error instead of the picture", severity="warning")
    if output is None or output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from pathlib import Path

    from blueprint_cli.atomic import WriteError, write_atomic

    if file != "-" and Path(output).resolve() == Path(file).resolve():
        raise WriteError(17, "it is the blueprint being exported; choose another file name", output)
    write_atomic(output, text, blueprint_text=format is ExportFormat.text)
