"""Ids derived from labels: lower case, `[a-z][a-z0-9_]*`, short, and unique in one namespace."""

from __future__ import annotations

import re
import unicodedata

ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
MAX_LENGTH = 32


def slug(label: str, *, fallback: str = "item") -> str:
    """`"Arrives on the ward"` -> `arrives_on_the_ward`; accents dropped, cut at a word under 32 characters."""
    folded = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode("ascii").lower()
    words = [w for w in _NOT_WORD.split(folded) if w]
    text = ""
    for word in words:
        candidate = f"{text}_{word}" if text else word
        if len(candidate) > MAX_LENGTH and text:
            break
        text = candidate[:MAX_LENGTH]
    if not text:
        return fallback
    if not text[0].isalpha():
        text = f"{fallback}_{text}"
    return text


class Namer:
    """Hands out ids, each once: a second "Reviews the plan" becomes `reviews_the_plan_2`."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, wanted: str) -> str:
        """`wanted` if it is a free valid id, else the next free `wanted_N`."""
        base = wanted if ID_PATTERN.fullmatch(wanted) else slug(wanted)
        name = base
        number = 2
        while name in self.used:
            name = f"{base}_{number}"
            number += 1
        self.used.add(name)
        return name

    def derive(self, label: str, *, fallback: str) -> str:
        return self.take(slug(label, fallback=fallback))
