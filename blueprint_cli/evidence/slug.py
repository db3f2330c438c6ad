"""Blueprint ids from free text: lower case, letters, digits and underscores, starting with a letter."""

from __future__ import annotations

import re
import unicodedata


def fragment(text: str) -> str:
    """A piece of an id: lower case ASCII letters and digits joined by underscores (may start with a digit)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")


def slug(text: str) -> str:
    """`T02 Check confirmation` -> `t02_check_confirmation`; `12 Group` -> `x12_group`; `Flow` -> `flow_step`."""
    from blueprint_cli.vocab import KEYWORD_TERMINALS

    words = fragment(text)
    if not words:
        return "x"
    if words in KEYWORD_TERMINALS:  # a keyword cannot be an id
        return f"{words}_step"
    return words if words[0].isalpha() else f"x{words}"
