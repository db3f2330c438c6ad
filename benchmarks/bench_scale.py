"""How check, diff and report grow with the size of a blueprint: 1,000 to 40,000 steps (issue 16).

Usage: python benchmarks/bench_scale.py [--sizes 1000,2000,5000,10000,20000,40000] [--runs 3] [--render]
       python benchmarks/bench_scale.py --render-only [--sizes 1000,5000,10000,20000,40000] [--svg-max 10000]

For each size N (an intended synthetic blueprint of N steps, benchmarks/common.synthetic, and an
observed one drifted from it, benchmarks/bench_report.mutate) it measures the processor time
(user + system: wall time on a shared machine mostly measures the other programs), as subprocesses:
  check    `blueprint check INTENDED` (whole command, Python start-up included; median of runs)
  diff     `blueprint diff INTENDED OBSERVED --format json`
  report   load both, compare, and build the report's HTML with the diagrams left out (a stub
           instead of Graphviz): the report's own work; drawing is render's (see bench_render.py)
  errors   `blueprint check` on N lines of garbage (one syntax error per line, 50 printed)
  render   with --render: `blueprint render INTENDED --format dot` (our share of drawing)
and `python -c pass` for scale. `--render-only` measures drawing alone, processor time and peak
memory (resident, of the command and of Graphviz, whichever is larger): `render --format dot`
(our share: parse, layout, DOT) at every size, and `render` to SVG (with neato) up to --svg-max
steps (beyond it neato takes minutes and most of the time is Graphviz's, not ours).
Then, per column, the time per 1,000 steps and the growth
exponent between consecutive sizes: 1.0 is linear, 2.0 quadratic. The fixed cost of a command
(`blueprint check` on a one-step file: start-up and imports) is subtracted first.
This is a measurement, not a test: figures vary with the machine and its load (shown).
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_report import mutate
from common import ROOT, blueprint_command, synthetic, time_command

REPORT_ONLY = """
import sys, time
from blueprint_cli import pipeline
from blueprint_cli.report.build import render_compare_report
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10pt" height="10pt" viewBox="0 0 10 10"></svg>'
def stub(blueprint, *, step_status=None, flow_status=None, heading=None):
    return SVG
start = time.process_time()
comparison = pipeline.compare(pipeline.load(sys.argv[1]), pipeline.load(sys.argv[2]))
html = render_compare_report(comparison, to_svg=stub)
print(time.process_time() - start, len(html))
"""


def garbage(lines: int) -> str:
    rng = random.Random(16)
    return "\n".join("".join(rng.choice("abc xyz!?$%=[]-> ") for _ in range(30)) for _ in range(lines)) + "\n"


def cpu_time(argv: list[str], *, runs: int) -> float:
    """Median processor time (user + system, s) of a command: far less noisy than wall time on a loaded machine."""
    times = []
    for _ in range(runs):
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(proc.pid, 0)
        times.append(usage.ru_utime + usage.ru_stime)
    return statistics.median(times)


def report_only(intended: Path, observed: Path, *, runs: int) -> float:
    """Median processor seconds to compare and build the report without Graphviz (start-up excluded)."""
    times = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", REPORT_ONLY, str(intended), str(observed)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        times.append(float(done.stdout.split()[0]))
    return statistics.median(times)


def measure(n: int, folder: Path, *, runs: int, render: bool) -> dict[str, float]:
    intended = folder / f"s{n}.intended.blueprint"
    observed = folder / f"s{n}.observed.blueprint"
    junk = folder / f"g{n}.blueprint"
    text = synthetic(n)
    intended.write_text(text, encoding="utf-8")
    observed.write_text(mutate(text), encoding="utf-8")
    junk.write_text(garbage(n), encoding="utf-8")
    cli = blueprint_command()
    row = {
        "check": time_command([*cli, "check", str(intended), "--exit-zero"], runs=runs)[0],
        "diff": time_command(
            [*cli, "diff", str(intended), str(observed), "--format", "json", "--exit-zero"], runs=runs
        )[0],
        "report": report_only(intended, observed, runs=runs),
        "errors": time_command([*cli, "check", str(junk)], runs=runs)[0],
    }
    if render:
        row["render"] = time_command([*cli, "render", str(intended), "--format", "dot", "-o", os.devnull], runs=1)[0]
    return row


def cpu_and_peak(argv: list[str], *, runs: int) -> tuple[float, float]:
    """Median processor seconds (user + system, Graphviz included) and the peak resident MB of any run."""
    times, peak = [], 0.0
    for _ in range(runs):
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(proc.pid, 0)
        times.append(usage.ru_utime + usage.ru_stime)
        peak = max(peak, usage.ru_maxrss / 1024)
    return statistics.median(times), peak


def render_scale(sizes: list[int], *, runs: int, svg_max: int) -> None:
    """Render's processor time and peak memory from 1,000 to 40,000 steps, and whether they grow linearly."""
    cli = blueprint_command()
    rows: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tiny = Path(tmp) / "tiny.blueprint"
        tiny.write_text('blueprint "Tiny"\nstage s "S"\n  customer a "A"\n', encoding="utf-8")
        fixed: dict[str, float] = {}
        fixed["dot"], fixed["dot MB"] = cpu_and_peak(
            [*cli, "render", str(tiny), "--format", "dot", "-o", os.devnull], runs=5
        )
        fixed["svg"], fixed["svg MB"] = cpu_and_peak(
            [*cli, "render", str(tiny), "-o", str(Path(tmp) / "t.svg")], runs=5
        )
        print(
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; render of one step (the fixed cost):"
            f" dot {fixed['dot'] * 1000:.0f} ms {fixed['dot MB']:.0f} MB, svg {fixed['svg'] * 1000:.0f} ms"
            f" {fixed['svg MB']:.0f} MB"
        )
        for n in sizes:
            path = Path(tmp) / f"s{n}.blueprint"
            path.write_text(synthetic(n), encoding="utf-8")
            row: dict[str, float] = {}
            row["dot"], row["dot MB"] = cpu_and_peak(
                [*cli, "render", str(path), "--format", "dot", "-o", os.devnull], runs=runs
            )
            if n <= svg_max:
                row["svg"], row["svg MB"] = cpu_and_peak(
                    [*cli, "render", str(path), "-o", str(Path(tmp) / "out.svg")], runs=runs
                )
            rows[n] = row
            cells = "  ".join(f"{k} {v:7.1f} MB" if k.endswith("MB") else f"{k} {v:6.2f} s" for k, v in row.items())
            print(f"{n:>6} steps  {cells}  (load {os.getloadavg()[0]:.1f})", flush=True)
    for column in ("dot", "svg", "dot MB", "svg MB"):
        sized = {n: r for n, r in rows.items() if column in r}
        if len(sized) < 2:
            continue
        base = fixed[column]
        per = ", ".join(f"{n:,}: {(r[column] - base) * 1000 / n:.3f}" for n, r in sorted(sized.items()))
        exponents = growth(sized, column, base)
        slope = _fitted_exponent({n: r[column] - base for n, r in sized.items()})
        verdict = "linear" if slope < 1.15 else "SUPERLINEAR"
        unit = "MB" if column.endswith("MB") else "s"
        print(f"{column:<7} per 1,000 steps ({unit}, fixed cost subtracted): {per}")
        print(
            f"        growth exponent over all sizes {slope:.2f} (between neighbours {' '.join(exponents)}): "
            f"{verdict} (1.0 = linear; above 1.15 counts as superlinear)"
        )


