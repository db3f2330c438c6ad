"""`blueprint conform INTENDED LOG`: the plan measured against an event log (diff, replay, fitness, targets)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from blueprint_cli.formats import FailOn, OutputFormat


def register(app: typer.Typer) -> None:
    app.command("conform")(conform)


def conform(
    intended: Annotated[str, typer.Argument(help="The intended blueprint.", show_default=False)],
    log: Annotated[str, typer.Argument(help="The event log: .csv, .xes, .xes.gz or .parquet.", show_default=False)],
    mapping: Annotated[
        str | None,
        typer.Option("--mapping", "-m", help="Mapping file (TOML) from the log to the blueprint.", show_default=False),
    ] = None,
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.text,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit 1 when a (new) change is at least this severe.")
    ] = FailOn.error,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 on valid input whatever the drift.")] = False,
    baseline: Annotated[
        str | None,
        typer.Option(
            "--baseline", help="Accepted drift (from --write-baseline): only new drift fails.", show_default=False
        ),
    ] = None,
    write_baseline: Annotated[
        str | None,
        typer.Option("--write-baseline", help="Write every change found into this baseline file.", show_default=False),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output", "-o", help="Write the output to this file instead of standard output.", show_default=False
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Bad rows in the log are an error (exit 2).")] = False,
    timezone: Annotated[
        str | None, typer.Option("--timezone", help="Time zone of naive timestamps (default UTC).", show_default=False)
    ] = None,
) -> int:
    """Measure the intended blueprint against an event log: drift, fitness, skipped and slow steps."""
    from blueprint_cli import exit_codes
    from blueprint_cli.commands.common import load_or_report
    from blueprint_cli.console import err, esc
    from blueprint_cli.evidence.conform import conformance
    from blueprint_cli.evidence.errors import EvidenceError
    from blueprint_cli.evidence.run import load_request_mapping

    plan = load_or_report(intended)
    if plan is None:
        return exit_codes.INVALID
    try:
        chosen = load_request_mapping(mapping, timezone, {})
        result = conformance(log, plan, chosen)
        warnings = bad_row_messages_for(result.log, strict=strict)
    except EvidenceError as error:
        err().print(f"[bold]{esc(error.location)}[/]: [bold red]error[/]: {esc(error.message)}")
        return exit_codes.INVALID
    for warning in warnings:
        err().print(f"[bold yellow]warning[/]: {esc(warning)}")
    from blueprint_cli.evidence.conform_report import write_conformance

    try:
        return write_conformance(
            result,
            format=format,
            fail_on=fail_on.value,
            exit_zero=exit_zero,
            baseline_path=baseline,
            write_baseline_path=write_baseline,
            output=output,
        )
    except OSError as error:
        err().print(
            f"[bold red]error[/]: cannot write {esc(str(error.filename or ''))}: {esc(error.strerror or str(error))}"
        )
        return exit_codes.INVALID


def bad_row_messages_for(log: dict[str, Any], *, strict: bool) -> list[str]:
    """Bad rows of the log, from the JSON provenance: a warning, or with --strict an error."""
    from blueprint_cli.evidence.errors import EvidenceError

    bad = log["bad_rows"]
    if not bad["count"]:
        return []
    shown = "; ".join(f"{b['location']}: {b['reason']}" for b in bad["first"])
    summary = f"{bad['count']} bad row{'s' if bad['count'] != 1 else ''} left out ({shown})"
    if strict:
        raise EvidenceError(bad["first"][0]["location"], f"{summary} (--strict)")
    return [summary]
