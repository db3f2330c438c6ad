"""Parsing: blueprint text -> `syntax.Document`, with every syntax error of a file in words.

The Lark parser is built once per process (LALR, its tables cached in the user's cache folder).
A file is parsed whole; when that fails, each line is parsed on its own so that every bad line is
reported in one run, each with what was expected and a did-you-mean where one exists.
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lark import Lark, Token, Transformer, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from blueprint_cli import __version__
from blueprint_cli.language import syntax as S
from blueprint_cli.language.errors import BlueprintError, Diagnostic, did_you_mean
from blueprint_cli.language.lexer import BlueprintLexer
from blueprint_cli.language.source import Source, Span
from blueprint_cli.language.syntax import find_comments
from blueprint_cli.resources import cache_dir, grammar_path
from blueprint_cli.vocab import ANNOTATION_KINDS, CLAUSE_KEYWORDS, LANES, LINE_KEYWORDS, Lane, variant_meant

KEYWORDS = LINE_KEYWORDS

_WORDS = {
    "ID": "an identifier",
    "STRING": 'a quoted label ("…")',
    "ORG_REF": "an organisation (@org)",
    "VALUE": "a value",
    "_NL": "the end of the line",
    "$END": "the end of the file",
    "ANNOTATION_KIND": "'pain', 'workaround', 'unknown' or 'note'",
    "LANE": "a keyword",
    "CUSTOMER": "'customer'",
}


def _cache_dir() -> Path:
    return cache_dir()


@functools.lru_cache(maxsize=1)
def lark_parser() -> Lark:
    # (The transformer runs inside the parser; it is defined below and bound here once.)
    """The one Lark parser of the process; its LALR tables are cached on disk between runs."""
    grammar = grammar_path().read_text(encoding="utf-8")
    options = dict(
        parser="lalr",
        lexer=BlueprintLexer,
        start=["start", "line"],
        maybe_placeholders=True,
        transformer=_TRANSFORMER,
    )
    digest = hashlib.sha256(grammar.encode()).hexdigest()[:16]
    cache_file = _cache_dir() / f"grammar-{__version__}-{digest}.lark"
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        if not cache_file.exists():  # tables of an older grammar or version are of no more use
            for stale in cache_file.parent.glob("grammar-*.lark"):
                stale.unlink(missing_ok=True)
        return Lark(grammar, cache=str(cache_file), **options)
    except OSError:  # a read-only or missing home: build the tables in memory
        return Lark(grammar, **options)


_ESCAPE = re.compile(r"\\(.)")
# Control characters (but tab) and Unicode non-characters: invisible, and harmful in a terminal
# (escape sequences), in XML (JUnit, SVG) and to Graphviz.
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
# The embeddings, overrides and isolates of the Unicode bidirectional algorithm (U+202E, the
# right-to-left override, shows "txt.exe" as "exe.txt").
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


# What a rule matched, in grammar order: tokens, None for an absent optional part (Lark's
# `maybe_placeholders`), and what the methods below returned for sub-rules. Lark gives no
# per-rule types; the grammar fixes what is where, so the rule methods index it as they need.
Children = list[Any]


# A token's line, column, end line and end column are optional in Lark's types (a lexer may
# leave them out); `BlueprintLexer` sets all four on every token it makes, so a missing one is a
# bug in the lexer, not in the blueprint. The checks are inline: `_sp` runs for every name and label.
def _unplaced(tok: Token) -> ValueError:
    return ValueError(f"token {tok.type} {str(tok)!r} has no position")


class _Attrs(tuple[S.Attr, ...]):
    """The attributes of a statement, with the position just after the closing bracket."""

    end: tuple[int, int]


# `by ID`, `uses ID, ...` or `-> ID, ...` on a step: its word, its span and its names. A plain
# tuple (a named one costs a Python-level call per clause); `_Attrs` is the other tuple a step has.
_Clause = tuple[str, Span, list[S.Name]]


class _ToSyntax(Transformer[Token, Any]):
    """One method per grammar rule, named after it, returning `syntax` objects.

    It runs inside the LALR parser (Lark's `transformer=` option: no parse tree is built), so
    it is bound to the parser once and told which file it is reading by `begin()` before each
    parse. Spans come from the tokens: a statement runs from its keyword to its last token.
    """

    def begin(self, path: str, line_offset: int = 0) -> None:
        self.path = path
        self.offset = line_offset
        self.problems: list[Diagnostic] = []

    # -- helpers
    def _sp(self, tok: Token) -> Span:
        line, column, end_line, end_column = tok.line, tok.column, tok.end_line, tok.end_column
        if line is None or column is None or end_line is None or end_column is None:
            raise _unplaced(tok)
        off = self.offset
        return Span(self.path, line + off, column, end_line + off, end_column)

    def _stmt_span(self, first: Token, children: Children) -> Span:
        line, column, end_line, end_col = first.line, first.column, first.end_line, first.end_column
        if line is None or column is None or end_line is None or end_col is None:
            raise _unplaced(first)
        end_line += self.offset
        for child in reversed(children):
            if child is None:
                continue
            if isinstance(child, Token):
                if child.end_line is None or child.end_column is None:
                    raise _unplaced(child)
                end_line, end_col = child.end_line + self.offset, child.end_column
            elif isinstance(child, _Attrs):
                end_line, end_col = child.end[0] + self.offset, child.end[1]
            elif isinstance(child, tuple) and len(child) == 3:  # a step clause; its span is already offset
                end_line, end_col = child[1].end_line, child[1].end_column
            else:
                continue
            break
        return Span(self.path, line + self.offset, column, end_line, end_col)

    def _name(self, tok: Token) -> S.Name:
        return S.Name(str(tok), self._sp(tok))

    def _org_ref(self, tok: Token) -> S.Name:
        span = self._sp(tok)
        return S.Name(str(tok)[1:], span._replace(column=span.column + 1))

    def _text(self, tok: Token) -> S.Text:
        raw = str(tok)[1:-1]
        bad = _FORBIDDEN.search(raw)
        if bad is not None:
            self._label_problem(
                tok, bad.start(), 1, f"control character U+{ord(bad.group()):04X} in a quoted label",
                "labels are plain text: remove the character (it would reach terminals, XML and SVG as it is)",
            )  # fmt: skip
        turned = _BIDI.search(raw)
        if turned is not None:
            self._label_problem(
                tok, turned.start(), 1, f"bidirectional control character U+{ord(turned.group()):04X} in a quoted label",
                "remove it: it makes the text around it read in another order than it is written, in every output",
            )  # fmt: skip
        if "\\" in raw:
            for m in _ESCAPE.finditer(raw):
                if m.group(1) not in '"\\':
                    self._label_problem(
                        tok, m.start(), 2, f"unknown escape '\\{m.group(1)}' in a quoted label",
                        'only \\" and \\\\ are escapes; write \\\\ for a backslash',
                    )  # fmt: skip
            raw = _ESCAPE.sub(lambda m: m.group(1) if m.group(1) in '"\\' else m.group(0), raw)
        return S.Text(raw, self._sp(tok))

    def _label_problem(self, tok: Token, offset: int, width: int, message: str, hint: str) -> None:
        """A problem inside a quoted label, `offset` characters after its opening quote."""
        start = self._sp(tok)
        line, column = start.line, start.column + 1 + offset
        self.problems.append(
            Diagnostic("syntax", Span(self.path, line, column, line, column + width), message, hint=hint)
        )

    @staticmethod
    def _attrs_of(children: Children) -> tuple[S.Attr, ...]:
        last = children[-1] if children else None
        return last if isinstance(last, _Attrs) else ()

    # -- files
    def start(self, children: list[S.Statement]) -> list[S.Statement]:
        return children

    def line(self, children: list[S.Statement]) -> S.Statement | None:
        return children[0] if children else None

    # -- header
    def blueprint_decl(self, c: Children) -> S.BlueprintDecl:
        return S.BlueprintDecl(self._stmt_span(c[0], c), self._attrs_of(c), self._text(c[1]))

    def variant_decl(self, c: Children) -> S.VariantDecl:
        return S.VariantDecl(self._stmt_span(c[0], c), (), self._name(c[1]))

    def description_decl(self, c: Children) -> S.DescriptionDecl:
        return S.DescriptionDecl(self._stmt_span(c[0], c), (), self._text(c[1]))

    def include_decl(self, c: Children) -> S.IncludeDecl:
        return S.IncludeDecl(self._stmt_span(c[0], c), (), self._text(c[1]))

    def renamed_decl(self, c: Children) -> S.RenamedDecl:
        return S.RenamedDecl(self._stmt_span(c[0], c), (), self._name(c[1]), self._name(c[2]))

    # -- declarations
    def org_decl(self, c: Children) -> S.OrgDecl:
        return S.OrgDecl(self._stmt_span(c[0], c), self._attrs_of(c), self._name(c[1]), self._text(c[2]))

    def actor_kind(self, c: list[Token]) -> Token:
        return c[0]

    def actor_decl(self, c: Children) -> S.ActorDecl:
        kind = c[3] if len(c) > 3 and isinstance(c[3], Token) else None
        customer = kind is not None and kind.type == "CUSTOMER"
        org = self._org_ref(kind) if kind is not None and not customer else None
        return S.ActorDecl(
            self._stmt_span(c[0], c), self._attrs_of(c), self._name(c[1]), self._text(c[2]), customer, org
        )

    def system_decl(self, c: Children) -> S.SystemDecl:
        org = self._org_ref(c[3]) if len(c) > 3 and isinstance(c[3], Token) else None
        return S.SystemDecl(self._stmt_span(c[0], c), self._attrs_of(c), self._name(c[1]), self._text(c[2]), org)

    def outcome_decl(self, c: Children) -> S.OutcomeDecl:
        return S.OutcomeDecl(self._stmt_span(c[0], c), self._attrs_of(c), self._name(c[1]), self._text(c[2]))

    def data_decl(self, c: Children) -> S.DataDecl:
        return S.DataDecl(self._stmt_span(c[0], c), self._attrs_of(c), self._name(c[1]), self._text(c[2]))

    # -- stages and steps
    def stage_decl(self, c: Children) -> S.StageDecl:
        return S.StageDecl(self._stmt_span(c[0], c), self._attrs_of(c), self._name(c[1]), self._text(c[2]))

    def _clause(self, word: str, c: list[Token]) -> _Clause:
        names = [self._name(t) for t in c if t.type == "ID"]
        first, last = c[0], c[-1]
        if first.line is None or first.column is None or last.end_line is None or last.end_column is None:
            raise _unplaced(first)
        off = self.offset
        return (word, Span(self.path, first.line + off, first.column, last.end_line + off, last.end_column), names)

    def by_clause(self, c: list[Token]) -> _Clause:
        return self._clause("by", c)

    def uses_clause(self, c: list[Token]) -> _Clause:
        return self._clause("uses", c)

    def collects_clause(self, c: list[Token]) -> _Clause:
        return self._clause("collects", c)

    def to_clause(self, c: list[Token]) -> _Clause:
        return self._clause("->", c)

    def step_decl(self, c: Children) -> S.StepDecl:
        lane_tok, ident, label = c[0], c[1], c[2]
        actor: S.Name | None = None
        systems: tuple[S.Name, ...] = ()
        targets: tuple[S.Name, ...] = ()
        data: tuple[S.Name, ...] = ()
        seen: set[str] = set()
        for clause in c[3:]:
            if not isinstance(clause, tuple) or isinstance(clause, _Attrs):
                continue
            word, span, names = clause
            if word in seen:
                hint = (
                    "a step has one actor; split the step if two actors do it"
                    if word == "by"
                    else f"write one '{word}' clause, with a comma-separated list"
                )
                self.problems.append(Diagnostic("syntax", span, f"'{word}' appears twice on this step", hint=hint))
            seen.add(word)
            if word == "by":
                actor = names[0]
            elif word == "uses":
                systems = systems + tuple(names)
            elif word == "collects":
                data = data + tuple(names)
            else:
                targets = targets + tuple(names)
        return S.StepDecl(
            self._stmt_span(lane_tok, c), self._attrs_of(c), Lane(str(lane_tok)), self._name(ident),
            self._text(label), actor, systems, targets, data,
        )  # fmt: skip

    # -- flows and findings
    def flow_decl(self, c: Children) -> S.FlowDecl:
        ids = tuple(self._name(t) for t in c[1:] if isinstance(t, Token) and t.type == "ID")
        label = next((t for t in c if isinstance(t, Token) and t.type == "STRING"), None)
        return S.FlowDecl(
            self._stmt_span(c[0], c), self._attrs_of(c), ids, self._text(label) if label is not None else None
        )

    def annotation(self, c: Children) -> S.AnnotationDecl:
        return S.AnnotationDecl(
            self._stmt_span(c[0], c), self._attrs_of(c), str(c[0]), self._name(c[1]), self._text(c[2])
        )

    # -- attributes
    def attrs(self, c: Children) -> _Attrs:
        out = _Attrs(a for a in c if isinstance(a, S.Attr))
        close = c[-1]
        if close.end_line is None or close.end_column is None:
            raise _unplaced(close)
        out.end = (close.end_line, close.end_column)
        return out

    def attr(self, c: list[Token]) -> S.Attr:
        key, value = c
        quoted = value.type == "STRING"
        text = self._text(value).value if quoted else str(value)
        return S.Attr(self._name(key), text, quoted, self._sp(value))


# ---------------------------------------------------------------- errors in words


def _keyword_of(term: str) -> str | None:
    """The keyword a terminal stands for (`_BY` -> `by`), if it is one."""
    word = term.lstrip("_").lower()
    return word if word in KEYWORDS or word in CLAUSE_KEYWORDS else None


def _describe(term: str) -> str:
    if term in _WORDS:
        return _WORDS[term]
    keyword = _keyword_of(term)
    if keyword:
        return f"'{keyword}'"
    for t in lark_parser().terminals:
        if t.name == term and t.pattern.type == "str":
            return f"'{t.pattern.value}'"
    return term.lower()


def _expected_words(expected: Collection[str]) -> str:
    words = sorted({_describe(t) for t in expected})
    if len(words) > 6:
        return ", ".join(words[:6]) + " or …"
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]


def _keywords_in(expected: Collection[str]) -> list[str]:
    out = [k for k in (_keyword_of(t) for t in expected) if k]
    if "ANNOTATION_KIND" in expected:
        out += ANNOTATION_KINDS
    if "LANE" in expected:
        out += [lane.value for lane in LANES]
    return out


@dataclass(frozen=True, slots=True)
class _Line:
    """The line a syntax error is on."""

    path: str
    number: int
    text: str

    def at(self, column: int, width: int = 1) -> Span:
        return Span(self.path, self.number, column, self.number, column + max(width, 1))

    def starts_at(self, column: int) -> bool:
        """Whether `column` is where the line's first word is."""
        return column == len(self.text) - len(self.text.lstrip()) + 1


def _diagnostic(err: UnexpectedInput, path: str, line_no: int, line_text: str) -> Diagnostic:
    """Turn a Lark error on one line into a Diagnostic a person can act on."""
    column = max(getattr(err, "column", 1) or 1, 1)
    line = _Line(path, line_no, line_text)
    if isinstance(err, UnexpectedCharacters):
        return _unexpected_character(err, column, line)
    if isinstance(err, UnexpectedToken):
        return _unexpected_token(err, column, line)
    if isinstance(err, UnexpectedEOF):
        return Diagnostic(
            "syntax", line.at(len(line_text) + 1), f"line ends too early; expected {_expected_words(err.expected)}"
        )
    return Diagnostic("syntax", line.at(column), str(err).splitlines()[0])


def _unknown_keyword(word: str, guess: str | None, span: Span) -> Diagnostic:
    return Diagnostic(
        "syntax",
        span,
        f"unknown keyword '{word}'" + (f"; did you mean '{guess}'?" if guess else ""),
        hint=None if guess else "a line starts with one of: " + ", ".join(KEYWORDS),
    )


def _invalid_identifier(word: str, fixed: str, span: Span, line_text: str = "") -> Diagnostic:
    meant = variant_meant(word) if line_text.lstrip().startswith("variant") else None
    if meant is not None:  # `variant as-is`: the keyword, not an identifier made of it
        return Diagnostic(
            "syntax", span, f"unknown variant '{word}'; did you mean '{meant}'?", hint="one of: intended, observed"
        )
    return Diagnostic(
        "syntax",
        span,
        f"invalid identifier '{word}'",
        hint=f"identifiers are lower case letters, digits and _, starting with a letter: '{fixed}'",
    )


def _unexpected_character(err: UnexpectedCharacters, column: int, line: _Line) -> Diagnostic:
    """The lexer found no token here: a curly quote, an open label, a bad identifier or keyword."""
    line_text = line.text
    ch = line_text[column - 1] if column - 1 < len(line_text) else ""
    allowed = err.allowed or set()
    if ch in "\u201c\u201d\u2018\u2019\u00ab\u00bb":
        return Diagnostic(
            "syntax",
            line.at(column),
            f"unexpected curly quote '{ch}'",
            hint='labels use straight double quotes: "like this" (text pasted from a word processor often has curly ones)',
        )
    if ch == '"':
        return Diagnostic(
            "syntax",
            line.at(column, len(line_text) - column + 1),
            "unterminated quoted label",
            hint='close the label with " on the same line',
        )
    word = re.match(r"[A-Za-z_][A-Za-z0-9_\-]*", line_text[column - 1 :])
    if word and ("ID" in allowed or "ORG_REF" in allowed):
        w = word.group(0)
        return _invalid_identifier(w, re.sub(r"[^a-z0-9_]", "_", w.lower()), line.at(column, len(w)), line_text)
    if word and line.starts_at(column):
        w = word.group(0)
        return _unknown_keyword(w, did_you_mean(w.lower(), KEYWORDS), line.at(column, len(w)))
    shown = repr(ch)[1:-1] if ch else "end of line"
    return Diagnostic("syntax", line.at(column), f"unexpected character '{shown}'; expected {_expected_words(allowed)}")


def _unexpected_token(err: UnexpectedToken, column: int, line: _Line) -> Diagnostic:
    """The parser did not expect this token here: say what it expected, with a likely fix."""
    tok = err.token
    expected = err.expected or set()
    if tok.type in ("_NL", "$END"):
        col = len(line.text.split("#")[0].rstrip()) + 1 if tok.type == "$END" else column
        return Diagnostic("syntax", line.at(col), f"line ends too early; expected {_expected_words(expected)}")
    text = str(tok)
    width = len(text)
    if line.starts_at(column) and tok.type in ("ID", "VALUE"):
        return _unknown_keyword(text, did_you_mean(text, KEYWORDS), line.at(column, width))
    if tok.type == "VALUE" and "ID" in expected and re.fullmatch(r"[A-Za-z0-9_\-]+", text):
        fixed = re.sub(r"[^a-z0-9_]", "_", text.lower())
        if not fixed[0].isalpha():
            fixed = "x" + fixed
        return _invalid_identifier(text, fixed, line.at(column, width), line.text)
    keywords = _keywords_in(expected)
    guess = did_you_mean(text, keywords) if keywords and tok.type in ("ID", "VALUE") else None
    message = f"unexpected {_describe_token(tok)}; expected {_expected_words(expected)}"
    if guess:
        message += f"; did you mean '{guess}'?"
    return Diagnostic("syntax", line.at(column, width), message, hint=_token_hint(tok, expected, column, line.text))


def _token_hint(tok: Token, expected: Collection[str], column: int, line_text: str) -> str | None:
    """What to do about an unexpected token, where the mistake is a common one."""
    text = str(tok)
    hint = None
    if expected and set(expected) <= {"COMMA", "RSQB"}:
        key = re.search(r"([a-z][a-z0-9_]*)\s*=\s*[^,\[\]=]*$", line_text[: column - 1])
        if key and key.group(1) == "duration":
            hint = "a duration is a whole number and a unit, with no space: 30m, 2h, 3d or 1w"
        else:
            hint = 'separate attributes with commas, and quote a value with spaces: key="two words"'
    elif (text == "->" or text in CLAUSE_KEYWORDS) and set(expected) == {"_NL"} and "]" in line_text[: column - 1]:
        hint = f"'{text}' comes before the [attributes], which end the line"
    elif tok.type == "ID" and "LSQB" in expected and re.match(r"[a-z_]+\s*=", line_text[column - 1 :]):
        hint = f"attributes go in square brackets at the end of the line: [{line_text[column - 1 :].strip()}]"
    if tok.type == "STRING" and "ID" in expected:
        hint = "an identifier comes before the label: lower case letters, digits and _"
    return hint


def _describe_token(tok: Token) -> str:
    if tok.type == "STRING":
        return f"label {tok}"
    return f"'{tok}'"


# ---------------------------------------------------------------- entry point


_TRANSFORMER = _ToSyntax()
_LOCK = threading.Lock()  # the transformer is shared: one parse at a time


def _parse(text: str, start: str, path: str, line_offset: int = 0) -> tuple[Any, list[Diagnostic]]:
    """What the start rule's method returns (`start`: the statements; `line`: one or None), and the
    problems found in labels. With `transformer=` Lark returns that, not the Tree its `parse` is typed with.
    """
    with _LOCK:
        _TRANSFORMER.begin(path, line_offset)
        result = lark_parser().parse(text, start=start)
        return result, _TRANSFORMER.problems


def parse_document(source: Source) -> S.Document:
    """Parse one file's text into its syntax; raise BlueprintError with every syntax error."""
    text = source.text if source.text.endswith("\n") else source.text + "\n"
    try:
        statements, problems = _parse(text, "start", source.path)
    except UnexpectedInput:
        statements = None
    if statements is not None:
        if problems:
            raise BlueprintError(problems, {source.path: source.text})
        return S.Document(source.path, tuple(statements), find_comments(source.text))

    problems = []
    for number, line_text in enumerate(text.split("\n")[:-1], start=1):
        stripped = line_text.strip()
        if not stripped or stripped.startswith("#"):
            continue
        try:
            _, found = _parse(line_text + "\n", "line", source.path, number - 1)
        except UnexpectedInput as err:
            problems.append(_diagnostic(err, source.path, number, line_text))
            continue
        problems.extend(found)
    if not problems:  # the whole-file parse failed for a reason no single line shows
        last = len(text.split("\n")) - 1
        problems.append(Diagnostic("syntax", Span(source.path, last, 1, last, 2), "could not parse this file"))
    raise BlueprintError(problems, {source.path: source.text})


def parse_lines(source: Source) -> S.Document:
    """The statements of every line that parses, skipping the lines that do not.

    For tools that work on a file while it is being typed (the language server): completion,
    hover and go-to-definition still know the good lines of a file with a syntax error.
    """
    text = source.text if source.text.endswith("\n") else source.text + "\n"
    try:  # the whole file at once; a problem inside a label does not lose its statement here
        whole, _ = _parse(text, "start", source.path)
        return S.Document(source.path, tuple(whole), find_comments(source.text))
    except UnexpectedInput:
        pass
    statements: list[S.Statement] = []
    for number, line_text in enumerate(source.text.split("\n"), start=1):
        stripped = line_text.strip()
        if not stripped or stripped.startswith("#"):
            continue
        try:
            found, _ = _parse(line_text + "\n", "line", source.path, number - 1)
        except UnexpectedInput:
            continue
        if found is not None:
            statements.append(found)
    return S.Document(source.path, tuple(statements), find_comments(source.text))
