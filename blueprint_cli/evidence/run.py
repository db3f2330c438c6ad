"""The `observe` command's work, without the terminal: a request in, text and warnings out."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

from blueprint_cli.evidence.errors import EvidenceError
from blueprint_cli.evidence.logread import LogInfo
from blueprint_cli.evidence.mapping import Mapping, load_mapping


@dataclass(frozen=True)
class ObserveRequest:
    log: str
    mapping: str | None = None
    against: str | None = None
    format: str = "json"
    strict: bool = False
    timezone: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    aggregates: bool = False  # `log` is a folder of the aggregation query's rows (`observe --aggregates`)


def load_request_mapping(path: str | None, timezone: str | None, columns: dict[str, str]) -> Mapping:
    """The mapping file (or the defaults), with flags overriding its columns and time zone."""
    mapping = load_mapping(path) if path else Mapping()
    mapping.columns.update(columns)
    if timezone:
        mapping.timezone = timezone
    return mapping


def bad_row_messages(info: LogInfo, *, strict: bool) -> list[str]:
    """One line with the total and the first bad rows; with `strict`, an EvidenceError instead."""
    first = [{"location": b.location, "reason": b.reason} for b in info.bad_rows]
    return bad_row_warnings({"count": info.bad_count, "first": first}, strict=strict)


def bad_row_warnings(bad: dict[str, Any], *, strict: bool) -> list[str]:
    """The same from the JSON document's `log.bad_rows`."""
    count = int(bad["count"])
    if not count:
        return []
    shown = "; ".join(f"{b['location']}: {b['reason']}" for b in bad["first"])
    more = count - len(bad["first"])
    summary = f"{count} bad row{'s' if count != 1 else ''} left out ({shown}{'; …' if more else ''})"
    if strict:
        raise EvidenceError(str(bad["first"][0]["location"]), f"{summary} (--strict)")
    return [summary]


def intended_of(against: str | None, mapping: Mapping) -> Any:
    """The intended blueprint named by --against, else by the mapping's `intended` (relative to it)."""
    path = against
    if path is None and mapping.intended and mapping.path:
        path = os.path.join(os.path.dirname(mapping.path), mapping.intended)
    if path is None:
        return None
    from blueprint_cli.language.resolve import load

    return load(path)


def observed_from(
    con: Any, info: LogInfo, prepared: Any, figures: dict[str, Any], mapping: Mapping, *, against: str | None
) -> str:
    from blueprint_cli.evidence.build import observed_text, provenance_of
    from blueprint_cli.evidence.stepstats import map_steps, pair_figures, step_channel, step_figures

    intended = intended_of(against, mapping)
    map_steps(con, mapping)
    steps = step_figures(con, mapping, has_starts=prepared.has_starts)
    provenance = provenance_of(info, prepared, figures)
    return observed_text(provenance, mapping, intended, steps, pair_figures(con), step_channel(con, mapping))


def run_aggregates(request: ObserveRequest) -> str:
    """`observe --aggregates DIR --format json`: the figures from the rows of the aggregation query."""
    from blueprint_cli.evidence.observe import connect
    from blueprint_cli.evidence.sql import figures_from_rows, read_aggregates

    if request.format != "json":
        raise EvidenceError(request.log, "from aggregate tables only --format json can be written")
    mapping = load_request_mapping(request.mapping, request.timezone, request.columns)
    con = connect()
    try:
        rows, digest = read_aggregates(con, request.log)
    finally:
        con.close()
    figures = figures_from_rows(rows)
    for activity in figures["activities"]:
        activity["step"] = mapping.step_or_slug(activity["activity"])
    for flow in figures["flows"]:
        flow["from_step"], flow["to_step"] = mapping.step_or_slug(flow["from"]), mapping.step_or_slug(flow["to"])
    log = {
        "path": request.log,
        "format": "aggregates",
        "sha256": digest,
        "rows": figures["events"],
        "timezone": mapping.timezone,
        "lifecycle": {"values": {}, "kept": list(mapping.lifecycle_keep)},
        "bad_rows": {"count": 0, "first": []},
        "filters": ["as computed by the aggregation query where the log lives"],
    }
    document = {"schema": "blueprint-observe/1", "log": log, **figures}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def run_observe(request: ObserveRequest) -> tuple[str, list[str]]:
    from blueprint_cli.evidence.observe import document, measure

    if request.aggregates:
        return run_aggregates(request), []
    mapping = load_request_mapping(request.mapping, request.timezone, request.columns)
    info, prepared, figures, con = measure(request.log, mapping)
    try:
        warnings = bad_row_messages(info, strict=request.strict)
        if request.format == "json":
            text = json.dumps(document(info, prepared, figures, mapping), indent=2, ensure_ascii=False) + "\n"
            return text, warnings
        return observed_from(con, info, prepared, figures, mapping, against=request.against), warnings
    finally:
        con.close()
