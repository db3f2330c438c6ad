"""Benchmark `blueprint check` on a generated 10,000-step blueprint and `blueprint --version`.

Usage: python benchmarks/bench_check.py [STEPS]   (targets: check < 1 s and < 200 MB at 10,000)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import blueprint_command, synthetic, time_command


def main() -> None:
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    cli = blueprint_command()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"synthetic-{steps}.blueprint"
        path.write_text(synthetic(steps), encoding="utf-8")
        lines = path.read_text().count("\n")
        time_command(cli + ["check", str(path)], runs=1)  # warm the parser-table cache
        check_s, check_mb = time_command(cli + ["check", str(path)], runs=5)
        small_s, _ = time_command(
            cli
            + [
                "check",
                str(Path(__file__).resolve().parent.parent / "samples" / "hospital-discharge.intended.blueprint"),
            ],
            runs=5,
        )
        version_s, _ = time_command(cli + ["--version"], runs=9)
        bare_s, _ = time_command([sys.executable, "-c", "pass"], runs=9)
    print(f"check {steps} steps ({lines} lines): {check_s * 1000:.0f} ms median, peak {check_mb:.0f} MB")
    print(f"check one 30-step sample:            {small_s * 1000:.0f} ms")
    print(f"blueprint --version:                 {version_s * 1000:.0f} ms   (python -c pass: {bare_s * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
