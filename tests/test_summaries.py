"""One summary line per run, the same in every format, saying what a baseline accepted."""

from __future__ import annotations

import re

from conftest import SAMPLES


def _markdown_summary(markdown: str) -> str:
    found = re.search(r"^\*\*(.*)\*\*$", markdown, re.M)
    assert found, markdown[:300]
    return found.group(1).replace("\\", "")


def test_check_summary_is_the_same_in_text_and_markdown(run_cli, tmp_path):
    baseline = tmp_path / "check.json"
    assert run_cli("check", str(SAMPLES), "--write-baseline", str(baseline))[0] == 0
    text = run_cli("check", str(SAMPLES), "--baseline", str(baseline))[1]
    markdown = run_cli("check", str(SAMPLES), "--baseline", str(baseline), "-f", "markdown")[1]
    last = text.rstrip("\n").splitlines()[-1]
    assert last == _markdown_summary(markdown)
    files = len(list(SAMPLES.rglob("*.blueprint")))
    accepted = len(re.findall(r"^  \S+: BP\d+ ", text, re.M))
    assert accepted > 0
    assert last == f"{files} files, 0 invalid: nothing found; {accepted} accepted by the baseline, 0 resolved"


def test_check_summary_without_a_baseline_counts_new_findings(run_cli):
    text = run_cli("check", str(SAMPLES))[1]
    markdown = run_cli("check", str(SAMPLES), "-f", "markdown")[1]
    last = text.rstrip("\n").splitlines()[-1]
    assert last == _markdown_summary(markdown) and "accepted" not in last
    warnings = len(re.findall(r": warning: ", text))
    assert f"{warnings} warnings" in last
