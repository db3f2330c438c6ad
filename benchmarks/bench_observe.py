"""Benchmark `blueprint observe LOG --format json` on a generated event log (not committed: made here).

Usage: python benchmarks/bench_observe.py [EVENTS]     (default 1,000,000; try 10000000)
Targets (issue 9): at least 200,000 events per second end to end on a 2-core machine, peak
memory under 2 GB at 10 million events. `python -c pass` is timed in the same run, so that the
figures of a noisy machine can be compared.
"""

from __future__ import annotations

import csv
import datetime
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import blueprint_command, time_command

ACTIVITIES = [f"Activity {n:02d}" for n in range(25)]
GROUPS = [f"Group {n}" for n in range(8)]


def write_log(path: Path, events: int, *, seed: int = 9) -> None:
    """Cases of 3-12 events over 25 activities, ISO timestamps with offsets, in case order."""
    rng = random.Random(seed)
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    written = 0
    case = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["case", "activity", "timestamp", "resource", "group"])
        while written < events:
            case += 1
            moment = start + datetime.timedelta(minutes=rng.randrange(0, 500_000))
            for _ in range(min(rng.randint(3, 12), events - written)):
                moment += datetime.timedelta(seconds=rng.randint(1, 200_000))
                writer.writerow(
                    [
                        f"case-{case}",
                        ACTIVITIES[min(24, int(rng.expovariate(0.25)))],
                        moment.isoformat(timespec="milliseconds"),
                        f"R{rng.randrange(60)}",
                        rng.choice(GROUPS),
                    ]
                )
                written += 1


def main() -> None:
    events = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    cli = blueprint_command()
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / f"log-{events}.csv"
        write_log(log, events)
        size_mb = log.stat().st_size / 1e6
        observe_s, observe_mb = time_command(cli + ["observe", str(log), "--format", "json"], runs=3)
        blueprint_s, blueprint_mb = time_command(
            cli + ["observe", str(log), "-o", str(Path(tmp) / "o.blueprint")], runs=1
        )
        bare_s, _ = time_command([sys.executable, "-c", "pass"], runs=9)
    print(f"log: {events:,} events, {size_mb:.0f} MB of CSV")
    print(
        f"observe --format json: {observe_s:.2f} s median, {events / observe_s:,.0f} events/s, peak {observe_mb:.0f} MB"
    )
    print(f"observe -o x.blueprint: {blueprint_s:.2f} s, peak {blueprint_mb:.0f} MB")
    print(f"python -c pass: {bare_s * 1000:.0f} ms")


if __name__ == "__main__":
    main()
