"""Parsing: blueprint text -> `syntax.Document`, with every syntax error of a file in words.

The Lark parser is built once per process (LALR, its tables cached in the user's cache folder).
A file is parsed whole; when that fails, each line is parsed on its own so that every bad line is
reported in one run, each with what was expected and a did-you-mean where one exists.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from pathlib import Path

from lark import Lark, Token, Transformer, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, v_args

from blueprint_cli import __version__
from blueprint_cli import syntax as S
from blueprint_cli.errors import BlueprintError, Diagnostic, did_you_mean
from blueprint_cli.model import Lane
from blueprint_cli.resources import grammar_path
from blueprint_cli.source import Source, Span

KEYWORDS = (
    "blueprint", "variant", "description", "include", "renamed", "org", "actor", "system",
    "outcome", "stage", "evidence", "customer", "frontstage", "backstage", "support", "flow",
    "pain", "workaround", "unknown", "note",
)  # fmt: skip

_WORDS = {
    "ID": "an identifier",
    "STRING": 'a quoted label ("…")',
    "ORG_REF": "an organisation (@org)",
    "VALUE": "a value",
    "_NL": "the end of the line",
    "$END": "the end of the file",
    "ANNOTATION_KIND": "'pain', 'workaround', 'unknown' or 'note'",
}


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "blueprint-cli"


@functools.lru_cache(maxsize=1)
def lark_parser() -> Lark:
    """The one Lark parser of the process; its LALR tables are cached on disk between runs."""
    grammar = grammar_path().read_text(encoding="utf-8")
    options = dict(parser="lalr", start=["start", "line"], propagate_positions=True, maybe_placeholders=True)
    digest = hashlib.sha256(grammar.encode()).hexdigest()[:16]
    cache_file = _cache_dir() / f"grammar-{__version__}-{digest}.lark"
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        return Lark(grammar, cache=str(cache_file), **options)
    except OSError:  # a read-only or missing home: build the tables in memory
        return Lark(grammar, **options)


def _span(path: str, tok: Token) -> Span:
    return Span(path, tok.line, tok.column, tok.end_line, tok.end_column)


_ESCAPE = re.compile(r"\\(.)")


class _ToSyntax(Transformer):
    """One method per grammar rule, named after it, returning `syntax` objects."""

    def __init__(self, path: str, line_offset: int = 0):
        super().__init__()
        self.path = path
        self.offset = line_offset
        self.problems: list[Diagnostic] = []

    # -- helpers
    def _sp(self, tok: Token) -> Span:
        return Span(self.path, tok.line + self.offset, tok.column, tok.end_line + self.offset, tok.end_column)

    def _meta(self, meta) -> Span:
        return Span(self.path, meta.line + self.offset, meta.column, meta.end_line + self.offset, meta.end_column)

    def _name(self, tok: Token) -> S.Name:
        return S.Name(str(tok), self._sp(tok))

    def _text(self, tok: Token) -> S.Text:
        raw = str(tok)[1:-1]
        if "\\" in raw:
            for m in _ESCAPE.finditer(raw):
                if m.group(1) not in '"\\':
                    col = tok.column + 1 + m.start()
                    self.problems.append(
                        Diagnostic(
                            "syntax",
                            Span(self.path, tok.line + self.offset, col, tok.line + self.offset, col + 2),
                            f"unknown escape '\\{m.group(1)}' in a quoted label",
                            hint='only \\" and \\\\ are escapes; write \\\\ for a backslash',
                        )
                    )
            raw = _ESCAPE.sub(lambda m: m.group(1) if m.group(1) in '"\\' else m.group(0), raw)
        return S.Text(raw, self._sp(tok))

    @staticmethod
    def _split(children):
        attrs = ()
        if children and isinstance(children[-1], tuple) and (not children[-1] or isinstance(children[-1][0], S.Attr)):
            attrs = children[-1]
            children = children[:-1]
        return [c for c in children if c is not None], attrs

    # -- files
    def start(self, children):
        return list(children)

    def line(self, children):
        return children[0] if children else None

    # -- header
    @v_args(meta=True)
    def blueprint_decl(self, meta, children):
        rest, attrs = self._split(children)
        return S.BlueprintDecl(self._meta(meta), attrs, self._text(rest[0]))

    @v_args(meta=True)
    def variant_decl(self, meta, children):
        return S.VariantDecl(self._meta(meta), (), self._name(children[0]))

    @v_args(meta=True)
    def description_decl(self, meta, children):
        return S.DescriptionDecl(self._meta(meta), (), self._text(children[0]))

    @v_args(meta=True)
    def include_decl(self, meta, children):
        return S.IncludeDecl(self._meta(meta), (), self._text(children[0]))

    @v_args(meta=True)
    def renamed_decl(self, meta, children):
        return S.RenamedDecl(self._meta(meta), (), self._name(children[0]), self._name(children[1]))

    # -- declarations
    @v_args(meta=True)
    def org_decl(self, meta, children):
        rest, attrs = self._split(children)
        return S.OrgDecl(self._meta(meta), attrs, self._name(rest[0]), self._text(rest[1]))

    def actor_kind(self, children):
        tok = children[0]
        if tok.type == "CUSTOMER":
            return ("customer", None)
        return ("org", S.Name(str(tok)[1:], Span(self.path, tok.line + self.offset, tok.column + 1, tok.end_line + self.offset, tok.end_column)))

    @v_args(meta=True)
    def actor_decl(self, meta, children):
        rest, attrs = self._split(children)
        kind = rest[2] if len(rest) > 2 else None
        customer = kind is not None and kind[0] == "customer"
        org = kind[1] if kind is not None else None
        return S.ActorDecl(self._meta(meta), attrs, self._name(rest[0]), self._text(rest[1]), customer, org)

    @v_args(meta=True)
    def system_decl(self, meta, children):
        rest, attrs = self._split(children)
        org = None
        if len(rest) > 2:
            tok = rest[2]
            org = S.Name(str(tok)[1:], Span(self.path, tok.line + self.offset, tok.column + 1, tok.end_line + self.offset, tok.end_column))
        return S.SystemDecl(self._meta(meta), attrs, self._name(rest[0]), self._text(rest[1]), org)

    @v_args(meta=True)
    def outcome_decl(self, meta, children):
        rest, attrs = self._split(children)
        return S.OutcomeDecl(self._meta(meta), attrs, self._name(rest[0]), self._text(rest[1]))

    # -- stages and steps
    @v_args(meta=True)
    def stage_decl(self, meta, children):
        rest, attrs = self._split(children)
        return S.StageDecl(self._meta(meta), attrs, self._name(rest[0]), self._text(rest[1]))

    def lane(self, children):
        return Lane(str(children[0]))

    @v_args(meta=True)
    def by_clause(self, meta, children):
        return ("by", self._meta(meta), [self._name(t) for t in children])

    @v_args(meta=True)
    def uses_clause(self, meta, children):
        return ("uses", self._meta(meta), [self._name(t) for t in children])

    @v_args(meta=True)
    def to_clause(self, meta, children):
        return ("->", self._meta(meta), [self._name(t) for t in children])

    @v_args(meta=True)
    def step_decl(self, meta, children):
        rest, attrs = self._split(children)
        lane, ident, label, clauses = rest[0], rest[1], rest[2], rest[3:]
        actor, systems, targets, seen = None, (), (), set()
        for word, span, names in clauses:
            if word in seen:
                self.problems.append(
                    Diagnostic("syntax", span, f"'{word}' appears twice on this step", hint=f"write one '{word}' clause, with a comma-separated list where more than one is meant" if word != "by" else "a step has one actor; split the step if two actors do it")
                )
            seen.add(word)
            if word == "by":
                actor = names[0]
            elif word == "uses":
                systems = systems + tuple(names)
            else:
                targets = targets + tuple(names)
        return S.StepDecl(self._meta(meta), attrs, lane, self._name(ident), self._text(label), actor, systems, targets)

    # -- flows and findings
    @v_args(meta=True)
    def flow_decl(self, meta, children):
        rest, attrs = self._split(children)
        ids = [t for t in rest if t.type == "ID"]
        label = [t for t in rest if t.type == "STRING"]
        return S.FlowDecl(self._meta(meta), attrs, tuple(self._name(t) for t in ids), self._text(label[0]) if label else None)

    @v_args(meta=True)
    def annotation(self, meta, children):
        rest, attrs = self._split(children)
        return S.AnnotationDecl(self._meta(meta), attrs, str(rest[0]), self._name(rest[1]), self._text(rest[2]))

    # -- attributes
    def attrs(self, children):
        return tuple(c for c in children if c is not None)

    def attr(self, children):
        key, value = children
        quoted = value.type == "STRING"
        text = self._text(value).value if quoted else str(value)
        return S.Attr(self._name(key), text, quoted, self._sp(value))


# ---------------------------------------------------------------- comments

_COMMENT_SCAN = re.compile(r'"(?:[^"\\\n]|\\.)*"?|#')


def find_comments(text: str) -> tuple[S.Comment, ...]:
    """Every `#` comment outside quoted strings, with its position."""
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        if "#" not in line:
            continue
        for m in _COMMENT_SCAN.finditer(line):
            if m.group(0) == "#":
                found.append(S.Comment(number, m.start() + 1, line[m.start():].rstrip()))
                break
    return tuple(found)


# ---------------------------------------------------------------- errors in words


def _keyword_of(term: str) -> str | None:
    """The keyword a terminal stands for (`_BY` -> `by`), if it is one."""
    word = term.lstrip("_").lower()
    return word if word in KEYWORDS or word in ("by", "uses") else None


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


def _expected_words(expected) -> str:
    words = sorted({_describe(t) for t in expected})
    if len(words) > 6:
        return ", ".join(words[:6]) + " or …"
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]


def _keywords_in(expected) -> list[str]:
    out = [k for k in (_keyword_of(t) for t in expected) if k]
    if "ANNOTATION_KIND" in expected:
        out += ["pain", "workaround", "unknown", "note"]
    return out


def _diagnostic(err: UnexpectedInput, path: str, line_no: int, line_text: str) -> Diagnostic:
    """Turn a Lark error on one line into a Diagnostic a person can act on."""
    column = max(getattr(err, "column", 1) or 1, 1)

    def at(col: int, width: int = 1) -> Span:
        return Span(path, line_no, col, line_no, col + max(width, 1))

    if isinstance(err, UnexpectedCharacters):
        ch = line_text[column - 1] if column - 1 < len(line_text) else ""
        allowed = err.allowed or set()
        if ch == '"':
            return Diagnostic("syntax", at(column, len(line_text) - column + 1), "unterminated quoted label", hint='close the label with " on the same line')
        word = re.match(r"[A-Za-z_][A-Za-z0-9_\-]*", line_text[column - 1:])
        if word and ("ID" in allowed or "ORG_REF" in allowed):
            w = word.group(0)
            fixed = re.sub(r"[^a-z0-9_]", "_", w.lower())
            return Diagnostic("syntax", at(column, len(w)), f"invalid identifier '{w}'", hint=f"identifiers are lower case letters, digits and _, starting with a letter: '{fixed}'")
        if word and column == len(line_text) - len(line_text.lstrip()) + 1:
            w = word.group(0)
            guess = did_you_mean(w.lower(), KEYWORDS)
            return Diagnostic("syntax", at(column, len(w)), f"unknown keyword '{w}'" + (f"; did you mean '{guess}'?" if guess else ""), hint=None if guess else "a line starts with one of: " + ", ".join(KEYWORDS))
        shown = repr(ch)[1:-1] if ch else "end of line"
        return Diagnostic("syntax", at(column), f"unexpected character '{shown}'; expected {_expected_words(allowed)}")

    if isinstance(err, UnexpectedToken):
        tok = err.token
        expected = err.expected or set()
        if tok.type in ("_NL", "$END"):
            col = len(line_text.split("#")[0].rstrip()) + 1 if tok.type == "$END" else column
            return Diagnostic("syntax", at(col), f"line ends too early; expected {_expected_words(expected)}")
        text = str(tok)
        width = len(text)
        keywords = _keywords_in(expected)
        at_start = column == len(line_text) - len(line_text.lstrip()) + 1
        if at_start and tok.type in ("ID", "VALUE"):
            guess = did_you_mean(text, KEYWORDS)
            return Diagnostic("syntax", at(column, width), f"unknown keyword '{text}'" + (f"; did you mean '{guess}'?" if guess else ""), hint=None if guess else "a line starts with one of: " + ", ".join(KEYWORDS))
        if tok.type == "VALUE" and "ID" in expected and re.fullmatch(r"[A-Za-z0-9_\-]+", text):
            fixed = re.sub(r"[^a-z0-9_]", "_", text.lower())
            if not fixed[0].isalpha():
                fixed = "x" + fixed
            return Diagnostic("syntax", at(column, width), f"invalid identifier '{text}'", hint=f"identifiers are lower case letters, digits and _, starting with a letter: '{fixed}'")
        guess = did_you_mean(text, keywords) if keywords and tok.type in ("ID", "VALUE") else None
        message = f"unexpected {_describe_token(tok)}; expected {_expected_words(expected)}"
        if guess:
            message += f"; did you mean '{guess}'?"
        hint = None
        if tok.type == "STRING" and "ID" in expected:
            hint = "an identifier comes before the label: lower case letters, digits and _"
        return Diagnostic("syntax", at(column, width), message, hint=hint)

    if isinstance(err, UnexpectedEOF):
        return Diagnostic("syntax", at(len(line_text) + 1), f"line ends too early; expected {_expected_words(err.expected)}")
    return Diagnostic("syntax", at(column), str(err).splitlines()[0])


def _describe_token(tok: Token) -> str:
    if tok.type == "STRING":
        return f"label {tok}"
    return f"'{tok}'"


# ---------------------------------------------------------------- entry point


def parse_document(source: Source) -> S.Document:
    """Parse one file's text into its syntax; raise BlueprintError with every syntax error."""
    text = source.text if source.text.endswith("\n") else source.text + "\n"
    parser = lark_parser()
    try:
        tree = parser.parse(text, start="start")
    except UnexpectedInput:
        tree = None
    if tree is not None:
        builder = _ToSyntax(source.path)
        statements = builder.transform(tree)
        if builder.problems:
            raise BlueprintError(builder.problems, {source.path: source.text})
        return S.Document(source.path, tuple(statements), find_comments(source.text))

    problems: list[Diagnostic] = []
    statements = []
    for number, line_text in enumerate(text.split("\n")[:-1], start=1):
        stripped = line_text.strip()
        if not stripped or stripped.startswith("#"):
            continue
        try:
            tree = parser.parse(line_text + "\n", start="line")
        except UnexpectedInput as err:
            problems.append(_diagnostic(err, source.path, number, line_text))
            continue
        builder = _ToSyntax(source.path, number - 1)
        stmt = builder.transform(tree)
        problems.extend(builder.problems)
        if stmt is not None:
            statements.append(stmt)
    if not problems:  # the whole-file parse failed for a reason no single line shows
        last = len(text.split("\n")) - 1
        problems.append(Diagnostic("syntax", Span(source.path, last, 1, last, 2), "could not parse this file"))
    raise BlueprintError(problems, {source.path: source.text})
