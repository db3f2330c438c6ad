"""`blueprint observe LOG -o observed.blueprint`: a canonical, valid observed blueprint, the same on every run."""

from __future__ import annotations

import re

import pytest
from test_evidence_logs import HEADER, generated_log, write_csv
from test_evidence_oracle import RECEIPT

from blueprint_cli.language.fmt import format_document
from blueprint_cli.language.parser import parse_document
from blueprint_cli.language.resolve import load
from blueprint_cli.language.source import Source

needs_receipt = pytest.mark.skipif(not (RECEIPT / "receipt.csv").exists(), reason="no shared receipt data")


def observe_file(run_cli, tmp_path, *args: str) -> tuple[str, str]:
    target = tmp_path / "observed.blueprint"
    code, out, err = run_cli("observe", *args, "-o", str(target))
    assert code == 0, err
    return target.read_text(encoding="utf-8"), str(target)


@pytest.fixture
def receipt_observed(run_cli, tmp_path) -> tuple[str, str]:
    return observe_file(
        run_cli, tmp_path, str(RECEIPT / "receipt.csv"), "--mapping", str(RECEIPT / "receipt.mapping.toml")
    )


@needs_receipt
def test_the_receipt_observed_blueprint_is_valid_and_canonical(receipt_observed, run_cli):
    text, path = receipt_observed
    assert format_document(parse_document(Source(path, text)), text) == text
    code, _, err = run_cli("check", path, "--fail-on", "never")
    assert code == 0, err
    blueprint = load(path)
    assert blueprint.variant.value == "observed"
    register = blueprint.steps["register"]
    assert (register.cases, register.evidence.value, register.label) == (
        1434,
        "measured",
        "Registers the application (confirmation of receipt)",
    )
    assert blueprint.steps["check_receipt"].cases == 1316
    assert blueprint.steps["apply"].evidence.value == "assumed"
    flows = {f.key: f for f in blueprint.flows}
    assert flows[("register", "check_receipt")].cases == 1079
    assert flows[("register", "check_receipt")].owner == "case_handler"


@needs_receipt
def test_the_header_says_where_the_figures_come_from(receipt_observed):
    text, _ = receipt_observed
    assert text.startswith("# Observed from the event log receipt.csv (sha256 8d00a7d15e02796a")
    assert "# 1434 cases, 8577 events, 2010-10-02T07:20:39.266Z to 2012-01-23T14:42:54.644Z (UTC)" in text


@needs_receipt
def test_rework_becomes_pain_points(receipt_observed):
    text, path = receipt_observed
    pains = [a for a in load(path).annotations if a.kind == "pain"]
    assert {(a.step, a.text) for a in pains} >= {("stop_advice", "Done more than once in 59 of 1434 cases (4.1 %)")}


@needs_receipt
def test_the_output_is_byte_identical_from_run_to_run(run_cli, tmp_path, receipt_observed):
    other = tmp_path / "again"
    other.mkdir()
    args = (str(RECEIPT / "receipt.csv"), "--mapping", str(RECEIPT / "receipt.mapping.toml"))
    again, _ = observe_file(run_cli, other, *args)
    assert again == receipt_observed[0]


def test_without_a_mapping_every_activity_is_a_step(run_cli, tmp_path):
    rows = generated_log(3, cases=30)
    log = write_csv(tmp_path / "log.csv", HEADER, rows)
    text, path = observe_file(run_cli, tmp_path, str(log))
    blueprint = load(path)
    assert list(blueprint.stages) == ["observed"]
    assert set(blueprint.steps) == {"a", "b", "c", "d", "e"}
    assert all(s.lane.value == "backstage" and s.evidence.value == "measured" for s in blueprint.steps.values())
    assert sum(1 for r in rows if r[1] == "A") >= blueprint.steps["a"].cases
    assert set(blueprint.orgs) == {"g1", "g2", "g3"}


@needs_receipt
def test_diff_reads_the_observed_blueprint(receipt_observed, run_cli):
    _, path = receipt_observed
    code, out, err = run_cli(
        "diff", str(RECEIPT / "receipt.intended.blueprint"), path, "--format", "json", "--fail-on", "never"
    )
    assert code == 0, err
    assert '"changes"' in out


def test_render_shows_the_measured_figures(run_cli, tmp_path):
    text = """blueprint "T"
variant observed
org a "A"
org b "B"
actor x "X" @a
actor y "Y" @b
stage s "S"
  backstage one "One" by x [evidence=measured, duration=2h, target=1h, cases=120]
  backstage two "Two" by y [evidence=measured, duration=65m, target=1h, cases=100]
  backstage four "Four" by y [evidence=measured, duration=1h, target=1d, cases=100]
  backstage three "Three" by y [cases=10]
flow one -> two [cases=100, wait=1d, owner=x]
flow one -> three [cases=10, owner=x]
"""
    path = tmp_path / "t.blueprint"
    path.write_text(text, encoding="utf-8")
    code, out, err = run_cli("render", str(path), "--format", "dot", "-o", "-")
    assert code == 0, err
    assert "median 2h · 120 cases" in out
    assert "✗ missed target 1h" in out and "≈ near target 1h" in out and "✓ met target 1d" in out
    assert "#cf222e" in out  # and in colour: the word and the symbol are there without it
    assert "100 cases" in out and "waits 1d" in out
    widths = [float(w) for w in re.findall(r'id="flow-one--(?:two|three)".*?penwidth=([\d.]+)', out)]
    assert len(widths) == 2 and widths[0] > widths[1]


