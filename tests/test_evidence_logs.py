"""Generated logs whose figures are known by construction: lifecycles, time zones, XES = CSV = Parquet,
ties, one-event cases, bad rows, column flags."""

from __future__ import annotations

import csv
import datetime
import gzip
import json
import random
import statistics
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest

from blueprint_cli.evidence.errors import EvidenceError
from blueprint_cli.evidence.run import ObserveRequest, run_observe

UTC = datetime.timezone.utc
T0 = datetime.datetime(2024, 3, 1, 8, 0, tzinfo=UTC)


def observe(path: Path, **kwargs: object) -> dict:
    text, _ = run_observe(ObserveRequest(log=str(path), **kwargs))  # type: ignore[arg-type]
    return json.loads(text)


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xes(path: Path, rows: list[list[str]], *, gz: bool = False) -> Path:
    """rows: case, activity, timestamp, group, lifecycle (traces in order of first appearance)."""
    traces: dict[str, list[list[str]]] = {}
    for row in rows:
        traces.setdefault(row[0], []).append(row)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<log xes.version="1.0" xmlns="http://www.xes-standard.org/">']
    lines.append('  <string key="concept:name" value="generated"/>')
    for case, events in traces.items():
        lines.append("  <trace>")
        lines.append(f'    <string key="concept:name" value={quoteattr(case)}/>')
        for _, activity, stamp, group, lifecycle in events:
            lines.append("    <event>")
            lines.append(f'      <string key="concept:name" value={quoteattr(activity)}/>')
            lines.append(f'      <date key="time:timestamp" value={quoteattr(stamp)}/>')
            lines.append(f'      <string key="org:group" value={quoteattr(group)}/>')
            lines.append(f'      <string key="lifecycle:transition" value={quoteattr(lifecycle)}/>')
            lines.append("    </event>")
        lines.append("  </trace>")
    lines.append("</log>")
    data = ("\n".join(lines) + "\n").encode("utf-8")
    if gz:
        path.write_bytes(gzip.compress(data, mtime=0))
    else:
        path.write_bytes(data)
    return path


