"""`blueprint observe receipt.csv --format json` against the figures pm4py computes (receipt.oracle.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT

RECEIPT = ROOT.parent / "shared" / "data" / "receipt"
ORACLE_PATH = RECEIPT / "receipt.oracle.json"
MS = 0.0005  # "to the millisecond"

pytestmark = pytest.mark.skipif(not ORACLE_PATH.exists(), reason="the shared receipt data is not here")


@pytest.fixture(scope="module")
def oracle() -> dict:
    return json.loads(ORACLE_PATH.read_text(encoding="utf-8"))


def observe_json(log: Path, *args: str) -> dict:
    from blueprint_cli.evidence.run import ObserveRequest, run_observe

    mapping = args[0] if args else None
    text, _ = run_observe(ObserveRequest(log=str(log), mapping=mapping))
    return json.loads(text)


@pytest.fixture(scope="module")
def figures() -> dict:
    return observe_json(RECEIPT / "receipt.csv", str(RECEIPT / "receipt.mapping.toml"))


def test_counts(figures, oracle):
    assert figures["cases"] == oracle["cases"]
    assert figures["events"] == oracle["events"]
    assert len(figures["activities"]) == oracle["activities"]
    assert figures["log"]["bad_rows"]["count"] == 0


def test_period(figures, oracle):
    def same_instant(ours: str, theirs: str) -> bool:
        import datetime

        a = datetime.datetime.fromisoformat(ours.replace("Z", "+00:00"))
        b = datetime.datetime.fromisoformat(theirs)
        return a == b

    assert same_instant(figures["period"]["first"], oracle["period"]["first"])
    assert same_instant(figures["period"]["last"], oracle["period"]["last"])


def test_activity_frequencies(figures, oracle):
    ours = {a["activity"]: {"events": a["events"], "cases": a["cases"]} for a in figures["activities"]}
    assert ours == oracle["activity_frequency"]


def test_activities_are_mapped_to_the_intended_steps(figures):
    steps = {a["activity"]: a["step"] for a in figures["activities"]}
    assert steps["Confirmation of receipt"] == "register"
    assert steps["T07-3 Draft intern advice hold for aspect 3"] == "advice_3"
    assert steps["T09-2 Process or receive external advice from party 2"] == "external_2"


def test_directly_follows_counts_and_times(figures, oracle):
    ours = {(f["from"], f["to"]): f for f in figures["flows"]}
    theirs = {(f["from"], f["to"]): f for f in oracle["performance_dfg"]}
    assert set(ours) == set(theirs)
    assert {(f["from"], f["to"]): f["count"] for f in oracle["dfg"]} == {k: f["count"] for k, f in ours.items()}
    for key, expected in theirs.items():
        got = ours[key]
        assert got["count"] == expected["count"], key
        assert abs(got["mean_s"] - expected["mean_s"]) < MS, key
        assert abs(got["median_s"] - expected["median_s"]) < MS, key


def test_start_and_end_activities(figures, oracle):
    assert figures["start"] == oracle["start_activities"]
    assert figures["end"] == oracle["end_activities"]


def test_variants(figures, oracle):
    assert figures["variants"] == oracle["variants"]["count"]
    top = [{"variant": v["activities"], "cases": v["cases"]} for v in figures["top_variants"]]
    assert top == oracle["variants"]["top10"]


def test_case_durations(figures, oracle):
    assert abs(figures["case_duration_s"]["mean"] - oracle["case_duration_s"]["mean"]) < MS
    assert abs(figures["case_duration_s"]["median"] - oracle["case_duration_s"]["median"]) < MS


def test_handovers(figures, oracle):
    expected = oracle["handover_of_work_org_group"]["pairs"]
    ours = {(h["from"], h["to"]): h["count"] for h in figures["handovers"]}
    assert ours == {(h["from"], h["to"]): h["count"] for h in expected}
    assert sum(ours.values()) == oracle["handover_of_work_org_group"]["total"]


def test_rework(figures, oracle):
    assert figures["rework"] == oracle["rework_cases_per_activity"]


def test_plain_columns_give_the_same_figures(figures):
    plain = observe_json(RECEIPT / "receipt.plain.csv")
    for key in (
        "cases",
        "events",
        "start",
        "end",
        "variants",
        "case_duration_s",
        "handovers",
        "rework",
        "top_variants",
    ):
        assert plain[key] == figures[key], key
    strip = [{k: v for k, v in f.items() if not k.endswith("_step")} for f in figures["flows"]]
    assert [{k: v for k, v in f.items() if not k.endswith("_step")} for f in plain["flows"]] == strip


def test_the_cli_writes_the_same_document_twice(run_cli):
    args = (
        "observe",
        str(RECEIPT / "receipt.csv"),
        "--mapping",
        str(RECEIPT / "receipt.mapping.toml"),
        "--format",
        "json",
    )
    first = run_cli(*args)
    second = run_cli(*args)
    assert first[0] == 0, first[2]
    assert first[1] == second[1]
    assert json.loads(first[1])["cases"] == 1434


def test_the_document_follows_its_schema(figures):
    import jsonschema

    schema = json.loads((ROOT / "schemas" / "observe.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(figures, schema)


def test_duckdb_is_not_imported_at_start_up():
    import subprocess
    import sys

    code = "import sys; from blueprint_cli.cli import build_app; build_app(); print('duckdb' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
