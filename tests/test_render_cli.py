"""`blueprint render`: output paths, formats, invalid input and a missing Graphviz."""

from __future__ import annotations

from pathlib import Path

import pytest
from render_helpers import needs_graphviz
from test_render_dot import EXAMPLE


@pytest.fixture
def example(tmp_path) -> Path:
    path = tmp_path / "discharge.intended.blueprint"
    path.write_text(EXAMPLE, encoding="utf-8")
    return path


def test_dot_next_to_the_input_by_default(run_cli, example):
    code, out, err = run_cli("render", str(example), "--format", "dot")
    assert code == 0, err
    target = example.with_name("discharge.intended.dot")
    assert target.read_text(encoding="utf-8").startswith("digraph blueprint {")


@needs_graphviz
@pytest.mark.parametrize("fmt,magic", [("svg", b"<?xml"), ("png", b"\x89PNG"), ("pdf", b"%PDF")])
def test_formats_to_an_output_file(run_cli, example, tmp_path, fmt, magic):
    target = tmp_path / "sub" / f"picture.{fmt}"
    code, out, err = run_cli("render", str(example), "-o", str(target), "--format", fmt)
    assert code == 0, err
    assert target.read_bytes().startswith(magic)


def test_many_inputs_into_a_folder(run_cli, example, tmp_path):
    second = tmp_path / "other.blueprint"
    second.write_text(EXAMPLE.replace("Hospital discharge", "Other"), encoding="utf-8")
    folder = tmp_path / "out"
    code, out, err = run_cli("render", str(example), str(second), "-o", str(folder), "--format", "dot")
    assert code == 0, err
    assert sorted(p.name for p in folder.iterdir()) == ["discharge.intended.dot", "other.dot"]


def test_one_output_file_for_many_inputs_is_a_usage_error(run_cli, example, tmp_path):
    code, out, err = run_cli("render", str(example), str(example), "-o", str(tmp_path / "x.svg"))
    assert code == 2
    assert "folder" in err


def test_two_inputs_with_the_same_name_into_one_folder_is_a_usage_error(run_cli, tmp_path):
    first, second = tmp_path / "a" / "x.blueprint", tmp_path / "b" / "x.blueprint"
    for path, title in ((first, "First"), (second, "Second")):
        path.parent.mkdir()
        path.write_text(EXAMPLE.replace("Hospital discharge", title), encoding="utf-8")
    folder = tmp_path / "out"
    code, out, err = run_cli("render", str(first), str(second), "-o", f"{folder}/", "--format", "dot")
    assert code == 2
    assert str(first) in err and str(second) in err and "x.dot" in err
    assert "✓" not in out
    assert not (folder / "x.dot").exists()


def test_invalid_input_prints_diagnostics_and_exits_2(run_cli, tmp_path):
    bad = tmp_path / "bad.blueprint"
    bad.write_text('blueprint "B"\nstage s "S"\n  customer a "A" by nobody\n', encoding="utf-8")
    code, out, err = run_cli("render", str(bad), "--format", "dot")
    assert code == 2
    assert "bad.blueprint:3:" in err
    assert not (tmp_path / "bad.dot").exists()


