"""Score cards: a bar shows the number printed on it (issue 15, point 13)."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
from conftest import sample_pairs

from blueprint_cli.compare import compare
from blueprint_cli.language.resolve import load
from blueprint_cli.report.build import render_compare_report, render_single_report

CARD = re.compile(
    r'<li class="score tone-[\w-]+">\s*<span class="score-value">(?P<value>[^<]*)</span>.*?'
    r'(?:<span class="meter-fill" style="width: (?P<width>[\d.]+)%">|</li>)',
    re.DOTALL,
)


def shown_share(value: str) -> float | None:
    """The share a card's number says: `93%` -> 0.93, `3 of 4` -> 0.75; None for a count."""
    if value.endswith("%"):
        return int(value[:-1]) / 100
    found = re.fullmatch(r"(\d+) of (\d+)", value)
    return float(Fraction(int(found.group(1)), int(found.group(2)))) if found else None


def cards(html: str) -> list[tuple[str, float | None]]:
    return [(m["value"], float(m["width"]) / 100 if m["width"] else None) for m in CARD.finditer(html)]


def no_svg(*_args, **_kwargs) -> str:
    return "<svg/>"


@pytest.mark.parametrize("pair", sample_pairs(), ids=lambda p: p[0].name.split(".")[0])
def test_every_bar_shows_the_number_on_its_card(pair):
    intended, observed = (load(str(p)) for p in pair)
    pages = [
        render_compare_report(compare(intended, observed), to_svg=no_svg),
        render_single_report(observed, [], to_svg=no_svg),
    ]
    for html in pages:
        found = cards(html)
        assert len(found) == 5
        for value, bar in found:
            if bar is None:
                continue
            said = shown_share(value)
            assert said is not None, f"a bar on the count {value!r}"
            assert abs(bar - said) <= 0.0051, f"{value} drawn as {bar:.0%}"
