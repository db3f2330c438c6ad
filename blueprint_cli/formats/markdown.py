"""Markdown for a pull-request comment or a job's step summary.

The summary first, then a table per stage (or file), rows ordered most severe first, notes folded
away in `<details>`, each place a link to the file and line when a link base is known. GitHub
refuses comments over 65,536 characters, so the document is cut to fit: the most severe changes
are kept, and a closing line says how many were left out and where to find them all.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from urllib.parse import quote

from blueprint_cli.formats.items import Item
from blueprint_cli.formats.paths import repo_path
from blueprint_cli.language.source import Span
from blueprint_cli.vocab import rank
from blueprint_cli.words import plural

COMMENT_LIMIT = 65_536  # GitHub's limit on the body of an issue or pull-request comment, in characters


def size(text: str) -> int:
    """Characters as GitHub counts them (UTF-16 code units: an emoji counts two)."""
    return len(text.encode("utf-16-le")) // 2


ICON = {"error": "🔴 error", "warning": "🟠 warning", "note": "🔵 note"}
_SPECIAL = "\\`*_[]|~"  # enough inside a table cell; < > & are HTML-escaped first
LIMIT = 65_536  # GitHub's largest comment (characters)
BUDGET = LIMIT - 1_536  # room for the closing line and for a host that counts a little differently
HEADER = ["| severity | kind | element | change | where |", "|---|---|---|---|---|"]

Linker = Callable[[Span, str | None], str | None]  # (span, the git revision it is at, if not the checkout)


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


def link_base(given: str | None = None, environ: Mapping[str, str] | None = None) -> str | None:
    """Where files are browsed: `--link-base`, else this commit on GitHub when run in GitHub Actions."""
    if given:
        return given if given.endswith("/") else given + "/"
    env = os.environ if environ is None else environ
    server, repository, sha = (env.get(k) for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"))
    if server and repository and sha:
        return f"{server.rstrip('/')}/{repository}/blob/{sha}/"
    return None


def linker(base: str | None, environ: Mapping[str, str] | None = None) -> Linker:
    """A span -> URL function (`BASE/path#L12`), or one that gives no links.

    A place at an older git revision (`diff --rev`) is linked at that revision on GitHub, and not at
    all under a `--link-base`, which names one version of the files.
    """
    env = os.environ if environ is None else environ
    github = link_base(None, env)

    def link(span: Span, revision: str | None) -> str | None:
        path = repo_path(span.path)
        if base is None or path.startswith(("/", "<")):  # outside the repository, or standard input
            return None
        if revision is None:
            return f"{base}{quote(path)}#L{span.line}"
        if github is None or base != github:
            return None
        return f"{env['GITHUB_SERVER_URL'].rstrip('/')}/{env['GITHUB_REPOSITORY']}/blob/{quote(revision)}/{quote(path)}#L{span.line}"

    return link


def _where(item: Item, link: Linker) -> str:
    spans = [s for s in item.spans if s.line > 0]
    if not spans:
        return ""
    span = spans[-1]
    revision = item.revision if item.seen_at_revision else None
    text = escape(f"{repo_path(span.path)}:{span.line}" + (f" at {revision}" if revision else ""))
    url = link(span, revision)
    return f"[{text}]({url})" if url else text


def _element(item: Item) -> str:
    """An id in code style; an annotation as its step and text (user text: escaped, never code)."""
    return escape(item.element) if item.element else f"`{item.shown.replace('`', '')}`"


def _row(item: Item, link: Linker) -> str:
    return (
        f"| {ICON[item.severity]} | `{item.rule}` | {_element(item)} | {escape(item.message)} | {_where(item, link)} |"
    )


NO_LINKS = linker(None)


def table(items: Sequence[Item], *, group_word: str, link: Linker = NO_LINKS) -> list[str]:
    """One section per group (in order of first appearance), errors and warnings first, notes folded."""
    groups: dict[str | None, list[Item]] = {}
    for item in items:
        groups.setdefault(item.group, []).append(item)
    out: list[str] = []
    for group, members in groups.items():
        ordered = sorted(members, key=lambda i: -rank(i.severity))  # stable: the order within a level stays
        shown = [i for i in ordered if i.severity != "note"]
        notes = [i for i in ordered if i.severity == "note"]
        out += ["", f"### {escape(f'{group_word}: {group}') if group else 'Whole service'}", ""]
        if shown:
            out += HEADER + [_row(i, link) for i in shown]
        if notes:
            out += [""] if shown else []
            out += [f"<details><summary>{plural(len(notes), 'note')}</summary>", "", *HEADER]
            out += [_row(i, link) for i in notes] + ["", "</details>"]
    return out


def document(
    items: list[Item],
    *,
    title: str,
    summary: str,
    group_word: str = "Stage",
    resolved: Sequence[Item] = (),
    link: Linker = NO_LINKS,
    limit: int = BUDGET,
) -> str:
    """The whole comment, at most `limit` characters: the most severe new items are kept first."""
    new = [i for i in items if i.status == "new"]
    accepted = [i for i in items if i.status == "accepted"]
    full = _render(new, accepted, resolved, title=title, summary=summary, group_word=group_word, link=link)
    if len(full) <= limit:
        return full
    by_severity = sorted(range(len(new)), key=lambda n: -rank(new[n].severity))
    low, high = 0, len(new)  # the most new items that fit, accepted and resolved left out
    while low < high:
        middle = (low + high + 1) // 2
        if len(_cut(new, by_severity[:middle], title, summary, group_word, link)) <= limit:
            low = middle
        else:
            high = middle - 1
    return _cut(new, by_severity[:low], title, summary, group_word, link, left=(accepted, resolved))


def _cut(
    new: list[Item],
    keep: Iterable[int],
    title: str,
    summary: str,
    group_word: str,
    link: Linker,
    left: tuple[list[Item], Sequence[Item]] | None = None,
) -> str:
    kept = set(keep)
    shown = [item for n, item in enumerate(new) if n in kept]
    dropped = [item for n, item in enumerate(new) if n not in kept]
    text = _render(shown, [], (), title=title, summary=summary, group_word=group_word, link=link)
    accepted, resolved = left if left is not None else ([], ())
    return text + "\n" + _left_out_line(dropped, accepted, resolved)


def _left_out_line(dropped: list[Item], accepted: list[Item], resolved: Sequence[Item]) -> str:
    parts = [f"{len(dropped)} more ({_count_phrase(dropped)})"] if dropped else []
    if accepted:
        parts.append(f"{len(accepted)} accepted by the baseline")
    if resolved:
        parts.append(f"{len(resolved)} resolved")
    return (
        f"> **Cut to fit:** {', '.join(parts)} not shown, to keep this under GitHub's {LIMIT:,} characters. "
        "The text output (`--format text`), the JSON or SARIF output, or the job's step summary and artifacts have them all.\n"
    )


def _count_phrase(items: Sequence[Item]) -> str:
    counts: dict[str, int] = {}
    for item in items:
        counts[item.severity] = counts.get(item.severity, 0) + 1
    return ", ".join(plural(n, s) for s, n in sorted(counts.items(), key=lambda c: -rank(c[0])))


def _render(
    new: Sequence[Item],
    accepted: Sequence[Item],
    resolved: Sequence[Item],
    *,
    title: str,
    summary: str,
    group_word: str,
    link: Linker,
) -> str:
    out = [f"## {escape(title)}", "", f"**{escape(summary)}**"]
    if not new and not accepted and not resolved:
        out += ["", "No findings. ✅"]
    out += table(new, group_word=group_word, link=link)
    if accepted:
        out += ["", f"<details><summary>Accepted in the baseline: {len(accepted)}</summary>", ""]
        out += table(accepted, group_word=group_word, link=link)
        out += ["", "</details>"]
    if resolved:
        out += ["", f"### Resolved since the baseline: {len(resolved)}", ""]
        out += [f"- `{r.rule}` {_element(r)}: {escape(r.message)}" for r in resolved]
    return "\n".join(out) + "\n"
