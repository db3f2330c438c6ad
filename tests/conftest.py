"""Shared test helpers: paths, the update-golden flag, and running the CLI in-process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
CASES = Path(__file__).resolve().parent / "cases"

# Golden files are regenerated with BLUEPRINT_UPDATE_GOLDEN=1 (never edited by hand).
UPDATE_GOLDEN = os.environ.get("BLUEPRINT_UPDATE_GOLDEN") == "1"


def sample_files() -> list[Path]:
    return sorted(SAMPLES.glob("*.blueprint"))


def sample_pairs() -> list[tuple[Path, Path]]:
    pairs = []
    for intended in sorted(SAMPLES.glob("*.intended.blueprint")):
        observed = intended.with_name(intended.name.replace(".intended.", ".observed."))
        pairs.append((intended, observed))
    return pairs


def assert_golden(actual: str, golden: Path) -> None:
    """Compare text with a golden file; rewrite it instead when the update flag is set."""
    if UPDATE_GOLDEN or not golden.exists():
        if not UPDATE_GOLDEN and os.environ.get("CI"):
            pytest.fail(f"missing golden file {golden}; run with BLUEPRINT_UPDATE_GOLDEN=1")
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
        if not UPDATE_GOLDEN:
            pytest.fail(f"golden file {golden} did not exist and was written; check it and rerun")
        return
    expected = golden.read_text(encoding="utf-8")
    assert actual == expected, f"output differs from {golden.relative_to(ROOT)} (BLUEPRINT_UPDATE_GOLDEN=1 to accept)"


@pytest.fixture
def run_cli(capsys):
    """Run `blueprint ARGS` in-process; return (exit code, stdout, stderr)."""
    from blueprint_cli.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
