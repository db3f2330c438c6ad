"""The fast JSON writer is `json.dumps(value, indent=2, ensure_ascii=False) + "\\n"`, byte for byte."""

from __future__ import annotations

import json
import math
from enum import Enum, IntEnum

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blueprint_cli import jsontext


def standard(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()  # any code point: quotes, backslashes, controls, surrogates, non-ASCII
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.lists(inner, max_size=5).map(tuple)
        | st.dictionaries(st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=40,
)


@settings(max_examples=400, deadline=None)
@given(values)
def test_same_text_as_the_standard_library(value):
    assert jsontext.dumps(value) == standard(value)


class Colour(str, Enum):
    RED = "red"


class Level(IntEnum):
    HIGH = 3


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        {"a": {}, "b": [], "c": [[]], "d": [{}]},
        {"enum": Colour.RED, "level": Level.HIGH, "big": 10**30, "neg": -0.0, "nan": math.nan},
        {3: "int key", None: "null key", 2.5: "float key", True: "bool key"},  # left to json.dumps
        '\u2028\u2029\x00\x1f"\\/é✓',
    ],
)
def test_edge_cases_match(value):
    assert jsontext.dumps(value) == standard(value)


def test_what_json_cannot_write_fails_as_in_json():
    with pytest.raises(TypeError):
        jsontext.dumps({"a": object()})
    looped: list[object] = []
    looped.append(looped)
    with pytest.raises(ValueError, match="Circular"):
        jsontext.dumps(looped)
