"""Ctrl-C (SIGINT) while Graphviz draws: the command stops at once with 130, says "interrupted"
(no traceback) and leaves no Graphviz process behind, also when the report draws in worker threads.

Graphviz runs in its own session (so that a time-out can kill a wrapper's children too), so the
terminal's Ctrl-C reaches only us; these tests send SIGINT to the command, as a terminal does to
its foreground process, and then look for the children in /proc.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, sample_pairs
from test_render_dot import synthetic

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists() or not hasattr(os, "killpg"), reason="Linux /proc")


def _children(pid: int, name: str | None = None) -> list[int]:
    """The running children of a process (named `name`), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        comm, rest = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()
        if int(rest[1]) == pid and rest[0] not in "ZX" and (name is None or comm == name):
            found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] not in "ZX"


def _start(args: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "blueprint_cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )


def _wait_for(condition, what: str, within: float = 120.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, f"no {what} within {within:g} s"
        time.sleep(0.02)


def _interrupt(process: subprocess.Popen[str]) -> tuple[float, str]:
    """Send SIGINT; how long the command took to end, and what it wrote to standard error."""
    started = time.monotonic()
    process.send_signal(signal.SIGINT)
    try:
        _, err = process.communicate(timeout=30)
    finally:
        process.kill()
    return time.monotonic() - started, err


def _fake_neato(folder: Path, pids: Path) -> dict[str, str]:
    """A `neato` first on PATH that writes its process id and its child's, then waits for the child (300 s)."""
    folder.mkdir()
    program = folder / "neato"
    program.write_text(f"#!/bin/sh\nsleep 300 &\necho $$ $! >> {pids}\nwait\n", encoding="utf-8")
    program.chmod(0o755)
    return {**os.environ, "PATH": f"{folder}{os.pathsep}{os.environ.get('PATH', '')}"}


@pytest.mark.parametrize("command", ["report", "render"])
def test_ctrl_c_while_graphviz_draws_stops_every_graphviz(tmp_path, command):
    pids = tmp_path / "pids"
    env = _fake_neato(tmp_path / "bin", pids)
    intended, observed = sample_pairs()[0]
    target = tmp_path / ("out.html" if command == "report" else "out.svg")
    args = [command, str(intended), *([str(observed)] if command == "report" else []), "-o", str(target)]
    process = _start(args, env)
    drawings = 3 if command == "report" else 1  # the report: the overlay and both sides, in threads
    _wait_for(lambda: pids.exists() and len(pids.read_text().splitlines()) == drawings, f"{drawings} neato")
    took, err = _interrupt(process)
    assert process.returncode == 130, err
    assert err == "interrupted\n"  # short: no traceback
    assert took < 15  # not after the 300 s the fake Graphviz would take
    started = [int(pid) for line in pids.read_text().splitlines() for pid in line.split()]
    assert len(started) == 2 * drawings and not [pid for pid in started if _running(pid)]
    assert not target.exists()


@pytest.mark.skipif(shutil.which("neato") is None, reason="Graphviz (neato) is not installed")
def test_ctrl_c_during_a_large_report_leaves_no_neato(tmp_path):
    intended = tmp_path / "a.blueprint"
    observed = tmp_path / "b.blueprint"
    text = synthetic(2000)
    intended.write_text(text, encoding="utf-8")
    observed.write_text(
        text.replace('"Synthetic"', '"Synthetic"\nvariant observed', 1).replace("Step s17 ", "Step s17 changed "),
        encoding="utf-8",
    )
    process = _start(["report", str(intended), str(observed), "-o", str(tmp_path / "out.html")])
    _wait_for(lambda: _children(process.pid, "neato") or process.poll() is not None, "neato")
    assert process.poll() is None, process.communicate()
    neatos = _children(process.pid, "neato")
    took, err = _interrupt(process)
    assert process.returncode == 130 and err == "interrupted\n", err
    assert took < 15
    assert not [pid for pid in neatos if _running(pid)]
