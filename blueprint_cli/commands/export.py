"""`blueprint export FILE`: the resolved model as JSON (documented schema) or canonical text."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from blueprint_cli.language.model import Blueprint


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
    stage: Annotated[
        list[str] | None,
        typer.Option(
            "--stage",
            help="mermaid: draw only this stage (an id; repeat for several), e.g. to keep a large blueprint within "
            "what Mermaid draws.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Export a blueprint's resolved model for other tools."""
    import sys

    from blueprint_cli import pipeline
    from blueprint_cli.commands.common import load_all

    if stage and format is not ExportFormat.mermaid:
        from blueprint_cli.failures import UsageError

        raise UsageError("--stage applies to --format mermaid")
    (blueprint,) = load_all([file])
    if format is ExportFormat.mermaid:
        text = _mermaid(blueprint, file, stage or [])
    else:
        text = pipeline.export(blueprint, format.value)
    if output is None or output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from pathlib import Path

    from blueprint_cli.atomic import WriteError, write_atomic

    if file != "-" and Path(output).resolve() == Path(file).resolve():
        raise WriteError(17, "it is the blueprint being exported; choose another file name", output)
    write_atomic(output, text, blueprint_text=format is ExportFormat.text)


def _mermaid(blueprint: Blueprint, file: str, stages: list[str]) -> str:
    """The Mermaid flowchart of the blueprint or of some of its stages; a warning when Mermaid would refuse it."""
    from blueprint_cli.console import print_message
    from blueprint_cli.interop.mermaid import to_mermaid, too_big

    for name in stages:
        if name not in blueprint.stages:
            from blueprint_cli.failures import UsageError
            from blueprint_cli.language.errors import did_you_mean

            guess = did_you_mean(name, list(blueprint.stages))
            raise UsageError(
                f"--stage {name}: no such stage in {file}"
                + (f"; did you mean '{guess}'?" if guess else f"; the stages are: {', '.join(blueprint.stages)}")
            )
    text = to_mermaid(blueprint, stages=set(stages) if stages else None)
    problem = too_big(text)
    if problem is not None:
        hint = "; draw fewer stages with --stage" if len(stages) != 1 and len(blueprint.stages) > 1 else ""
        print_message(file, f"{problem}; GitHub will show an error instead of the picture{hint}", severity="warning")
    return text
