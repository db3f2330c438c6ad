"""The figures of a log: one pass of SQL over `kept` (see prepare.py), returned as plain data.

Definitions follow pm4py's (the test oracle's): within a case, events are ordered by time and
ties by file order; a flow is a directly-follows pair and its time is timestamp(b) - timestamp(a);
a case's duration is its last minus its first timestamp; rework is an activity occurring more
than once in a case; a handover is two consecutive events of a case whose groups differ.
Times are summed as integer microseconds, so that the figures do not depend on the order in
which DuckDB's threads add them up.
"""

from __future__ import annotations

import datetime
from typing import Any

from blueprint_cli.evidence.mapping import Mapping

TOP_VARIANTS = 10


def _seconds(microseconds: float | int | None) -> float | None:
    if microseconds is None:
        return None
    return round(float(microseconds) / 1_000_000, 6)


def _mean(total: int | float | None, count: int) -> float | None:
    if total is None or count == 0:
        return None
    return round(float(total) / count / 1_000_000, 6)


def _iso(microseconds: int | None) -> str | None:
    if microseconds is None:
        return None
    moment = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(microseconds=microseconds)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


SEQUENCE_SQL = """
CREATE TABLE seq AS
SELECT case_id, activity, t, rn, grp, start_t,
       row_number() OVER w AS pos,
       lead(activity) OVER w AS next_activity,
       lead(t) OVER w AS next_t,
       lead(coalesce(start_t, t)) OVER w AS next_begin,
       lead(grp) OVER w AS next_grp,
       first_value(t) OVER w AS first_t
FROM kept
WINDOW w AS (PARTITION BY case_id ORDER BY t, rn)
"""


def compute(con: Any, mapping: Mapping, *, has_starts: bool = False) -> dict[str, Any]:
    """Every figure of `blueprint observe --format json` except the provenance."""
    con.execute(SEQUENCE_SQL)
    con.execute("DROP TABLE kept")
    figures: dict[str, Any] = {}
    # one row per (case, activity): activity frequencies and rework without counting distinct strings
    con.execute("CREATE TABLE case_activity AS SELECT case_id, activity, count(*) AS n FROM seq GROUP BY 1, 2")
    cases, events, first, last = con.execute(
        "SELECT count(*) FILTER (WHERE pos = 1), count(*), min(t), max(t) FROM seq"
    ).fetchone()
    figures["cases"] = int(cases)
    figures["events"] = int(events)
    figures["period"] = {"first": _iso(first), "last": _iso(last)}
    figures["activities"] = _activities(con, mapping, has_starts)
    figures["flows"] = _flows(con, mapping, has_starts)
    figures["start"] = _counts(con, "SELECT activity, count(*) FROM seq WHERE pos = 1 GROUP BY 1")
    figures["end"] = _counts(con, "SELECT activity, count(*) FROM seq WHERE next_activity IS NULL GROUP BY 1")
    count, top = _variants(con)
    figures["variants"] = count
    figures["top_variants"] = top
    total, n, median = con.execute(
        """
        SELECT sum(d), count(*), quantile_cont(d, 0.5)
        FROM (SELECT t - first_t AS d FROM seq WHERE next_activity IS NULL)
        """
    ).fetchone()
    figures["case_duration_s"] = {"mean": _mean(total, int(n)), "median": _seconds(median)}
    figures["handovers"] = [
        {"from": str(a), "to": str(b), "count": int(c)}
        for a, b, c in con.execute(
            """
            SELECT grp, next_grp, count(*) AS c FROM seq
            WHERE grp IS NOT NULL AND next_grp IS NOT NULL AND grp <> next_grp
            GROUP BY 1, 2 ORDER BY c DESC, 1, 2
            """
        ).fetchall()
    ]
    figures["rework"] = _counts(
        con,
        """
        SELECT activity, count(*) FROM case_activity WHERE n > 1 GROUP BY 1
        """,
    )
    return figures


def _counts(con: Any, sql: str) -> dict[str, int]:
    return {str(a): int(c) for a, c in sorted(con.execute(sql).fetchall())}


