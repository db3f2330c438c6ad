"""Options several commands declare the same way: one declaration each, so help and names agree."""

from __future__ import annotations

from typing import Annotated

import typer

from blueprint_cli.formats import OutputFormat

FormatOption = Annotated[
    OutputFormat | None,
    typer.Option("--format", "-f", help="Output format [default: text, or the configuration's].", show_default=False),
]
LinkBaseOption = Annotated[
    str | None,
    typer.Option(
        "--link-base",
        help="Markdown: link each place to BASE/path#Lline (default: this commit on GitHub when GITHUB_* is set).",
        show_default=False,
        metavar="URL",
    ),
]
RevOption = Annotated[
    str | None,
    typer.Option(
        "--rev",
        help="Compare FILE as it was at this git revision (intended) with FILE now (observed).",
        show_default=False,
    ),
]
TimeoutOption = Annotated[float, typer.Option("--timeout", help="Seconds Graphviz may take per diagram.")]
# diff and conform: drift against a baseline, written to a file.
DriftBaselineOption = Annotated[
    str | None,
    typer.Option(
        "--baseline", help="Accepted drift (from --write-baseline): only new drift fails.", show_default=False
    ),
]
WriteDriftBaselineOption = Annotated[
    str | None,
    typer.Option("--write-baseline", help="Write every change found into this baseline file.", show_default=False),
]
DriftOutputOption = Annotated[
    str | None,
    typer.Option(
        "--output", "-o", help="Write the output to this file instead of standard output.", show_default=False
    ),
]
DriftExitZeroOption = Annotated[bool, typer.Option("--exit-zero", help="Exit 0 on valid input whatever the drift.")]
