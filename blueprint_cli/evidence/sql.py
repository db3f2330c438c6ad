"""The aggregation of `observe` as one SQL query, for logs that live in a warehouse or a Spark cluster.

The query reads a table `events (case_id, activity, ts, grp, rn)` — one row per kept event, `ts` a
timestamp, `rn` the file (or load) order that breaks ties — and returns one row per figure:
`figure, a, b, n, cases, total_s, median_s`. `blueprint observe --print-sql --dialect D` prints it
in dialect D (transpiled with sqlglot); `figures_from_rows` turns its rows into the figures of
`observe --format json`. Exact medians need PERCENTILE_CONT (Spark 3.3+, Trino has none and
sqlglot writes what the dialect offers); Spark's UNIX_TIMESTAMP counts whole seconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

DIALECTS = ("duckdb", "spark", "trino", "postgres")
SEP = "|"

QUERY = f"""
WITH seq AS (
  SELECT case_id, activity, grp, EPOCH(ts) AS t,
         ROW_NUMBER() OVER (PARTITION BY case_id ORDER BY ts, rn) AS pos,
         LEAD(activity) OVER (PARTITION BY case_id ORDER BY ts, rn) AS next_activity,
         LEAD(EPOCH(ts)) OVER (PARTITION BY case_id ORDER BY ts, rn) AS next_t,
         LEAD(grp) OVER (PARTITION BY case_id ORDER BY ts, rn) AS next_grp,
         rn, ts
  FROM events
),
cases AS (
  SELECT case_id, MAX(t) - MIN(t) AS duration, MIN(t) AS first_t, MAX(t) AS last_t,
         STRING_AGG(activity, '{SEP}' ORDER BY ts, rn) AS trace
  FROM seq GROUP BY case_id
),
repeats AS (
  SELECT case_id, activity FROM seq GROUP BY case_id, activity HAVING COUNT(*) > 1
)
SELECT 'total' AS figure, NULL AS a, NULL AS b, COUNT(*) AS n, COUNT(DISTINCT case_id) AS cases,
       MIN(t) AS total_s, MAX(t) AS median_s FROM seq
UNION ALL
SELECT 'activity', activity, NULL, COUNT(*), COUNT(DISTINCT case_id), NULL, NULL FROM seq GROUP BY activity
UNION ALL
SELECT 'flow', activity, next_activity, COUNT(*), NULL, SUM(next_t - t), QUANTILE_CONT(next_t - t, 0.5)
FROM seq WHERE next_activity IS NOT NULL GROUP BY activity, next_activity
UNION ALL
SELECT 'start', activity, NULL, COUNT(*), NULL, NULL, NULL FROM seq WHERE pos = 1 GROUP BY activity
UNION ALL
SELECT 'end', activity, NULL, COUNT(*), NULL, NULL, NULL FROM seq WHERE next_activity IS NULL GROUP BY activity
UNION ALL
SELECT 'handover', grp, next_grp, COUNT(*), NULL, NULL, NULL FROM seq
WHERE grp IS NOT NULL AND next_grp IS NOT NULL AND grp <> next_grp GROUP BY grp, next_grp
UNION ALL
SELECT 'rework', activity, NULL, COUNT(*), NULL, NULL, NULL FROM repeats GROUP BY activity
UNION ALL
SELECT 'duration', NULL, NULL, COUNT(*), NULL, SUM(duration), QUANTILE_CONT(duration, 0.5) FROM cases
UNION ALL
SELECT 'variant', trace, NULL, COUNT(*), NULL, NULL, NULL FROM cases GROUP BY trace
"""


def query(dialect: str = "duckdb") -> str:
    """The aggregation query in `dialect` (duckdb, spark, trino or postgres)."""
    import sqlglot

    return str(sqlglot.transpile(QUERY, read="duckdb", write=dialect, pretty=True)[0]) + ";\n"


def _typed(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A row as the query gives it, also when it was read back from text (CSV): counts int, times float."""

    def number(value: Any, kind: type) -> Any:
        return None if value is None or value == "" else kind(value)

    figure, a, b, n, cases, total, median = row
    return (figure, a, b, number(n, int), number(cases, int), number(total, float), number(median, float))


