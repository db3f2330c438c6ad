"""From `events` to `kept`: lifecycle, time frame, endpoints and unmapped activities applied.

`kept` holds the events that mark "the step happened" (lifecycle in `lifecycle_keep`, or no
lifecycle), each with `start_t`: the time of its matching `start` event when the log has one
(the k-th start of an activity in a case pairs with its k-th completion).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from blueprint_cli.evidence.errors import EvidenceError
from blueprint_cli.evidence.mapping import Mapping


@dataclass
class Prepared:
    """What the filters did, for the header and the JSON."""

    filters: list[str] = field(default_factory=list)
    dropped_lifecycle: int = 0
    dropped_cases: int = 0
    ignored_events: int = 0
    has_starts: bool = False


def _count(con: Any, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def _time_us(con: Any, text: str) -> int:
    row = con.execute("SELECT epoch_us(CAST(? AS TIMESTAMPTZ))", [text]).fetchone()
    return int(row[0]) if row else 0


def prepare(con: Any, mapping: Mapping) -> Prepared:
    done = Prepared()
    _lifecycle(con, mapping, done)
    con.execute("DROP TABLE events")
    before = _count(con, "SELECT count(DISTINCT case_id) FROM kept")
    _time_frame(con, mapping, done)
    _endpoints(con, mapping, done)
    done.dropped_cases = before - _count(con, "SELECT count(DISTINCT case_id) FROM kept")
    _unmapped(con, mapping, done)
    return done


def _lifecycle(con: Any, mapping: Mapping, done: Prepared) -> None:
    keep = ", ".join("'" + k.replace("'", "''") + "'" for k in mapping.lifecycle_keep)
    done.has_starts = _count(con, "SELECT count(*) FROM events WHERE lc = 'start' OR st IS NOT NULL") > 0
    if _count(con, "SELECT count(*) FROM events WHERE lc = 'start'"):
        _pair_starts(con, keep)
    else:  # no start events: a start column (`start_timestamp`) or nothing
        con.execute(
            f"""
            CREATE TABLE kept AS
            SELECT rn, case_id, activity, t, grp, st AS start_t
            FROM events WHERE lc IS NULL OR lc IN ({keep})
            """
        )
    done.dropped_lifecycle = _count(con, "SELECT count(*) FROM events") - _count(con, "SELECT count(*) FROM kept")
    if done.dropped_lifecycle:
        done.filters.append(f"lifecycle in ({', '.join(mapping.lifecycle_keep)})")


def _pair_starts(con: Any, keep: str) -> None:
    """The k-th start of an activity in a case pairs with its k-th kept event."""
    con.execute(
        f"""
        CREATE TABLE kept AS
        WITH done AS (
          SELECT *, row_number() OVER (PARTITION BY case_id, activity ORDER BY t, rn) AS k
          FROM events WHERE lc IS NULL OR lc IN ({keep})),
        starts AS (
          SELECT case_id, activity, t, row_number() OVER (PARTITION BY case_id, activity ORDER BY t, rn) AS k
          FROM events WHERE lc = 'start')
        SELECT e.rn, e.case_id, e.activity, e.t, e.grp, s.t AS start_t
        FROM done e LEFT JOIN starts s ON s.case_id = e.case_id AND s.activity = e.activity AND s.k = e.k
        """
    )


def _time_frame(con: Any, mapping: Mapping, done: Prepared) -> None:
    if not (mapping.from_ or mapping.until):
        return
    low = _time_us(con, mapping.from_) if mapping.from_ else -(2**62)
    high = _time_us(con, mapping.until) if mapping.until else 2**62
    con.execute(
        f"""
        DELETE FROM kept WHERE case_id IN (
          SELECT case_id FROM kept GROUP BY case_id HAVING NOT (min(t) >= {low} AND min(t) < {high}))
        """
    )
    done.filters.append(f"cases starting in [{mapping.from_ or '…'}, {mapping.until or '…'})")


def _endpoints(con: Any, mapping: Mapping, done: Prepared) -> None:
    if not mapping.ends_with:
        return
    con.execute("CREATE TEMP TABLE endpoints (activity VARCHAR)")
    con.executemany("INSERT INTO endpoints VALUES (?)", [[a] for a in mapping.ends_with])
    con.execute(
        """
        DELETE FROM kept WHERE case_id NOT IN (
          SELECT case_id FROM (SELECT case_id, arg_max(activity, (t, rn)) AS last FROM kept GROUP BY case_id)
          WHERE last IN (SELECT activity FROM endpoints))
        """
    )
    done.filters.append(f"complete cases only (ending with {', '.join(mapping.ends_with)})")


def _unmapped(con: Any, mapping: Mapping, done: Prepared) -> None:
    if not mapping.steps or mapping.unmapped not in ("ignore", "error"):
        return
    names = [str(r[0]) for r in con.execute("SELECT DISTINCT activity FROM kept ORDER BY 1").fetchall()]
    unmapped = [n for n in names if mapping.step_of(n) is None]
    if unmapped and mapping.unmapped == "error":
        where = mapping.path or "the mapping"
        raise EvidenceError(where, "no [[step]] rule maps these activities: " + "; ".join(unmapped))
    if unmapped:
        con.execute("CREATE TEMP TABLE unmapped (activity VARCHAR)")
        con.executemany("INSERT INTO unmapped VALUES (?)", [[a] for a in unmapped])
        done.ignored_events = _count(con, "SELECT count(*) FROM kept WHERE activity IN (SELECT activity FROM unmapped)")
        con.execute("DELETE FROM kept WHERE activity IN (SELECT activity FROM unmapped)")
        done.filters.append(f"{len(unmapped)} unmapped activities ignored ({done.ignored_events} events)")
