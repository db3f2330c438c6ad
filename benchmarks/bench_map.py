"""Benchmark `blueprint map` on 50 journeys of 200 steps each: wall time and peak memory.

Usage: python benchmarks/bench_map.py [--journeys 50] [--steps 200] [--runs 3] [--keep DIR]

Each journey is the shared synthetic blueprint (benchmarks/common.synthetic) with its own title,
its customer steps collecting data items declared in a shared include (so the map has data asked
in many journeys), and every fifth journey paired with an observed copy (so `diff` scores are
computed too). It times `blueprint map DIR -o map.html` (every journey drawn into the page) and
`--format json` as subprocesses (median of --runs), with the peak RSS of any run, next to a bare
`python -c pass` and the load average, since the machines are shared. Issue 10: under 10 s and
under 500 MB. This is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import blueprint_command, synthetic, time_command

DATA_ITEMS = 8


def journey(text: str, number: int, *, observed: bool = False) -> str:
    """One journey of the set: its own title, the shared include, data collected by customer steps."""
    out = []
    for index, line in enumerate(text.splitlines()):
        if line.startswith("blueprint "):
            out.append(f'blueprint "Synthetic journey {number}"')
            out.append("variant observed" if observed else "variant intended")
            out.append('include "shared/data.blueprint"')
            continue
        if line.lstrip().startswith("customer ") and " collects " not in line:
            line += f" collects d{index % DATA_ITEMS}, d{(index + number) % DATA_ITEMS}"
            if line.count(f"d{index % DATA_ITEMS}") > 1:
                line = line.rsplit(",", 1)[0]
        out.append(line)
    return "\n".join(out) + "\n"


def make_set(folder: Path, *, journeys: int, steps: int) -> None:
    base = synthetic(steps)
    (folder / "shared").mkdir(parents=True, exist_ok=True)
    (folder / "shared" / "data.blueprint").write_text(
        "".join(f'data d{i} "Data item {i}"\n' for i in range(DATA_ITEMS)), encoding="utf-8"
    )
    for number in range(1, journeys + 1):
        name = f"journey{number:03d}"
        if number % 5 == 0:
            (folder / f"{name}.intended.blueprint").write_text(journey(base, number), encoding="utf-8")
            (folder / f"{name}.observed.blueprint").write_text(journey(base, number, observed=True), encoding="utf-8")
        else:
            (folder / f"{name}.blueprint").write_text(journey(base, number), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=50)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the journeys and the map into this folder")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-map-"))
    make_set(folder / "journeys", journeys=args.journeys, steps=args.steps)
    blueprint = blueprint_command()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    bare_s, _ = time_command([sys.executable, "-c", "pass"], runs=5)
    print(f"python -c pass:            {bare_s * 1000:.0f} ms")
    html_s, html_mb = time_command(
        [*blueprint, "map", str(folder / "journeys"), "-o", str(folder / "map.html")], runs=args.runs
    )
    size = (folder / "map.html").stat().st_size / 1e6
    print(f"map -o map.html:           {html_s:.2f} s, peak {html_mb:.0f} MB, page {size:.1f} MB")
    json_s, json_mb = time_command(
        [*blueprint, "map", str(folder / "journeys"), "--format", "json", "-o", str(folder / "map.json")],
        runs=args.runs,
    )
    print(f"map --format json:         {json_s:.2f} s, peak {json_mb:.0f} MB")
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"({args.journeys} journeys of {args.steps} steps; issue 10: under 10 s and 500 MB)")


if __name__ == "__main__":
    main()