def read_aggregates(con: Any, directory: str) -> tuple[list[tuple[Any, ...]], str]:
    """The rows of the query saved as Parquet or CSV files in `directory`, and a SHA-256 of those files."""
    import hashlib
    from pathlib import Path

    from blueprint_cli.evidence.errors import EvidenceError

    folder = Path(directory)
    if not folder.is_dir():
        raise EvidenceError(directory, "no such folder of aggregate tables")
    parquet = sorted(folder.glob("*.parquet"))
    text = sorted(folder.glob("*.csv"))
    if not parquet and not text:
        raise EvidenceError(
            directory, "no .parquet or .csv files here (save the rows of `observe --print-sql` into it)"
        )
    digest = hashlib.sha256()
    for path in [*parquet, *text]:
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    columns = "figure, a, b, n, cases, total_s, median_s"
    parts = [f"SELECT {columns} FROM read_parquet(?)" for _ in parquet]
    parts += [f"SELECT {columns} FROM read_csv(?, all_varchar = true, header = true)" for _ in text]
    try:
        rows = con.execute(" UNION ALL ".join(parts), [str(p) for p in [*parquet, *text]]).fetchall()
    except Exception as error:
        raise EvidenceError(directory, f"cannot read the aggregate tables: {str(error).splitlines()[0]}") from None
    return [tuple(r) for r in rows], digest.hexdigest()


def figures_from_rows(rows: Iterable[tuple[Any, ...]]) -> dict[str, Any]:
    """The figures of `observe --format json` (without steps and provenance) from the query's rows."""
    import datetime

    by: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        by.setdefault(str(row[0]), []).append(_typed(row))
    (total,) = by["total"]
    (duration,) = by["duration"]

    def instant(seconds: float | None) -> str | None:
        if seconds is None:
            return None
        moment = datetime.datetime.fromtimestamp(round(seconds, 3), tz=datetime.timezone.utc)
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def counts(name: str) -> dict[str, int]:
        return {str(r[1]): int(r[3]) for r in sorted(by.get(name, []), key=lambda r: str(r[1]))}

    variants = sorted(((int(r[3]), str(r[1])) for r in by.get("variant", [])), key=lambda v: (-v[0], v[1].split(SEP)))
    return {
        "cases": int(total[4]),
        "events": int(total[3]),
        "period": {"first": instant(total[5]), "last": instant(total[6])},
        "activities": [
            {"activity": str(r[1]), "events": int(r[3]), "cases": int(r[4])}
            for r in sorted(by.get("activity", []), key=lambda r: str(r[1]))
        ],
        "flows": [
            {
                "from": str(r[1]),
                "to": str(r[2]),
                "count": int(r[3]),
                "mean_s": round(float(r[5]) / int(r[3]), 6),
                "median_s": round(float(r[6]), 6),
            }
            for r in sorted(by.get("flow", []), key=lambda r: (str(r[1]), str(r[2])))
        ],
        "start": counts("start"),
        "end": counts("end"),
        "variants": len(variants),
        "top_variants": [{"activities": trace.split(SEP), "cases": n} for n, trace in variants[:10]],
        "case_duration_s": {
            "mean": round(float(duration[5]) / int(duration[3]), 6) if int(duration[3]) else None,
            "median": round(float(duration[6]), 6) if duration[6] is not None else None,
        },
        "handovers": [
            {"from": str(r[1]), "to": str(r[2]), "count": int(r[3])}
            for r in sorted(by.get("handover", []), key=lambda r: (-int(r[3]), str(r[1]), str(r[2])))
        ],
        "rework": counts("rework"),
    }
