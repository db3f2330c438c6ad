"""Reading a log (CSV, XES, Parquet) into DuckDB tables: `events` (good rows) and `bad` (the rest).

`events` has one row per event: `rn` (file order), `case_id`, `activity`, `t` (microseconds since
1970 UTC), `grp`, `lc` (lifecycle, lower case, NULL when the log has none). Only the columns the
figures need are read; tables are dropped as soon as the next one is built. A row without
a case, without an activity, or whose time does not parse goes to `bad` with its location.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from typing import Any

from blueprint_cli.evidence.columns import ROLES, XES_NAMES, Columns, resolve_columns, shown
from blueprint_cli.evidence.errors import EvidenceError
from blueprint_cli.evidence.xes import xes_to_csv

SHOWN_BAD_ROWS = 5


@dataclass(frozen=True)
class BadRow:
    location: str
    reason: str


@dataclass
class LogInfo:
    """What was read, for the header of the observed blueprint and for the JSON."""

    path: str
    format: str
    sha256: str
    columns: Columns
    rows: int
    bad_count: int = 0
    bad_rows: list[BadRow] = field(default_factory=list)
    lifecycle_values: dict[str, int] = field(default_factory=dict)


def log_format(path: str, stated: str | None) -> str:
    if stated:
        return stated
    lowered = path.lower()
    if lowered.endswith((".xes", ".xes.gz")):
        return "xes"
    if lowered.endswith(".parquet"):
        return "parquet"
    return "csv"


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_log(
    con: Any,
    path: str,
    *,
    fmt: str | None = None,
    named: dict[str, str] | None = None,
    timezone: str = "UTC",
    channel: str | None = None,
    start: str | None = None,
) -> LogInfo:
    """Load `path` into the tables `events` and `bad` of the DuckDB connection `con`."""
    named = dict(named or {})
    if not os.path.isfile(path):
        raise EvidenceError(path, "no such log file")
    kind = log_format(path, fmt)
    try:
        con.execute(f"SET TimeZone = '{timezone.replace(chr(39), '')}'")
    except Exception:
        raise EvidenceError(
            path, f"unknown time zone '{timezone}' (use an IANA name such as Europe/Amsterdam)"
        ) from None
    first_line, place = {"csv": (2, "line"), "xes": (1, "event"), "parquet": (1, "row")}[kind]
    with tempfile.TemporaryDirectory(prefix="blueprint-log-") as scratch:
        source = path
        if kind == "xes":
            extra = [c for c in (channel, start) if c]
            wanted = list(dict.fromkeys([*XES_NAMES.values(), *named.values(), *extra]))
            source = os.path.join(scratch, "events.csv")
            with open(source, "w", encoding="utf-8", newline="") as out:
                available = xes_to_csv(path, out, wanted)
        reader = _reader(kind)
        if kind != "xes":
            available = _columns(con, reader, source, kind, path)
        columns = resolve_columns(available, named, where=path)
        kept_channel = channel if channel in available else None
        if start is not None and start not in available:
            raise EvidenceError(path, f"the start_timestamp column '{shown(start)}' is not in the log")
        _load_raw(con, reader, source, kind, path, columns, kept_channel, start)
    _split(con, columns, start)
    _case_channels(con, columns, kept_channel)
    info = LogInfo(
        path=path, format=kind, sha256=_sha256(path), columns=columns, rows=_one(con, "SELECT count(*) FROM raw")
    )
    con.execute("DROP TABLE raw")
    info.bad_count = _one(con, "SELECT count(*) FROM bad")
    for rn, reason in con.execute(f"SELECT rn, reason FROM bad ORDER BY rn LIMIT {SHOWN_BAD_ROWS}").fetchall():
        info.bad_rows.append(
            BadRow(
                f"{path}:{int(rn) + first_line}" if place == "line" else f"{path}: {place} {int(rn) + 1}",
                shown(str(reason)),
            )
        )
    if columns.lifecycle is not None:
        for value, count in con.execute(
            "SELECT coalesce(lc, ''), count(*) FROM events GROUP BY 1 ORDER BY 1"
        ).fetchall():
            info.lifecycle_values[str(value)] = int(count)
    return info


def _one(con: Any, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def _reader(kind: str) -> str:
    if kind == "parquet":
        return "read_parquet(?)"
    return "read_csv(?, all_varchar = true, header = true, auto_detect = true)"


def _columns(con: Any, reader: str, source: str, kind: str, shown: str) -> list[str]:
    try:
        return [d[0] for d in con.execute(f"SELECT * FROM {reader} LIMIT 0", [source]).description]
    except Exception as error:  # DuckDB's own message says what is wrong with the file
        raise EvidenceError(shown, f"cannot read the log as {kind}: {str(error).splitlines()[0]}") from None


def _load_raw(
    con: Any,
    reader: str,
    source: str,
    kind: str,
    shown: str,
    columns: Columns,
    channel: str | None,
    start: str | None = None,
) -> None:
    """The columns the figures need, in file order (`rowid`); nothing else is kept in memory."""
    wanted = [*(c for c in map(columns.get, ROLES) if c), *(c for c in (channel, start) if c)]
    needed = ", ".join(_quote(name) for name in dict.fromkeys(wanted))
    try:
        con.execute(f"CREATE TABLE raw AS SELECT {needed} FROM {reader}", [source])
    except Exception as error:
        raise EvidenceError(shown, f"cannot read the log as {kind}: {str(error).splitlines()[0]}") from None


def _case_channels(con: Any, columns: Columns, channel: str | None) -> None:
    """`case_channel (case_id, value)`: the first non-empty value of the channel attribute of each case."""
    if channel is None:
        con.execute("CREATE TABLE case_channel (case_id VARCHAR, value VARCHAR)")
        return
    case, value = _quote(columns.case), _quote(channel)
    con.execute(
        f"""
        CREATE TABLE case_channel AS
        SELECT nullif(trim(CAST({case} AS VARCHAR)), '') AS case_id, arg_min(CAST({value} AS VARCHAR), rowid) AS value
        FROM raw WHERE nullif(trim(CAST({value} AS VARCHAR)), '') IS NOT NULL GROUP BY 1
        """
    )


def _split(con: Any, columns: Columns, start: str | None = None) -> None:
    """One pass over `raw` (times parsed once); the rows that cannot count then move to `bad`."""

    def text(role: str) -> str:
        name = columns.get(role)
        return f"CAST({_quote(name)} AS VARCHAR)" if name else "CAST(NULL AS VARCHAR)"

    time_text = f"CAST({_quote(columns.timestamp)} AS VARCHAR)"
    start_time = "CAST(NULL AS BIGINT)"
    if start is not None:
        start_time = f"epoch_us(TRY_CAST(CAST({_quote(start)} AS VARCHAR) AS TIMESTAMPTZ))"
    con.execute(
        f"""
        CREATE TABLE events AS
        SELECT rowid AS rn,
               nullif(trim({text("case")}), '') AS case_id,
               nullif(trim({text("activity")}), '') AS activity,
               epoch_us(TRY_CAST({time_text} AS TIMESTAMPTZ)) AS t,
               {text("group")} AS grp,
               lower(nullif(trim({text("lifecycle")}), '')) AS lc,
               {start_time} AS st
        FROM raw
        """
    )
    con.execute(
        f"""
        CREATE TABLE bad AS
        SELECT e.rn,
               CASE WHEN e.case_id IS NULL THEN 'no case'
                    WHEN e.activity IS NULL THEN 'no activity'
                    WHEN r.time_text IS NULL OR trim(r.time_text) = '' THEN 'no time'
                    ELSE 'time ''' || r.time_text || ''' does not parse' END AS reason
        FROM (SELECT * FROM events WHERE case_id IS NULL OR activity IS NULL OR t IS NULL) e
        JOIN (SELECT rowid AS rn, {time_text} AS time_text FROM raw) r ON r.rn = e.rn
        """
    )
    if _one(con, "SELECT count(*) FROM bad"):
        con.execute("DELETE FROM events WHERE case_id IS NULL OR activity IS NULL OR t IS NULL")
