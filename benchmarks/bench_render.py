"""Benchmark `blueprint render` to SVG on synthetic blueprints (N=200 and N=1000 steps).

Usage: python benchmarks/bench_render.py [--runs 7] [--sizes 200,1000] [--d2]

For each size it times, as subprocesses and including Python start-up (median of several runs):
  total   `blueprint render FILE -o out.svg`
  ours    `blueprint render FILE --format dot` (everything except the Graphviz process)
  neato   `neato -n2 -Tsvg` on the DOT we produce (the Graphviz share)
and the peak resident memory of the largest child process (getrusage, RUSAGE_CHILDREN).
The synthetic text comes from ../shared/bench/gen_synthetic.py when it exists (flows it repeats
are dropped: our language rejects a flow declared twice), else from a small generator here.
With --d2 and `d2` on PATH it also times D2 (dagre) on the same diagram, alternating runs.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import GENERATOR, ROOT, synthetic

TARGETS = {200: 0.170, 1000: 1.2}
MEMORY_TARGET_MB = 300


def d2_source(n: int) -> str:
    """The same synthetic diagram in D2 (lane containers), from the shared generator."""
    if not GENERATOR.exists():
        raise SystemExit("the D2 comparison needs ../shared/bench/gen_synthetic.py")
    return subprocess.run(
        [sys.executable, str(GENERATOR), str(n), "d2"], capture_output=True, text=True, check=True
    ).stdout


def timed(args: list[str], *, stdin: bytes | None = None, cpu: list[float] | None = None) -> float:
    """Wall time of one run; its CPU time (user + system, children) goes to `cpu`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, input=stdin, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{done.stderr.decode(errors='replace')}")
    if cpu is not None:
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return elapsed


def peak_memory_mb(args: list[str]) -> float:
    """Peak resident memory of the largest process `args` starts (Python or Graphviz), in MB."""
    probe = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], capture_output=True, check=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, check=True)
    return int(done.stdout.strip()) / 1024


def bench(n: int, *, runs: int, workdir: Path, with_d2: bool) -> dict:
    source = workdir / f"synthetic-{n}.blueprint"
    source.write_text(synthetic(n), encoding="utf-8")
    svg, dot = workdir / f"synthetic-{n}.svg", workdir / f"synthetic-{n}.dot"
    blueprint = [sys.executable, "-m", "blueprint_cli", "render", str(source)]
    neato = shutil.which("neato")
    if neato is None:
        raise SystemExit("Graphviz is not installed: sudo apt-get install graphviz (macOS: brew install graphviz)")
    timed(blueprint + ["-o", str(dot), "--format", "dot"])  # warm the file cache
    dot_bytes = dot.read_bytes()
    d2 = shutil.which("d2") if with_d2 else None
    d2_file = workdir / f"synthetic-{n}.d2"
    if d2:
        d2_file.write_text(d2_source(n), encoding="utf-8")
    totals, ours, graphviz, d2_times = [], [], [], []
    cpu_totals, cpu_ours, cpu_graphviz = [], [], []
    for _ in range(runs):  # alternate the commands: only ratios measured together compare
        totals.append(timed(blueprint + ["-o", str(svg)], cpu=cpu_totals))
        ours.append(timed(blueprint + ["-o", str(dot), "--format", "dot"], cpu=cpu_ours))
        graphviz.append(timed([neato, "-n2", "-Tsvg", "-o", os.devnull], stdin=dot_bytes, cpu=cpu_graphviz))
        if d2:
            d2_times.append(timed([d2, "--layout=dagre", str(d2_file), str(workdir / f"d2-{n}.svg")]))
    peak_mb = peak_memory_mb(blueprint + ["-o", str(svg)])
    result = {
        "n": n,
        "steps_flows": (
            sum(1 for line in source.read_text().splitlines() if line.startswith("  ")),
            sum(1 for line in source.read_text().splitlines() if line.startswith("flow ")),
        ),
        "total": statistics.median(totals),
        "ours": statistics.median(ours),
        "graphviz": statistics.median(graphviz),
        "cpu_total": statistics.median(cpu_totals),
        "cpu_ours": statistics.median(cpu_ours),
        "cpu_graphviz": statistics.median(cpu_graphviz),
        "peak_mb": peak_mb,
        "svg_kb": svg.stat().st_size / 1024,
    }
    if d2_times:
        result["d2"] = statistics.median(d2_times)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="200,1000")
    parser.add_argument("--d2", action="store_true", help="also time D2 (dagre) when `d2` is on PATH")
    options = parser.parse_args()
    os.chdir(ROOT)
    print(
        f"generator: {GENERATOR if GENERATOR.exists() else 'built-in'}; median of {options.runs} runs; {os.cpu_count()} CPUs"
    )
    print(
        f"{'N':>6} {'total':>9} {'target':>8} {'ours':>9} {'graphviz':>9} {'our share':>10} {'peak MB':>8} {'SVG KB':>8}  D2"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(s) for s in options.sizes.split(",")):
            r = bench(n, runs=options.runs, workdir=Path(tmp), with_d2=options.d2)
            share = r["ours"] / r["total"] if r["total"] else 0
            target = TARGETS.get(n)
            verdict = "" if target is None else ("ok" if r["total"] < target else "MISS")
            d2 = f"{r['d2'] * 1000:.0f} ms" if "d2" in r else "-"
            print(
                f"{n:>6} {r['total'] * 1000:>6.0f} ms {verdict:>8} {r['ours'] * 1000:>6.0f} ms {r['graphviz'] * 1000:>6.0f} ms"
                f" {share:>9.0%} {r['peak_mb']:>8.0f} {r['svg_kb']:>8.0f}  {d2}"
            )
            cpu_share = r["cpu_ours"] / r["cpu_total"] if r["cpu_total"] else 0
            print(
                f"{'cpu':>6} {r['cpu_total'] * 1000:>6.0f} ms {'':>8} {r['cpu_ours'] * 1000:>6.0f} ms"
                f" {r['cpu_graphviz'] * 1000:>6.0f} ms {cpu_share:>9.0%}"
            )
    print(f"targets: N=200 < 170 ms; N=1000 < 1.2 s and < {MEMORY_TARGET_MB} MB; our share < 50% at N=1000")
    print("note: 'ours' includes Python start-up, imports and parsing; peak MB is the largest process of one render;")
    print("      cpu = user + system seconds of the same runs (steadier than wall time on a busy machine)")


if __name__ == "__main__":
    main()
