"""Shared benchmark helpers: synthetic blueprints and timing of whole commands."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT.parent / "shared" / "bench" / "gen_synthetic.py"


def synthetic(steps: int) -> str:
    """A valid synthetic blueprint of `steps` steps (the shared generator, duplicate flows dropped)."""
    if GENERATOR.exists():
        text = subprocess.run(
            [sys.executable, str(GENERATOR), str(steps)], check=True, capture_output=True, text=True
        ).stdout
    else:  # a stand-in with the same declarations and shape: N steps, N/5 stages, 4 lanes, ~1.2N flows
        import random

        rnd = random.Random(7)
        lanes = ["customer", "frontstage", "backstage", "support"]
        orgs = ["o1", "o2", "o3"]
        lines = ['blueprint "Synthetic service"'] + [f'org {o} "Organisation {o}"' for o in orgs]
        lines += ['actor c "Customer" customer'] + [f'actor a{i} "Staff {i}" @{o}' for i, o in enumerate(orgs)]
        lines.append('system sys1 "Case system" @o1')
        for i in range(steps):
            if i % 5 == 0:
                lines.append(f'stage g{i // 5} "Stage {i // 5}"')
            lane = rnd.choice(lanes)
            extra = (
                " by c" if lane == "customer" else (" uses sys1" if lane == "support" else f" by a{rnd.randrange(3)}")
            )
            lines.append(f'  {lane} s{i} "Step s{i} of the synthetic journey"{extra}')
        lines += [f"flow s{i} -> s{i + 1}" for i in range(steps - 1)]
        for _ in range(steps // 5):
            a = rnd.randrange(steps - 1)
            lines.append(f"flow s{a} -> s{rnd.randrange(a + 1, min(steps, a + 8))}")
        text = "\n".join(lines) + "\n"
    seen: set[str] = set()
    out = []
    for line in text.splitlines():
        if line.startswith("flow "):
            if line in seen:
                continue
            seen.add(line)
        out.append(line)
    return "\n".join(out) + "\n"


def blueprint_command() -> list[str]:
    exe = Path(sys.executable).with_name("blueprint")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "blueprint_cli"]


def time_command(argv: list[str], *, runs: int = 5) -> tuple[float, float]:
    """Median wall time (s) over `runs`, and the peak RSS (MB) of any run."""
    times = []
    peak = 0.0
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        peak = max(peak, usage.ru_maxrss / 1024)
        proc.returncode = os.waitstatus_to_exitcode(status)
    return statistics.median(times), peak
