"""Benchmark `blueprint diff` on two generated blueprints (the observed one mutated from the intended one).

Usage: python benchmarks/bench_diff.py [STEPS]
Targets: at 5,000 steps the diff runs in under 1 s and in at most 1.5x the time of
`blueprint check` on both files; memory grows linearly with size (measured at 1k, 2k and 5k).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, blueprint_command, synthetic, time_command

sys.path.insert(0, str(ROOT))


def mutate(text: str, *, seed: int = 11) -> str:
    """The observed version: ~2% of steps deleted, ~1% renamed, ~2% added, ~2% with another actor,
    ~1% in another lane, ~1% of the flows dropped."""
    rnd = random.Random(seed)
    lines = text.splitlines()
    steps = [n for n, line in enumerate(lines) if line.startswith("  ") and len(line.split()) > 2]
    ids = {n: lines[n].split()[1] for n in steps}
    deleted = {ids[n] for n in rnd.sample(steps, len(steps) // 50)}
    live = [n for n in steps if ids[n] not in deleted]
    renamed = {ids[n]: ids[n] + "_r" for n in rnd.sample(live, len(steps) // 100)}
    out = []
    added = 0
    for n, line in enumerate(lines):
        if line.startswith("blueprint "):
            out += [line, "variant observed"]
            continue
        if n in ids:
            step = ids[n]
            if step in deleted:
                continue
            words = line.split()
            if step in renamed:
                line = line.replace(f" {step} ", f" {renamed[step]} ", 1)
            elif " by a" in line and rnd.random() < 0.02:
                line = (
                    line.replace(" by a0", " by a1")
                    if " by a0" in line
                    else line.replace(" by a1", " by a0").replace(" by a2", " by a0")
                )
            elif words[0] in ("frontstage", "backstage") and rnd.random() < 0.01:
                line = line.replace(words[0], "backstage" if words[0] == "frontstage" else "frontstage", 1)
            out.append(line)
            if rnd.random() < 0.02:
                out.append(f'  backstage extra{added} "Unplanned chore number {added} done by hand" by a0')
                added += 1
            continue
        if line.startswith("flow "):
            a, b = line[5:].split(" -> ")
            if a in deleted or b in deleted or rnd.random() < 0.01:
                continue
            line = f"flow {renamed.get(a, a)} -> {renamed.get(b, b)}"
        out.append(line)
    return "\n".join(out) + "\n"


def cpu_command(argv: list[str], *, runs: int = 5) -> float:
    """Median CPU seconds (user + system) of a command: steadier than wall time on a shared machine."""
    import os
    import statistics
    import subprocess

    times = []
    for _ in range(runs):
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(proc.pid, 0)
        times.append(usage.ru_utime + usage.ru_stime)
    return statistics.median(times)


def in_process(intended_path: Path, observed_path: Path) -> tuple[float, float, float, int]:
    """Seconds to load both files, seconds to compare, peak MB allocated by compare, changes found."""
    from blueprint_cli.compare import compare
    from blueprint_cli.language.resolve import load

    start = time.perf_counter()
    intended, observed = load(intended_path), load(observed_path)
    loaded = time.perf_counter()
    comparison = compare(intended, observed)
    compared = time.perf_counter()
    tracemalloc.start()
    compare(intended, observed)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return loaded - start, compared - loaded, peak / 2**20, len(comparison.changes)


def main() -> None:
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000
    cli = blueprint_command()
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for size in sorted({1_000, 2_000, steps}):
            intended = Path(tmp) / f"intended-{size}.blueprint"
            observed = Path(tmp) / f"observed-{size}.blueprint"
            intended.write_text(synthetic(size), encoding="utf-8")
            observed.write_text(mutate(intended.read_text(encoding="utf-8")), encoding="utf-8")
            time_command(cli + ["check", str(intended)], runs=1)  # warm the parser-table cache
            check_s, check_mb = time_command(cli + ["check", str(intended), str(observed)], runs=5)
            diff_s, diff_mb = time_command(
                cli + ["diff", str(intended), str(observed), "--format", "json", "--exit-zero"], runs=5
            )
            check_cpu = cpu_command(cli + ["check", str(intended), str(observed), "--format", "json"])
            diff_cpu = cpu_command(cli + ["diff", str(intended), str(observed), "--format", "json", "--exit-zero"])
            load_s, compare_s, compare_mb, changes = in_process(intended, observed)
            rows.append(
                (size, check_s, diff_s, check_mb, diff_mb, load_s, compare_s, compare_mb, changes, check_cpu, diff_cpu)
            )
    print("wall time (median of 5; check prints text, diff prints json), peak RSS, and CPU time of json runs:")
    print(
        "steps  check both  diff (json)  ratio  RSS check  RSS diff  CPU check json  CPU diff json  ratio  load both  compare  compare peak  changes"
    )
    for size, check_s, diff_s, check_mb, diff_mb, load_s, compare_s, compare_mb, changes, check_cpu, diff_cpu in rows:
        print(
            f"{size:>5}  {check_s * 1000:>7.0f} ms  {diff_s * 1000:>8.0f} ms  {diff_s / check_s:>5.2f}  {check_mb:>6.0f} MB  {diff_mb:>5.0f} MB"
            f"  {check_cpu * 1000:>11.0f} ms  {diff_cpu * 1000:>10.0f} ms  {diff_cpu / check_cpu:>5.2f}"
            f"  {load_s * 1000:>6.0f} ms  {compare_s * 1000:>4.0f} ms  {compare_mb:>9.1f} MB  {changes:>7}"
        )
    per_step = [r[7] / r[0] * 1000 for r in rows]
    print("compare memory per 1,000 steps: " + ", ".join(f"{m:.2f} MB" for m in per_step) + "  (flat = linear)")


if __name__ == "__main__":
    main()
