"""Outputs for their hosts: GitHub's annotation limits, and Markdown that fits a pull-request comment."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SAMPLES

from blueprint_cli.formats import github, markdown
from blueprint_cli.formats.items import Item
from blueprint_cli.language.source import Span

HOSPITAL = [
    str(SAMPLES / "hospital-discharge.intended.blueprint"),
    str(SAMPLES / "hospital-discharge.observed.blueprint"),
]


def _items(errors: int, warnings: int, notes: int, *, message: str = "a change") -> list[Item]:
    out = []
    for severity, count in (("note", notes), ("warning", warnings), ("error", errors)):  # least severe first
        for n in range(count):
            span = Span("svc/a.blueprint", n + 1, 1, n + 1, 5)
            out.append(
                Item(
                    rule=f"kind.{severity}",
                    severity=severity,
                    ident=f"{severity}{n}",
                    message=message,
                    spans=(span,),
                    group=f"S{n % 3}",
                )
            )
    return out


def _levels(lines: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for line in lines:
        level = line[2:].split(" ", 1)[0]
        found[level] = found.get(level, 0) + 1
    return found


def test_github_keeps_within_ten_of_each_level_and_says_what_was_left_out():
    lines = github.lines(_items(13, 34, 10))
    assert _levels(lines) == {"error": 10, "warning": 10, "notice": 10}
    assert lines[0].startswith("::error ") and lines[10].startswith("::warning "), "most severe first"
    notice = lines[-1]
    assert "3 errors, 24 warnings, 1 note not shown" in notice and "GITHUB_STEP_SUMMARY" in notice
    assert "all 57 changes" in notice


def test_github_adds_no_notice_when_everything_fits():
    lines = github.lines(_items(10, 10, 10))
    assert _levels(lines) == {"error": 10, "warning": 10, "notice": 10}
    assert not any("not shown" in line for line in lines)


def test_github_paths_are_relative_to_the_workspace(monkeypatch, tmp_path):
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    item = Item(
        rule="r",
        severity="error",
        ident="x",
        message="m",
        spans=(Span(str(tmp_path / "svc" / "a.blueprint"), 2, 1, 2, 3),),
    )
    assert github.lines([item])[0].startswith("::error file=svc/a.blueprint,line=2,")


def test_markdown_orders_by_severity_and_folds_notes():
    text = markdown.document(_items(2, 2, 2), title="T", summary="S")
    section = text[text.index("### Stage: S0") : text.index("### Stage: S1")]
    assert section.index("🔴 error") < section.index("🟠 warning") < section.index("<details><summary>1 note</summary>")
    assert section.index("🔵 note") > section.index("<details>")


def test_markdown_links_from_the_github_environment(monkeypatch):
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.example")
    monkeypatch.setenv("GITHUB_REPOSITORY", "team/services")
    monkeypatch.setenv("GITHUB_SHA", "0123abc")
    link = markdown.linker(markdown.link_base())
    text = markdown.document(_items(1, 0, 0), title="T", summary="S", link=link)
    assert "[svc/a.blueprint:1](https://github.example/team/services/blob/0123abc/svc/a.blueprint#L1)" in text
    at_rev = Item(
        rule="r",
        severity="error",
        ident="x",
        message="m",
        spans=(Span("svc/a.blueprint", 7, 1, 7, 2),),
        revision="main",
        seen_at_revision=True,
    )
    assert "(https://github.example/team/services/blob/main/svc/a.blueprint#L7)" in markdown.document(
        [at_rev], title="T", summary="S", link=link
    )


def test_markdown_link_base_option(run_cli, monkeypatch):
    for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA", "GITHUB_WORKSPACE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(SAMPLES.parent)
    pair = [f"samples/{Path(p).name}" for p in HOSPITAL]
    plain = run_cli("diff", *pair, "-f", "markdown", "--exit-zero")[1]
    assert "](" not in plain.split("### ", 1)[1], "no link base, no links"
    linked = run_cli(
        "diff", *pair, "-f", "markdown", "--exit-zero", "--link-base", "https://git.example/r/-/blob/main"
    )[1]
    wheres = re.findall(r"\| \[([^\]]+)\]\((https://git\.example/r/-/blob/main/[^)]+)\) \|$", linked, re.M)
    assert wheres and all(url.endswith("#L" + where.rsplit(":", 1)[1]) for where, url in wheres)


def test_markdown_is_cut_below_githubs_limit_keeping_the_most_severe():
    items = _items(300, 900, 900, message="a long description of what changed " * 4)
    full = markdown.document(items, title="T", summary="S", limit=10**9)
    assert len(full) > markdown.LIMIT, "the test needs more than GitHub takes"
    text = markdown.document(items, title="T", summary="S")
    assert len(text) < markdown.LIMIT
    shown = {severity: text.count(icon) for severity, icon in markdown.ICON.items()}
    assert shown["error"] == 300, "every error is kept before any warning"
    assert shown["note"] == 0 and 0 < shown["warning"] < 900
    closing = text.rstrip("\n").splitlines()[-1]
    assert f"{900 - shown['warning']} warnings, 900 notes" in closing and "--format text" in closing
    assert f"{900 - shown['warning'] + 900} more" in closing


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_diff_summaries_agree_and_count_the_baseline(run_cli, tmp_path, fmt):
    import json

    baseline = tmp_path / "drift.json"
    assert run_cli("diff", *HOSPITAL, "--write-baseline", str(baseline))[0] == 0
    accepted = len(json.loads(baseline.read_text(encoding="utf-8"))["accepted"])
    out = run_cli("diff", *HOSPITAL, "--baseline", str(baseline), "-f", fmt)[1]
    if fmt == "json":
        summary = json.loads(out)["summary"]
        assert summary["accepted"] == accepted and summary["error"] == summary["warning"] == summary["note"] == 0
    else:
        assert f"no new drift; {accepted} accepted by the baseline" in out.replace("\\", "")
