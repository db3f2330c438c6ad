"""Analysis: the problems `blueprint check` reports for a text, as plain records for the server.

Syntax, reference and structure errors come from loading the text (with its includes, as the
editor holds them, else from disk); when it loads, the check rules run on it. Messages, codes and severities are those of
`blueprint check`; a did-you-mean suggestion is kept apart so that a quick fix can apply it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from blueprint_cli.language.errors import BlueprintError, Diagnostic
from blueprint_cli.language.model import Blueprint
from blueprint_cli.language.source import Source, Span, from_text

_SUGGESTION = re.compile(r"did you mean '([^']*)'\?")
_BLUEPRINT_LINE = re.compile(r"^[ \t]*blueprint\b", re.MULTILINE)
_FIXED_ID = re.compile(r"starting with a letter: '([a-z][a-z0-9_]*)'$")


@dataclass(frozen=True, slots=True)
class Problem:
    """One diagnostic: from the language (code 'syntax', 'reference', ...) or a rule (code 'BP101')."""

    code: str
    severity: str  # error | warning | note
    message: str
    span: Span
    hint: str | None = None
    rule: str | None = None  # the rule's name, for findings
    replacement: str | None = None  # what a quick fix writes over the span


@dataclass(frozen=True, slots=True)
class Analysis:
    path: str
    text: str
    problems: tuple[Problem, ...]
    blueprint: Blueprint | None


def normalise(text: str) -> str:
    """Text as the parser reads a file: no byte-order mark, LF line ends (columns unchanged)."""
    return from_text("", text).text


def replacement_of(message: str, hint: str | None) -> str | None:
    """The text a quick fix would write: the did-you-mean of a message, or a fixed identifier."""
    found = _SUGGESTION.search(message)
    if found:
        return found.group(1)
    if hint:
        fixed = _FIXED_ID.search(hint)
        if fixed:
            return fixed.group(1)
    return None


def _from_diagnostic(diagnostic: Diagnostic) -> Problem:
    return Problem(
        code=diagnostic.code,
        severity=diagnostic.severity.value,
        message=diagnostic.message,
        span=diagnostic.span,
        hint=diagnostic.hint,
        replacement=replacement_of(diagnostic.message, diagnostic.hint),
    )


def analyse(path: str, text: str, *, unsaved: Mapping[str, str] | None = None) -> Analysis:
    """Every problem of a blueprint text; its includes (relative to `path`) are taken from
    `unsaved` (the editor's open files, by absolute path) before the disk."""
    from blueprint_cli import pipeline

    text = normalise(text)
    if "\x00" in text[:8192]:  # as `blueprint check` reads such a file
        span = Span(path, 0, 0, 0, 0)
        message = "this looks like a binary file, not a blueprint (it contains NUL bytes)"
        return Analysis(path, text, (Problem("input", "error", message, span),), None)
    if _BLUEPRINT_LINE.search(text) is None:
        shared = _shared_file(path, text)
        if shared is not None:
            return shared
    base = os.path.dirname(os.path.abspath(path)) if _is_file_path(path) else None
    try:
        blueprint = pipeline.load_text(text, path, base=base, unsaved=unsaved)
    except BlueprintError as error:
        return Analysis(path, text, tuple(_from_diagnostic(d) for d in error.diagnostics), None)
    problems = [
        Problem(
            code=f.code,
            severity=f.severity,
            message=f.message,
            span=f.span,
            hint=f.hint,
            rule=f.name,
            replacement=replacement_of(f.message, None),
        )
        for f in pipeline.check(blueprint)
    ]
    return Analysis(path, text, tuple(problems), blueprint)


def _shared_file(path: str, text: str) -> Analysis | None:
    """A file meant to be included (declarations only, no `blueprint` line): its syntax only.

    Its references are checked in the blueprints that include it; on its own it would only
    report the missing `blueprint` line.
    """
    from blueprint_cli.language.parser import parse_document
    from blueprint_cli.language.resolve import INCLUDABLE

    try:
        document = parse_document(Source(path, text))
    except BlueprintError as error:
        return Analysis(path, text, tuple(_from_diagnostic(d) for d in error.diagnostics), None)
    if document.statements and all(isinstance(s, INCLUDABLE) for s in document.statements):
        return Analysis(path, text, (), None)
    return None


def _is_file_path(path: str) -> bool:
    return "://" not in path and not path.startswith("untitled:")
