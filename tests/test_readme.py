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
