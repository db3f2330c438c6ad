"""A fast contextual lexer for the blueprint grammar, plugged into Lark's LALR parser.

Lark's generic lexer tries each terminal in turn and spends most of a large file's parse time
there. This one reads the same terminals (the grammar file stays the definition of the language)
with one dispatch on the first character, and decides keyword-or-identifier from what the parser
can accept next — the same rule as Lark's contextual lexer, so an id may be spelt like a keyword
(`flow support -> next`). `tests/test_lexer.py` checks it gives Lark's own tokens on every sample.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lark import Token
from lark.common import LexerConf
from lark.exceptions import UnexpectedCharacters
from lark.lexer import Lexer, LexerState
from lark.parsers.lalr_parser_state import ParserState

from blueprint_cli.vocab import KEYWORD_TERMINALS

_SPACE = re.compile(r"[ \t\f]*(?:#[^\n]*)?")
_NL = re.compile(r"(?:\n[ \t\f]*(?:#[^\n]*)?)+")
_STRING = re.compile(r'"(?:[^"\\\n]|\\[^\n])*"')
_ORG_REF = re.compile(r"@[a-z][a-z0-9_]*")
_ID = re.compile(r"[a-z][a-z0-9_]*")
_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")

_KEYWORDS = KEYWORD_TERMINALS
_PUNCT = {",": "COMMA", "[": "LSQB", "]": "RSQB", "=": "EQUAL"}
_WORD_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


class BlueprintLexer(Lexer):
    """Lark `lexer=` plug-in: yields the grammar's terminals, choosing by parser state."""

    __future_interface__ = 2  # lex(lexer_state, parser_state), text as a TextSlice

    def __init__(self, lexer_conf: LexerConf) -> None:
        names = {t.name for t in lexer_conf.terminals}
        self.arrow = next(t.name for t in lexer_conf.terminals if t.pattern.value in ("->", "\\->"))
        missing = (
            set(_KEYWORDS.values()) | set(_PUNCT.values()) | {"ID", "VALUE", "STRING", "ORG_REF", "_NL", "CUSTOMER"}
        ) - names
        if missing:  # the grammar changed under us: fail loudly, not subtly
            raise RuntimeError(f"lexer out of step with grammar: {sorted(missing)}")

    def lex(self, lexer_state: LexerState, parser_state: ParserState[Any]) -> Iterator[Token]:
        text_slice = lexer_state.text
        text: str = text_slice.text
        pos: int = text_slice.start
        end: int = text_slice.end
        line = 1
        line_start = 0
        states = parser_state.parse_conf.states
        arrow = self.arrow
        # long: the hot loop of parsing, one pass per token; moving the word case into a function
        # (one call per word) measured 2-3% slower lexing (benchmarks/bench_check.py input, 126,600 tokens).
        while True:
            space = _SPACE.match(text, pos)
            assert space is not None  # it matches the empty string
            pos = space.end()
            if pos >= end:
                return
            ch = text[pos]
            if ch == "\n":
                m = _NL.match(text, pos)
                assert m is not None  # at a newline
                value = m.group()
                breaks = value.count("\n")
                last_break = value.rfind("\n")
                tok = Token(
                    "_NL", value, pos, line, pos - line_start + 1, line + breaks, len(value) - last_break, m.end()
                )
                line += breaks
                line_start = pos + last_break + 1
                pos = m.end()
                yield tok
                continue
            column = pos - line_start + 1
            if ch in _WORD_START:
                accepts = states[parser_state.position]
                longer = _VALUE.match(text, pos)
                assert longer is not None  # a word starts here
                if "VALUE" in accepts:
                    m = longer
                    kind = "VALUE"
                else:
                    m = _ID.match(text, pos)
                    if m is None or (longer.end() > m.end() and not text.startswith("->", m.end())):
                        m, kind = longer, "VALUE"  # not an identifier: the parser reports it
                    else:
                        word = m.group()
                        keyword = _KEYWORDS.get(word)
                        if keyword == "LANE" and word == "customer" and "CUSTOMER" in accepts:
                            kind = "CUSTOMER"  # the kind of an actor, not the lane
                        elif keyword is not None and (keyword in accepts or "ID" not in accepts):
                            kind = keyword
                        else:
                            kind = "ID"
            elif ch == '"':
                m = _STRING.match(text, pos)
                kind = "STRING"
            elif ch == "@":
                m = _ORG_REF.match(text, pos)
                kind = "ORG_REF"
            elif ch == "-" and text.startswith("->", pos):
                tok = Token(arrow, "->", pos, line, column, line, column + 2, pos + 2)
                pos += 2
                yield tok
                continue
            elif ch in _PUNCT:
                tok = Token(_PUNCT[ch], ch, pos, line, column, line, column + 1, pos + 1)
                pos += 1
                yield tok
                continue
            else:
                m = None
                kind = ""
            if m is None:
                accepts = states[parser_state.position]
                # (Lark's exception classes take untyped arguments.)
                raise UnexpectedCharacters(  # type: ignore[no-untyped-call]
                    text, pos, line, column, allowed=set(accepts), state=parser_state
                )
            value = m.group()
            stop = m.end()
            yield Token(kind, value, pos, line, column, line, column + len(value), stop)
            pos = stop
