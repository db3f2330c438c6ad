"""`json.dumps(value, indent=2, ensure_ascii=False)`, byte for byte, at the speed of the C encoder's parts.

With an indent the standard library encodes in pure Python (generators, one call per value): for a
10,000-step export that is most of the command's time. This writer walks the value once, with the
standard library's own C string escaper and number formatting, and hands anything it does not know
(keys that are not strings, other types, cycles) to `json.dumps`, which words the error as before.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # the C escaper (ensure_ascii=False) when available


class _Unsupported(Exception):
    """A value this writer leaves to `json.dumps`."""


def dumps(value: object) -> str:
    """The value as JSON with a two-space indent, UTF-8 as is, and one final newline."""
    parts: list[str] = []
    try:
        _encode(value, parts, "\n")
    except (_Unsupported, RecursionError):
        return json.dumps(value, indent=2, ensure_ascii=False) + "\n"
    parts.append("\n")
    return "".join(parts)


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == -float("inf"):
        return "-Infinity"
    return float.__repr__(value)


def _scalar(value: object) -> str | None:
    """A string, number, boolean or null as JSON; None for a list, a dict or anything else."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)  # type: ignore[arg-type]  # exactly a str (mypy narrows isinstance only)
    if kind is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is float:
        return _float(value)  # type: ignore[arg-type]
    return None


def _encode(value: object, out: list[str], newline: str) -> None:
    """Append `value` to `out`; `newline` is a line break and the indent of the value's own line.

    The order of the tests is `json.encoder`'s: a str or int subclass (an enum) encodes as its value.
    """
    if isinstance(value, str):
        out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float(value))
    elif isinstance(value, (list, tuple)):
        _encode_list(value, out, newline)
    elif isinstance(value, dict):
        _encode_dict(value, out, newline)
    else:
        raise _Unsupported


def _encode_list(value: list[object] | tuple[object, ...], out: list[str], newline: str) -> None:
    if not value:
        out.append("[]")
        return
    inner = newline + "  "
    separator = "[" + inner
    for item in value:
        text = _scalar(item)
        if text is not None:  # the common case in one call, without recursing
            out.append(separator + text)
        else:
            out.append(separator)
            _encode(item, out, inner)
        separator = "," + inner
    out.append(newline + "]")


def _encode_dict(value: dict[object, object], out: list[str], newline: str) -> None:
    if not value:
        out.append("{}")
        return
    inner = newline + "  "
    separator = "{" + inner
    for key, item in value.items():
        if not isinstance(key, str):
            raise _Unsupported
        text = _scalar(item)
        if text is not None:
            out.append(separator + encode_basestring(key) + ": " + text)
        else:
            out.append(separator + encode_basestring(key) + ": ")
            _encode(item, out, inner)
        separator = "," + inner
    out.append(newline + "}")