def iso(moment: datetime.datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def generated_log(seed: int, cases: int = 60) -> list[list[str]]:
    """Random cases over five activities and three groups; times strictly increase within a case,
    rows of different cases are interleaved (so file order is not case order)."""
    rng = random.Random(seed)
    per_case: list[list[list[str]]] = []
    for number in range(cases):
        moment = T0 + datetime.timedelta(hours=rng.randrange(0, 2000))
        events = []
        for _ in range(rng.randint(1, 7)):
            moment += datetime.timedelta(seconds=rng.randint(1, 90_000), milliseconds=rng.randint(0, 999))
            events.append(
                [f"c{number:03d}", rng.choice("ABCDE"), iso(moment), rng.choice(["G1", "G2", "G3"]), "complete"]
            )
        per_case.append(events)
    rows: list[list[str]] = []
    while any(per_case):
        pick = rng.choice([c for c in per_case if c])
        rows.append(pick.pop(0))
    return rows


def reference(rows: list[list[str]]) -> dict:
    """The figures computed the plain way, in Python: the definition the SQL must meet."""
    traces: dict[str, list[tuple[datetime.datetime, int, str, str]]] = {}
    for index, (case, activity, stamp, group, _) in enumerate(rows):
        traces.setdefault(case, []).append((datetime.datetime.fromisoformat(stamp), index, activity, group))
    flows: dict[tuple[str, str], list[float]] = {}
    handovers: dict[tuple[str, str], int] = {}
    durations, starts, ends, rework, variants = [], {}, {}, {}, set()
    for events in traces.values():
        events.sort()
        acts = [e[2] for e in events]
        variants.add(tuple(acts))
        starts[acts[0]] = starts.get(acts[0], 0) + 1
        ends[acts[-1]] = ends.get(acts[-1], 0) + 1
        durations.append((events[-1][0] - events[0][0]).total_seconds())
        for a, b in zip(events, events[1:], strict=False):
            flows.setdefault((a[2], b[2]), []).append((b[0] - a[0]).total_seconds())
            if a[3] != b[3]:
                handovers[(a[3], b[3])] = handovers.get((a[3], b[3]), 0) + 1
        for activity in set(acts):
            if acts.count(activity) > 1:
                rework[activity] = rework.get(activity, 0) + 1
    return {
        "cases": len(traces),
        "events": len(rows),
        "flows": {k: (len(v), statistics.mean(v), statistics.median(v)) for k, v in flows.items()},
        "start": starts,
        "end": ends,
        "variants": len(variants),
        "case_duration_s": (statistics.mean(durations), statistics.median(durations)),
        "handovers": handovers,
        "rework": rework,
    }


def assert_matches(figures: dict, expected: dict) -> None:
    assert figures["cases"] == expected["cases"]
    assert figures["events"] == expected["events"]
    ours = {(f["from"], f["to"]): f for f in figures["flows"]}
    assert set(ours) == set(expected["flows"])
    for key, (count, mean, median) in expected["flows"].items():
        assert ours[key]["count"] == count
        assert ours[key]["mean_s"] == pytest.approx(mean, abs=1e-6)
        assert ours[key]["median_s"] == pytest.approx(median, abs=1e-6)
    assert figures["start"] == expected["start"]
    assert figures["end"] == expected["end"]
    assert figures["variants"] == expected["variants"]
    assert figures["case_duration_s"]["mean"] == pytest.approx(expected["case_duration_s"][0], abs=1e-6)
    assert figures["case_duration_s"]["median"] == pytest.approx(expected["case_duration_s"][1], abs=1e-6)
    assert {(h["from"], h["to"]): h["count"] for h in figures["handovers"]} == expected["handovers"]
    assert figures["rework"] == expected["rework"]


HEADER = ["case", "activity", "timestamp", "group", "lifecycle"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_csv_meets_the_reference(tmp_path, seed):
    rows = generated_log(seed)
    figures = observe(write_csv(tmp_path / "log.csv", HEADER, rows))
    assert_matches(figures, reference(rows))


@pytest.mark.parametrize("gz", [False, True], ids=["xes", "xes.gz"])
def test_xes_and_csv_of_the_same_log_give_identical_figures(tmp_path, gz):
    rows = generated_log(7)
    from_csv = observe(write_csv(tmp_path / "log.csv", HEADER, rows))
    from_xes = observe(write_xes(tmp_path / ("log.xes.gz" if gz else "log.xes"), rows, gz=gz))
    assert from_xes["log"]["format"] == "xes"
    for key in (
        "cases",
        "events",
        "activities",
        "flows",
        "start",
        "end",
        "variants",
        "top_variants",
        "case_duration_s",
        "handovers",
        "rework",
    ):
        assert from_xes[key] == from_csv[key], key
    assert_matches(from_xes, reference(rows))


def test_parquet_gives_the_same_figures_as_csv(tmp_path):
    import duckdb

    rows = generated_log(8)
    source = write_csv(tmp_path / "log.csv", HEADER, rows)
    target = tmp_path / "log.parquet"
    duckdb.connect().execute(
        f"COPY (SELECT * FROM read_csv('{source}', all_varchar = true)) TO '{target}' (FORMAT parquet)"
    )
    from_csv, from_parquet = observe(source), observe(target)
    assert from_parquet["log"]["format"] == "parquet"
    for key in ("cases", "events", "flows", "variants", "case_duration_s", "handovers", "rework"):
        assert from_parquet[key] == from_csv[key], key


def test_ties_are_broken_by_file_order(tmp_path):
    same = "2024-03-01T10:00:00+00:00"
    rows = [
        ["a", "First", "2024-03-01T09:00:00+00:00", "G1", "complete"],
        ["a", "Zulu", same, "G1", "complete"],
        ["a", "Alpha", same, "G1", "complete"],
        ["b", "First", "2024-03-01T09:00:00+00:00", "G1", "complete"],
        ["b", "Alpha", same, "G1", "complete"],
        ["b", "Zulu", same, "G1", "complete"],
    ]
    figures = observe(write_csv(tmp_path / "log.csv", HEADER, rows))
    flows = {(f["from"], f["to"]): f["count"] for f in figures["flows"]}
    assert flows == {("First", "Zulu"): 1, ("Zulu", "Alpha"): 1, ("First", "Alpha"): 1, ("Alpha", "Zulu"): 1}
    assert figures["end"] == {"Alpha": 1, "Zulu": 1}
    assert figures["variants"] == 2


def test_a_one_event_case(tmp_path):
    rows = [["only", "Register", "2024-03-01T09:00:00+00:00", "G1", "complete"]]
    figures = observe(write_csv(tmp_path / "log.csv", HEADER, rows))
    assert figures["cases"] == 1
    assert figures["flows"] == []
    assert figures["start"] == figures["end"] == {"Register": 1}
    assert figures["case_duration_s"] == {"mean": 0.0, "median": 0.0}
    assert figures["handovers"] == [] and figures["rework"] == {}


def test_naive_timestamps_are_read_in_the_stated_time_zone(tmp_path):
    rows = [
        ["a", "Register", "2024-03-01 09:00:00", "G1", "complete"],
        # the night the clocks go forward in Amsterdam: 01:30 UTC+1 to 03:30 UTC+2 is one hour
        ["a", "Check", "2024-03-31 01:30:00", "G1", "complete"],
        ["a", "Send", "2024-03-31 03:30:00", "G1", "complete"],
    ]
    path = write_csv(tmp_path / "log.csv", HEADER, rows)
    amsterdam = observe(path, timezone="Europe/Amsterdam")
    assert amsterdam["period"]["first"] == "2024-03-01T08:00:00.000Z"
    assert amsterdam["log"]["timezone"] == "Europe/Amsterdam"
    flows = {(f["from"], f["to"]): f["median_s"] for f in amsterdam["flows"]}
    assert flows[("Check", "Send")] == 3600.0
    in_utc = observe(path)
    assert in_utc["period"]["first"] == "2024-03-01T09:00:00.000Z"
    assert {(f["from"], f["to"]): f["median_s"] for f in in_utc["flows"]}[("Check", "Send")] == 7200.0


def test_offsets_are_honoured_whatever_the_time_zone(tmp_path):
    rows = [
        ["a", "Register", "2024-03-01T09:00:00+01:00", "G1", "complete"],
        ["a", "Check", "2024-03-01T09:00:00-02:00", "G1", "complete"],
    ]
    path = write_csv(tmp_path / "log.csv", HEADER, rows)
    for zone in (None, "Asia/Tokyo"):
        figures = observe(path, timezone=zone)
        assert figures["flows"][0]["median_s"] == 3 * 3600.0
        assert figures["period"]["first"] == "2024-03-01T08:00:00.000Z"


def test_start_and_complete_tell_processing_from_waiting(tmp_path):
    # Each case: A starts at 0 and completes at 10 min; B starts at 30 min and completes at 50 min.
    rows = []
    for number, offset in enumerate((0, 100, 200)):
        base = T0 + datetime.timedelta(minutes=offset)
        case = f"c{number}"
        for activity, start, end in (("A", 0, 10), ("B", 30, 50)):
            rows.append([case, activity, iso(base + datetime.timedelta(minutes=start)), "G1", "start"])
            rows.append([case, activity, iso(base + datetime.timedelta(minutes=end)), "G1", "complete"])
    figures = observe(write_csv(tmp_path / "log.csv", HEADER, rows))
    assert figures["events"] == 6  # complete events only
    assert figures["log"]["lifecycle"]["values"] == {"complete": 6, "start": 6}
    processing = {a["activity"]: a["processing_s"] for a in figures["activities"]}
    assert processing == {"A": {"mean": 600.0, "median": 600.0}, "B": {"mean": 1200.0, "median": 1200.0}}
    (flow,) = figures["flows"]
    assert (flow["from"], flow["to"], flow["count"]) == ("A", "B", 3)
    assert flow["median_s"] == 40 * 60.0  # complete to complete, as pm4py
    assert flow["wait_median_s"] == 20 * 60.0  # complete of A to start of B
    assert figures["case_duration_s"]["median"] == 40 * 60.0


def test_a_log_without_start_events_has_no_processing_times(tmp_path):
    figures = observe(write_csv(tmp_path / "log.csv", HEADER, generated_log(4, cases=5)))
    assert all("processing_s" not in a for a in figures["activities"])
    assert all("wait_median_s" not in f for f in figures["flows"])


BAD_ROWS = [
    ["a", "Register", "2024-03-01T09:00:00+00:00", "G1", "complete"],
    ["", "Register", "2024-03-01T09:00:00+00:00", "G1", "complete"],  # line 3: no case
    ["a", "Check", "2024-03-01T10:00:00+00:00", "G1", "complete"],
    ["b", "", "2024-03-01T09:00:00+00:00", "G1", "complete"],  # line 5: no activity
    ["b", "Register", "yesterday", "G1", "complete"],  # line 6: bad time
    ["b", "Register", "2024-03-01T11:00:00+00:00", "G2", "complete"],
]


def test_bad_rows_are_counted_with_their_line_numbers(tmp_path):
    path = write_csv(tmp_path / "log.csv", HEADER, BAD_ROWS)
    text, warnings = run_observe(ObserveRequest(log=str(path)))
    figures = json.loads(text)
    assert figures["events"] == 3 and figures["cases"] == 2
    bad = figures["log"]["bad_rows"]
    assert bad["count"] == 3
    assert [(b["location"], b["reason"]) for b in bad["first"]] == [
        (f"{path}:3", "no case"),
        (f"{path}:5", "no activity"),
        (f"{path}:6", "time 'yesterday' does not parse"),
    ]
    assert len(warnings) == 1 and f"{path}:3: no case" in warnings[0] and "3 bad rows" in warnings[0]


def test_strict_makes_bad_rows_an_error(tmp_path, run_cli):
    path = write_csv(tmp_path / "log.csv", HEADER, BAD_ROWS)
    code, out, err = run_cli("observe", str(path), "--format", "json", "--strict")
    assert code == 2
    assert out == ""
    assert f"{path}:3: error: 3 bad rows left out" in err
    assert "Traceback" not in err
    code, out, err = run_cli("observe", str(path), "--format", "json")
    assert code == 0 and json.loads(out)["log"]["bad_rows"]["count"] == 3
    assert "warning" in err


def test_columns_named_by_flags(tmp_path, run_cli):
    rows = generated_log(5, cases=10)
    path = write_csv(tmp_path / "log.csv", ["Case ID", "Task", "When", "Team", "State"], rows)
    code, out, err = run_cli("observe", str(path), "--format", "json")
    assert code == 2 and "no case column" in err and "Case ID" in err
    code, out, err = run_cli(
        "observe",
        str(path),
        "--case",
        "Case ID",
        "--activity",
        "Task",
        "--timestamp",
        "When",
        "--group",
        "Team",
        "--lifecycle",
        "State",
    )
    assert code == 0, err
    assert_matches(json.loads(out), reference(rows))


def test_xes_that_is_not_xml_is_located(tmp_path):
    path = tmp_path / "broken.xes"
    path.write_text("<log>\n  <trace>\n    <event>\n  </trace>\n", encoding="utf-8")
    with pytest.raises(EvidenceError) as caught:
        observe(path)
    assert caught.value.location.startswith(f"{path}:4:")


def test_a_missing_log_is_a_clear_error(run_cli, tmp_path):
    code, out, err = run_cli("observe", str(tmp_path / "nope.csv"))
    assert code == 2 and "no such log file" in err


def test_a_start_column_gives_processing_and_waiting_times(tmp_path):
    rows = []
    for number, offset in enumerate((0, 100, 200)):
        base = T0 + datetime.timedelta(minutes=offset)
        for activity, start, end in (("A", 0, 10), ("B", 30, 50)):
            began, ended = (iso(base + datetime.timedelta(minutes=m)) for m in (start, end))
            rows.append([f"c{number}", activity, began, ended])
    log = write_csv(tmp_path / "log.csv", ["case", "activity", "started", "ended"], rows)
    mapping = tmp_path / "m.toml"
    mapping.write_text('version = 1\n[log]\ntimestamp = "ended"\nstart_timestamp = "started"\n', encoding="utf-8")
    figures = observe(log, mapping=str(mapping))
    assert figures["events"] == 6
    processing = {a["activity"]: a["processing_s"]["median"] for a in figures["activities"]}
    assert processing == {"A": 600.0, "B": 1200.0}
    (flow,) = figures["flows"]
    assert (flow["median_s"], flow["wait_median_s"]) == (2400.0, 1200.0)
    mapping.write_text('version = 1\n[log]\ntimestamp = "ended"\nstart_timestamp = "begun"\n', encoding="utf-8")
    with pytest.raises(EvidenceError) as caught:
        observe(log, mapping=str(mapping))
    assert "start_timestamp column 'begun'" in caught.value.message
