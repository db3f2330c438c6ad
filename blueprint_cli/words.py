"""Small helpers for English in messages: plurals that a board will read."""

from __future__ import annotations


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """`1 handoff`, `2 handoffs`, `0 people` (with an explicit plural form)."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"