def test_missing_graphviz_is_a_clear_error(run_cli, example, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    code, out, err = run_cli("render", str(example))
    assert code == 2
    message = " ".join(err.split())
    assert "Graphviz is not installed" in message and "'neato' program from Graphviz" in message
    assert "apt-get install graphviz" in message and "brew install graphviz" in message
    assert "Traceback" not in err
    code, out, err = run_cli("render", str(example), "--format", "dot")
    assert code == 0, err


def test_watch_renders_again_when_the_file_changes(example, monkeypatch):
    import os
    import time

    from blueprint_cli.commands import render as command

    target = example.with_name("watched.dot")
    ok, read = command.render_one(str(example), target, fmt="dot", timeout=10)
    assert ok and read
    calls = []

    def fake_sleep(_seconds):
        calls.append(1)
        if len(calls) == 1:
            target.unlink()
            example.write_text(EXAMPLE.replace("Admission", "Arrival"), encoding="utf-8")
            stat = example.stat()
            os.utime(example, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
        else:
            raise KeyboardInterrupt

    monkeypatch.setattr(time, "sleep", fake_sleep)
    command.watch_loop([str(example)], [target], fmt="dot", timeout=10, watched={str(example): read})
    assert "Arrival" in target.read_text(encoding="utf-8")


def test_format_follows_the_output_name(run_cli, example, tmp_path):
    target = tmp_path / "picture.dot"
    code, out, err = run_cli("render", str(example), "-o", str(target))
    assert code == 0, err
    assert target.read_text(encoding="utf-8").startswith("digraph blueprint {")


@pytest.mark.parametrize("name", ["out.jpg", "out.svgz", "out"])
def test_an_output_name_without_a_format_we_write_is_a_usage_error(run_cli, example, tmp_path, name):
    target = tmp_path / name
    code, out, err = run_cli("render", str(example), "-o", str(target))
    assert code == 2
    message = " ".join(err.split())
    assert "svg, png, pdf, dot" in message and "--format" in message
    assert "✓" not in out and not target.exists()


def test_an_unknown_extension_is_fine_with_an_explicit_format(run_cli, example, tmp_path):
    target = tmp_path / "diagram.gv"
    code, out, err = run_cli("render", str(example), "-o", str(target), "--format", "dot")
    assert code == 0, err
    assert target.read_text(encoding="utf-8").startswith("digraph blueprint {")


def test_an_extension_that_contradicts_the_format_is_a_usage_error(run_cli, example, tmp_path):
    target = tmp_path / "out.png"
    code, out, err = run_cli("render", str(example), "-o", str(target), "--format", "dot")
    assert code == 2
    assert ".png" in err and "--format is dot" in " ".join(err.split())
    assert not target.exists()


def _stdin(monkeypatch, text: str) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8"))


def test_standard_input_needs_an_output(run_cli, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    _stdin(monkeypatch, EXAMPLE)
    code, out, err = run_cli("render", "-", "--format", "dot")
    assert code == 2
    assert "standard input" in err and "-o" in err
    assert list(tmp_path.iterdir()) == []


def test_standard_input_to_a_file(run_cli, monkeypatch, tmp_path):
    _stdin(monkeypatch, EXAMPLE)
    target = tmp_path / "from-stdin.dot"
    code, out, err = run_cli("render", "-", "-o", str(target))
    assert code == 0, err
    assert "Hospital discharge" in target.read_text(encoding="utf-8")


def test_output_dash_writes_to_standard_output(run_cli, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    _stdin(monkeypatch, EXAMPLE)
    code, out, err = run_cli("render", "-", "-o", "-", "--format", "dot")
    assert code == 0, err
    assert out.startswith("digraph blueprint {") and out.rstrip().endswith("}")
    assert "✓" not in out
    assert list(tmp_path.iterdir()) == []


def test_output_dash_takes_one_input(run_cli, example):
    code, out, err = run_cli("render", str(example), str(example), "-o", "-", "--format", "dot")
    assert code == 2
    assert "standard output" in err


@needs_graphviz
@pytest.mark.parametrize("fmt,magic", [("svg", b"<?xml"), ("png", b"\x89PNG"), ("pdf", b"%PDF")])
def test_output_dash_writes_picture_bytes(example, fmt, magic):
    import subprocess
    import sys

    from conftest import ROOT

    done = subprocess.run(
        [sys.executable, "-m", "blueprint_cli", "render", "-", "-o", "-", "--format", fmt],
        input=example.read_bytes(),
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.startswith(magic)


def _long_journey(steps: int) -> str:
    lines = ['blueprint "Long"', 'stage s "One long stage"']
    lines += [f'  customer c{i} "Step {i}"' for i in range(steps)]
    lines += [f"flow c{i} -> c{i + 1}" for i in range(steps - 1)]
    return "\n".join(lines) + "\n"


@needs_graphviz
@pytest.mark.parametrize("fmt,expected", [("png", "too large for PNG"), ("pdf", "too large for PDF")])
def test_a_picture_too_large_for_the_format_is_a_warning(run_cli, tmp_path, fmt, expected):
    source = tmp_path / "long.blueprint"
    source.write_text(_long_journey(140), encoding="utf-8")
    target = tmp_path / f"long.{fmt}"
    code, out, err = run_cli("render", str(source), "-o", str(target))
    assert code == 0, err
    message = " ".join(err.split())
    assert "warning" in message and expected in message and "use SVG" in message
    assert target.exists()
    if fmt == "png":
        assert "px wide" in message and "scaled it down to" in message


@needs_graphviz
def test_a_picture_of_normal_size_has_no_warning(run_cli, example, tmp_path):
    code, out, err = run_cli("render", str(example), "-o", str(tmp_path / "ok.png"))
    assert code == 0 and "warning" not in err


def test_size_warnings_read_graphviz_and_the_page_size():
    from blueprint_cli.render.graphviz import size_warnings

    dot = 'digraph blueprint {\n  graph [bb="0,0,50000,800", pad=0.4];\n}\n'
    png = size_warnings(
        dot, fmt="png", stderr="neato: graph is too large for cairo-renderer bitmaps. Scaling by 0.49 to fit\n"
    )
    assert len(png) == 1 and "66,743 px wide" in png[0] and "49%" in png[0]
    pdf = size_warnings(dot, fmt="pdf", stderr="")
    assert len(pdf) == 1 and "50,058 pt wide" in pdf[0]
    assert size_warnings(dot, fmt="svg", stderr="") == ()
    small = 'digraph blueprint {\n  graph [bb="0,0,900,600", pad=0.4];\n}\n'
    assert size_warnings(small, fmt="png", stderr="") == size_warnings(small, fmt="pdf", stderr="") == ()
    assert size_warnings(small, fmt="svg", stderr="Warning: something odd\n") == ("Graphviz: Warning: something odd",)


@needs_graphviz
def test_pdf_output_is_byte_identical_between_runs(example, tmp_path, monkeypatch):
    import time

    from blueprint_cli.language.resolve import load
    from blueprint_cli.render import render_bytes

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    blueprint = load(str(example))
    first = render_bytes(blueprint, "pdf")
    time.sleep(1.1)  # Cairo's date has one-second resolution
    second = render_bytes(blueprint, "pdf")
    assert first == second
    assert b"/CreationDate (D:19700101000000" in first


@needs_graphviz
def test_pdf_date_follows_source_date_epoch(example, monkeypatch):
    from blueprint_cli.language.resolve import load
    from blueprint_cli.render import render_bytes

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert b"/CreationDate (D:20231114221320" in render_bytes(load(str(example)), "pdf")


def test_pdf_dates_are_replaced_with_a_value_of_the_same_length():
    from blueprint_cli.render.graphviz import fixed_pdf_dates

    data = b"<< /CreationDate (D:20261123194335Z) /ModDate (D:20261123194335+01'00') >>"
    fixed = fixed_pdf_dates(data)
    assert len(fixed) == len(data)
    assert fixed == b"<< /CreationDate (D:19700101000000Z) /ModDate (D:19700101000000+00'00') >>"
