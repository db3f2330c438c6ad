"""The check rules: one failing and one passing blueprint per rule, selection, docs, and the CLI."""

from __future__ import annotations

import json

import jsonschema
import pytest
from conftest import CASES, ROOT, assert_golden, sample_files

from blueprint_cli.checks import Options, SelectionError, all_rules, readme_table, run, select
from blueprint_cli.language.resolve import load

RULE_CASES = sorted(p for p in (CASES / "check").iterdir() if p.is_dir())
RULES = {r.code: r for r in all_rules()}


def test_every_rule_has_a_case():
    assert {c.name.split("-")[0] for c in RULE_CASES} == set(RULES)


@pytest.mark.parametrize("case", RULE_CASES, ids=[c.name for c in RULE_CASES])
def test_rule_fails_on_the_bad_blueprint(case):
    code = case.name.split("-")[0]
    findings = run(load(case / "fail.blueprint"), chosen=[RULES[code]])
    assert findings, f"{code} found nothing in its failing case"
    assert {f.code for f in findings} == {code}
    rows = [
        {
            "code": f.code,
            "name": f.name,
            "severity": f.severity,
            "id": f.id,
            "line": f.span.line,
            "message": f.message,
            "hint": f.hint,
        }
        for f in findings
    ]
    assert_golden(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", case / "expected.json")


PASS_FILES = [p for case in RULE_CASES for p in sorted(case.glob("pass*.blueprint"))]


def test_every_case_has_a_passing_file():
    assert all((case / "pass.blueprint").exists() for case in RULE_CASES)


@pytest.mark.parametrize("path", PASS_FILES, ids=[f"{p.parent.name}/{p.name}" for p in PASS_FILES])
def test_rule_passes_on_the_good_blueprint(path):
    """pass.blueprint, plus any pass-<situation>.blueprint a rule once got wrong (e.g. BP104 loops)."""
    code = path.parent.name.split("-")[0]
    assert run(load(path), chosen=[RULES[code]]) == []


def test_rules_are_documented():
    for rule in all_rules():
        assert rule.code.startswith("BP") and len(rule.code) == 5
        assert rule.severity in ("error", "warning", "note")
        assert rule.summary.endswith(".")
        assert rule.section("Anti-pattern") and rule.section("Best practice"), rule.code


def test_select_and_ignore():
    assert [r.code for r in select(include=["BP101,unused-actor"])] == ["BP101", "BP106"]
    assert "BP105" not in [r.code for r in select(exclude=["dead-end"])]
    assert [r.code for r in select(include=["BP10"], exclude=["BP109"])] == [f"BP10{n}" for n in range(1, 9)]
    with pytest.raises(SelectionError, match="did you mean 'BP102'"):
        select(include=["BP1O2"])


def test_assumed_share_threshold_is_an_option():
    blueprint = load(CASES / "check/BP109-assumed-share/fail.blueprint")
    assert run(blueprint, chosen=[RULES["BP109"]], options=Options(max_assumed=1.0)) == []


def test_readme_rules_table_is_current():
    from test_compare import _check_readme_block

    _check_readme_block("rules", readme_table())


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_samples_have_no_rule_errors(path):
    """The rules are warnings and notes: a sample never fails `check` with the default --fail-on."""
    assert all(f.severity != "error" for f in run(load(path)))


def test_cli_fail_on_and_exit_zero(run_cli):
    bad = str(CASES / "check/BP101-unowned-join/fail.blueprint")
    assert run_cli("check", bad)[0] == 0
    code, out, _ = run_cli("check", bad, "--fail-on", "warning")
    assert code == 1 and "BP101" in out
    assert run_cli("check", bad, "--fail-on", "warning", "--exit-zero")[0] == 0
    assert run_cli("check", bad, "--fail-on", "warning", "--ignore", "BP101")[0] == 0
    assert run_cli("check", bad, "--fail-on", "warning", "--select", "BP106")[0] == 0


def test_cli_unknown_rule_is_usage_error(run_cli):
    code, _, err = run_cli("check", str(CASES / "check/BP101-unowned-join/pass.blueprint"), "--select", "BP999")
    assert code == 2 and "unknown rule" in err


def test_cli_invalid_input_exits_2_even_with_exit_zero(run_cli, tmp_path):
    bad = tmp_path / "bad.blueprint"
    bad.write_text('blueprint "x"\nstage s "S"\n  frontstage a "A" by nobody\n', encoding="utf-8")
    code, _, err = run_cli("check", str(bad), "--exit-zero")
    assert code == 2 and "nobody" in err
    code, out, _ = run_cli("check", str(bad), "--format", "sarif")
    assert code == 2 and "BP000" in out


def test_cli_json_matches_schema(run_cli, tmp_path):
    schema = json.loads((ROOT / "schemas/check.schema.json").read_text(encoding="utf-8"))
    bad = tmp_path / "bad.blueprint"
    bad.write_text("nonsense here\n", encoding="utf-8")
    code, out, _ = run_cli(
        "check", *[str(p) for p in sample_files()], str(bad), str(tmp_path / "missing.blueprint"), "--format", "json"
    )
    assert code == 2
    document = json.loads(out)
    jsonschema.Draft202012Validator(schema).validate(document)
    assert [f["valid"] for f in document["files"]][-2:] == [False, False]
    assert any(f["findings"] for f in document["files"])
