"""`--rev REV FILE`: a blueprint compared with itself at a git revision, in a scratch repository."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import SAMPLES

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@example.invalid", "-c", "user.name=t", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def hospital(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """service.blueprint committed as the intended sample, then changed to the observed one."""
    _git("init", "-q", cwd=tmp_path)
    service = tmp_path / "service.blueprint"
    shutil.copy(SAMPLES / "hospital-discharge.intended.blueprint", service)
    _git("add", "-A", cwd=tmp_path)
    _git("commit", "-qm", "intended", cwd=tmp_path)
    shutil.copy(SAMPLES / "hospital-discharge.observed.blueprint", service)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.skipif(shutil.which("neato") is None, reason="the report draws with Graphviz")
def test_report_rev_compares_with_the_revision(run_cli, hospital):
    code, out, err = run_cli("report", "--rev", "HEAD", "service.blueprint")
    assert code == 0, err
    page = (hospital / "service.report.html").read_text(encoding="utf-8")
    code, out, _ = run_cli("diff", "--rev", "HEAD", "service.blueprint", "-f", "json", "--exit-zero")
    changes = json.loads(out)["changes"]
    anchors = {f'id="change-{c["kind"].replace(".", "-")}-{c["id"]}"' for c in changes if c["id"].isidentifier()}
    assert anchors and all(a in page for a in anchors), "the report lists the same drift"


def test_report_rev_usage_errors(run_cli, hospital):
    code, _, err = run_cli("report", "--rev", "HEAD", "-", "service.blueprint")
    assert code == 2 and "standard input" in err
    code, _, err = run_cli("report", "--rev", "nosuch", "service.blueprint")
    assert code == 2 and "unknown git revision 'nosuch'" in err


PEOPLE = 'org clinic "Clinic"\norg council "Council"\n\nactor nurse "Nurse" @clinic\n\nactor carer "Carer" @council\n'
VISIT = """blueprint "Clinic visit"

include "../shared/people.blueprint"

actor patient "Patient" customer

stage visit "Visit"
  customer come "Comes in" by patient -> see
  frontstage see "Sees the patient" by nurse -> visit_home
  frontstage visit_home "Visits at home" by carer

stage after "After"
  backstage write "Writes it up" by nurse
