"""Small helpers for English in messages a board will read: plurals, quoted labels, lists."""

from __future__ import annotations


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """`1 handoff`, `2 handoffs`, `0 people` (with an explicit plural form)."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


LABEL_LIMIT = 50  # characters; a longer label is cut at a word and ends with "…"
LIST_LIMIT = 3  # labels named in a list before "and N more"
_TRAILING = " \t,;:.-–—(…"


def shorten(label: str, *, limit: int = LABEL_LIMIT) -> str:
    """`label` itself when it is short enough, else its first words (at most `limit` characters with "…")."""
    label = " ".join(label.split())
    if len(label) <= limit:
        return label
    cut = label[: limit - 1]
    if " " in cut and label[limit - 1] != " ":
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(_TRAILING) + "…"


def quoted(label: str) -> str:
    """A label in typographic quotes, whole: `“Copy of the care plan”`.

    Never cut: machine formats (JSON, SARIF, JUnit, GitHub) carry the full label and people's
    formats (the terminal, Markdown, the report) wrap it.
    """
    return f"“{label}”"


def and_list(parts: list[str], *, limit: int = LIST_LIMIT) -> str:
    """`A`, `A and B`, `A, B and C`, `A, B, C and 2 more` (parts as given, in order)."""
    if len(parts) > limit:
        shown, rest = parts[:limit], len(parts) - limit
        return ", ".join(shown) + f" and {rest} more"
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
