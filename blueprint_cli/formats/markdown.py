"""Markdown for a pull-request comment: summary first, then a table per stage or file."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from blueprint_cli.formats.items import Item

ICON = {"error": "🔴 error", "warning": "🟠 warning", "note": "🔵 note"}
_SPECIAL = "\\`*_[]|~"  # enough inside a table cell; < > & are HTML-escaped first


def escape(text: str) -> str:
    """Text safe inside a Markdown table cell: HTML-escaped, Markdown punctuation backslashed, and
    nothing GitHub would turn into a mention, an issue reference or a link (see `unlinked`)."""
    text = html.escape(text, quote=False)
    out = []
    for ch in text:
        out.append("\\" + ch if ch in _SPECIAL else ch)
    return unlinked("".join(out).replace("\n", " "))


# GitHub pings `@user` and `@org/team`, links `#123` (and `GH-123`, `owner/repo#123`) and turns
# bare URLs, `www.` names and e-mail addresses into links. A zero-width space (as an entity, so
# the text reads the same) after `@` and `#`, inside `://` and after `www` stops all of them.
_ZWSP = "&#8203;"
_LINKING = re.compile(r"(?<=@)(?=[\w-])|(?<=#)(?=\d)|(?<=\bGH-)(?=\d)|(?<=:)(?=//)|(?<=\bwww)(?=\.)", re.IGNORECASE)


def unlinked(text: str) -> str:
    """Markdown text in which GitHub finds no mention, reference or auto-link."""
    return _LINKING.sub(_ZWSP, text)


def _where(item: Item) -> str:
    spans = [s for s in item.spans if s.line > 0]
    return escape(f"{spans[-1].path}:{spans[-1].line}") if spans else ""


def table(items: list[Item], *, group_word: str) -> list[str]:
    out: list[str] = []
    group: object = object()
    for item in items:
        if item.group != group:
            group = item.group
            out += [
                "",
                f"### {escape(f'{group_word}: {group}') if group else 'Whole service'}",
                "",
                "| severity | kind | element | change | where |",
                "|---|---|---|---|---|",
            ]
        out.append(
            f"| {ICON[item.severity]} | `{item.rule}` | `{item.ident.replace('`', '')}` | {escape(item.message)} | {_where(item)} |"
        )
    return out


def document(
    items: list[Item], *, title: str, summary: str, group_word: str = "Stage", resolved: Sequence[Item] = ()
) -> str:
    new = [i for i in items if i.status == "new"]
    accepted = [i for i in items if i.status == "accepted"]
    out = [f"## {escape(title)}", "", f"**{escape(summary)}**"]
    if not items and not resolved:
        out += ["", "No findings. ✅"]
    out += table(new, group_word=group_word)
    if accepted:
        out += ["", "<details><summary>Accepted in the baseline: " + str(len(accepted)) + "</summary>", ""]
        out += table(accepted, group_word=group_word)
        out += ["", "</details>"]
    if resolved:
        out += ["", f"### Resolved since the baseline: {len(resolved)}", ""]
        out += [f"- `{r.rule}` `{r.ident.replace('`', '')}`: {escape(r.message)}" for r in resolved]
    return "\n".join(out) + "\n"
