"""Output formats shared by diff and check: SARIF (against the 2.1.0 schema), JUnit, GitHub, Markdown,
exit codes, the baseline and `--rev`."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from conftest import CASES, ROOT, sample_files, sample_pairs

from blueprint_cli.formats import github, markdown
from blueprint_cli.formats.items import Item
from blueprint_cli.language.source import Span

# The official SARIF 2.1.0 schema (rtm.5), copied from the MIT-licensed npm package @microsoft/jest-sarif.
SARIF_SCHEMA = json.loads((Path(__file__).parent / "schemas/sarif-2.1.0.json").read_text(encoding="utf-8"))
HOSPITAL = [
    str(ROOT / "samples/hospital-discharge.intended.blueprint"),
    str(ROOT / "samples/hospital-discharge.observed.blueprint"),
]
CASE = CASES / "diff"


def _sarif_valid(text: str) -> dict:
    document = json.loads(text)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(document)
    return document


@pytest.mark.parametrize("pair", sample_pairs(), ids=lambda p: p[0].name.split(".")[0])
def test_diff_sarif_is_valid(pair, run_cli):
    code, out, _ = run_cli("diff", str(pair[0]), str(pair[1]), "--format", "sarif")
    assert code in (0, 1)
    document = _sarif_valid(out)
    run = document["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert run["results"], "the samples have drift"
    for result in run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        assert len(result["partialFingerprints"]["blueprintElement/v1"]) == 32
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri.endswith(".blueprint")


def test_check_sarif_is_valid_including_invalid_input(run_cli, tmp_path):
    bad = tmp_path / "bad file.blueprint"
    bad.write_text('blueprint "x"\nnonsense\n', encoding="utf-8")
    code, out, _ = run_cli("check", *[str(p) for p in sample_files()], str(bad), "--format", "sarif")
    assert code == 2
    document = _sarif_valid(out)
    ids = {r["ruleId"] for r in document["runs"][0]["results"]}
    assert "BP000" in ids and "BP101" in ids
    assert any(
        "bad%20file.blueprint" in r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in document["runs"][0]["results"]
        if r["ruleId"] == "BP000"
    )


def test_sarif_fingerprints_are_stable_across_line_moves(run_cli, tmp_path):
    intended = CASE / "handoff_owner_lost/intended.blueprint"
    observed = tmp_path / "observed.blueprint"
    text = (CASE / "handoff_owner_lost/observed.blueprint").read_text(encoding="utf-8")
    observed.write_text(text, encoding="utf-8")
    first = json.loads(run_cli("diff", str(intended), str(observed), "-f", "sarif")[1])
    observed.write_text("# a comment moves every line\n\n" + text, encoding="utf-8")
    second = json.loads(run_cli("diff", str(intended), str(observed), "-f", "sarif")[1])
    prints = [[r["partialFingerprints"] for r in d["runs"][0]["results"]] for d in (first, second)]
    assert prints[0] == prints[1] and prints[0]
    lines = [
        d["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] for d in (first, second)
    ]
    assert lines[1] == lines[0] + 2


def test_junit_parses_and_counts_failures(run_cli):
    code, out, _ = run_cli("diff", *HOSPITAL, "--format", "junit")
    assert code == 1
    suites = ET.fromstring(out.encode("utf-8"))
    cases = suites.findall(".//testcase")
    failures = suites.findall(".//failure")
    assert int(suites.get("tests")) == len(cases)
    assert int(suites.get("failures")) == len(failures) > 0
    assert all(f.get("type") == "error" for f in failures)
    code, out, _ = run_cli("diff", *HOSPITAL, "--format", "junit", "--fail-on", "note", "--exit-zero")
    assert code == 0
    assert int(ET.fromstring(out.encode("utf-8")).get("failures")) == len(
        ET.fromstring(out.encode("utf-8")).findall(".//testcase")
    )


def test_github_annotations_are_escaped_and_capped():
    span = Span("dir/a,b:c.blueprint", 3, 5, 3, 9)
    items = [
        Item(rule="step.missing", severity="error", ident=f"s{n}", message=f"50% lost\nline {n}", spans=(span,))
        for n in range(60)
    ]
    lines = github.lines(items)
    assert len(lines) == 11, "GitHub shows 10 errors per step; one notice says what was left out"
    assert (
        lines[0]
        == "::error file=dir/a%2Cb%3Ac.blueprint,line=3,col=5,endLine=3,endColumn=9,title=step.missing s0::50%25 lost%0Aline 0"
    )
    assert lines[-1].startswith("::notice title=More changes than GitHub shows::50 errors not shown")


def test_github_output_from_cli(run_cli):
    code, out, _ = run_cli("diff", *HOSPITAL, "--format", "github")
    assert code == 1
    lines = out.splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert lines[0].startswith("::error ")  # most severe first


def test_markdown_escapes_user_text():
    item = Item(
        rule="step.unplanned",
        severity="warning",
        ident="x",
        message="uses <script> & *stars* | pipes [link](u)",
        group="A `stage`",
    )
    text = markdown.document([item], title="T <b>", summary="1 warning")
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "\\*stars\\*" in text and "\\|" in text and "\\[link\\]" in text
    assert "## T &lt;b&gt;" in text


def test_markdown_from_cli_has_summary_and_tables(run_cli):
    code, out, _ = run_cli("diff", *HOSPITAL, "--format", "markdown", "--exit-zero")
    assert code == 0
    assert out.startswith("## Blueprint drift: Hospital discharge to home care")
    assert "| severity | kind | element | change | where |" in out
    assert "### Stage: Planning the discharge" in out


def test_text_output_has_summary_first_and_last_and_legend(run_cli):
    code, out, _ = run_cli("diff", *HOSPITAL)
    assert code == 1
    lines = [line for line in out.splitlines() if line.strip()]
    assert "intended steps delivered" in lines[0] and "intended steps delivered" in lines[-1]
    assert lines[1].startswith("legend:")
    assert "Stage: Admission" in out
    assert "[care_record → phone]" in out


def test_outputs_are_deterministic(run_cli):
    for fmt in ("text", "json", "sarif", "junit", "github", "markdown"):
        first = run_cli("diff", *HOSPITAL, "--format", fmt)[1]
        assert first == run_cli("diff", *HOSPITAL, "--format", fmt)[1], fmt


def test_diff_exit_codes(run_cli, tmp_path):
    same = str(CASE / "identical/intended.blueprint")
    assert run_cli("diff", same, str(CASE / "identical/observed.blueprint"))[0] == 0
    note_only = [str(CASE / "step_order/intended.blueprint"), str(CASE / "step_order/observed.blueprint")]
    assert run_cli("diff", *note_only)[0] == 0
    assert run_cli("diff", *note_only, "--fail-on", "note")[0] == 1
    assert run_cli("diff", *note_only, "--fail-on", "note", "--exit-zero")[0] == 0
    assert run_cli("diff", *HOSPITAL)[0] == 1
    assert run_cli("diff", *HOSPITAL, "--fail-on", "never")[0] == 0
    assert run_cli("diff", same)[0] == 2  # one file without --rev
    assert run_cli("diff", same, str(tmp_path / "missing.blueprint"), "--exit-zero")[0] == 2
    assert run_cli("diff", *HOSPITAL, "--format", "yaml")[0] == 2


def test_diff_writes_output_file(run_cli, tmp_path):
    target = tmp_path / "out" / "drift.json"
    code, out, _ = run_cli("diff", *HOSPITAL, "-f", "json", "-o", str(target), "--exit-zero")
    assert code == 0 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["version"] == 1


def test_baseline_round_trip(run_cli, tmp_path):
    baseline = tmp_path / "baseline.json"
    assert run_cli("diff", *HOSPITAL, "--write-baseline", str(baseline))[0] == 0
    assert json.loads(baseline.read_text(encoding="utf-8"))["command"] == "diff"
    code, out, _ = run_cli("diff", *HOSPITAL, "--baseline", str(baseline))
    assert code == 0, "all drift is accepted"
    assert "Accepted drift (in the baseline)" in out and "New drift: 0" in out
    # Drop one accepted error: it is new again, and an entry that no longer happens is resolved.
    data = json.loads(baseline.read_text(encoding="utf-8"))
    data["accepted"] = [e for e in data["accepted"] if not (e["rule"] == "step.missing" and e["id"] == "share")]
    data["accepted"].append({"rule": "step.missing", "id": "long_gone", "severity": "error", "message": "old"})
    baseline.write_text(json.dumps(data), encoding="utf-8")
    code, out, _ = run_cli("diff", *HOSPITAL, "--baseline", str(baseline))
    assert code == 1
    assert "New drift: 1" in out and "Resolved (in the baseline, no longer found): 1" in out and "long_gone" in out
    document = json.loads(run_cli("diff", *HOSPITAL, "--baseline", str(baseline), "-f", "json")[1])
    assert [c["id"] for c in document["changes"] if c["baseline"] == "new"] == ["share"]
    assert [r["id"] for r in document["resolved"]] == ["long_gone"]
    sarif = _sarif_valid(run_cli("diff", *HOSPITAL, "--baseline", str(baseline), "-f", "sarif")[1])
    assert {r["baselineState"] for r in sarif["runs"][0]["results"]} == {"new", "unchanged"}


def test_bad_baseline_is_a_clear_error(run_cli, tmp_path):
    broken = tmp_path / "b.json"
    broken.write_text("{not json", encoding="utf-8")
    code, _, err = run_cli("diff", *HOSPITAL, "--baseline", str(broken))
    assert code == 2 and "not valid JSON" in err
    code, _, err = run_cli("diff", *HOSPITAL, "--baseline", str(tmp_path / "none.json"))
    assert code == 2 and "no such baseline" in err
    check_baseline = tmp_path / "c.json"
    run_cli("check", str(sample_files()[0]), "--write-baseline", str(check_baseline))
    code, _, err = run_cli("diff", *HOSPITAL, "--baseline", str(check_baseline))
    assert code == 2 and "blueprint check" in err


def test_check_baseline(run_cli, tmp_path):
    baseline = tmp_path / "baseline.json"
    files = [str(p) for p in sample_files()]
    assert run_cli("check", *files, "--fail-on", "note", "--write-baseline", str(baseline))[0] == 0
    code, out, _ = run_cli("check", *files, "--fail-on", "note", "--baseline", str(baseline))
    assert code == 0 and "accepted (in the baseline)" in out


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_rev_compares_with_a_git_revision(run_cli, tmp_path):
    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    git("init", "-q")
    git("config", "user.email", "t@example.invalid")
    git("config", "user.name", "t")
    target = tmp_path / "service.blueprint"
    target.write_text((CASE / "step_missing/intended.blueprint").read_text(encoding="utf-8"), encoding="utf-8")
    git("add", "service.blueprint")
    git("commit", "-qm", "intended")
    target.write_text((CASE / "step_missing/observed.blueprint").read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run_cli("diff", "--rev", "HEAD", str(target), "-f", "json")
    assert code == 1
    document = json.loads(out)
    assert [(c["kind"], c["id"]) for c in document["changes"]] == [("step.missing", "call")]
    assert document["intended"]["path"].endswith("service.blueprint@HEAD")
    code, _, err = run_cli("diff", "--rev", "nosuchrev", str(target))
    assert code == 2 and "unknown git revision 'nosuchrev'" in err
    code, _, err = run_cli("diff", "--rev", "HEAD", str(tmp_path / "other.blueprint"))
    assert code == 2 and "does not exist at revision" in err


def test_rev_outside_a_repository(run_cli, tmp_path):
    target = tmp_path / "service.blueprint"
    target.write_text((CASE / "identical/intended.blueprint").read_text(encoding="utf-8"), encoding="utf-8")
    if subprocess.run(["git", "rev-parse"], cwd=tmp_path, capture_output=True).returncode == 0:
        pytest.skip("the temporary folder is inside a git repository")
    code, _, err = run_cli("diff", "--rev", "HEAD", str(target))
    assert code == 2 and "not inside a git repository" in err


def test_unwritable_output_is_a_usage_error(run_cli, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code, _, err = run_cli("diff", *HOSPITAL, "--write-baseline", str(blocker / "b.json"))
    assert code == 2 and "cannot write" in err
    code, _, err = run_cli("check", str(sample_files()[0]), "-f", "json", "-o", str(blocker / "c.json"))
    assert code == 2 and "cannot write" in err


@pytest.mark.parametrize("case", ["step_org", "annotations_added", "handoff_owner_lost"])
@pytest.mark.parametrize("fmt,suffix", [("text", "txt"), ("markdown", "md"), ("github", "github")])
def test_output_golden(case, fmt, suffix, run_cli, monkeypatch):
    """Whole outputs of a few cases, reviewed once; paths relative so the files are portable."""
    from conftest import assert_golden

    monkeypatch.chdir(CASE / case)
    code, out, _ = run_cli("diff", "intended.blueprint", "observed.blueprint", "--format", fmt, "--exit-zero")
    assert code == 0
    assert_golden(out, CASE / case / f"expected.{suffix}")