"""


@pytest.fixture
def with_include(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """svc/visit.blueprint includes shared/people.blueprint; both committed."""
    (tmp_path / "svc").mkdir()
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "people.blueprint").write_text(PEOPLE, encoding="utf-8")
    (tmp_path / "svc" / "visit.blueprint").write_text(VISIT, encoding="utf-8")
    _git("init", "-q", cwd=tmp_path)
    _git("add", "-A", cwd=tmp_path)
    _git("commit", "-qm", "base", cwd=tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _github_files(out: str) -> list[str]:
    return re.findall(r"^::\w+ file=([^,]+),", out, re.M)


def _sarif_uris(out: str) -> list[str]:
    run = json.loads(out)["runs"][0]
    locations = [loc for r in run["results"] for loc in r.get("locations", []) + r.get("relatedLocations", [])]
    return [loc["physicalLocation"]["artifactLocation"]["uri"] for loc in locations]


def test_a_change_only_in_an_included_file_is_seen(run_cli, with_include):
    people = with_include / "shared" / "people.blueprint"
    people.write_text(PEOPLE.replace('"Nurse" @clinic', '"Nurse" @council'), encoding="utf-8")
    code, out, err = run_cli("diff", "--rev", "HEAD", "svc/visit.blueprint", "-f", "json")
    assert code in (0, 1), err
    changes = {(c["kind"], c["id"]) for c in json.loads(out)["changes"]}
    assert ("step.org", "see") in changes and ("step.org", "write") in changes
    assert json.loads(out)["intended"]["path"] == "svc/visit.blueprint@HEAD"
    github = run_cli("diff", "--rev", "HEAD", "svc/visit.blueprint", "-f", "github", "--exit-zero")[1]
    sarif = run_cli("diff", "--rev", "HEAD", "svc/visit.blueprint", "-f", "sarif", "--exit-zero")[1]
    named = _github_files(github) + _sarif_uris(sarif)
    assert named and all(Path(p).is_file() for p in named), named
    assert not any("@" in p for p in named)


def test_unchanged_include_means_no_drift(run_cli, with_include):
    code, out, _ = run_cli("diff", "--rev", "HEAD", "svc/visit.blueprint", "-f", "json")
    assert code == 0 and json.loads(out)["changes"] == []


def test_a_change_seen_only_at_the_revision_names_the_revision(run_cli, with_include):
    visit = with_include / "svc" / "visit.blueprint"
    visit.write_text(VISIT.replace('  backstage write "Writes it up" by nurse\n', ""), encoding="utf-8")
    github = run_cli("diff", "--rev", "HEAD", "svc/visit.blueprint", "-f", "github", "--exit-zero")[1]
    line = VISIT.splitlines().index('  backstage write "Writes it up" by nurse') + 1
    missing = [a for a in github.splitlines() if "title=step.missing write" in a]
    assert len(missing) == 1
    assert f"file=svc/visit.blueprint,line={line}," in missing[0]
    assert missing[0].endswith(f"(line {line} at revision HEAD)")


def test_an_include_invalid_at_the_revision_is_located_and_says_so(run_cli, with_include):
    people = with_include / "shared" / "people.blueprint"
    people.write_text(PEOPLE.replace("@clinic", "@clinik"), encoding="utf-8")
    _git("commit", "-qam", "typo", cwd=with_include)
    people.write_text(PEOPLE, encoding="utf-8")
    code, _, err = run_cli("diff", "--rev", "HEAD", "svc/visit.blueprint")
    assert code == 2
    assert "shared/people.blueprint:4:" in err and "(at revision HEAD)" in err and "did you mean 'clinic'" in err


def test_diff_rev_over_a_folder_compares_what_changed_directly_or_through_an_include(run_cli, with_include):
    (with_include / "svc" / "other.blueprint").write_text(
        VISIT.replace('"Clinic visit"', '"Other visit"'), encoding="utf-8"
    )
    _git("add", "-A", cwd=with_include)
    _git("commit", "-qm", "other", cwd=with_include)
    code, out, err = run_cli("diff", "--rev", "HEAD", ".", "-f", "sarif")
    assert code == 0 and json.loads(out)["runs"][0]["results"] == [], "nothing changed: one empty run"
    assert "no blueprint under . changed since HEAD" in err
    people = with_include / "shared" / "people.blueprint"
    people.write_text(PEOPLE.replace('"Nurse" @clinic', '"Nurse" @council'), encoding="utf-8")
    (with_include / "svc" / "new.blueprint").write_text(VISIT, encoding="utf-8")  # new since HEAD: not compared
    code, out, err = run_cli("diff", "--rev", "HEAD", ".", "-f", "sarif", "--exit-zero")
    runs = json.loads(out)["runs"]
    assert [r["automationDetails"]["id"] for r in runs] == [
        "blueprint/diff/svc/other.blueprint/",
        "blueprint/diff/svc/visit.blueprint/",
    ]
    assert all(r["results"] for r in runs)
    github = run_cli("diff", "--rev", "HEAD", "svc", "shared", "-f", "github", "--exit-zero")[1]
    assert sorted(set(_github_files(github))) == ["svc/other.blueprint", "svc/visit.blueprint"]
    markdown = run_cli("diff", "--rev", "HEAD", ".", "-f", "markdown", "--exit-zero")[1]
    assert markdown.count("## Blueprint drift: ") == 2 and "since HEAD" in markdown


def test_diff_rev_over_a_folder_refuses_what_needs_one_comparison(run_cli, with_include):
    code, _, err = run_cli("diff", "--rev", "HEAD", ".", "-f", "json")
    assert code == 2 and "describes one comparison" in err
    code, _, err = run_cli("diff", "--rev", "HEAD", ".", "--baseline", "b.json")
    assert code == 2 and "give one FILE" in err


@pytest.mark.skipif(shutil.which("neato") is None, reason="the report draws with Graphviz")
def test_report_rev_over_a_folder_writes_a_page_per_changed_blueprint(run_cli, with_include, tmp_path):
    (with_include / "svc" / "other.blueprint").write_text(
        VISIT.replace("../shared/people", "../shared/people"), encoding="utf-8"
    )
    _git("add", "-A", cwd=with_include)
    _git("commit", "-qm", "other", cwd=with_include)
    visit = with_include / "svc" / "visit.blueprint"
    visit.write_text(VISIT.replace('"Writes it up"', '"Writes the notes up"'), encoding="utf-8")
    pages = tmp_path / "pages"
    code, out, err = run_cli("report", "--rev", "HEAD", ".", "-o", str(pages))
    assert code == 0, err
    assert sorted(p.relative_to(pages).as_posix() for p in pages.rglob("*.html")) == ["svc/visit.report.html"]
    code, _, err = run_cli("report", "svc", "-o", str(pages))
    assert code == 0, err
    assert sorted(p.relative_to(pages).as_posix() for p in pages.rglob("*.html")) == [
        "svc/other.report.html",
        "svc/visit.report.html",
    ]
