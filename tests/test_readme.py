"""The README's examples are real: the first blueprint is valid and already canonical."""

from __future__ import annotations

import re

from blueprint_cli.language.fmt import format_document
from blueprint_cli.language.parser import parse_document
from blueprint_cli.language.resolve import load_text
from blueprint_cli.language.source import Source
from tests.conftest import ROOT


def _first_blueprint() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.search(r"## A first blueprint\n\n```\n(.*?)```", readme, re.S).group(1)


def test_first_blueprint_is_valid():
    blueprint = load_text(_first_blueprint(), "README.md")
    assert len(blueprint.steps) == 4
    assert [h.owner for h in blueprint.handoffs] == ["coordinator"]


def test_first_blueprint_is_canonical():
    text = _first_blueprint()
    assert format_document(parse_document(Source("README.md", text)), text) == text


def test_the_readme_says_what_the_tool_does():
    """Issue 15, point 11: the README's claims on anchors, labels and durations hold."""
    from blueprint_cli.compare.match import normalise
    from blueprint_cli.report.context import anchor_for

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for kind, ident, anchor in [
        ("step.missing", "call_back", "change-step-missing-call_back"),
        ("flow.missing", "refer->accept", "change-flow-missing-refer--accept"),
        ("pain.added", "refer#pain:19857adcb9", "change-pain-added-refer-pain-19857adcb9"),
    ]:
        assert f"#{anchor}`" in readme and anchor_for(kind, ident) == anchor
    assert "“Books the visit.” is “books the  visit”" in readme
    assert normalise("Books the visit.") == normalise("books the  visit")
    assert "`120m` is `2h`, `7d` is `1w`" in readme
    text = 'blueprint "B"\nstage s "S"\n  customer a "A" [duration={}]\n'
    minutes = [load_text(text.format(d)).steps["a"].duration_minutes for d in ("120m", "2h", "7d", "1w")]
    assert minutes[0] == minutes[1] and minutes[2] == minutes[3]