def _activities(con: Any, mapping: Mapping, has_starts: bool) -> list[dict[str, Any]]:
    rows = con.execute(
        """
        SELECT a.activity, a.events, a.cases, b.busy_total, b.busy_n, b.busy_median
        FROM (SELECT activity, sum(n) AS events, count(*) AS cases FROM case_activity GROUP BY 1) a
        LEFT JOIN (
          SELECT activity, sum(t - start_t) AS busy_total, count(start_t) AS busy_n,
                 quantile_cont(t - start_t, 0.5) AS busy_median
          FROM seq WHERE start_t IS NOT NULL GROUP BY 1) b USING (activity)
        ORDER BY 1
        """
    ).fetchall()
    result: list[dict[str, Any]] = []
    for activity, n, cases, busy_total, busy_n, busy_median in rows:
        entry: dict[str, Any] = {
            "activity": str(activity),
            "step": mapping.step_or_slug(str(activity)),
            "events": int(n),
            "cases": int(cases),
        }
        if has_starts:
            entry["processing_s"] = {"mean": _mean(busy_total, int(busy_n)), "median": _seconds(busy_median)}
        result.append(entry)
    return result


def _flows(con: Any, mapping: Mapping, has_starts: bool) -> list[dict[str, Any]]:
    rows = con.execute(
        """
        SELECT activity, next_activity, count(*), sum(next_t - t), quantile_cont(next_t - t, 0.5),
               sum(next_begin - t), quantile_cont(next_begin - t, 0.5)
        FROM seq WHERE next_activity IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2
        """
    ).fetchall()
    result: list[dict[str, Any]] = []
    for a, b, n, total, median, wait_total, wait_median in rows:
        entry: dict[str, Any] = {
            "from": str(a),
            "to": str(b),
            "from_step": mapping.step_or_slug(str(a)),
            "to_step": mapping.step_or_slug(str(b)),
            "count": int(n),
            "mean_s": _mean(total, int(n)),
            "median_s": _seconds(median),
        }
        if has_starts:
            entry["wait_mean_s"] = _mean(wait_total, int(n))
            entry["wait_median_s"] = _seconds(wait_median)
        result.append(entry)
    return result


def _variants(con: Any) -> tuple[int, list[dict[str, Any]]]:
    """Distinct activity sequences, as lists of small activity codes (cheaper to sort and group than text)."""
    con.execute(
        """
        CREATE TABLE codes AS
        SELECT activity, CAST(row_number() OVER (ORDER BY activity) - 1 AS INTEGER) AS code
        FROM (SELECT DISTINCT activity FROM seq)
        """
    )
    con.execute(
        """
        CREATE TABLE variants AS
        SELECT trace, count(*) AS cases FROM (
          SELECT case_id, list(c.code ORDER BY s.pos) AS trace FROM seq s JOIN codes c USING (activity) GROUP BY case_id)
        GROUP BY trace
        """
    )
    row = con.execute("SELECT count(*) FROM variants").fetchone()
    top = [{"activities": trace, "cases": cases} for trace, cases in variant_rows(con, limit=TOP_VARIANTS)]
    return (int(row[0]) if row else 0), top


def variant_rows(con: Any, *, limit: int | None = None) -> list[tuple[list[str], int]]:
    """The variants as (activity names, cases): most cases first, ties by the names in order (pm4py's order)."""
    names = dict(con.execute("SELECT code, activity FROM codes").fetchall())
    where = ""
    if limit is not None:
        where = f"WHERE cases >= (SELECT coalesce(min(cases), 0) FROM (SELECT cases FROM variants ORDER BY cases DESC LIMIT {int(limit)}))"
    rows = [
        ([str(names[c]) for c in trace], int(cases))
        for trace, cases in con.execute(f"SELECT trace, cases FROM variants {where}").fetchall()
    ]
    rows.sort(key=lambda r: (-r[1], r[0]))
    return rows[:limit] if limit is not None else rows
