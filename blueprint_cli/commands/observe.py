"""`blueprint observe LOG`: the figures of an event log (JSON), or the observed blueprint it gives."""

from __future__ import annotations

import enum
from typing import Annotated

import typer

from blueprint_cli.exit_codes import Outcome


class ObserveFormat(str, enum.Enum):
    json = "json"
    blueprint = "blueprint"


class SqlDialect(str, enum.Enum):
    duckdb = "duckdb"
    spark = "spark"
    trino = "trino"
    postgres = "postgres"


def register(app: typer.Typer) -> None:
    app.command("observe")(observe)


def observe(
    log: Annotated[
        str | None, typer.Argument(help="The event log: .csv, .xes, .xes.gz or .parquet.", show_default=False)
    ] = None,
    mapping: Annotated[
        str | None,
        typer.Option("--mapping", "-m", help="Mapping file (TOML) from the log to a blueprint.", show_default=False),
    ] = None,
    against: Annotated[
        str | None,
        typer.Option(
            "--against", help="Intended blueprint: labels, lanes, stages and systems come from it.", show_default=False
        ),
    ] = None,
    format: Annotated[
        ObserveFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="json: the figures; blueprint: the observed blueprint (default with -o).",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help="Write to this file instead of standard output.", show_default=False),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Bad rows are an error (exit 2), not a warning.")] = False,
    timezone: Annotated[
        str | None, typer.Option("--timezone", help="Time zone of naive timestamps (default UTC).", show_default=False)
    ] = None,
    case: Annotated[str | None, typer.Option("--case", help="Column of the case id.", show_default=False)] = None,
    activity: Annotated[
        str | None, typer.Option("--activity", help="Column of the activity.", show_default=False)
    ] = None,
    timestamp: Annotated[
        str | None, typer.Option("--timestamp", help="Column of the time.", show_default=False)
    ] = None,
    resource: Annotated[
        str | None, typer.Option("--resource", help="Column of the resource.", show_default=False)
    ] = None,
    group: Annotated[
        str | None, typer.Option("--group", help="Column of the group (team).", show_default=False)
    ] = None,
    aggregates: Annotated[
        str | None,
        typer.Option(
            "--aggregates",
            help="A folder of the --print-sql query's rows (Parquet or CSV) instead of a log: the same JSON figures.",
            show_default=False,
        ),
    ] = None,
    print_sql: Annotated[
        bool, typer.Option("--print-sql", help="Print the aggregation as one SQL query (for a warehouse) and exit.")
    ] = False,
    dialect: Annotated[SqlDialect, typer.Option("--dialect", help="SQL dialect of --print-sql.")] = SqlDialect.duckdb,
    lifecycle: Annotated[
        str | None, typer.Option("--lifecycle", help="Column of the lifecycle transition.", show_default=False)
    ] = None,
) -> Outcome | None:
    """Measure an event log: cases, activities, flows and their times, variants, handovers, rework."""
    from blueprint_cli import pipeline
    from blueprint_cli.commands.common import refuse_overwriting_inputs
    from blueprint_cli.console import print_message
    from blueprint_cli.failures import UsageError

    if print_sql:
        import sys

        sys.stdout.write(pipeline.aggregation_sql(dialect.value))
        return None
    if aggregates is not None:
        if log is not None:
            raise UsageError("give either an event log or --aggregates DIR, not both")
        log = aggregates
    if log is None:
        raise UsageError("give the event log to observe (or --aggregates DIR, or --print-sql)")

    named = {
        role: value
        for role, value in (
            ("case", case),
            ("activity", activity),
            ("timestamp", timestamp),
            ("resource", resource),
            ("group", group),
            ("lifecycle", lifecycle),
        )
        if value is not None
    }
    refuse_overwriting_inputs([output], [p for p in (log, mapping, against) if p])
    chosen = format or (ObserveFormat.blueprint if output and output.endswith(".blueprint") else ObserveFormat.json)
    text, warnings = pipeline.observe(
        log,
        mapping=mapping,
        against=against,
        output_format=chosen.value,
        strict=strict,
        timezone=timezone,
        columns=named,
        aggregates=aggregates is not None,
    )
    for warning in warnings:
        print_message(None, warning, severity="warning")
    if output and output != "-":
        from blueprint_cli.atomic import write_atomic

        write_atomic(output, text, blueprint_text=chosen is ObserveFormat.blueprint)
    else:
        import sys

        sys.stdout.write(text)
    return None
