"""The fast path reads a file exactly as Lark does, or leaves it to Lark.

Wherever `fastparse.statements` gives statements, they must equal the parser's (same classes,
values and spans), and the parser must find no problem in that file; where the parser reports
problems, the fast path must have left the file alone. Checked on every blueprint file of the
tests and samples, on generated files, and on mutated ones (hypothesis).
"""

from __future__ import annotations

import random

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blueprint_cli.language import fastparse
from blueprint_cli.language.errors import BlueprintError
from blueprint_cli.language.parser import parse_document
from blueprint_cli.language.source import Source

FILES = sorted(p for folder in ("tests", "samples") for p in (ROOT / folder).rglob("*.blueprint"))
TEXTS = [p.read_text(encoding="utf-8", errors="replace") for p in FILES]


def _agree(text: str, path: str = "x.blueprint") -> bool:
    """Assert the fast path and Lark agree on `text`; True when the fast path read it."""
    fast = fastparse.statements(text, path)
    try:
        slow = parse_document(Source(path, text))
    except BlueprintError:
        assert fast is None, "the fast path accepted a file the parser rejects"
        return False
    if fast is None:
        return False
    assert [type(s) for s in fast] == [type(s) for s in slow.statements]
    assert fast == slow.statements
    assert fastparse.parse_document(Source(path, text)) == slow
    return True


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_file_of_the_tests_and_samples(path):
    _agree(path.read_text(encoding="utf-8", errors="replace"), str(path))


def test_the_fast_path_reads_the_samples_and_generated_files():
    from generated import labelled

    read = [p.name for p, text in zip(FILES, TEXTS, strict=True) if p.parent.name == "samples" and _agree(text)]
    assert len(read) >= 4, read
    assert _agree(labelled(300))


LINES = [
    'blueprint "Title" [owner=me, version="1.2"]',
    "variant observed",
    'description "What it is"',
    'include "shared/x.blueprint"',
    "renamed old -> new",
    'org o1 "Org one" [kind=public]',
    'actor c "Customer" customer',
    'actor a "Staff" @o1',
    'actor b "Nobody"',
    'system sys "System" @o1',
    'outcome done "Done"',
    'stage s1 "Stage one"',
    '  customer a1 "Step" by c',
    '  frontstage a2 "Step two" by a uses sys, sys2 -> a3, a4 [channel=web, duration=2h]',
    '  backstage a3 "Three" -> a4 uses sys by a',
    '  support a4 "Four"  # a comment',
    '  evidence a5 "Five" []',
    "flow a1 -> a2 -> a3",
    'flow a1->a2 "label" [owner=a]',
    'pain a1 "It hurts" [severity=high]',
    'note a2 "A note"',
    "# only a comment",
    "",
    "   ",
    'flow support -> by "keywords as ids"',
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(LINES), max_size=12), st.randoms(use_true_random=False))
def test_generated_and_mutated_files(lines, rnd):
    text = "\n".join(lines) + "\n"
    _agree(text)
    # Mutations: a character dropped, doubled or replaced by one the grammar cares about.
    for _ in range(4):
        if not text:
            break
        at = rnd.randrange(len(text))
        choice = rnd.choice(['"', "\\", "#", "-", ">", "[", "]", "=", ",", "@", " ", "\t", "A", ".", "\x01", "\r"])
        mutated = rnd.choice(
            [text[:at] + text[at + 1 :], text[:at] + text[at] + text[at:], text[:at] + choice + text[at + 1 :]]
        )
        _agree(mutated)


def test_mutated_samples():
    rnd = random.Random(11)
    for text in TEXTS[:40]:
        for _ in range(5):
            at = rnd.randrange(max(len(text), 1))
            _agree(text[:at] + rnd.choice(['"', "\\", "#", "->", "[", "]", "=", ",", "@", " x", "\t", "Q"]) + text[at:])
