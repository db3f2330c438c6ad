"""Byte-identical output across processes with different hash seeds (set and dict order must not leak)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, SAMPLES

INTENDED = str(SAMPLES / "change-of-address.intended.blueprint")
OBSERVED = str(SAMPLES / "change-of-address.observed.blueprint")
NEEDS_GRAPHVIZ = "Graphviz 'neato' is not installed: the SVG and the HTML report cannot be rendered here"

# name -> (arguments, output file written into the working directory or None for standard output, needs Graphviz)
COMMANDS = {
    "diff-json": (["diff", INTENDED, OBSERVED, "--format", "json"], None, False),
    "diff-sarif": (["diff", INTENDED, OBSERVED, "--format", "sarif"], None, False),
    "check-json": (["check", INTENDED, OBSERVED, "--format", "json"], None, False),
    "export-json": (["export", INTENDED, "--format", "json"], None, False),
    "render-svg": (["render", OBSERVED, "--format", "svg", "-o", "-"], None, True),
    "report-html": (["report", INTENDED, OBSERVED, "-o", "report.html"], "report.html", True),
}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, dict[str, bytes]]:
    """seed -> command name -> output bytes; every process of both seeds runs at once to keep this quick."""
    graphviz = shutil.which("neato") is not None
    running = []
    for seed in ("1", "2"):
        env = dict(
            os.environ,
            PYTHONHASHSEED=seed,
            PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p),
        )
        for name, (args, _, needs_graphviz) in COMMANDS.items():
            if needs_graphviz and not graphviz:
                continue
            cwd = tmp_path_factory.mktemp(f"seed{seed}-{name}")
            process = subprocess.Popen(
                [sys.executable, "-m", "blueprint_cli", *args],
                cwd=cwd,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            running.append((seed, name, cwd, process))
    found: dict[str, dict[str, bytes]] = {"1": {}, "2": {}}
    for seed, name, cwd, process in running:
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode in (0, 1), (
            f"{name} (PYTHONHASHSEED={seed}) exited {process.returncode}: {stderr.decode(errors='replace')}"
        )
        target = COMMANDS[name][1]
        found[seed][name] = (cwd / target).read_bytes() if target else stdout
    return found


@pytest.mark.parametrize("name", list(COMMANDS))
def test_output_does_not_depend_on_the_hash_seed(name, outputs):
    if COMMANDS[name][2] and shutil.which("neato") is None:
        pytest.skip(NEEDS_GRAPHVIZ)
    first, second = outputs["1"][name], outputs["2"][name]
    assert len(first) > 100, f"{name} wrote (almost) nothing"
    assert first == second, f"{name}: output differs between PYTHONHASHSEED=1 and 2"
