"""`blueprint conform INTENDED LOG`: the oracle's fitness, every `diff` format, exit codes, targets."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree

import pytest
from test_evidence_logs import HEADER, write_csv
from test_evidence_oracle import RECEIPT

needs_receipt = pytest.mark.skipif(not (RECEIPT / "receipt.csv").exists(), reason="no shared receipt data")


def receipt_args(*more: str) -> tuple[str, ...]:
    return (
        "conform",
        str(RECEIPT / "receipt.intended.blueprint"),
        str(RECEIPT / "receipt.csv"),
        "--mapping",
        str(RECEIPT / "receipt.mapping.toml"),
        *more,
    )


@needs_receipt
def test_the_json_carries_the_oracles_fitness(run_cli):
    oracle = json.loads((RECEIPT / "receipt.conformance.oracle.json").read_text(encoding="utf-8"))
    expected = oracle["intended step graph alignments"]
    code, out, err = run_cli(*receipt_args("--format", "json", "--fail-on", "never"))
    assert code == 0, err
    document = json.loads(out)
    fitness = document["fitness"]
    assert {k: fitness[k] for k in ("fitting_cases", "cases")} == {"fitting_cases": 775, "cases": 1434}
    assert round(fitness["average_trace"], 4) == round(expected["average_trace_fitness"], 4) == 0.8709
    assert round(fitness["log"], 4) == round(expected["log_fitness"], 4) == 0.8895
    assert document["variants"][0]["cases"] == 713 and document["variants"][0]["fitness"] == 1.0
    skipped = {c["id"] for c in document["changes"] if c["kind"] == "step.skipped"}
    assert skipped == {"check_receipt", "determine_receipt", "send_receipt", "stop_advice"}
    assert not [c for c in document["changes"] if c["kind"] == "step.duration"]
    import jsonschema
    from conftest import ROOT

    jsonschema.validate(document, json.loads((ROOT / "schemas" / "conform.schema.json").read_text(encoding="utf-8")))


@needs_receipt
def test_exit_codes_follow_fail_on(run_cli):
    assert run_cli(*receipt_args())[0] == 1  # new unowned handoffs are errors
    assert run_cli(*receipt_args("--fail-on", "never"))[0] == 0
    assert run_cli(*receipt_args("--exit-zero"))[0] == 0


@needs_receipt
@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github", "markdown"])
def test_every_diff_format_works(run_cli, fmt):
    code, out, err = run_cli(*receipt_args("--format", fmt, "--fail-on", "never"))
    assert code == 0, err
    assert out
    if fmt == "sarif":
        rules = {r["id"] for r in json.loads(out)["runs"][0]["tool"]["driver"]["rules"]}
        assert {"step.skipped", "step.out_of_order"} <= rules
    if fmt == "junit":
        ElementTree.fromstring(out)
    if fmt == "text":
        assert "775 of 1434 cases fit exactly" in out
    if fmt == "markdown":
        assert "775 of 1434 cases fit the plan" in out


@needs_receipt
def test_the_output_is_the_same_on_every_run(run_cli):
    assert run_cli(*receipt_args("--format", "json", "--fail-on", "never")) == run_cli(
        *receipt_args("--format", "json", "--fail-on", "never")
    )


@needs_receipt
def test_a_baseline_accepts_todays_drift(run_cli, tmp_path):
    baseline = tmp_path / "accepted.json"
    code, _, err = run_cli(*receipt_args("--write-baseline", str(baseline), "--fail-on", "never"))
    assert code == 0, err
    assert run_cli(*receipt_args("--baseline", str(baseline), "--fail-on", "note"))[0] == 0


PLAN = """blueprint "Small"
variant intended
org desk "Desk"
org back "Back office"
actor clerk "Clerk" @desk
actor officer "Officer" @back
stage s "Stage"
  frontstage register "Register" by clerk
  backstage decide "Decide" by officer [duration=1h]
