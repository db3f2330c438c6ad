"""Folders as arguments and include fragments (files of shared declarations, no `blueprint` line)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SAMPLES

from blueprint_cli.inputs import excluded, expand

FRAGMENT = 'org clinic "Clinic"\nactor nurse "Nurse" @clinic\nsystem record "Record" @clinic\n'
SERVICE = """blueprint "Visit"
include "shared/people.blueprint"
actor patient "Patient" customer
stage visit "Visit"
  customer come "Comes in" by patient -> see
  frontstage see "Sees the patient" by nurse uses record
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "blueprint.toml").write_text("", encoding="utf-8")  # the project: includes may use ../
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "people.blueprint").write_text(FRAGMENT, encoding="utf-8")
    (tmp_path / "visit.blueprint").write_text(SERVICE, encoding="utf-8")
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "old.blueprint").write_text(SERVICE.replace("shared/", "../shared/"), encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "skip.blueprint").write_text("not a blueprint", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not searched", encoding="utf-8")
    return tmp_path


def test_expand_finds_blueprints_under_folders_sorted(tree):
    found = expand([str(tree)])
    assert [Path(p).relative_to(tree).as_posix() for p in found] == [
        "legacy/old.blueprint",
        "shared/people.blueprint",
        "visit.blueprint",
    ]
    assert expand([str(tree / "visit.blueprint"), str(tree)]).count(str(tree / "visit.blueprint")) == 1


def test_exclude_patterns_drop_found_files_not_named_ones(tree, monkeypatch):
    monkeypatch.chdir(tree)
    assert expand(["."], exclude=["legacy/**"]) == ["shared/people.blueprint", "visit.blueprint"]
    assert expand(["."], exclude=["legacy"]) == ["shared/people.blueprint", "visit.blueprint"]
    assert expand(["."], exclude=["*people*"]) == ["legacy/old.blueprint", "visit.blueprint"]
    assert expand(["legacy/old.blueprint"], exclude=["legacy/**"]) == ["legacy/old.blueprint"]
    assert excluded("legacy/old.blueprint", ["legacy/**"]) and not excluded("visit.blueprint", ["legacy/**"])


def test_a_folder_without_blueprints_is_reported_at_its_name(run_cli, tmp_path):
    assert expand([str(tmp_path)]) == [str(tmp_path)]
    code, _, err = run_cli("check", str(tmp_path))
    assert code == 2 and f"{tmp_path}: error: is a directory" in err


def test_check_a_folder_validates_the_fragment_and_says_so(run_cli, tree):
    code, out, err = run_cli("check", str(tree))
    assert code == 0, err
    assert "people.blueprint: valid include fragment — 1 org, 1 actor, 1 system, 0 outcomes" in out
    assert "visit.blueprint: valid intended blueprint" in out and "skip.blueprint" not in out + err
    document = json.loads(run_cli("check", str(tree), "-f", "json")[1])
    assert [f["valid"] for f in document["files"]] == [True, True, True]
    assert [f.get("fragment", False) for f in document["files"]] == [False, True, False]
    import jsonschema
    from conftest import ROOT

    schema = json.loads((ROOT / "schemas/check.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(document)


def test_a_broken_fragment_is_reported_at_its_own_lines(run_cli, tree):
    fragment = tree / "shared" / "people.blueprint"
    fragment.write_text(FRAGMENT.replace("@clinic\nsystem", "@clinik\nsystem"), encoding="utf-8")
    code, _, err = run_cli("check", str(fragment))
    assert code == 2
    assert f"{fragment}:2:" in err and "did you mean 'clinic'" in err
    assert "missing 'blueprint' line" not in err


def test_a_file_with_steps_and_no_blueprint_line_is_still_an_error(run_cli, tmp_path):
    stray = tmp_path / "stray.blueprint"
    stray.write_text('stage s "S"\n  customer a "A"\n', encoding="utf-8")
    code, _, err = run_cli("check", str(stray))
    assert code == 2 and "missing 'blueprint' line" in err


def test_render_skips_fragments_with_a_note(run_cli, tree, tmp_path):
    out_dir = tmp_path / "pictures"
    out_dir.mkdir()
    code, out, err = run_cli("render", str(tree), "--format", "dot", "-o", str(out_dir), "--exit-zero")
    assert code == 2, "--exit-zero is not a render option"
    code, out, err = run_cli(
        "render", str(tree / "shared"), str(tree / "visit.blueprint"), "-f", "dot", "-o", str(out_dir)
    )
    assert code == 0, err
    assert "include fragment" in err and "skipped" in err
    assert sorted(p.name for p in out_dir.iterdir()) == ["visit.dot"]


def test_fmt_takes_folders(run_cli, tree):
    named = (str(tree / "shared"), str(tree / "visit.blueprint"))
    code, _, err = run_cli("fmt", "--check", *named)
    assert code == 1 and "would reformat" in err and "2 of 2 files" in err
    assert run_cli("fmt", *named)[0] == 0
    code, _, err = run_cli("fmt", "--check", *named)
    assert code == 0 and "2 files already formatted" in err


def test_commands_that_need_a_blueprint_refuse_a_fragment_clearly(run_cli, tree):
    code, _, err = run_cli("export", str(tree / "shared" / "people.blueprint"))
    assert code == 2 and "include fragment" in err and "Traceback" not in err


def test_the_samples_folder_checks_clean(run_cli):
    code, out, err = run_cli("check", str(SAMPLES), "--exit-zero")
    assert code == 0, err
    assert "nhs-orgs.blueprint: valid include fragment" in out


def test_export_a_folder_into_a_folder(run_cli, tree, tmp_path, monkeypatch):
    monkeypatch.chdir(tree)
    every, some = tmp_path / "every", tmp_path / "some"
    code, _, err = run_cli("export", ".", "-o", str(every))
    assert code == 0, err
    files = sorted(p.relative_to(every).as_posix() for p in every.rglob("*.json"))
    assert files == ["legacy/old.json", "visit.json"], "fragments are left out"
    (tree / "blueprint.toml").write_text('exclude = ["legacy/**"]\n', encoding="utf-8")
    code, _, err = run_cli("export", ".", "-o", str(some))
    assert code == 0, err
    assert sorted(p.relative_to(some).as_posix() for p in some.rglob("*.json")) == ["visit.json"]
    code, _, err = run_cli("export", ".")
    assert code == 2 and "give -o FOLDER" in err


def test_diff_and_report_say_how_folders_are_compared(run_cli, tree):
    code, _, err = run_cli("diff", str(tree), str(tree / "shared"))
    assert code == 2 and "folders are compared with --rev" in err
    code, _, err = run_cli("report", str(tree), str(tree / "shared"))
    assert code == 2 and "give one FOLDER" in err
