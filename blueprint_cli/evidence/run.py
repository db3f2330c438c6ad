"""The `observe` command's work, without the terminal: a request in, text and warnings out."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

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


def load_request_mapping(path: str | None, timezone: str | None, columns: dict[str, str]) -> Mapping:
    """The mapping file (or the defaults), with flags overriding its columns and time zone."""
    mapping = load_mapping(path) if path else Mapping()
    mapping.columns.update(columns)
    if timezone:
        mapping.timezone = timezone
    return mapping


def bad_row_messages(info: LogInfo, *, strict: bool) -> list[str]:
    """One line per shown bad row and a total; with `strict`, an EvidenceError instead."""
    if not info.bad_count:
        return []
    shown = "; ".join(f"{b.location}: {b.reason}" for b in info.bad_rows)
    more = info.bad_count - len(info.bad_rows)
    summary = f"{info.bad_count} bad row{'s' if info.bad_count != 1 else ''} left out ({shown}{'; …' if more else ''})"
    if strict:
        raise EvidenceError(info.bad_rows[0].location, f"{summary} (--strict)")
    return [summary]


def run_observe(request: ObserveRequest) -> tuple[str, list[str]]:
    from blueprint_cli.evidence.observe import document, measure

    mapping = load_request_mapping(request.mapping, request.timezone, request.columns)
    info, prepared, figures, con = measure(request.log, mapping)
    try:
        warnings = bad_row_messages(info, strict=request.strict)
        if request.format == "json":
            text = json.dumps(document(info, prepared, figures, mapping), indent=2, ensure_ascii=False) + "\n"
            return text, warnings
        raise EvidenceError(request.log, "writing the observed blueprint is not built yet; use --format json")
    finally:
        con.close()
