"""A fast path for the common case of parsing: plain statements, one per line, read without Lark.

`grammar/blueprint.lark` stays the definition of the language and Lark (`parser.py`) its parser.
This module reads a file only when every line is one it is sure of: the statements of the grammar
written plainly (labels without control characters or unknown escapes, steps with each clause at most
once, tokens apart as the lexer would split them). It then builds the very statements the parser
builds, with the same spans. Anything else, and every file with a mistake, goes to Lark, which
produces all the diagnostics. `tests/test_fastparse.py` checks the two agree on every file of
the tests and samples and on generated and mutated ones.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from blueprint_cli.language import syntax as S
from blueprint_cli.language.source import Span
from blueprint_cli.vocab import ANNOTATION_KINDS, LANES, Lane

if TYPE_CHECKING:
    from blueprint_cli.language.source import Source

# One token of a line (kind, text, column); kinds: w (a lower-case word), s (a label), @ (an org
# reference), v (an attribute value), and the punctuation itself: -> , [ ] =.
_Token = tuple[str, str, int]

_TOKEN = re.compile(
    r'[ \t\f]*(?:(?P<w>[a-z][a-z0-9_]*)|(?P<s>"(?:[^"\\\n]|\\["\\])*")|(?P<o>@[a-z][a-z0-9_]*)|(?P<p>->|[,\[\]=])|(?P<c>#.*)|(?P<e>$))'
)
_VALUE = re.compile(r"[ \t\f]*(?P<v>[A-Za-z0-9][A-Za-z0-9_.\-]*)")
_WORD_CHARS = re.compile(r"[A-Za-z0-9_.\-]")  # after a word: the lexer would read a VALUE (an error)
# What `parser._text` reports: control characters (not tab), Unicode non-characters and the
# bidirectional embeddings, overrides and isolates (parser._BIDI). Such a line goes to Lark.
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\u202a-\u202e\u2066-\u2069]")
_ESCAPE = re.compile(r"\\(.)")
_LANES = frozenset(lane.value for lane in LANES)
_ANNOTATIONS = frozenset(ANNOTATION_KINDS)


class _NotSure(Exception):
    """A line the fast path leaves to Lark."""


def parse_document(source: Source) -> S.Document:
    """`parser.parse_document`: the fast path when it is sure of every line, else Lark."""
    found = statements(source.text, source.path)
    if found is not None:
        return S.Document(source.path, found, S.find_comments(source.text))
    from blueprint_cli.language.parser import parse_document as parse_with_lark

    return parse_with_lark(source)


def statements(text: str, path: str) -> tuple[S.Statement, ...] | None:
    """The statements of `text`, as the parser gives them; None when any line is left to Lark."""
    out: list[S.Statement] = []
    try:
        for number, line in enumerate(text.split("\n"), start=1):
            tokens = _tokens(line)
            if tokens:
                out.append(_Builder(path, number, tokens).statement())
    except _NotSure:
        return None
    return tuple(out)


def _tokens(line: str) -> list[_Token]:
    """The tokens of one line, split as the lexer splits them; comments and spaces dropped."""
    tokens: list[_Token] = []
    pos = 0
    while True:
        if tokens and tokens[-1][0] == "=":  # an attribute's value: a label or a VALUE
            value = _VALUE.match(line, pos)
            if value is not None:
                tokens.append(("v", value.group("v"), value.start("v") + 1))
                pos = value.end()
                continue
        m = _TOKEN.match(line, pos)
        if m is None:
            raise _NotSure
        kind = m.lastgroup
        if kind in ("c", "e"):
            return tokens
        if kind is None:
            raise _NotSure
        text: str = m.group(kind)
        end = m.end()
        if kind == "w" and _WORD_CHARS.match(line, end) and not line.startswith("->", end):
            raise _NotSure  # `a.b`, `aB`: the lexer reads a VALUE where an identifier goes
        if kind in ("s", "o") and _WORD_CHARS.match(line, end):
            raise _NotSure
        tokens.append((kind if kind != "p" else text, text, m.start(kind) + 1))
        pos = end


class _Builder:
    """One line's tokens -> its statement, checked against the grammar's rules as it goes."""

    def __init__(self, path: str, line: int, tokens: list[_Token]) -> None:
        self.path = path
        self.line = line
        self.tokens = tokens
        self.at = 1  # the next token; tokens[0] is the statement's keyword

    # -- tokens
    def _take(self, kind: str) -> _Token:
        if self.at >= len(self.tokens) or self.tokens[self.at][0] != kind:
            raise _NotSure
        self.at += 1
        return self.tokens[self.at - 1]

    def _next_is(self, kind: str, text: str | None = None) -> bool:
        if self.at >= len(self.tokens):
            return False
        token = self.tokens[self.at]
        return token[0] == kind and (text is None or token[1] == text)

    def _span(self, token: _Token, *, skip: int = 0) -> Span:
        return Span(self.path, self.line, token[2] + skip, self.line, token[2] + len(token[1]))

    def _name(self) -> S.Name:
        token = self._take("w")
        return S.Name(token[1], self._span(token))

    def _org(self) -> S.Name:
        token = self._take("o")
        return S.Name(token[1][1:], self._span(token, skip=1))

    def _text(self, token: _Token | None = None) -> S.Text:
        token = token or self._take("s")
        raw = token[1][1:-1]
        if _FORBIDDEN.search(raw):
            raise _NotSure  # the parser reports it
        if "\\" in raw:  # only \" and \\ come this far (the token's pattern): each stands for its character
            raw = _ESCAPE.sub(r"\1", raw)
        return S.Text(raw, self._span(token))

    def _attrs(self) -> tuple[S.Attr, ...]:
        if not self._next_is("["):
            return ()
        self.at += 1
        attrs: list[S.Attr] = []
        while not self._next_is("]"):
            if attrs:
                self._take(",")
            key = self._name()
            self._take("=")
            if self._next_is("s"):
                token = self._take("s")
                attrs.append(S.Attr(key, self._text(token).value, True, self._span(token)))
            else:
                token = self._take("v")
                attrs.append(S.Attr(key, token[1], False, self._span(token)))
        self.at += 1
        return tuple(attrs)

    def _end(self) -> Span:
        """The statement's span, once every token is used (any left over is a mistake: Lark's to report)."""
        if self.at != len(self.tokens):
            raise _NotSure
        first, last = self.tokens[0], self.tokens[-1]
        return Span(self.path, self.line, first[2], self.line, last[2] + len(last[1]))

    # -- statements
    def statement(self) -> S.Statement:
        kind, word, _ = self.tokens[0]
        if kind != "w":
            raise _NotSure
        if word in _LANES:
            return self._step(Lane(word))
        if word == "flow":
            return self._flow()
        if word in _ANNOTATIONS:
            step, text = self._name(), self._text()
            attrs = self._attrs()
            return S.AnnotationDecl(self._end(), attrs, word, step, text)
        return self._declaration(word)

    def _declaration(self, word: str) -> S.Statement:
        if word == "blueprint":
            title = self._text()
            attrs = self._attrs()
            return S.BlueprintDecl(self._end(), attrs, title)
        if word == "variant":
            value = self._name()
            return S.VariantDecl(self._end(), (), value)
        if word in ("description", "include"):
            text = self._text()
            if word == "description":
                return S.DescriptionDecl(self._end(), (), text)
            return S.IncludeDecl(self._end(), (), text)
        if word in ("org", "outcome", "stage"):
            ident, label = self._name(), self._text()
            attrs = self._attrs()
            if word == "org":
                return S.OrgDecl(self._end(), attrs, ident, label)
            if word == "outcome":
                return S.OutcomeDecl(self._end(), attrs, ident, label)
            return S.StageDecl(self._end(), attrs, ident, label)
        if word == "actor":
            ident, label = self._name(), self._text()
            customer = self._next_is("w", "customer")
            if customer:
                self.at += 1
            org = self._org() if not customer and self._next_is("o") else None
            attrs = self._attrs()
            return S.ActorDecl(self._end(), attrs, ident, label, customer, org)
        if word == "system":
            ident, label = self._name(), self._text()
            org = self._org() if self._next_is("o") else None
            attrs = self._attrs()
            return S.SystemDecl(self._end(), attrs, ident, label, org)
        if word == "renamed":
            old = self._name()
            self._take("->")
            new = self._name()
            return S.RenamedDecl(self._end(), (), old, new)
        raise _NotSure  # not a statement

    def _names(self) -> list[S.Name]:
        names = [self._name()]
        while self._next_is(","):
            self.at += 1
            names.append(self._name())
        return names

    def _step(self, lane: Lane) -> S.StepDecl:
        ident, label = self._name(), self._text()
        actor: S.Name | None = None
        systems: tuple[S.Name, ...] = ()
        targets: tuple[S.Name, ...] = ()
        seen: set[str] = set()
        while self._next_is("w") or self._next_is("->"):
            clause = self.tokens[self.at][1]
            if clause in seen or clause not in ("by", "uses", "->"):
                raise _NotSure  # twice is a mistake the parser words; another word is one too
            seen.add(clause)
            self.at += 1
            if clause == "by":
                actor = self._name()
            elif clause == "uses":
                systems = tuple(self._names())
            else:
                targets = tuple(self._names())
        attrs = self._attrs()
        return S.StepDecl(self._end(), attrs, lane, ident, label, actor, systems, targets)

    def _flow(self) -> S.FlowDecl:
        chain = [self._name()]
        self._take("->")
        chain.append(self._name())
        while self._next_is("->"):
            self.at += 1
            chain.append(self._name())
        label = self._text() if self._next_is("s") else None
        attrs = self._attrs()
        return S.FlowDecl(self._end(), attrs, tuple(chain), label)
