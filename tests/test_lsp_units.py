"""The language server's plain modules, without a client: positions, the index, edits."""

from __future__ import annotations

from pathlib import Path

import pytest

from blueprint_cli.language.source import Span
from blueprint_cli.lsp.edits import RenameError, format_text, rename
from blueprint_cli.lsp.index import build
from blueprint_cli.lsp.positions import Point, character_column, path_to_uri, span_range, unit_column, uri_to_path


@pytest.mark.parametrize(
    ("encoding", "units"), [("utf-16", [0, 1, 2, 4, 5]), ("utf-8", [0, 1, 3, 7, 8]), ("utf-32", [0, 1, 2, 3, 4])]
)
def test_columns_in_each_encoding(encoding: str, units: list[int]) -> None:
    line = "aé😀b"
    assert [unit_column(line, c, encoding) for c in range(5)] == units
    assert [character_column(line, u, encoding) for u in units] == [0, 1, 2, 3, 4]
    assert character_column(line, 1000, encoding) == 4  # past the end: clamped


def test_a_span_outside_the_text_becomes_a_valid_range() -> None:
    got = span_range(Span("x", 0, 0, 0, 0), ["abc"])
    assert (got.start, got.end) == (Point(0, 0), Point(0, 0))
    got = span_range(Span("x", 5, 3, 5, 9), ["abc"])
    assert got.start.line == 4 and got.end.character >= got.start.character


def test_paths_and_uris_round_trip(tmp_path: Path) -> None:
    path = str(tmp_path / "with space" / "é.blueprint")
    assert uri_to_path(path_to_uri(path)) == path
    assert uri_to_path("untitled:Untitled-1") == "untitled:Untitled-1"


def test_includes_outside_the_project_are_not_read(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)
    main = project / "main.blueprint"
    asked: list[str] = []

    def read(path: str) -> str | None:
        asked.append(path)
        return 'org shared "Shared"\n'

    text = 'include "../outside.blueprint"\ninclude "notes.txt"\ninclude "inside.blueprint"\nblueprint "x"\n'
    index = build(str(main), text, read=read)
    assert asked == [str(project / "inside.blueprint")]
    assert index.names("org") == ["shared"]


def test_rename_refuses_and_renames() -> None:
    text = 'blueprint "x"\nactor a "A" customer\nactor b "B" customer\nstage s "S"\n  customer one "One" by a\n'
    index = build("/p/x.blueprint", text, read=lambda _: None)
    with pytest.raises(RenameError, match="already taken by the actor"):
        rename(index, "a", "b")
    with pytest.raises(RenameError, match="not an identifier"):
        rename(index, "a", "9lives")
    with pytest.raises(RenameError, match="nothing declares"):
        rename(index, "ghost", "x")
    edits = rename(index, "a", "alice")
    assert [(span.line, span.column, new) for span, new in edits["/p/x.blueprint"]] == [
        (2, 7, "alice"),
        (5, 25, "alice"),
    ]


def test_formatting_keeps_crlf_and_refuses_broken_text() -> None:
    assert format_text("x", 'blueprint "x"\r\nstage  s "S"\r\n') == 'blueprint "x"\r\n\r\nstage s "S"\r\n'
    assert format_text("x", 'blueprint "x\n') is None


def test_other_commands_do_not_load_pygls() -> None:
    """pygls is imported inside `blueprint lsp` only: the other commands start as fast as before."""
    import subprocess
    import sys

    from conftest import SAMPLES

    sample = str(SAMPLES / "hospital-discharge.intended.blueprint")
    code = "import sys; from blueprint_cli.cli import main; sys.argv = ['blueprint', 'check', sys.argv[1]]\n"
    code += "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
    code += "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol', 'cattrs')))"
    done = subprocess.run([sys.executable, "-c", code, sample], capture_output=True, text=True)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr
