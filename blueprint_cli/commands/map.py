"""`blueprint map FILE_OR_DIR... -o architecture.html`: the service architecture across many journeys."""

from __future__ import annotations

import os
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from blueprint_cli.console import esc as _escape
from blueprint_cli.exit_codes import Outcome
from blueprint_cli.words import plural

if TYPE_CHECKING:
    from blueprint_cli.architecture.build import Architecture
    from blueprint_cli.architecture.facts import Facts


class MapFormat(str, Enum):
    html = "html"
    svg = "svg"
    png = "png"
    dot = "dot"
    json = "json"
    markdown = "markdown"


# Formats written to standard output when no -o is given; the others go to architecture.<ext>.
_TEXT_FORMATS = (MapFormat.json, MapFormat.markdown, MapFormat.dot)
_SUFFIXES = {".html": MapFormat.html, ".htm": MapFormat.html, ".svg": MapFormat.svg, ".png": MapFormat.png,
             ".dot": MapFormat.dot, ".gv": MapFormat.dot, ".json": MapFormat.json, ".md": MapFormat.markdown}  # fmt: skip


def register(app: typer.Typer) -> None:
    app.command("map")(map_command)


def map_command(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Blueprint files and folders (searched for *.blueprint; files without a 'blueprint' line are shared fragments).",
            show_default=False,
            metavar="FILE_OR_DIR...",
        ),
    ],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="The file to write (default: architecture.html, or standard output for json, markdown and dot; '-' is standard output).",
        ),
    ] = None,
    fmt: Annotated[
        MapFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="html (default, or from the -o name), svg, png, dot, json or markdown.",
            show_default=False,
        ),
    ] = None,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even when some journeys could not be read (they are left out).")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an HTML file that is not a page made by blueprint-cli.")
    ] = False,
) -> Outcome:
    """Draw the service architecture: outcomes, journeys × organisations, shared systems, joins and data asked more than once."""
    from blueprint_cli import pipeline
    from blueprint_cli.console import print_invalid

    chosen = _format(fmt, output)
    target = _target(chosen, output, paths, force=force)
    architecture = pipeline.architecture(paths)
    for lost in architecture.left_out:
        print_invalid(lost.path, lost.diagnostics, lost.sources)
    facts = pipeline.map_facts(architecture)
    data = _produce(chosen, architecture, facts)
    _write(data, target, summary=_summary(architecture, facts))
    return Outcome(invalid=bool(architecture.left_out) and not exit_zero)


def _format(fmt: MapFormat | None, output: str | None) -> MapFormat:
    if fmt is not None:
        return fmt
    if output and output != "-":
        return _SUFFIXES.get(Path(output).suffix.lower(), MapFormat.html)
    return MapFormat.html


def _target(fmt: MapFormat, output: str | None, paths: list[str], *, force: bool) -> Path | None:
    """Where the result goes (None: standard output); raises UsageError for a name that would destroy something."""
    from blueprint_cli.commands.common import refuse_overwriting_inputs
    from blueprint_cli.commands.report import output_problem
    from blueprint_cli.failures import UsageError

    if "-" in paths:
        raise UsageError("map reads files and folders, not standard input ('-')")
    if output == "-" or (output is None and fmt in _TEXT_FORMATS):
        return None
    target = Path(output) if output else Path(f"architecture.{'md' if fmt is MapFormat.markdown else fmt.value}")
    if fmt is MapFormat.html:
        problem = output_problem(target, inputs=[p for p in paths if os.path.isfile(p)], force=force)
        if problem:
            raise UsageError(problem)
    elif target.name.lower().endswith(".blueprint") or target.is_dir():
        raise UsageError(f"{target} is a blueprint or a folder; give an -o file name ending .{fmt.value}")
    refuse_overwriting_inputs([str(target)], [p for p in paths if os.path.isfile(p)])
    return target


def _produce(fmt: MapFormat, architecture: Architecture, facts: Facts) -> bytes:
    from blueprint_cli import pipeline
    from blueprint_cli.commands.report import generated_at
    from blueprint_cli.failures import Failure
    from blueprint_cli.render import GraphvizError

    try:
        if fmt is MapFormat.json:
            return pipeline.map_json(architecture, facts).encode("utf-8")
        if fmt is MapFormat.markdown:
            return pipeline.map_markdown(architecture, facts).encode("utf-8")
        if fmt is MapFormat.html:
            generated = generated_at(os.environ.get("SOURCE_DATE_EPOCH"))
            return pipeline.map_page(architecture, facts, generated=generated).encode("utf-8")
        return pipeline.map_diagram(facts, fmt.value)
    except GraphvizError as error:
        raise Failure(f"cannot draw the map: {error}") from None
    except ValueError as error:  # SOURCE_DATE_EPOCH that is not a number
        raise Failure(str(error)) from None


def _summary(architecture: Architecture, facts: Facts) -> str:
    text = f"{plural(len(facts.journeys), 'journey')}, {plural(len(facts.orgs), 'organisation')}, {plural(len(facts.joins), 'join')}"
    if architecture.left_out:
        text += f"; missing from the map: {', '.join(o.path for o in architecture.left_out)}"
    return text


def _write(data: bytes, target: Path | None, *, summary: str) -> None:
    from blueprint_cli.atomic import write_atomic
    from blueprint_cli.console import err, out

    if target is None:
        import sys

        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        err().print(f"[bold green]✓[/] map — {_escape(summary)}")
        return
    write_atomic(target, data)
    out().print(f"[bold green]✓[/] wrote {_escape(str(target))} — {_escape(summary)}")
