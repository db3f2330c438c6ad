"""What an attack on every command found (issue 16): no input lost, no terminal steered, no exit 3."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES

INTENDED = SAMPLES / "hospital-discharge.intended.blueprint"
OBSERVED = SAMPLES / "hospital-discharge.observed.blueprint"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A blueprint under a name that does not end in .blueprint (the guard must not rely on the name)."""
    path = tmp_path / "obs.bp"
    shutil.copy(OBSERVED, path)
    return path


def _writers(source: Path, other: Path) -> list[list[str]]:
    return [
        ["check", str(source), "-o", str(source)],
        ["check", str(source), "--write-baseline", str(source)],
        ["diff", str(other), str(source), "-o", str(source)],
        ["diff", str(other), str(source), "--write-baseline", str(source)],
        ["render", str(source), "-o", str(source), "--format", "dot"],
    ]


@pytest.mark.parametrize("index", range(5))
def test_no_writer_overwrites_its_input(run_cli, source, index):
    before = source.read_bytes()
    args = _writers(source, INTENDED)[index]
    code, _, err = run_cli(*args)
    assert code == 2, err
    assert "input file" in err
    assert source.read_bytes() == before


def test_the_guard_knows_the_file_by_identity_not_by_name(run_cli, source, tmp_path):
    link = tmp_path / "OBS.other"
    os.link(source, link)  # another name, the same file
    before = source.read_bytes()
    code, _, err = run_cli("check", str(source), "-o", str(link))
    assert code == 2 and "input file" in err
    assert source.read_bytes() == before


@pytest.mark.parametrize("value", ["nan", "inf", "1e308", "0", "-1"])
def test_render_timeout_must_be_a_real_number_of_seconds(run_cli, value, tmp_path):
    code, _, err = run_cli("render", str(INTENDED), "--timeout", value, "-o", str(tmp_path / "x.dot"))
    assert code == 2, err
    assert "internal error" not in err
    assert not (tmp_path / "x.dot").exists()


def test_max_assumed_nan_is_refused(run_cli):
    code, _, err = run_cli("check", str(OBSERVED), "--max-assumed", "nan")
    assert code == 2 and "--max-assumed" in err


@pytest.mark.parametrize("command", ["check", "fmt", "render"])
def test_standard_input_is_read_once(run_cli, command):
    code, _, err = run_cli(command, "-", "-")
    assert code == 2 and "only once" in err


def test_a_location_is_not_an_emoji(run_cli, tmp_path):
    folder = tmp_path / "a:100:b"
    folder.mkdir()
    bad = folder / "y.blueprint"
    bad.write_text('blueprint "x"\nstage s "S"\n  customer a "A" by nobody\n', encoding="utf-8")
    code, _, err = run_cli("check", str(bad))
    assert code == 2
    assert "a:100:b" in err and "\U0001f4af" not in err


def test_file_names_cannot_steer_the_terminal_or_a_ci_log(run_cli, tmp_path):
    bad = tmp_path / "x\n::error file=a::pwned\x1b[31m.blueprint"
    bad.write_text('blueprint "x"\nstage s "S"\n  customer a "A" by nobody\n', encoding="utf-8")
    code, out, err = run_cli("check", str(bad))
    assert code == 2
    assert "\x1b" not in out + err
    assert not any(line.startswith("::error") for line in (out + err).splitlines())


def _blueprint(*args: str, **kwargs):
    kwargs.setdefault("stdout", subprocess.PIPE)
    command = [sys.executable, "-m", "blueprint_cli", *args]
    return subprocess.run(command, stderr=subprocess.PIPE, check=False, timeout=60, **kwargs)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args",
    [
        ["export", str(INTENDED)],
        ["render", str(INTENDED), "-o", "-", "--format", "dot"],
        ["fmt", "-"],
        ["--help"],
        ["diff", str(INTENDED), str(OBSERVED), "--format", "json"],
    ],
)
def test_a_full_standard_output_is_a_clear_error(args):
    with open(INTENDED, "rb") as blueprint, open("/dev/full", "wb") as full:
        done = _blueprint(*args, stdout=full, stdin=blueprint if args == ["fmt", "-"] else subprocess.DEVNULL)
    assert done.returncode == 2, done.stderr
    assert b"internal error" not in done.stderr and b"Traceback" not in done.stderr
    assert b"cannot write the output" in done.stderr


def test_a_closed_standard_input_is_a_clear_error():
    done = _blueprint("check", "-", stdin=None, pass_fds=(), close_fds=True, preexec_fn=lambda: os.close(0))
    assert done.returncode == 2, done.stderr
    assert b"standard input is closed" in done.stderr


def test_a_closed_pipe_ends_quietly():
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone, as after `| head`
    try:
        done = _blueprint("diff", str(INTENDED), str(OBSERVED), "--format", "json", "--exit-zero", stdout=write_end)
    finally:
        os.close(write_end)
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
