"""`blueprint check`, `--version`, `--help` and the error boundary: exit codes, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import CASES, ROOT, sample_files

from blueprint_cli import __version__

ERRORS = CASES / "errors"
GOOD = CASES / "parse" / "all_elements.blueprint"


def test_check_a_valid_file_exits_0(run_cli):
    code, out, err = run_cli("check", str(GOOD))
    assert code == 0, err
    assert "all_elements.blueprint" in out and "error" not in out + err


def test_check_every_sample_exits_0(run_cli):
    code, _, err = run_cli("check", *map(str, sample_files()))
    assert code == 0, err


@pytest.mark.parametrize(
    "name", ["unknown_actor", "empty_file", "invalid_utf8", "binary_input", "include_cycle", "several_errors"]
)
def test_check_invalid_input_exits_2_with_messages(run_cli, name):
    code, out, err = run_cli("check", str(ERRORS / f"{name}.blueprint"))
    assert code == 2
    assert "error" in err and "Traceback" not in err + out
    assert f"{name}.blueprint" in err


def test_check_reports_each_file_and_fails_if_any_is_invalid(run_cli):
    code, out, err = run_cli("check", str(GOOD), str(ERRORS / "unknown_actor.blueprint"))
    assert code == 2
    assert "all_elements.blueprint" in out
    assert "unknown actor 'nures'; did you mean 'nurse'?" in err


def test_check_json_lists_the_diagnostics(run_cli):
    code, out, _ = run_cli(
        "check",
        "--format",
        "json",
        str(GOOD),
        str(ERRORS / "several_errors.blueprint"),
        str(ERRORS / "binary_input.blueprint"),
    )
    assert code == 2
    report = json.loads(out)
    files = report["files"]
    assert [f["valid"] for f in files] == [True, False, False]
    messages = [d["message"] for d in files[1]["diagnostics"]]
    assert messages[0] == "unknown actor 'patinet'; did you mean 'patient'?"
    assert len(messages) == 6
    assert files[1]["diagnostics"][0]["location"]["line"] == 8
    assert "binary" in files[2]["diagnostics"][0]["message"]


def test_check_missing_file_exits_2(run_cli, tmp_path):
    code, _, err = run_cli("check", str(tmp_path / "nope.blueprint"))
    assert code == 2 and "no such file" in err


def test_unexpected_exception_is_one_line_and_exit_3(run_cli, monkeypatch):
    import blueprint_cli.language.resolve

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(blueprint_cli.language.resolve, "load", explode)
    code, out, err = run_cli("check", str(GOOD))
    assert code == 3
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert "internal error" in err and "boom" in err and "--debug" in err


def test_debug_shows_the_traceback(run_cli, monkeypatch):
    import blueprint_cli.language.resolve

    monkeypatch.setattr(blueprint_cli.language.resolve, "load", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        run_cli("--debug", "check", str(GOOD))


def test_usage_error_exits_2(run_cli):
    code, _, err = run_cli("check", "--format", "yaml", str(GOOD))
    assert code == 2, err
    code, _, _ = run_cli("no-such-command")
    assert code == 2


def test_version(run_cli):
    code, out, _ = run_cli("--version")
    assert code == 0 and out == f"blueprint {__version__}\n"


def test_help_lists_the_commands(run_cli):
    code, out, _ = run_cli("--help")
    assert code == 0
    for command in ("check", "fmt", "export"):
        assert command in out


def test_module_entry_point_in_a_subprocess():
    done = subprocess.run(
        [sys.executable, "-m", "blueprint_cli", "check", str(ERRORS / "unknown_keyword.blueprint")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 2
    assert "unknown keyword 'stgae'; did you mean 'stage'?" in done.stderr
    assert "\x1b[" not in done.stderr  # plain when piped
