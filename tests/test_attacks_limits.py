"""Issue 16, the rest: bounded error output, odd encodings, deep inputs, hostile text and Graphviz."""

from __future__ import annotations

import random

import pytest

from blueprint_cli.language import errors
from blueprint_cli.language.source import Span


def _garbage(lines: int) -> str:
    rng = random.Random(16)
    return "\n".join("".join(rng.choice("abc xyz!?$%=[]-> ") for _ in range(30)) for _ in range(lines)) + "\n"


# ---------------------------------------------------------------- point 5: error output is bounded


def test_excerpts_split_a_file_once_however_many_messages_point_into_it():
    text = _garbage(3000)
    errors._lines.cache_clear()
    for line in range(1, 3001):
        assert errors.excerpt(text, Span("f", line, 1, line, 2))
    assert errors._lines.cache_info().misses == 1


def test_errors_per_file_are_capped_with_the_number_not_shown(run_cli, tmp_path):
    path = tmp_path / "garbage.blueprint"
    path.write_text(_garbage(300), encoding="utf-8")
    code, _, err = run_cli("check", str(path))
    assert code == 2
    assert err.count(": error: ") == 50
    assert "and 250 more errors not shown" in err and "300 errors" in err
    code, _, err = run_cli("check", str(path), "--max-errors", "3")
    assert err.count(": error: ") == 3 and "and 297 more errors" in err
    code, _, err = run_cli("check", str(path), "--max-errors", "0")
    assert err.count(": error: ") == 300 and "more error" not in err


def test_other_commands_cap_errors_too(run_cli, tmp_path):
    path = tmp_path / "garbage.blueprint"
    path.write_text(_garbage(120), encoding="utf-8")
    code, _, err = run_cli("render", str(path), "-f", "dot", "-o", str(tmp_path / "x.dot"))
    assert code == 2 and err.count(": error: ") == 50 and "and 70 more errors" in err


# ---------------------------------------------------------------- point 11: long lines, NUL, UTF-16


def test_a_megabyte_line_gives_a_short_error(run_cli, tmp_path):
    path = tmp_path / "long.blueprint"
    path.write_text('blueprint "x"\n' + "a" * 1_000_000 + " !\n", encoding="utf-8")
    for fmt in ("text", "json", "sarif"):
        code, out, err = run_cli("check", str(path), "--format", fmt)
        assert code == 2
        assert len(out) + len(err) < 20_000, fmt


def test_a_long_line_is_shown_around_the_caret():
    line = "x" * 1000 + "BAD" + "y" * 1000
    source, caret = errors.excerpt(line, Span("f", 1, 1001, 1, 1004)).split("\n")
    assert len(source) < 140 and "BAD" in source
    assert source.index("BAD") == caret.index("^") and caret.endswith("^~~")


def test_a_nul_anywhere_is_binary_and_fmt_keeps_the_file(run_cli, tmp_path):
    path = tmp_path / "nul.blueprint"
    data = b'blueprint "x"\n# ' + b"a" * 9000 + b"\n# x\x00y\n"
    path.write_bytes(data)
    code, _, err = run_cli("check", str(path))
    assert code == 2 and "binary" in err
    code, _, err = run_cli("fmt", str(path))
    assert code == 2 and "binary" in err
    assert path.read_bytes() == data


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_says_save_as_utf8(run_cli, tmp_path, encoding):
    path = tmp_path / "wide.blueprint"
    path.write_bytes('blueprint "x"\nstage s "S"\n  customer a "A"\n'.encode(encoding))
    code, _, err = run_cli("check", str(path))
    assert code == 2
    assert "UTF-16" in err and "save it as UTF-8" in err
