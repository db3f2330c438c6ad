"""`python -m blueprint_cli.changed BASE PATH...`: the blueprints a change touched, through their includes too."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from blueprint_cli.changed import main, touched
from blueprint_cli.failures import Failure

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

FRAGMENT = 'org clinic "Clinic"\nactor nurse "Nurse" @clinic\n'
VISIT = """blueprint "Visit"
include "shared/people.blueprint"
actor patient "Patient" customer
stage visit "Visit"
  customer come "Comes in" by patient -> see
  frontstage see "Sees the patient" by nurse
"""


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "people.blueprint").write_text(FRAGMENT, encoding="utf-8")
    (tmp_path / "visit.blueprint").write_text(VISIT, encoding="utf-8")
    (tmp_path / "other.blueprint").write_text(
        VISIT.replace("include", "# no include").replace("by nurse", ""), encoding="utf-8"
    )
    _git("init", "-q", cwd=tmp_path)
    _git("-c", "user.email=t@example.invalid", "-c", "user.name=t", "add", "-A", cwd=tmp_path)
    _git("-c", "user.email=t@example.invalid", "-c", "user.name=t", "commit", "-qm", "base", cwd=tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_nothing_changed_lists_nothing(repo):
    assert touched("HEAD", ["."]) == []


def test_a_change_in_an_included_file_lists_the_blueprints_that_include_it(repo):
    (repo / "shared" / "people.blueprint").write_text(FRAGMENT.replace('"Nurse"', '"Staff nurse"'), encoding="utf-8")
    assert touched("HEAD", ["."]) == ["visit.blueprint"]


def test_own_changes_count_and_new_files_do_not(repo, capsys):
    (repo / "other.blueprint").write_text(
        (repo / "other.blueprint").read_text(encoding="utf-8").replace('"Visit"', '"Clinic visit"'), encoding="utf-8"
    )
    (repo / "new.blueprint").write_text(VISIT, encoding="utf-8")
    assert touched("HEAD", ["."]) == ["other.blueprint"]
    assert main(["HEAD"]) == 0 and capsys.readouterr().out == "other.blueprint\n"


def test_an_unknown_revision_is_a_clear_error(repo, capsys):
    with pytest.raises(Failure, match="cannot compare with 'nosuch'"):
        touched("nosuch", ["."])
    assert main(["nosuch", "."]) == 2 and "cannot compare with 'nosuch'" in capsys.readouterr().err
