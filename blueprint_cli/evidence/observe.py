"""`observe LOG --format json`: read, prepare and measure a log; the document the tests check."""

from __future__ import annotations

import os
from typing import Any

from blueprint_cli.evidence.figures import compute
from blueprint_cli.evidence.logread import LogInfo, read_log
from blueprint_cli.evidence.mapping import Mapping
from blueprint_cli.evidence.prepare import Prepared, prepare

MEMORY_LIMIT = "1GB"  # DuckDB spills to a temporary folder beyond this: 10 million events stay under 2 GB


def connect() -> Any:
    """An in-memory DuckDB with a memory limit and its own temporary folder (removed at exit)."""
    import atexit
    import shutil
    import tempfile

    import duckdb

    scratch = tempfile.mkdtemp(prefix="blueprint-duckdb-")
    atexit.register(shutil.rmtree, scratch, True)
    config: dict[str, str | bool | int | float | list[str]] = {
        "threads": max(1, min(4, os.cpu_count() or 1)),
        "memory_limit": MEMORY_LIMIT,
        "temp_directory": scratch,
    }
    return duckdb.connect(config=config)


def measure(path: str, mapping: Mapping, *, fmt: str | None = None) -> tuple[LogInfo, Prepared, dict[str, Any], Any]:
    """Read and measure the log; also return the connection (its tables `kept`, `seq`, `variants`)."""
    con = connect()
    channel = mapping.channel.attribute if mapping.channel else None
    info = read_log(
        con,
        path,
        fmt=fmt or mapping.format,
        named=mapping.columns,
        timezone=mapping.timezone,
        channel=channel,
        start=mapping.start_timestamp,
    )
    prepared = prepare(con, mapping)
    figures = compute(con, mapping, has_starts=prepared.has_starts)
    return info, prepared, figures, con


def document(info: LogInfo, prepared: Prepared, figures: dict[str, Any], mapping: Mapping) -> dict[str, Any]:
    """The JSON document (schemas/observe.schema.json)."""
    return {
        "schema": "blueprint-observe/1",
        "log": {
            "path": info.path,
            "format": info.format,
            "sha256": info.sha256,
            "rows": info.rows,
            "timezone": mapping.timezone,
            "lifecycle": {"values": info.lifecycle_values, "kept": list(mapping.lifecycle_keep)},
            "bad_rows": {
                "count": info.bad_count,
                "first": [{"location": b.location, "reason": b.reason} for b in info.bad_rows],
            },
            "filters": prepared.filters,
        },
        **figures,
    }
