"""The project's pre-commit hooks, run by pre-commit itself on a scratch repository.

pre-commit installs the hooks from a copy of this checkout (committed in a temporary clone, so
uncommitted work is what is tested) into its own environment, as it would for any user.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]
pre_commit = pytest.importorskip("pre_commit", reason="pre-commit is in the test extras")

FRAGMENT = """# shared declarations
org clinic "Clinic"

actor nurse "Nurse" @clinic

system record "Patient record" @clinic
"""
VISIT = """blueprint "Clinic visit"

include "shared/people.blueprint"

actor patient "Patient" customer

stage visit "Visit"
  customer arrive "Arrives" by patient -> see
  frontstage see "Sees the patient" by nurse uses record
"""
# Parses (so `fmt` accepts it) but is invalid (unknown actor): only the exclude pattern keeps `check` green.
DRAFT = VISIT.replace("by nurse uses record", "by nobody")
CONFIG = 'exclude = ["drafts/**"]\nfail-on = "warning"\n'


def _git(*args: str, cwd: Path) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


def _init(path: Path) -> None:
    _git("init", "-q", cwd=path)
    _git("config", "user.email", "test@example.invalid", cwd=path)
    _git("config", "user.name", "test", cwd=path)
    _git("config", "commit.gpgsign", "false", cwd=path)


@pytest.fixture(scope="module")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This checkout as it is now (tracked and new files), committed in a clone: (path, commit)."""
    clone = tmp_path_factory.mktemp("hooks") / "repo"
    clone.mkdir()
    _init(clone)
    listed = _git("ls-files", "-z", "-co", "--exclude-standard", cwd=ROOT).split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / name)
    _git("add", "-A", cwd=clone)
    _git("commit", "-qm", "hooks under test", cwd=clone)
    return clone, _git("rev-parse", "HEAD", cwd=clone).strip()


@pytest.fixture
def scratch(tmp_path: Path, hooks_repo: tuple[Path, str]) -> Path:
    repo = tmp_path / "service-designs"
    (repo / "shared").mkdir(parents=True)
    (repo / "drafts").mkdir()
    _init(repo)
    (repo / "shared" / "people.blueprint").write_text(FRAGMENT, encoding="utf-8")
    (repo / "visit.blueprint").write_text(VISIT, encoding="utf-8")
    (repo / "drafts" / "wip.blueprint").write_text(DRAFT, encoding="utf-8")
    (repo / "blueprint.toml").write_text(CONFIG, encoding="utf-8")
    path, commit = hooks_repo
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {path.as_posix()}\n    rev: {commit}\n    hooks:\n"
        "      - id: blueprint-fmt\n      - id: blueprint-check\n      - id: blueprint-diff\n",
        encoding="utf-8",
    )
    _git("add", "-A", cwd=repo)
    return repo


def _run_hooks(repo: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PRE_COMMIT_HOME"] = str(repo.parent.parent / "pre-commit-home")  # shared by this module's tests
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never", *extra],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def test_a_repository_with_a_fragment_and_a_config_passes(scratch):
    done = _run_hooks(scratch)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "blueprint fmt" in done.stdout and "blueprint check" in done.stdout
    assert done.stdout.count("Passed") == 2


def test_the_hooks_fail_on_a_broken_blueprint_and_reformat_a_messy_one(scratch):
    visit = scratch / "visit.blueprint"
    visit.write_text(VISIT.replace("by nurse uses record", "by nures uses record"), encoding="utf-8")
    fragment = scratch / "shared" / "people.blueprint"
    fragment.write_text(FRAGMENT.replace('org clinic "Clinic"', 'org   clinic    "Clinic"'), encoding="utf-8")
    _git("add", "-A", cwd=scratch)
    done = _run_hooks(scratch)
    assert done.returncode == 1
    line = VISIT.splitlines().index('  frontstage see "Sees the patient" by nurse uses record') + 1
    assert f"visit.blueprint:{line}:" in done.stdout and "did you mean 'nurse'?" in done.stdout
    assert "files were modified by this hook" in done.stdout
    assert fragment.read_text(encoding="utf-8") == FRAGMENT, "fmt rewrote the fragment in the canonical layout"


def test_the_diff_hook_reports_drift_made_through_a_fragment(scratch):
    _git("commit", "-qm", "base", cwd=scratch)
    fragment = scratch / "shared" / "people.blueprint"
    moved = FRAGMENT.replace('org clinic "Clinic"\n', 'org clinic "Clinic"\norg council "Council"\n')
    fragment.write_text(moved.replace('"Nurse" @clinic', '"Nurse" @council'), encoding="utf-8")
    done = _run_hooks(scratch, "blueprint-diff", "--hook-stage", "manual")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "visit.blueprint@HEAD → visit.blueprint" in done.stdout
    assert "step.org" in done.stdout and "moved from Clinic to Council" in done.stdout
