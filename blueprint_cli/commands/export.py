"""`blueprint export FILE`: the resolved model as JSON (documented schema) or canonical text."""

from __future__ import annotations

import os
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from blueprint_cli.exit_codes import Outcome

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
    files: Annotated[
        list[str],
        typer.Argument(
            help="The blueprint to export ('-' reads standard input); folders or several files need -o FOLDER.",
            show_default=False,
            metavar="PATH...",
        ),
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
            "--output",
            "-o",
            help="Write to this file (atomically) instead of standard output; a folder for several blueprints.",
            show_default=False,
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
) -> Outcome:
    """Export a blueprint's resolved model for other tools."""
    import sys

    from blueprint_cli import pipeline
    from blueprint_cli.commands.common import load_all

    if stage and format is not ExportFormat.mermaid:
        from blueprint_cli.failures import UsageError

        raise UsageError("--stage applies to --format mermaid")
    if len(files) > 1 or os.path.isdir(files[0]):
        if stage:
            from blueprint_cli.failures import UsageError

            raise UsageError("--stage applies to one blueprint")
        return _export_many(files, format=format, output=output)
    file = files[0]
    (blueprint,) = load_all([file])
    if format is ExportFormat.mermaid:
        text = _mermaid(blueprint, file, stage or [])
    else:
        text = pipeline.export(blueprint, format.value)
    if output is None or output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return Outcome()
    from pathlib import Path

    from blueprint_cli.atomic import WriteError, write_atomic

    if file != "-" and Path(output).resolve() == Path(file).resolve():
        raise WriteError(17, "it is the blueprint being exported; choose another file name", output)
    write_atomic(output, text, blueprint_text=format is ExportFormat.text)
    return Outcome()


# The file name ending of each format when a folder is exported.
SUFFIXES = {
    ExportFormat.json: ".json",
    ExportFormat.text: ".txt",
    ExportFormat.csv: ".csv",
    ExportFormat.mermaid: ".mmd",
    ExportFormat.plantuml: ".puml",
}


def _export_many(paths: list[str], *, format: ExportFormat, output: str | None) -> Outcome:
    """Each blueprint under the paths into FOLDER/<its path>.json (.txt, .csv, .mmd, .puml); fragments are left out."""
    from pathlib import Path

    from blueprint_cli import pipeline
    from blueprint_cli.atomic import write_atomic
    from blueprint_cli.commands.common import found_files
    from blueprint_cli.console import print_invalid
    from blueprint_cli.failures import UsageError

    if output is None or output == "-" or os.path.isfile(output):
        raise UsageError("several blueprints (or a folder) are exported into a folder: give -o FOLDER")
    invalid = False
    for path in found_files("export", paths):
        loaded = pipeline.try_load(path)
        if loaded.fragment is not None:
            continue
        if loaded.blueprint is None:
            print_invalid(loaded.path, loaded.diagnostics, loaded.sources)
            invalid = True
            continue
        relative = Path(path)
        place = relative if not relative.is_absolute() and ".." not in relative.parts else Path(relative.name)
        write_atomic(
            Path(output) / place.with_suffix(SUFFIXES[format]), pipeline.export(loaded.blueprint, format.value)
        )
    return Outcome(invalid=invalid)


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
