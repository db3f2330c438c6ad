"""Escaping user text for DOT: quoted strings and HTML-like labels.

Graphviz expands `\\N`, `\\G`, `\\E`, `\\T`, `\\H`, `\\L`, `\\l`, `\\n`, `\\r` inside labels, in
quoted strings and in HTML-like labels alike, and decodes character entities before that. So a
backslash is always doubled, and in HTML-like labels the XML specials become entities.

Graphviz's HTML-label lexer also trips over text that is exactly `]` (or `]]`, ` ]`) and over
text that is only a tab, so `]` is written as a character reference and a tab as a space there.
"""

from __future__ import annotations

_HTML = str.maketrans({"\\": "\\\\", "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "]": "&#93;", "\t": " "})


def html_text(text: str) -> str:
    """Text for an HTML-like label: shows exactly as written."""
    return _clean(text).translate(_HTML)


def quoted(text: str) -> str:
    """A DOT double-quoted string that Graphviz reads back as exactly `text`."""
    return '"' + _clean(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


# Control characters have no place in a label (XML forbids most of them).
_CONTROLS = str.maketrans({code: " " for code in range(32) if code != 9})


def _clean(text: str) -> str:
    return text.translate(_CONTROLS)
