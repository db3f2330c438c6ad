"""`blueprint report INTENDED OBSERVED -o report.html` (or one FILE): a self-contained HTML report."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from blueprint_cli import exit_codes


def register(app: typer.Typer) -> None:
    app.command("report")(report)


def report(
    files: Annotated[list[str], typer.Argument(help="INTENDED OBSERVED to compare them, or one FILE.", show_default=False, metavar="INTENDED [OBSERVED]")],
    output: Annotated[str | None, typer.Option("--output", "-o", help="The HTML file to write (default: next to the first input, ending .report.html).")] = None,
) -> int:
    """Write one self-contained HTML page: the gap between an intended and an observed blueprint, or one blueprint on its own."""
    from blueprint_cli.atomic import write_atomic
    from blueprint_cli.commands.common import load_or_report
    from blueprint_cli.console import err, out

    if len(files) not in (1, 2):
        err().print("[bold red]error[/]: give two files (INTENDED OBSERVED) or one FILE")
        return exit_codes.INVALID
    try:
        generated = generated_at(os.environ.get("SOURCE_DATE_EPOCH"))
    except ValueError as error:
        err().print(f"[bold red]error[/]: {error}")
        return exit_codes.INVALID
    blueprints = [load_or_report(path) for path in files]
    if any(b is None for b in blueprints):
        return exit_codes.INVALID
    target = Path(output) if output else default_output(files[0])
    if target.is_dir():
        err().print(f"[bold red]error[/]: {target} is a folder; give a file name such as {target / 'report.html'}")
        return exit_codes.INVALID

    from blueprint_cli.render import GraphvizError

    try:
        if len(blueprints) == 2:
            html, summary = _compare_report(*blueprints, generated=generated)
        else:
            html, summary = _single_report(blueprints[0], generated=generated)
    except GraphvizError as error:
        err().print(f"[bold red]error[/]: cannot draw the diagram: {_escape(str(error))}")
        return exit_codes.INVALID
    try:
        write_atomic(target, html)
    except OSError as error:
        err().print(f"[bold red]error[/]: cannot write {target}: {error.strerror or error}")
        return exit_codes.INVALID
    out().print(f"[bold green]✓[/] wrote {_escape(str(target))} — {summary}")
    return exit_codes.OK


def _compare_report(intended, observed, *, generated: str | None) -> tuple[str, str]:
    from blueprint_cli.compare import compare
    from blueprint_cli.report.build import render_compare_report

    comparison = compare(intended, observed)
    counts = comparison.counts()
    summary = ", ".join(f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}" for s in ("error", "warning", "note"))
    return render_compare_report(comparison, generated=generated), summary


def _single_report(blueprint, *, generated: str | None) -> tuple[str, str]:
    from blueprint_cli.checks import run
    from blueprint_cli.report.build import render_single_report

    findings = run(blueprint)
    return render_single_report(blueprint, findings, generated=generated), f"{len(findings)} finding{'s' if len(findings) != 1 else ''}"


def default_output(first: str) -> Path:
    """`x.intended.blueprint` -> `x.report.html` beside it; standard input -> `report.html`."""
    if first == "-":
        return Path("report.html")
    path = Path(first)
    name = path.name
    for suffix in (".intended.blueprint", ".observed.blueprint", ".blueprint"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return path.with_name(f"{name}.report.html")


def generated_at(epoch: str | None) -> str | None:
    """The build time to print, only when SOURCE_DATE_EPOCH asks for one (reproducible builds)."""
    if epoch is None or epoch.strip() == "":
        return None
    from datetime import datetime, timezone

    try:
        moment = datetime.fromtimestamp(int(epoch.strip()), tz=timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise ValueError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not {epoch!r}") from None
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
