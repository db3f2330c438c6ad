"""Benchmark the DOT of a wrapped picture (`render --wrap-stages`) against the whole one.

Usage: python benchmarks/bench_wrap.py [--runs 5] [--steps 1000]

Times `to_dot` (everything but Graphviz) in this process, CPU time, median of several runs, on
the synthetic blueprint (../shared/bench/gen_synthetic.py when it exists): whole, wrapped with
`auto` (every candidate band measured by the grid) and with 2 and 10 stages per band. The bands
are laid out and routed one by one, so wrapping should cost the same order as the whole picture.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, synthetic

sys.path.insert(0, str(ROOT))
from blueprint_cli.language.resolve import load_text
from blueprint_cli.render import to_dot
from blueprint_cli.render.bands import split
from blueprint_cli.render.wrapped import to_dot_wrapped


def cpu(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--steps", type=int, default=1000)
    args = parser.parse_args()
    blueprint = load_text(synthetic(args.steps))
    print(f"{len(blueprint.steps):,} steps, {len(blueprint.stages):,} stages, {len(blueprint.flows):,} flows")
    whole = cpu(lambda: to_dot(blueprint), args.runs)
    print(f"  whole picture          {whole:6.3f} s")
    for wrap in ("auto", 2, 10):
        seconds = cpu(lambda wrap=wrap: to_dot_wrapped(blueprint, wrap), args.runs)  # type: ignore[misc]
        bands = len(split(blueprint, wrap))  # type: ignore[arg-type]
        print(f"  --wrap-stages {wrap!s:<5}    {seconds:6.3f} s  ({seconds / whole:.1f}x, {bands} bands)")


if __name__ == "__main__":
    main()
