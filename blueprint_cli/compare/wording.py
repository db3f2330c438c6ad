"""Plain-English pieces of change messages: quoted labels, lists of labels, durations, ratios."""

from __future__ import annotations

from blueprint_cli.words import and_list, plural, quoted, shorten

__all__ = ["and_list", "duration_words", "plural", "quoted", "ratio_words", "shorten"]

_UNIT_WORDS = {"m": "minute", "h": "hour", "d": "day", "w": "week"}
_FRACTIONS = {
    2: "half",
    3: "a third of",
    4: "a quarter of",
    5: "a fifth of",
    6: "a sixth of",
    7: "a seventh of",
    8: "an eighth of",
    9: "a ninth of",
    10: "a tenth of",
}


def duration_words(text: str) -> str:
    """`20m` -> `20 minutes`, `1h` -> `1 hour`, `5w` -> `5 weeks`; anything else as written."""
    number, unit = text[:-1], text[-1:]
    if not number.isdigit() or unit not in _UNIT_WORDS:
        return text
    return plural(int(number), _UNIT_WORDS[unit])


def ratio_words(old_minutes: int, new_minutes: int) -> str:
    """How a new duration compares: `3 times as long`, `a third of the time`; "" when the change is small."""
    ratio = new_minutes / old_minutes
    if ratio >= 1.5:
        times = round(ratio)
        return "twice as long" if times == 2 else f"{times} times as long"
    if ratio <= 1 / 1.5:
        share = round(1 / ratio)
        if share in _FRACTIONS:
            return f"{_FRACTIONS[share]} the time"
        return f"1/{share} of the time"
    return ""
