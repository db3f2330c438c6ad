"""`blueprint conform INTENDED LOG`: the plan measured against an event log (diff, replay, fitness, targets)."""

from __future__ import annotations

from typing import Annotated

import typer

from blueprint_cli.commands.options import (
    DriftBaselineOption,
    DriftExitZeroOption,
    DriftOutputOption,
    WriteDriftBaselineOption,
)
from blueprint_cli.exit_codes import Outcome
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
    exit_zero: DriftExitZeroOption = False,
    baseline: DriftBaselineOption = None,
    write_baseline: WriteDriftBaselineOption = None,
    output: DriftOutputOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="Bad rows in the log are an error (exit 2).")] = False,
    timezone: Annotated[
        str | None, typer.Option("--timezone", help="Time zone of naive timestamps (default UTC).", show_default=False)
    ] = None,
) -> Outcome:
    """Measure the intended blueprint against an event log: drift, fitness, skipped and slow steps."""
    from blueprint_cli import pipeline
    from blueprint_cli.commands.common import load_all, refuse_overwriting_inputs
    from blueprint_cli.console import print_message
    from blueprint_cli.evidence.conform_report import write_conformance
    from blueprint_cli.formats.items import change_items

    inputs = [p for p in (intended, log, mapping) if p]
    refuse_overwriting_inputs([output], inputs)
    refuse_overwriting_inputs([write_baseline], inputs, option="--write-baseline")
    (plan,) = load_all([intended])
    result, warnings = pipeline.conform(plan, log, mapping=mapping, timezone=timezone, strict=strict)
    for warning in warnings:
        print_message(None, warning, severity="warning")
    accepted = pipeline.accept(
        change_items(result.comparison), command="conform", baseline=baseline, write_baseline=write_baseline
    )
    write_conformance(
        result,
        accepted.items,
        accepted.resolved,
        with_baseline=accepted.with_baseline,
        format=format,
        fail_on=fail_on.value,
        output=output,
    )
    # Writing a baseline adopts today's drift: the step that does it succeeds (as for diff).
    return Outcome(
        severities=tuple(i.severity for i in accepted.new),
        fail_on=fail_on.value,
        exit_zero=exit_zero or write_baseline is not None,
    )
