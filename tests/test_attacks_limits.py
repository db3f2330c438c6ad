"""Issue 16, the rest: bounded error output, odd encodings, deep inputs, hostile text and Graphviz."""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SAMPLES

from blueprint_cli.language import errors
from blueprint_cli.language.source import Span

SMALL_SAMPLE = SAMPLES / "change-of-address.intended.blueprint"


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


# ---------------------------------------------------------------- points 9 and 10: Graphviz is a guest

SMALL = 'blueprint "Small"\nstage s "S"\n  customer a "A" -> b\n  frontstage b "B"\n'


def _fake_neato(folder: Path, script: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A `neato` first on PATH that runs `script` (sh)."""
    folder.mkdir(exist_ok=True)
    program = folder / "neato"
    program.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")


def _alive(pid: int) -> bool:
    """Whether a process runs (a zombie nobody has reaped yet counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _gone(pid: int, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.blueprint"
    path.write_text(SMALL, encoding="utf-8")
    return path


needs_graphviz_program = pytest.mark.skipif(shutil.which("neato") is None, reason="Graphviz (neato) is not installed")
needs_proc_groups = pytest.mark.skipif(not hasattr(os, "killpg"), reason="POSIX process groups")


@needs_proc_groups
@pytest.mark.parametrize("command", ["render", "report"])
def test_the_children_of_a_wrapper_neato_do_not_outlive_the_time_limit(run_cli, tmp_path, small, monkeypatch, command):
    pidfile = tmp_path / "child.pid"
    _fake_neato(tmp_path / "bin", f"sleep 300 &\necho $! > {pidfile}\nwait\n", monkeypatch)
    started = time.monotonic()
    code, _, err = run_cli(command, str(small), "--timeout", "1", "-o", str(tmp_path / "out.svg"))
    assert code == 2 and "longer than 1 s" in err, err
    assert time.monotonic() - started < 60
    assert _gone(int(pidfile.read_text()))


@needs_proc_groups
def test_sigterm_during_render_leaves_no_graphviz(tmp_path, small, monkeypatch):
    pidfile = tmp_path / "child.pid"
    _fake_neato(tmp_path / "bin", f"sleep 300 &\necho $! > {pidfile}\nwait\n", monkeypatch)
    process = subprocess.Popen(
        [sys.executable, "-m", "blueprint_cli", "render", str(small), "-o", str(tmp_path / "out.svg")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not (pidfile.exists() and pidfile.read_text().strip()) and time.monotonic() < deadline:
            time.sleep(0.05)
        child = int(pidfile.read_text())
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 143
    assert _gone(child)
    assert not (tmp_path / "out.svg").exists()


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_garbage_from_graphviz_is_not_written_as_the_picture(run_cli, tmp_path, small, monkeypatch, fmt):
    _fake_neato(tmp_path / "bin", "cat > /dev/null\necho 'not a picture <script>alert(1)</script>'\n", monkeypatch)
    target = tmp_path / f"out.{fmt}"
    code, _, err = run_cli("render", str(small), "-o", str(target))
    assert code == 2, err
    assert f"did not return a {fmt.upper()} picture" in err
    assert not target.exists()


def test_garbage_from_graphviz_is_not_pasted_into_the_report(run_cli, tmp_path, small, monkeypatch):
    _fake_neato(tmp_path / "bin", "cat > /dev/null\necho '<script>alert(1)</script>'\n", monkeypatch)
    target = tmp_path / "out.html"
    code, _, err = run_cli("report", str(small), "-o", str(target))
    assert code == 2 and "did not return a SVG picture" in err, err
    assert not target.exists()


def test_graphviz_stderr_reaches_the_terminal_as_plain_text(run_cli, tmp_path, small, monkeypatch):
    real = shutil.which("neato")
    if real is None:
        pytest.skip("Graphviz (neato) is not installed")
    payload = r"printf '\033]0;pwned\007\033[31mred\033[0m \342\200\256evil\n' >&2"
    _fake_neato(tmp_path / "bin", f'{payload}\nexec {real} "$@"\n', monkeypatch)
    code, _, err = run_cli("render", str(small), "-o", str(tmp_path / "out.svg"))
    assert code == 0, err
    assert "Graphviz: red" in err and "pwned" not in err
    assert "\x1b" not in err and "\u202e" not in err
    _fake_neato(tmp_path / "bin", f"{payload}\nexit 1\n", monkeypatch)
    code, _, err = run_cli("render", str(small), "-o", str(tmp_path / "out2.svg"))
    assert code == 2 and "Graphviz failed" in err
    assert "\x1b" not in err and "\u202e" not in err


@pytest.mark.parametrize("value", ["nan", "0", "-1"])
def test_report_timeout_must_be_a_real_number_of_seconds(run_cli, tmp_path, small, value):
    code, _, err = run_cli("report", str(small), "--timeout", value, "-o", str(tmp_path / "out.html"))
    assert code == 2 and "--timeout" in err and "No such option" not in err, err


# ---------------------------------------------------------------- point 7: deep inputs


def test_a_long_include_chain_is_a_clear_error(run_cli, tmp_path):
    (tmp_path / "main.blueprint").write_text(
        'blueprint "Chain"\ninclude "f0.blueprint"\nstage s "S"\n  customer a "A"\n', encoding="utf-8"
    )
    for n in range(1000):
        (tmp_path / f"f{n}.blueprint").write_text(f'include "f{n + 1}.blueprint"\norg o{n} "O"\n', encoding="utf-8")
    (tmp_path / "f1000.blueprint").write_text('org last "Last"\n', encoding="utf-8")
    code, _, err = run_cli("check", str(tmp_path / "main.blueprint"))
    assert code == 2, err
    assert "nested more than 32 files deep" in err and "internal error" not in err


def test_a_short_include_chain_is_fine(run_cli, tmp_path):
    (tmp_path / "main.blueprint").write_text(
        'blueprint "Chain"\ninclude "f0.blueprint"\nstage s "S"\n  customer a "A" by p9\n', encoding="utf-8"
    )
    for n in range(10):
        (tmp_path / f"f{n}.blueprint").write_text(
            f'include "f{n + 1}.blueprint"\nactor p{n} "P" customer\n', encoding="utf-8"
        )
    (tmp_path / "f10.blueprint").write_text('org last "Last"\n', encoding="utf-8")
    code, _, err = run_cli("check", str(tmp_path / "main.blueprint"))
    assert code == 0, err


@pytest.mark.parametrize("content", ["[" * 200_000 + "]" * 200_000, '{"a":' * 100_000 + "1" + "}" * 100_000])
def test_a_deeply_nested_baseline_is_a_clear_error(run_cli, tmp_path, content):
    baseline = tmp_path / "deep.json"
    baseline.write_text(content, encoding="utf-8")
    code, _, err = run_cli("check", str(SMALL_SAMPLE), "--baseline", str(baseline))
    assert code == 2, err
    assert "nested too deeply" in err and "internal error" not in err


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_an_endless_baseline_is_refused(run_cli):
    code, _, err = run_cli("check", str(SMALL_SAMPLE), "--baseline", "/dev/zero")
    assert code == 2 and "not a regular file" in err, err


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes in a name")
@pytest.mark.parametrize(
    "args",
    [
        ["check", "--format", "sarif"],
        ["check", "--format", "json"],
        ["check", "--format", "junit"],
        ["report", "-o", "{tmp}/r.html"],
    ],
)
def test_a_file_name_that_is_not_utf8_is_no_internal_error(run_cli, tmp_path, args):
    name = os.path.join(os.fsencode(tmp_path), b"bad\xff.blueprint")
    shutil.copy(SMALL_SAMPLE, name)
    if args[0] == "report" and shutil.which("neato") is None:
        pytest.skip("Graphviz (neato) is not installed")
    command = [args[0], os.fsdecode(name), *(a.replace("{tmp}", str(tmp_path)) for a in args[1:])]
    code, out, err = run_cli(*command)
    assert code in (0, 1), err
    assert "internal error" not in err
    shown = (tmp_path / "r.html").read_text(encoding="utf-8") if args[0] == "report" else out
    assert "bad\ufffd.blueprint" in shown or "bad%EF%BF%BD.blueprint" in shown


# ---------------------------------------------------------------- point 8: text that reaches other programs

PAYLOAD = "ping @octocat and @acme/security-team about #123 and GH-7, see https://evil.example/x, www.evil.example, me@evil.example"
_MENTION = re.compile(r"@[A-Za-z0-9-]")
_REFERENCE = re.compile(r"(?<!&)#\d|GH-\d")
_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


def _pings_or_links(markdown: str) -> list[str]:
    """What GitHub would turn into a mention, a reference or a link (outside code spans)."""
    prose = re.sub(r"`[^`]*`", "", markdown)
    return [m.group() for pattern in (_MENTION, _REFERENCE, _LINK) for m in pattern.finditer(prose)]


def test_markdown_neither_pings_nor_links(run_cli, tmp_path):
    intended = tmp_path / "a.blueprint"
    observed = tmp_path / "b.blueprint"
    parts = [
        "@octocat",
        "@acme/security-team",
        "#123",
        "GH-7",
        "https://evil.example/x",
        "www.evil.example",
        "me@evil.example",
    ]
    steps = "".join(f'  frontstage s{n} "{part}"\n' for n, part in enumerate(parts))
    intended.write_text('blueprint "S"\nstage s "S"\n  customer a "Apply"\n', encoding="utf-8")
    observed.write_text(
        f'blueprint "S"\nvariant observed\nstage s "S"\n  customer a "Apply"\n{steps}', encoding="utf-8"
    )
    code, out, err = run_cli("diff", str(intended), str(observed), "--format", "markdown", "--exit-zero")
    assert code == 0, err
    assert "octocat" in out and "evil.example" in out
    assert _pings_or_links(out) == []


def test_markdown_escape_keeps_the_text_readable():
    from blueprint_cli.formats.markdown import escape

    assert _pings_or_links(escape(PAYLOAD)) == []
    assert escape("C# and # and 3:2 and a@") == "C# and # and 3:2 and a@"
    assert escape(PAYLOAD).replace("&#8203;", "") == PAYLOAD


@pytest.mark.parametrize("char", ["\u202e", "\u202a", "\u2066", "\u2069"])
def test_bidirectional_controls_are_refused_in_labels_with_a_location(run_cli, tmp_path, char):
    path = tmp_path / "bidi.blueprint"
    line = f'  customer a "invoice{char}fdp.exe"'
    path.write_text(f'blueprint "S"\nstage s "S"\n{line}\n', encoding="utf-8")
    code, _, err = run_cli("check", str(path))
    assert code == 2
    where = f"bidi.blueprint:3:{line.index(char) + 1}"
    assert f"{where}: error: bidirectional control character U+{ord(char):04X}" in err
    assert char not in err


# ---------------------------------------------------------------- point 5: say when a diagram is too big


@pytest.mark.parametrize("limit", [3, 2_000])
def test_render_says_when_a_diagram_is_too_large_to_be_useful(run_cli, tmp_path, monkeypatch, limit):
    import blueprint_cli.render

    monkeypatch.setattr(blueprint_cli.render, "LARGE_DIAGRAM_STEPS", limit)
    path = tmp_path / "four.blueprint"
    path.write_text(
        'blueprint "Four"\nstage s "S"\n  customer a "A"\n  customer b "B"\n  customer c "C"\n  customer d "D"\n',
        encoding="utf-8",
    )
    code, _, err = run_cli("render", str(path), "-f", "dot", "-o", str(tmp_path / "four.dot"))
    assert code == 0, err
    warned = f"4 steps make a diagram too large to read (more than {limit:,} steps)" in err
    assert warned == (limit < 4)


@needs_graphviz_program
def test_report_says_when_a_diagram_is_too_large_to_be_useful(run_cli, tmp_path, monkeypatch, small):
    import blueprint_cli.render

    monkeypatch.setattr(blueprint_cli.render, "LARGE_DIAGRAM_STEPS", 1)
    code, _, err = run_cli("report", str(small), "-o", str(tmp_path / "r.html"))
    assert code == 0, err
    assert "2 steps make a diagram too large to read" in err
