"""The TextMate grammar (editors/vscode) tokenised by VS Code's own engine, vscode-textmate with
oniguruma (npm packages that `scripts/run.sh test` installs into tests/editors/node_modules).

Every sample is tokenised and each piece the parser finds must carry its scope: declared ids,
references, labels and their escapes, attribute keys, keywords and comments.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import TypedDict

import pytest
from conftest import CASES, ROOT, SAMPLES

from blueprint_cli.language import syntax as S
from blueprint_cli.language.parser import find_comments, parse_document
from blueprint_cli.language.source import Source, Span, read_source
from blueprint_cli.lsp.index import build
from blueprint_cli.lsp.positions import unit_column

GRAMMAR = ROOT / "editors" / "vscode" / "blueprint.tmLanguage.json"
TOKENIZER = ROOT / "tests" / "editors" / "tokenize.js"
MODULES = ROOT / "tests" / "editors" / "node_modules"
# The samples, the parser's own cases (keywords as ids, escapes, CRLF, a BOM...) and one of ours.
FILES = sorted(SAMPLES.glob("**/*.blueprint")) + sorted(CASES.glob("parse/*.blueprint")) + [CASES / "editor.blueprint"]
KEYWORD_SCOPES = {
    S.BlueprintDecl: "keyword.other.header",
    S.DescriptionDecl: "keyword.other.header",
    S.IncludeDecl: "keyword.other.header",
    S.VariantDecl: "keyword.other.variant",
    S.RenamedDecl: "keyword.other.renamed",
    S.OrgDecl: "storage.type.org",
    S.ActorDecl: "storage.type.actor",
    S.SystemDecl: "storage.type.system",
    S.OutcomeDecl: "storage.type.outcome",
    S.DataDecl: "storage.type.data",
    S.StageDecl: "storage.type.stage",
    S.StepDecl: "support.type.lane",
    S.FlowDecl: "keyword.control.flow",
    S.AnnotationDecl: "keyword.other.annotation",
}


class Token(TypedDict):
    start: int
    end: int
    scopes: list[str]


Tokens = list[list[Token]]


@lru_cache(maxsize=1)
def tokens() -> dict[str, Tokens]:
    node = shutil.which("node")
    if node is None or not (MODULES / "vscode-textmate").exists() or not (MODULES / "vscode-oniguruma").exists():
        message = "node, vscode-textmate or vscode-oniguruma missing: run `bash scripts/run.sh test`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    done = subprocess.run(
        [node, str(TOKENIZER), str(GRAMMAR), *map(str, FILES)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Tokens] = json.loads(done.stdout)
    return result


class Scopes:
    """The scopes of each character of a tokenised file."""

    def __init__(self, path: Path):
        self.text = read_source(path).text  # as the tokeniser reads it: no BOM, any line end
        self.lines = self.text.split("\n")
        self.tokens = tokens()[str(path)]

    def at(self, line: int, column: int) -> list[str]:
        """Scopes at 1-based (line, character column)."""
        units = unit_column(self.lines[line - 1], column - 1)
        for token in self.tokens[line - 1]:
            if token["start"] <= units < token["end"]:
                return token["scopes"]
        return []

    def assert_span(self, span: Span, scope: str, what: str) -> None:
        assert span.line == span.end_line
        for column in range(span.column, span.end_column):
            found = self.at(span.line, column)
            assert any(s == scope or s.startswith(scope + ".") for s in found), (
                f"{what} at {span.line}:{column} ({self.lines[span.line - 1][column - 1]!r}): wanted {scope}, got {found}"
            )


def texts_of(stmt: S.Statement) -> list[S.Text]:
    found = [getattr(stmt, f.name) for f in dataclasses.fields(stmt)]
    return [value for value in found if isinstance(value, S.Text)]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_piece_of_a_file_has_its_scope(path: Path) -> None:
    scopes = Scopes(path)
    document = parse_document(Source(str(path), scopes.text))
    for stmt in document.statements:
        keyword = KEYWORD_SCOPES[type(stmt)]
        start = stmt.span
        width = len(scopes.lines[start.line - 1][start.column - 1 :].split()[0])
        scopes.assert_span(
            Span(start.path, start.line, start.column, start.line, start.column + width), keyword, "keyword"
        )
        for text in texts_of(stmt):
            scopes.assert_span(text.span, "string.quoted.double", "label")
            raw = scopes.lines[text.span.line - 1][text.span.column - 1 : text.span.end_column - 1]
            at = raw.find("\\")
            while at != -1:
                escape = Span(
                    text.span.path, text.span.line, text.span.column + at, text.span.line, text.span.column + at + 2
                )
                scopes.assert_span(escape, "constant.character.escape", "escape")
                at = raw.find("\\", at + 2)
        for attr in stmt.attrs:
            scopes.assert_span(attr.key.span, "entity.other.attribute-name", "attribute key")
            scopes.assert_span(attr.span, "meta.attributes", "attribute value")
    index = build(str(path), scopes.text, read=lambda _: None)
    for occurrence in index.occurrences:
        if occurrence.definition:
            scopes.assert_span(occurrence.span, f"entity.name.{occurrence.kind}", "declared id")
        elif occurrence.kind == "org":
            scopes.assert_span(occurrence.span, "variable.other.org", "org reference")
        else:
            scopes.assert_span(occurrence.span, "variable.other.reference", "reference")
    for comment in find_comments(scopes.text):
        end = comment.column + len(comment.text)
        scopes.assert_span(Span(str(path), comment.line, comment.column, comment.line, end), "comment.line", "comment")


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_nothing_outside_comments_is_a_comment_and_nothing_is_invalid(path: Path) -> None:
    scopes = Scopes(path)
    comments = {c.line: c.column for c in find_comments(scopes.text)}
    for number, line in enumerate(scopes.lines, start=1):
        for column in range(1, len(line) + 1):
            found = scopes.at(number, column)
            assert not any(s.startswith("invalid") for s in found), (number, column, found)
            in_comment = any(s.startswith("comment") for s in found)
            assert in_comment == (number in comments and column >= comments[number]), (number, column, found)


def test_an_unknown_escape_is_marked_and_an_open_string_ends_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "odd.blueprint"
    path.write_text('blueprint "C:\\New"\nstage s "open\n  customer a "A"\n', encoding="utf-8")
    FILES.append(path)
    tokens.cache_clear()
    try:
        scopes = Scopes(path)
    finally:
        FILES.remove(path)
        tokens.cache_clear()
    assert any(s.startswith("invalid.illegal") for s in scopes.at(1, 14))
    assert "support.type.lane.blueprint" in scopes.at(3, 3)  # the open string did not swallow the next line