flow register -> decide [owner=clerk, wait=1h]
"""


def test_slow_steps_and_waits_are_reported_past_the_tolerance(run_cli, tmp_path):
    plan = tmp_path / "plan.blueprint"
    plan.write_text(PLAN, encoding="utf-8")
    rows = []
    for number, minutes in enumerate((30, 180, 240)):  # median wait 3 h: over the 1 h targets
        rows.append([f"c{number}", "register", "2024-01-01T09:00:00Z", "Desk", "complete"])
        rows.append(
            [
                f"c{number}",
                "decide",
                f"2024-01-01T{9 + minutes // 60:02d}:{minutes % 60:02d}:00Z",
                "Back office",
                "complete",
            ]
        )
    log = write_csv(tmp_path / "log.csv", HEADER, rows)
    code, out, err = run_cli("conform", str(plan), str(log), "--format", "json", "--fail-on", "never")
    assert code == 0, err
    document = json.loads(out)
    kinds = {(c["kind"], c["id"]) for c in document["changes"]}
    assert ("step.slow", "decide") in kinds
    assert ("handoff.slow", "register->decide") in kinds
    assert document["fitness"] == {
        "average_trace": 1.0,
        "log": 1.0,
        "fitting_cases": 3,
        "cases": 3,
        "fitting_share": 1.0,
    }


def test_a_fast_service_is_not_slow(run_cli, tmp_path):
    plan = tmp_path / "plan.blueprint"
    plan.write_text(PLAN, encoding="utf-8")
    rows = [
        ["c1", "register", "2024-01-01T09:00:00Z", "Desk", "complete"],
        ["c1", "decide", "2024-01-01T10:05:00Z", "Back office", "complete"],  # 65 min: within 10 %
        ["c2", "decide", "2024-01-01T10:05:00Z", "Back office", "complete"],  # register skipped
    ]
    log = write_csv(tmp_path / "log.csv", HEADER, rows)
    code, out, err = run_cli("conform", str(plan), str(log), "--format", "json", "--fail-on", "never")
    assert code == 0, err
    document = json.loads(out)
    assert not [c for c in document["changes"] if c["kind"] in ("step.slow", "handoff.slow")]
    assert ("step.skipped", "register") in {(c["kind"], c["id"]) for c in document["changes"]}
    # c2: one model move (register) of 1 event + 2 model steps -> 1 - 1/3
    assert document["fitness"]["average_trace"] == pytest.approx((1 + (1 - 1 / 3)) / 2, abs=1e-6)


def test_invalid_inputs_exit_2_with_a_location(run_cli, tmp_path):
    plan = tmp_path / "plan.blueprint"
    plan.write_text(PLAN.replace("[duration=1h]", "[duration=soon]"), encoding="utf-8")
    log = write_csv(tmp_path / "log.csv", HEADER, [["c", "register", "2024-01-01T09:00:00Z", "Desk", "complete"]])
    code, _, err = run_cli("conform", str(plan), str(log))
    assert code == 2 and f"{plan}:9:" in err
    plan.write_text(PLAN, encoding="utf-8")
    code, _, err = run_cli("conform", str(plan), str(tmp_path / "missing.csv"))
    assert code == 2 and "no such log file" in err


def test_every_measured_kind_is_found(run_cli, tmp_path):
    from blueprint_cli.compare.kinds import MEASURED_KINDS
    from blueprint_cli.compare.result import VALUE_TYPES

    plan = tmp_path / "plan.blueprint"
    plan.write_text(PLAN, encoding="utf-8")
    rows = [
        ["slow", "register", "2024-01-01T09:00:00Z", "Desk", "complete"],
        ["slow", "decide", "2024-01-01T12:00:00Z", "Back office", "complete"],  # 3 h: slow step and wait
        ["skips", "decide", "2024-01-01T12:00:00Z", "Back office", "complete"],  # register skipped
        ["swaps", "decide", "2024-01-01T09:00:00Z", "Back office", "complete"],
        ["swaps", "register", "2024-01-01T12:00:00Z", "Desk", "complete"],  # out of order
    ]
    log = write_csv(tmp_path / "log.csv", HEADER, rows)
    code, out, err = run_cli("conform", str(plan), str(log), "--format", "json", "--fail-on", "never")
    assert code == 0, err
    changes = json.loads(out)["changes"]
    assert {c["kind"] for c in changes} >= set(MEASURED_KINDS)
    for change in changes:
        if change["kind"] in MEASURED_KINDS:
            assert all(isinstance(change[k], str) for k in ("intended", "observed"))
            assert set(VALUE_TYPES[change["kind"]][0]) == {str}


@needs_receipt
def test_the_conformance_report(run_cli, tmp_path):
    import shutil

    if shutil.which("neato") is None:
        pytest.skip("Graphviz is not installed")
    target = tmp_path / "report.html"
    args = (
        "report",
        str(RECEIPT / "receipt.intended.blueprint"),
        str(RECEIPT / "receipt.csv"),
        "--mapping",
        str(RECEIPT / "receipt.mapping.toml"),
        "-o",
        str(target),
    )
    code, out, err = run_cli(*args)
    assert code == 0, err
    html = target.read_text(encoding="utf-8")
    assert '<section id="conformance"' in html
    assert "775 of 1,434 (54.0 %)" in html and "0.8709" in html and "0.8895" in html
    assert "✓ met" in html  # the verdict is a word and a symbol, not a colour alone
    assert "Spread (p25–p90)" in html and "1m – 41h" in html  # check_receipt: most in a minute, the slowest tenth 41 h
    first = target.read_bytes()
    assert run_cli(*args)[0] == 0
    assert target.read_bytes() == first


def test_the_conform_schema_is_the_diff_schema_plus_the_replay():
    from conftest import ROOT

    from blueprint_cli.compare.kinds import KINDS

    conform = json.loads((ROOT / "schemas" / "conform.schema.json").read_text(encoding="utf-8"))
    diff = json.loads((ROOT / "schemas" / "diff.schema.json").read_text(encoding="utf-8"))
    assert set(conform["properties"]["changes"]["items"]["properties"]["kind"]["enum"]) == set(KINDS)
    for key, value in diff["properties"].items():
        if key != "changes":
            assert conform["properties"][key] == value, key
    assert set(conform["required"]) == set(diff["required"]) | {"fitness", "steps", "variants", "log"}
