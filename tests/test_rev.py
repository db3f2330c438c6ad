"""`--rev REV FILE`: a blueprint compared with itself at a git revision, in a scratch repository."""

from __future__ import annotations

import json
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
    code, _, err = run_cli("report", "--rev", "HEAD", "service.blueprint", "service.blueprint")
    assert code == 2 and "exactly one FILE" in err
    code, _, err = run_cli("report", "--rev", "nosuch", "service.blueprint")
    assert code == 2 and "unknown git revision 'nosuch'" in err
