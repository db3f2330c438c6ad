"""Fuzzing: mutated samples and random bytes raise only the tool's own errors, never a crash.

Where a mutated file still parses, the formatter must be idempotent on it, and where it still
loads, formatting must not change its meaning.
"""

from __future__ import annotations

import random

from conftest import SAMPLES, sample_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blueprint_cli.language.errors import BlueprintError
from blueprint_cli.language.fmt import format_document
from blueprint_cli.language.parser import parse_document
from blueprint_cli.language.resolve import load_source
from blueprint_cli.language.source import Source, SourceError, decode

SAMPLE_BYTES = [p.read_bytes() for p in sample_files()]
INTERESTING = [
    b'"',
    b"\\",
    b"#",
    b"->",
    b"[",
    b"]",
    b"=",
    b",",
    b"@",
    b"\n",
    b"\r\n",
    b"\x00",
    b"\xff",
    b"\xef\xbb\xbf",
    b"\t",
    b"stage ",
    b"flow ",
    b" by ",
    b"include ",
]


def mutate(data: bytes, rng: random.Random) -> bytes:
    """Apply one to four random edits: delete, duplicate, swap, insert, truncate."""
    for _ in range(rng.randint(1, 4)):
        lines = data.split(b"\n")
        choice = rng.randrange(8)
        if choice == 0 and data:  # delete a few bytes
            i = rng.randrange(len(data))
            data = data[:i] + data[i + rng.randint(1, 8) :]
        elif choice == 1 and len(lines) > 1:  # duplicate a line
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i])
            data = b"\n".join(lines)
        elif choice == 2 and len(lines) > 1:  # swap two lines
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            data = b"\n".join(lines)
        elif choice == 3 and len(data) > 1:  # swap two bytes
            i, j = rng.randrange(len(data)), rng.randrange(len(data))
            b = bytearray(data)
            b[i], b[j] = b[j], b[i]
            data = bytes(b)
        elif choice == 4:  # insert random bytes
            i = rng.randrange(len(data) + 1)
            data = data[:i] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 4))) + data[i:]
        elif choice == 5:  # insert a token that matters to the grammar
            i = rng.randrange(len(data) + 1)
            data = data[:i] + rng.choice(INTERESTING) + data[i:]
        elif choice == 6 and len(lines) > 1:  # delete a line
            del lines[rng.randrange(len(lines))]
            data = b"\n".join(lines)
        elif data:  # truncate
            data = data[: rng.randrange(len(data))]
    return data


def exercise(data: bytes) -> None:
    """Decode, parse, format and load; only BlueprintError and SourceError may escape."""
    try:
        source = decode(data, "fuzz.blueprint")
        document = parse_document(source)
    except (BlueprintError, SourceError):
        return
    formatted = format_document(document, source.text)
    assert format_document(parse_document(Source("fuzz.blueprint", formatted)), formatted) == formatted
    try:
        before = load_source(source, base=SAMPLES)
    except (BlueprintError, SourceError):
        return
    assert load_source(Source("fuzz.blueprint", formatted), base=SAMPLES) == before


FAST = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


@FAST
@given(st.sampled_from(range(len(SAMPLE_BYTES))), st.randoms(use_true_random=False))
def test_mutated_samples_raise_only_blueprint_errors(index: int, rng: random.Random):
    exercise(mutate(SAMPLE_BYTES[index], rng))


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_raise_only_blueprint_errors(data: bytes):
    exercise(data)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *INTERESTING,
                b"blueprint ",
                b'"x"',
                b"a",
                b"customer ",
                b"pain ",
                b" uses ",
                b"-",
                b"1h",
                b"[channel=web]",
            ]
        ),
        max_size=30,
    )
)
def test_token_soup_raises_only_blueprint_errors(parts: list[bytes]):
    exercise(b"".join(parts))


def test_cli_on_mutated_files_exits_cleanly(tmp_path, run_cli):
    rng = random.Random(20261123)
    paths = []
    for n in range(40):
        path = tmp_path / f"m{n}.blueprint"
        path.write_bytes(mutate(rng.choice(SAMPLE_BYTES), rng))
        paths.append(str(path))
    (tmp_path / "random.blueprint").write_bytes(bytes(rng.randrange(256) for _ in range(200)))
    paths.append(str(tmp_path / "random.blueprint"))
    code, out, err = run_cli("check", *paths)
    assert code == 2
    assert "Traceback" not in out + err and "internal error" not in err
    code, out, err = run_cli("fmt", "--check", *paths)
    assert code == 2
    assert "Traceback" not in out + err and "internal error" not in err
    code, out, err = run_cli("export", paths[-1])
    assert code == 2 and "internal error" not in err
