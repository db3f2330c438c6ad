"""Edits: rename an id everywhere, format a text exactly as `blueprint fmt` does."""

from __future__ import annotations

import re

from blueprint_cli.language.source import Span
from blueprint_cli.lsp.index import Index

ID = re.compile(r"[a-z][a-z0-9_]*")


class RenameError(ValueError):
    """A rename that cannot be done; the message says why."""


def rename(index: Index, name: str, new_name: str) -> dict[str, list[tuple[Span, str]]]:
    """The edits (per file) renaming the id `name` to `new_name` in a file and its includes."""
    if ID.fullmatch(new_name) is None:
        raise RenameError(
            f"'{new_name}' is not an identifier: lower case letters, digits and _, starting with a letter"
        )
    if name not in index.declarations:
        raise RenameError(f"nothing declares '{name}'")
    taken = index.declarations.get(new_name)
    if taken is not None and new_name != name:
        where = taken.span
        raise RenameError(
            f"'{new_name}' is already taken by the {taken.kind} declared at {where.path.rsplit('/', 1)[-1]}:{where.line}"
        )
    edits: dict[str, list[tuple[Span, str]]] = {}
    for occurrence in index.uses(name):
        edits.setdefault(occurrence.span.path, []).append((occurrence.span, new_name))
    return edits


def format_text(path: str, text: str) -> str | None:
    """The text as `blueprint fmt` writes it (CRLF kept), or None when it has syntax errors."""
    from blueprint_cli.language.errors import BlueprintError
    from blueprint_cli.language.fmt import format_document
    from blueprint_cli.language.parser import parse_document
    from blueprint_cli.language.source import Source
    from blueprint_cli.lsp.analysis import normalise

    source = Source(path, normalise(text))
    try:
        document = parse_document(source)
    except BlueprintError:
        return None
    formatted = format_document(document, source.text)
    if "\r\n" in text:
        formatted = formatted.replace("\n", "\r\n")
    return formatted