def test_the_channel_comes_from_a_case_attribute(run_cli, tmp_path):
    rows = [
        ["a", "Register", "2024-01-01T09:00:00Z", "Web"],
        ["a", "Decide", "2024-01-01T10:00:00Z", ""],
        ["b", "Register", "2024-01-01T09:00:00Z", "Web"],
        ["c", "Register", "2024-01-01T09:00:00Z", "Counter"],
        ["d", "Register", "2024-01-01T09:00:00Z", "Kiosk"],
        ["e", "Register", "2024-01-01T09:00:00Z", "Kiosk"],
        ["f", "Register", "2024-01-01T09:00:00Z", "Kiosk"],
    ]
    log = write_csv(tmp_path / "log.csv", ["case", "activity", "timestamp", "case:channel"], rows)
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        'version = 1\n[channel]\nattribute = "case:channel"\nstep = "register"\n'
        'values = { "Web" = "web", "Counter" = "in-person" }\n',
        encoding="utf-8",
    )
    _, path = observe_file(run_cli, tmp_path, str(log), "--mapping", str(mapping))
    assert load(path).steps["register"].channel == "Kiosk"  # the most frequent value, unmapped: as is
    mapping.write_text(mapping.read_text(encoding="utf-8").replace('"Counter"', '"Kiosk"'), encoding="utf-8")
    _, path = observe_file(run_cli, tmp_path, str(log), "--mapping", str(mapping))
    assert load(path).steps["register"].channel == "in-person"


def test_activity_names_that_are_keywords_or_odd_still_give_a_valid_blueprint(run_cli, tmp_path):
    rows = [
        ["a", "Flow", "2024-01-01T09:00:00Z", "Stage", "complete"],
        ["a", "by", "2024-01-01T10:00:00Z", "note", "complete"],
        ["a", '42 — Ünïcode "quoted" [x]', "2024-01-01T11:00:00Z", "", "complete"],
        ["a", "!!!", "2024-01-01T12:00:00Z", "G", "complete"],
    ]
    log = write_csv(tmp_path / "log.csv", HEADER, rows)
    _, path = observe_file(run_cli, tmp_path, str(log))
    blueprint = load(path)
    assert set(blueprint.steps) == {"flow_step", "by_step", "x42_unicode_quoted_x", "x"}
    assert blueprint.steps["x42_unicode_quoted_x"].label == '42 — Ünïcode "quoted" [x]'


SMALL_PLAN = """blueprint "Small"
variant intended
org desk "Desk"
org back "Back office"
actor clerk "Clerk" @desk
actor officer "Officer" @back
stage intake "Intake"
  frontstage register "Register" by clerk
stage deciding "Deciding"
  backstage decide "Decide" by officer
flow register -> decide [owner=clerk]
"""


def test_step_rules_can_set_label_lane_stage_and_actor(run_cli, tmp_path):
    plan = tmp_path / "plan.blueprint"
    plan.write_text(SMALL_PLAN, encoding="utf-8")
    rows = [
        [f"c{n}", activity, f"2024-01-01T{9 + i:02d}:00:00Z", "G", "complete"]
        for n in range(3)
        for i, activity in enumerate(("Register", "Gossip", "Decide"))
    ]
    log = write_csv(tmp_path / "log.csv", HEADER, rows)
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        f"""version = 1
intended = "{plan.name}"
[[step]]
activity = "Register"
id = "register"
[[step]]
activity = "Gossip"
id = "gossip"
label = "Talks about the case"
lane = "frontstage"
stage = "deciding"
[[step]]
activity = "Decide"
id = "decide"
actor = "clerk"
""",
        encoding="utf-8",
    )
    _, path = observe_file(run_cli, tmp_path, str(log), "--mapping", str(mapping))
    blueprint = load(path)
    gossip = blueprint.steps["gossip"]
    assert (gossip.label, gossip.lane.value, gossip.stage) == ("Talks about the case", "frontstage", "deciding")
    assert blueprint.steps["decide"].actor == "clerk"
    mapping.write_text(
        mapping.read_text(encoding="utf-8").replace('actor = "clerk"', 'actor = "nobody"'), encoding="utf-8"
    )
    code, _, err = run_cli("observe", str(log), "--mapping", str(mapping), "-o", str(tmp_path / "again.blueprint"))
    assert code == 2 and "actor 'nobody' is not an actor of the intended blueprint" in err


def test_steps_done_in_either_order_are_a_note_not_two_flows(run_cli, tmp_path):
    rows = []
    for n in range(9):
        first, second = ("Check", "Pay") if n < 5 else ("Pay", "Check")
        for i, activity in enumerate(("Open", first, second)):
            rows.append([f"c{n}", activity, f"2024-01-01T{9 + i:02d}:00:00Z", "G", "complete"])
    log = write_csv(tmp_path / "log.csv", HEADER, rows)
    _, path = observe_file(run_cli, tmp_path, str(log))
    blueprint = load(path)
    keys = {f.key for f in blueprint.flows}
    assert ("check", "pay") not in keys and ("pay", "check") not in keys
    assert ("open", "check") in keys and ("open", "pay") in keys
    (note,) = [a for a in blueprint.annotations if a.kind == "note"]
    assert (
        note.text
        == "Done in either order with pay: before it in 5 cases, after it in 4 cases (read as parallel, not drawn)"
    )
