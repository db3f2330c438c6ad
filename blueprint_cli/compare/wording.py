"""Plain-English pieces of change messages: quoted labels, lists of labels, durations, ratios."""

from __future__ import annotations

from blueprint_cli.words import plural

LABEL_LIMIT = 50  # characters; a longer label is cut at a word and ends with "…"
LIST_LIMIT = 3  # labels named in a list before "and N more"
_TRAILING = " \t,;:.-–—(…"
_UNIT_WORDS = {"m": "minute", "h": "hour", "d": "day", "w": "week"}
_FRACTIONS = {2: "half", 3: "a third of", 4: "a quarter of", 5: "a fifth of", 6: "a sixth of", 7: "a seventh of", 8: "an eighth of", 9: "a ninth of", 10: "a tenth of"}


def shorten(label: str, *, limit: int = LABEL_LIMIT) -> str:
    """`label` itself when it is short enough, else its first words (at most `limit` characters with "…")."""
    label = " ".join(label.split())
    if len(label) <= limit:
        return label
    cut = label[: limit - 1]
    if " " in cut and label[limit - 1] != " ":
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(_TRAILING) + "…"


def quoted(label: str, *, limit: int = LABEL_LIMIT) -> str:
    """A label in typographic quotes, shortened when long: `“Copy of the care plan”`."""
    return f"“{shorten(label, limit=limit)}”"


def and_list(parts: list[str], *, limit: int = LIST_LIMIT) -> str:
    """`A`, `A and B`, `A, B and C`, `A, B, C and 2 more` (parts as given, in order)."""
    if len(parts) > limit:
        shown, rest = parts[:limit], len(parts) - limit
        return ", ".join(shown) + f" and {rest} more"
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


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
