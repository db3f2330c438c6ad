"""Baselines stay honest: annotation ids survive reordering, check scopes survive path spelling, stdin once."""

from __future__ import annotations

import json

from blueprint_cli.compare import compare
from blueprint_cli.language.resolve import load_text

BASE = """blueprint "Queue"
variant {variant}
org clinic "Clinic"
actor p "Patient" customer
actor s "Staff" @clinic
stage one "One"
  customer a "Asks for help" by p
  frontstage b "Answers" by s
flow a -> b
"""
LOW = 'pain a "Queue is long" [severity=low]\n'
HIGH = 'pain a "Staff are rude" [severity=high]\n'


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_inserted_pain_is_not_accepted_by_the_baseline(run_cli, tmp_path):
    intended = _write(tmp_path, "i.blueprint", BASE.format(variant="intended"))
    observed = _write(tmp_path, "o.blueprint", BASE.format(variant="observed") + LOW)
    baseline = str(tmp_path / "b.json")
    assert run_cli("diff", intended, observed, "--write-baseline", baseline)[0] in (0, 1)
    _write(tmp_path, "o.blueprint", BASE.format(variant="observed") + HIGH + LOW)
    code, out, _ = run_cli("diff", intended, observed, "--baseline", baseline, "-f", "json")
    document = json.loads(out)
    statuses = {c["observed"]["text"]: c["baseline"] for c in document["changes"] if c["kind"] == "pain.added"}
    assert statuses == {"Staff are rude": "new", "Queue is long": "accepted"}
    assert code == 1
    sarif = json.loads(run_cli("diff", intended, observed, "--baseline", baseline, "-f", "sarif")[1])
    states = {("rude" in r["message"]["text"]): r["baselineState"] for r in sarif["runs"][0]["results"]}
    assert states == {True: "new", False: "unchanged"}
    fingerprints = [r["partialFingerprints"] for r in sarif["runs"][0]["results"]]
    assert len(fingerprints) == 2 and fingerprints[0] != fingerprints[1]


def test_annotation_ids_come_from_the_text_and_repeats_are_numbered():
    intended = load_text(BASE.format(variant="intended"), "i.blueprint")
    first = compare(intended, load_text(BASE.format(variant="observed") + LOW, "o.blueprint"))
    moved = compare(intended, load_text(BASE.format(variant="observed") + HIGH + LOW, "o.blueprint"))
    low_id = [c.id for c in first.changes if c.kind == "pain.added"]
    assert len(low_id) == 1 and low_id[0].startswith("a#pain:")
    assert low_id[0] in {c.id for c in moved.changes}
    same = 'pain a "Queue is  LONG" [severity=high]\n'
    twice = compare(intended, load_text(BASE.format(variant="observed") + LOW + same, "o.blueprint"))
    ids = [c.id for c in twice.changes if c.kind == "pain.added"]
    assert ids == [low_id[0], low_id[0] + "~2"]


def test_check_baseline_does_not_depend_on_how_the_path_is_typed(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, "loop.blueprint", BASE.format(variant="intended") + 'actor unused "Unused" @clinic\n')
    assert run_cli("check", "loop.blueprint", "--write-baseline", "cb.json")[0] in (0, 1)
    assert json.loads((tmp_path / "cb.json").read_text(encoding="utf-8"))["accepted"], "the case needs a finding"
    for spelling in ("./loop.blueprint", str(tmp_path / "loop.blueprint"), "../" + tmp_path.name + "/loop.blueprint"):
        code, out, _ = run_cli("check", spelling, "--baseline", "cb.json", "-f", "json")
        document = json.loads(out)
        assert document["summary"]["warning"] + document["summary"]["error"] + document["summary"]["note"] == 0, (
            spelling
        )
        assert {f["baseline"] for f in document["files"][0]["findings"]} == {"accepted"}, spelling
        assert document["resolved"] == [], spelling
        code, out, _ = run_cli("check", spelling, "--baseline", "cb.json")
        assert "accepted (in the baseline): 1" in out and "✓" in out and "unused" not in out.split("accepted")[0], (
            spelling
        )


def test_diff_rejects_standard_input_twice(run_cli):
    code, out, err = run_cli("diff", "-", "-")
    assert code == 2
    assert "standard input" in err and "once" in err
    assert "empty blueprint" not in err and "Traceback" not in err
