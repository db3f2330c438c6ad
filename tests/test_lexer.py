"""The fast lexer must read exactly what Lark's own contextual lexer reads from the grammar."""

from __future__ import annotations

import random

import pytest
from lark import Lark

from blueprint_cli.language.lexer import BlueprintLexer
from blueprint_cli.resources import grammar_path
from tests.conftest import sample_files

OPTIONS = dict(parser="lalr", start=["start", "line"], maybe_placeholders=True)


@pytest.fixture(scope="module")
def parsers():
    grammar = grammar_path().read_text(encoding="utf-8")
    return Lark(grammar, lexer=BlueprintLexer, **OPTIONS), Lark(grammar, lexer="contextual", **OPTIONS)


def _tokens(tree):
    return [(t.type, t.value, t.line, t.column, t.end_line, t.end_column) for t in tree.scan_values(lambda v: True)]


def _outcome(parser, text):
    try:
        return ("ok", _tokens(parser.parse(text, start="start")))
    except Exception as exc:
        return ("error", type(exc).__name__, getattr(exc, "line", None), getattr(exc, "column", None))


TRICKY = [
    'blueprint "x"\nstage s "S"\n  support support "id spelt like a lane" -> by\n  customer by "by" by c\n',
    'blueprint "x"\nactor customer "The customer" customer\nactor note "n" @org\n',
    'blueprint "x"\nflow a->b->c "label with # hash" [owner=x] # trailing\n',
    'blueprint "x"\n\n\n   # only a comment\n\t\nstage s "S" [k=in-person, d=30m, q="v"]\n',
    'blueprint "x"\nstage s "S"\n  frontstage a "A" bye x\n',
    'blueprint "x"\norg Hospital "H"\n',
    'blueprint "x"\ncustomer x "unterminated\n',
    'blueprint "esc \\" \\\\ "\n',
    'blueprint "x"\ndata data "Data spelt like a keyword"\nstage s "S"\n  customer collects "c" by p collects data, collects -> data\n',
    'blueprint "x"\nstage s "S"\n  customer a "A" uses w collects d [channel=web]\nflow data -> collects\n',
]


@pytest.mark.parametrize("text", TRICKY)
def test_same_tokens_on_tricky_input(parsers, text):
    fast, lark = parsers
    ours, theirs = _outcome(fast, text), _outcome(lark, text)
    assert ours[0] == theirs[0]
    if ours[0] == "ok":
        assert ours == theirs


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_same_tokens_on_samples(parsers, path):
    fast, lark = parsers
    text = path.read_text(encoding="utf-8")
    result = _outcome(fast, text)
    assert result[0] == "ok"
    assert result == _outcome(lark, text)


def test_same_result_on_mutated_samples(parsers):
    fast, lark = parsers
    rnd = random.Random(1)
    texts = [p.read_text(encoding="utf-8") for p in sample_files()]
    alphabet = 'abz_ -> "[]=,@#\n\\XY9.'
    for _ in range(300):
        text = list(rnd.choice(texts)[: rnd.randrange(50, 600)])
        for _ in range(rnd.randrange(1, 4)):
            text.insert(rnd.randrange(len(text) + 1), rnd.choice(alphabet))
        mutated = "".join(text) + "\n"
        ours, theirs = _outcome(fast, mutated), _outcome(lark, mutated)
        # Both accept with the same tokens, or both reject (the error may be worded differently).
        assert ours[0] == theirs[0], mutated
        if ours[0] == "ok":
            assert ours == theirs, mutated