def _fitted_exponent(values: dict[int, float]) -> float:
    """k in value ~ N^k, least squares over log-log: one noisy size does not decide it."""
    xs = [math.log(n) for n in values]
    ys = [math.log(max(v, 1e-3)) for v in values.values()]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def growth(rows: dict[int, dict[str, float]], column: str, startup: float) -> list[str]:
    """The exponent k in t ~ N^k between consecutive sizes, start-up subtracted (not for `report`)."""
    sizes = sorted(rows)
    out = []
    for a, b in zip(sizes, sizes[1:], strict=False):
        base = 0.0 if column == "report" else startup
        ta, tb = max(rows[a][column] - base, 1e-3), max(rows[b][column] - base, 1e-3)
        out.append(f"{math.log(tb / ta) / math.log(b / a):.2f}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,2000,5000,10000,20000,40000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--render", action="store_true", help="also time render --format dot (slow above 10,000)")
    parser.add_argument("--render-only", action="store_true", help="render alone: time and peak memory, DOT and SVG")
    parser.add_argument("--svg-max", type=int, default=10_000, help="--render-only: draw SVG up to this many steps")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.render_only:
        render_scale(sizes, runs=args.runs, svg_max=args.svg_max)
        return
    python = time_command([sys.executable, "-c", "pass"], runs=max(args.runs, 5))[0]
    python_cpu = cpu_time([sys.executable, "-c", "pass"], runs=max(args.runs, 5))
    rows: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tiny = Path(tmp) / "tiny.blueprint"
        tiny.write_text('blueprint "Tiny"\nstage s "S"\n  customer a "A"\n', encoding="utf-8")
        startup = cpu_time([*blueprint_command(), "check", str(tiny)], runs=max(args.runs, 5))
        print(
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; python -c pass: {python * 1000:.0f} ms"
            f" wall, {python_cpu * 1000:.0f} ms processor; blueprint check on one step (the fixed cost):"
            f" {startup * 1000:.0f} ms processor. All figures below are processor time (user + system)."
        )
        for n in sizes:
            started = time.perf_counter()
            rows[n] = measure(n, Path(tmp), runs=args.runs, render=args.render)
            cells = "  ".join(f"{k} {v:7.2f} s" for k, v in rows[n].items())
            print(f"{n:>6} steps  {cells}  ({time.perf_counter() - started:.0f} s)", flush=True)
    columns = list(next(iter(rows.values())))
    print("\nper 1,000 steps (the fixed cost subtracted, except from report):")
    for n in sizes:
        per = "  ".join(f"{c} {(rows[n][c] - (0 if c == 'report' else startup)) * 1000 / n:6.3f} s" for c in columns)
        print(f"{n:>6}  {per}")
    print("\ngrowth exponent between consecutive sizes (1.0 = linear):")
    for c in columns:
        print(f"  {c:<7} {' '.join(growth(rows, c, startup))}")


if __name__ == "__main__":
    main()
