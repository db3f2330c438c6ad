"""The configuration file: found by walking up, checked key by key, overridden by flags."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES

from blueprint_cli import config

HOSPITAL = ("hospital-discharge.intended.blueprint", "hospital-discharge.observed.blueprint")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository-like folder: two blueprints, a legacy folder, a sub-folder to run from."""
    for name in HOSPITAL:
        shutil.copy(SAMPLES / name, tmp_path / name)
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "broken.blueprint").write_text("not a blueprint\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)


def test_found_by_walking_up_and_flags_override(run_cli, project, monkeypatch):
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.blueprint]\nexclude = ["legacy/**"]\nfail-on = "warning"\n', encoding="utf-8"
    )
    monkeypatch.chdir(project / "sub")
    code, _, err = run_cli("check", "..", "--verbose")
    assert code == 1, "fail-on = warning from the file: the observed sample has warnings"
    assert "configuration: ../pyproject.toml" in err and "excluded: ../legacy/broken.blueprint" in err
    assert run_cli("check", "..", "--fail-on", "error")[0] == 0, "the flag wins"
    assert run_cli("check", "..", "--no-config")[0] == 2, "without the file, legacy/ is checked and invalid"


def test_a_pyproject_without_our_table_is_passed_over(project, tmp_path):
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert config.find(project / "sub") is None
    (project / "pyproject.toml").write_text('[project\nname = "broken, and not ours"\n', encoding="utf-8")
    assert config.find(project / "sub") is None
    (project / "blueprint.toml").write_text('fail-on = "note"\n', encoding="utf-8")
    assert config.find(project / "sub") == project / "blueprint.toml"
    assert config.load(project / "blueprint.toml").get("diff", "fail-on") == "note"


def test_a_command_table_overrides_the_shared_keys(project):
    (project / "blueprint.toml").write_text(
        'fail-on = "warning"\n[check]\nfail-on = "note"\nbaseline = "ci/check.json"\n', encoding="utf-8"
    )
    settings = config.load(project / "blueprint.toml")
    assert settings.get("check", "fail-on") == "note" and settings.get("diff", "fail-on") == "warning"
    assert Path(settings.get("check", "baseline")) == project / "ci" / "check.json"
    assert settings.get("render", "fail-on") is None


@pytest.mark.parametrize(
    "text,needle,message",
    [
        (
            '[tool.blueprint]\nfail_on = "warning"\n',
            "fail_on",
            "unknown key 'fail_on' in [tool.blueprint]; did you mean 'fail-on'?",
        ),
        ('[tool.blueprint]\nfail-on = "warn"\n', "fail-on", "did you mean 'warning'?"),
        ("[tool.blueprint]\nmax-assumed = 2\n", "max-assumed", "a share between 0 and 1"),
        ("[tool.blueprint.render]\ntimeout = inf\n", "timeout", "'timeout' must be a number, not inf"),
        ("[tool.blueprint.render]\ntimeout = true\n", "timeout", "'timeout' must be a number, not true"),
        (
            '[tool.blueprint.render]\nwrap-stages = "3"\n',
            "wrap-stages",
            "not '3' (a number is written without quotes: wrap-stages = 3)",
        ),
        (
            '[tool.blueprint]\nselect = ["BP1", "dead_end"]\n',
            "select",
            "unknown rule 'dead_end'; did you mean 'dead-end'?",
        ),
        ('[tool.blueprint.render]\nformat = "jpg"\n', "format", "'format' is one of svg, png, pdf, dot, not 'jpg'"),
        ("[tool.blueprint]\n\n[tool.blueprint.render]\ntimout = 3\n", "timout", "did you mean 'timeout'?"),
        ('[tool.blueprint]\nrender = "png"\n', "render", "'render' is a table of render options"),
        ("[tool.blueprint]\nfail-on = [\n", None, "the file is not valid TOML"),
    ],
)
def test_a_wrong_key_or_value_is_a_located_error(run_cli, project, text, needle, message):
    (project / "pyproject.toml").write_text(text, encoding="utf-8")
    code, out, err = run_cli("check", ".")
    assert code == 2 and out == "" and "Traceback" not in err
    assert message in err
    if needle is not None:
        assert err.startswith(f"pyproject.toml:{_line_of(text, needle)}:1: error: ")


def test_config_and_no_config_options(run_cli, project):
    (project / "ci.toml").write_text('[diff]\nfail-on = "never"\n', encoding="utf-8")
    assert run_cli("diff", *HOSPITAL)[0] == 1
    assert run_cli("--config", "ci.toml", "diff", *HOSPITAL)[0] == 0
    assert run_cli("diff", *HOSPITAL, "--config=ci.toml")[0] == 0, "accepted anywhere on the line"
    code, _, err = run_cli("diff", *HOSPITAL, "--config", "none.toml")
    assert code == 2 and "none.toml: error: no such configuration file" in err
    code, _, err = run_cli("diff", *HOSPITAL, "--config", "ci.toml", "--no-config")
    assert code == 2 and "contradict" in err


def test_baseline_and_format_from_the_configuration(run_cli, project):
    (project / "ci").mkdir()
    (project / "blueprint.toml").write_text('[diff]\nbaseline = "ci/drift.json"\nformat = "json"\n', encoding="utf-8")
    assert run_cli("diff", *HOSPITAL, "--write-baseline", "ci/drift.json")[0] == 0
    code, out, _ = run_cli("diff", *HOSPITAL)
    assert code == 0, "every change is in the configured baseline"
    document = json.loads(out)
    assert {c["baseline"] for c in document["changes"]} == {"accepted"}
    assert run_cli("diff", *HOSPITAL, "--format", "text")[1].startswith(HOSPITAL[0])


def test_render_defaults_from_the_configuration(run_cli, project):
    (project / "blueprint.toml").write_text(
        'exclude = ["legacy"]\n[render]\nformat = "dot"\noutput = "out/diagrams"\n', encoding="utf-8"
    )
    code, _, err = run_cli("render", ".")
    assert code == 0, err
    assert sorted(p.name for p in (project / "out" / "diagrams").iterdir()) == [
        "hospital-discharge.intended.dot",
        "hospital-discharge.observed.dot",
    ]


def test_quiet_prints_only_problems(run_cli, project):
    code, out, _ = run_cli("check", HOSPITAL[0], "--quiet")
    assert code == 0 and "✓" not in out and "BP105" in out
    code, out, err = run_cli("-q", "fmt", "--check", HOSPITAL[0])
    assert code == 0 and out == err == ""
    code, _, err = run_cli("check", ".", "-q", "-v")
    assert code == 2 and "contradict" in err
