"""Figures per blueprint step (activities mapped to steps), for the observed blueprint and `conform`.

A step's duration is its processing time (start to complete) when the log has start events;
otherwise it is the time since the case's previous event (what a case waits for the step to be
done), the usual reading of a log with completions only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from blueprint_cli.evidence.mapping import Mapping

STATISTIC_SQL = {"median": "quantile_cont({x}, 0.5)", "mean": "avg({x})", "p80": "quantile_cont({x}, 0.8)"}


@dataclass
class StepFigures:
    step: str
    activities: list[str]  # mapped activities, most events first
    cases: int
    events: int
    duration_s: float | None
    rework_cases: int
    position: float  # median position in its cases, to order steps without a plan
    p25_s: float | None = None  # the spread of the step's time: first quartile and 90th percentile
    p90_s: float | None = None
    groups: list[tuple[str, int]] = field(default_factory=list)  # most events first


@dataclass(frozen=True)
class PairFigures:
    source: str
    target: str
    cases: int
    wait_s: float | None


def map_steps(con: Any, mapping: Mapping) -> None:
    """Create the table `step_of (activity, step)` for the activities of `seq`."""
    names = [str(r[0]) for r in con.execute("SELECT DISTINCT activity FROM seq ORDER BY 1").fetchall()]
    con.execute("CREATE OR REPLACE TABLE step_of (activity VARCHAR, step VARCHAR)")
    if names:
        con.executemany("INSERT INTO step_of VALUES (?, ?)", [[n, mapping.step_or_slug(n)] for n in names])
    con.execute(
        """
        CREATE OR REPLACE TABLE sseq AS
        SELECT s.*, m.step,
               lead(m.step) OVER w AS next_step,
               t - lag(t) OVER w AS since_previous
        FROM seq s JOIN step_of m USING (activity)
        WINDOW w AS (PARTITION BY case_id ORDER BY t, rn)
        """
    )


def step_figures(con: Any, mapping: Mapping, *, has_starts: bool) -> dict[str, StepFigures]:
    measure = "t - start_t" if has_starts else "since_previous"
    statistic = STATISTIC_SQL[mapping.duration].format(x=measure)
    result: dict[str, StepFigures] = {}
    for step, cases, events, duration, position, p25, p90 in con.execute(
        f"""
        SELECT step, count(DISTINCT case_id), count(*),
               {statistic}, quantile_cont(pos, 0.5), quantile_cont({measure}, 0.25), quantile_cont({measure}, 0.9)
        FROM sseq GROUP BY step ORDER BY step
        """
    ).fetchall():
        result[str(step)] = StepFigures(
            step=str(step),
            activities=[],
            cases=int(cases),
            events=int(events),
            duration_s=None if duration is None else float(duration) / 1_000_000,
            rework_cases=0,
            position=float(position),
            p25_s=None if p25 is None else float(p25) / 1_000_000,
            p90_s=None if p90 is None else float(p90) / 1_000_000,
        )
    for step, activity, _ in con.execute(
        "SELECT step, activity, count(*) AS n FROM sseq GROUP BY 1, 2 ORDER BY 1, n DESC, 2"
    ).fetchall():
        result[str(step)].activities.append(str(activity))
    for step, group, n in con.execute(
        "SELECT step, grp, count(*) AS n FROM sseq WHERE grp IS NOT NULL GROUP BY 1, 2 ORDER BY 1, n DESC, 2"
    ).fetchall():
        result[str(step)].groups.append((str(group), int(n)))
    for step, n in con.execute(
        "SELECT step, count(*) FROM (SELECT case_id, step FROM sseq GROUP BY 1, 2 HAVING count(*) > 1) GROUP BY 1"
    ).fetchall():
        result[str(step)].rework_cases = int(n)
    return result


def pair_figures(con: Any) -> list[PairFigures]:
    """Directly-follows pairs of different steps: cases that take them and the median wait."""
    return [
        PairFigures(str(a), str(b), int(n), None if w is None else float(w) / 1_000_000)
        for a, b, n, w in con.execute(
            """
            SELECT step, next_step, count(DISTINCT case_id), quantile_cont(next_begin - t, 0.5)
            FROM sseq WHERE next_step IS NOT NULL AND next_step <> step
            GROUP BY 1, 2 ORDER BY 1, 2
            """
        ).fetchall()
    ]


def duration_text(seconds: float | None) -> str | None:
    """Seconds as a blueprint duration: minutes under 2 hours, hours under 2 days, days under 2 weeks."""
    if seconds is None or seconds < 0:
        return None
    for unit, size, limit in (("m", 60, 7200), ("h", 3600, 172800), ("d", 86400, 1209600)):
        if seconds < limit:
            return f"{max(1, round(seconds / size))}{unit}"
    return f"{max(1, round(seconds / 604800))}w"


def step_channel(con: Any, mapping: Mapping) -> tuple[str, str] | None:
    """([channel] step, its channel): the mapped value of the channel attribute most cases have."""
    if mapping.channel is None:
        return None
    row = con.execute(
        """
        SELECT value, count(*) AS n FROM case_channel
        WHERE case_id IN (SELECT DISTINCT case_id FROM seq) GROUP BY value ORDER BY n DESC, value LIMIT 1
        """
    ).fetchone()
    if row is None:
        return None
    value = str(row[0])
    return mapping.channel.step, mapping.channel.values.get(value, value)
