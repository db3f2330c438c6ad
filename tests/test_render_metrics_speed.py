"""Wrapping measures each word once; the lines are those of measuring every candidate line in full."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from blueprint_cli.render import metrics
from blueprint_cli.render.metrics import SAFETY, _split_word, text_width, wrap


def _width_in_full(text: str, size: float, bold: bool) -> float:
    table = metrics.BOLD if bold else metrics.REGULAR
    return sum(table.get(ch, 1000) for ch in text) * size / 1000 * SAFETY


def _wrap_as_before(text: str, *, width: float, size: float, bold: bool = False) -> list[str]:
    """The wrapping before: every candidate line measured character by character."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if _width_in_full(candidate, size, bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        *pieces, last = _split_word(word, width=width, size=size, bold=bold)
        lines.extend(pieces)
        if _width_in_full(last, size, bold) <= width:
            current = last
        else:
            lines.append(last)
    if current or not lines:
        lines.append(current)
    return lines


words = st.text(alphabet=st.sampled_from("aiWM.—✓ é漢\t\n"), max_size=60)


@settings(max_examples=500, deadline=None)
@given(
    words,
    st.floats(min_value=1, max_value=400, allow_nan=False),
    st.sampled_from([8.0, 9.5, 12.5, 22.0]),
    st.booleans(),
)
def test_wrap_is_as_before(text, width, size, bold):
    assert wrap(text, width=width, size=size, bold=bold) == _wrap_as_before(text, width=width, size=size, bold=bold)
    assert text_width(text, size=size, bold=bold) == _width_in_full(text, size, bold)
