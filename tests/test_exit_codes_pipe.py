"""Exit codes in a pipeline: a reader that goes away, and adopting a baseline."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import SAMPLES, sample_files

HOSPITAL = [
    str(SAMPLES / "hospital-discharge.intended.blueprint"),
    str(SAMPLES / "hospital-discharge.observed.blueprint"),
]


def _run_into_closed_pipe(*args: str) -> subprocess.CompletedProcess[bytes]:
    """`blueprint ARGS | true`: the reader has gone before the first byte is written."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "blueprint_cli", *args], stdout=write_end, stderr=subprocess.PIPE, check=False
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "markdown"])
def test_broken_pipe_is_quiet_and_keeps_the_exit_code(fmt):
    quiet = _run_into_closed_pipe("diff", *HOSPITAL, "-f", fmt, "--exit-zero")
    assert (quiet.returncode, quiet.stderr) == (0, b"")
    failing = _run_into_closed_pipe("diff", *HOSPITAL, "-f", fmt)
    assert failing.returncode == 1, "the drift still decides the exit code"
    assert failing.stderr == b""


def test_broken_pipe_on_check_and_render():
    checked = _run_into_closed_pipe("check", *[str(p) for p in sample_files()], "--exit-zero")
    assert (checked.returncode, checked.stderr) == (0, b"")
    drawn = _run_into_closed_pipe("render", HOSPITAL[0], "-f", "dot", "-o", "-")
    assert (drawn.returncode, drawn.stderr) == (0, b"")


def test_write_baseline_exits_0_after_writing(run_cli, tmp_path):
    baseline = tmp_path / "drift.json"
    assert run_cli("diff", *HOSPITAL)[0] == 1
    assert run_cli("diff", *HOSPITAL, "--write-baseline", str(baseline))[0] == 0
    assert json.loads(baseline.read_text(encoding="utf-8"))["accepted"], "the baseline holds today's drift"
    findings = tmp_path / "check.json"
    files = [str(p) for p in sample_files()]
    assert run_cli("check", *files, "--fail-on", "note")[0] == 1
    assert run_cli("check", *files, "--fail-on", "note", "--write-baseline", str(findings))[0] == 0
    assert findings.exists()


def test_write_baseline_still_fails_on_invalid_input(run_cli, tmp_path):
    bad = tmp_path / "bad.blueprint"
    bad.write_text('blueprint "x"\nstage s "S"\n  customer a "A" by nobody\n', encoding="utf-8")
    code, _, _ = run_cli("check", str(bad), "--write-baseline", str(tmp_path / "b.json"))
    assert code == 2 and not (tmp_path / "b.json").exists()
