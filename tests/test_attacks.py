"""What an attack on every command found (issue 16): no input lost, no terminal steered, no exit 3."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLES

INTENDED = SAMPLES / "hospital-discharge.intended.blueprint"
OBSERVED = SAMPLES / "hospital-discharge.observed.blueprint"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A blueprint under a name that does not end in .blueprint (the guard must not rely on the name)."""
    path = tmp_path / "obs.bp"
    shutil.copy(OBSERVED, path)
    return path


def _writers(source: Path, other: Path) -> list[list[str]]:
    return [
        ["check", str(source), "-o", str(source)],
        ["check", str(source), "--write-baseline", str(source)],
        ["diff", str(other), str(source), "-o", str(source)],
        ["diff", str(other), str(source), "--write-baseline", str(source)],
        ["render", str(source), "-o", str(source), "--format", "dot"],
    ]


@pytest.mark.parametrize("index", range(5))
def test_no_writer_overwrites_its_input(run_cli, source, index):
    before = source.read_bytes()
    args = _writers(source, INTENDED)[index]
    code, _, err = run_cli(*args)
    assert code == 2, err
    assert "input file" in err
    assert source.read_bytes() == before


def test_the_guard_knows_the_file_by_identity_not_by_name(run_cli, source, tmp_path):
    link = tmp_path / "OBS.other"
    os.link(source, link)  # another name, the same file
    before = source.read_bytes()
    code, _, err = run_cli("check", str(source), "-o", str(link))
    assert code == 2 and "input file" in err
    assert source.read_bytes() == before


@pytest.mark.parametrize("value", ["nan", "inf", "1e308", "0", "-1"])
def test_render_timeout_must_be_a_real_number_of_seconds(run_cli, value, tmp_path):
    code, _, err = run_cli("render", str(INTENDED), "--timeout", value, "-o", str(tmp_path / "x.dot"))
    assert code == 2, err
    assert "internal error" not in err
    assert not (tmp_path / "x.dot").exists()


def test_max_assumed_nan_is_refused(run_cli):
    code, _, err = run_cli("check", str(OBSERVED), "--max-assumed", "nan")
    assert code == 2 and "--max-assumed" in err


@pytest.mark.parametrize("command", ["check", "fmt", "render"])
def test_standard_input_is_read_once(run_cli, command):
    code, _, err = run_cli(command, "-", "-")
    assert code == 2 and "only once" in err


def test_a_location_is_not_an_emoji(run_cli, tmp_path):
    folder = tmp_path / "a:100:b"
    folder.mkdir()
    bad = folder / "y.blueprint"
    bad.write_text('blueprint "x"\nstage s "S"\n  customer a "A" by nobody\n', encoding="utf-8")
    code, _, err = run_cli("check", str(bad))
    assert code == 2
    assert "a:100:b" in err and "\U0001f4af" not in err


def test_file_names_cannot_steer_the_terminal_or_a_ci_log(run_cli, tmp_path):
    bad = tmp_path / "x\n::error file=a::pwned\x1b[31m.blueprint"
    bad.write_text('blueprint "x"\nstage s "S"\n  customer a "A" by nobody\n', encoding="utf-8")
    code, out, err = run_cli("check", str(bad))
    assert code == 2
    assert "\x1b" not in out + err
    assert not any(line.startswith("::error") for line in (out + err).splitlines())


def _blueprint(*args: str, **kwargs):
    kwargs.setdefault("stdout", subprocess.PIPE)
    command = [sys.executable, "-m", "blueprint_cli", *args]
    return subprocess.run(command, stderr=subprocess.PIPE, check=False, timeout=60, **kwargs)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args",
    [
        ["export", str(INTENDED)],
        ["render", str(INTENDED), "-o", "-", "--format", "dot"],
        ["fmt", "-"],
        ["--help"],
        ["diff", str(INTENDED), str(OBSERVED), "--format", "json"],
    ],
)
def test_a_full_standard_output_is_a_clear_error(args):
    with open(INTENDED, "rb") as blueprint, open("/dev/full", "wb") as full:
        done = _blueprint(*args, stdout=full, stdin=blueprint if args == ["fmt", "-"] else subprocess.DEVNULL)
    assert done.returncode == 2, done.stderr
    assert b"internal error" not in done.stderr and b"Traceback" not in done.stderr
    assert b"cannot write the output" in done.stderr


def test_a_closed_standard_input_is_a_clear_error():
    done = _blueprint("check", "-", stdin=None, pass_fds=(), close_fds=True, preexec_fn=lambda: os.close(0))
    assert done.returncode == 2, done.stderr
    assert b"standard input is closed" in done.stderr


def test_a_closed_pipe_ends_quietly():
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has gone, as after `| head`
    try:
        done = _blueprint("diff", str(INTENDED), str(OBSERVED), "--format", "json", "--exit-zero", stdout=write_end)
    finally:
        os.close(write_end)
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""


def test_a_file_that_only_mentions_the_generator_is_not_overwritten(run_cli, tmp_path):
    target = tmp_path / "notes.html"
    mine = '<!DOCTYPE html>\n<html><head><!-- <meta name="generator" content="blueprint-cli 1"> --></head></html>\n'
    target.write_text(mine, encoding="utf-8")
    code, _, err = run_cli("report", str(INTENDED), str(OBSERVED), "-o", str(target))
    assert code == 2 and "--force" in err
    assert target.read_text(encoding="utf-8") == mine


def test_watch_keeps_the_includes_of_a_broken_load(tmp_path, monkeypatch):
    import time

    from blueprint_cli.commands import render as command

    shared = tmp_path / "shared.blueprint"
    shared.write_text('org council "Council"\n', encoding="utf-8")
    main = tmp_path / "main.blueprint"
    main.write_text(
        'blueprint "x"\ninclude "shared.blueprint"\nactor clerk "Clerk" @council\n'
        'stage s "S"\n  frontstage a "Answers" by clerk\n',
        encoding="utf-8",
    )
    target = tmp_path / "main.dot"
    shared.write_text('org council "Council\n', encoding="utf-8")  # broken: an open quote
    ok, read = command.render_one(str(main), target, fmt="dot", timeout=10)
    assert not ok and str(shared) in read and not target.exists()
    calls = []

    def fake_sleep(_seconds):
        calls.append(1)
        if len(calls) == 1:  # fix the include only: the watcher must see it
            shared.write_text('org council "Council"\n', encoding="utf-8")
            stat = shared.stat()
            os.utime(shared, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
        else:
            raise KeyboardInterrupt

    monkeypatch.setattr(time, "sleep", fake_sleep)
    command.watch_loop([str(main)], [target], fmt="dot", timeout=10, watched={str(main): read})
    assert target.exists()


def _git(folder: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@e",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@e",
    }
    subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True, env=env)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_rev_in_a_shallow_clone_says_how_to_fetch_history(run_cli, tmp_path):
    origin = tmp_path / "origin"
    origin.mkdir()
    _git(origin, "init", "-q")
    shutil.copy(INTENDED, origin / "service.blueprint")
    _git(origin, "add", ".")
    _git(origin, "commit", "-qm", "one")
    shutil.copy(OBSERVED, origin / "service.blueprint")
    _git(origin, "commit", "-qam", "two")
    _git(tmp_path, "clone", "-q", "--depth", "1", f"file://{origin}", "clone")
    code, _, err = run_cli("diff", "--rev", "HEAD~1", str(tmp_path / "clone" / "service.blueprint"))
    assert code == 2
    assert "shallow" in err and "--unshallow" in err


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_rev_refuses_a_folder_or_a_symlink_at_the_revision(run_cli, tmp_path):
    _git(tmp_path, "init", "-q")
    (tmp_path / "service.blueprint").mkdir()
    (tmp_path / "service.blueprint" / "x.blueprint").write_text(INTENDED.read_text(encoding="utf-8"), encoding="utf-8")
    os.symlink("service.blueprint/x.blueprint", tmp_path / "link.blueprint")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "one")
    code, _, err = run_cli("diff", "--rev", "HEAD", str(tmp_path / "link.blueprint"))
    assert code == 2, err
    assert "symbolic link" in err
    # A folder (whatever its name) is searched for blueprints that changed since the revision.
    code, _, err = run_cli("diff", "--rev", "HEAD", str(tmp_path / "service.blueprint"))
    assert code == 0 and "changed since HEAD" in err


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom", "/etc/passwd", "../outside.blueprint", ".env"])
def test_includes_stay_inside_the_project_and_name_blueprints(run_cli, tmp_path, target):
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "outside.blueprint").write_text('org far "SECRET_TOKEN_123"\n', encoding="utf-8")
    (project / ".env").write_text("SECRET_TOKEN_123=hunter2\n", encoding="utf-8")
    main = project / "main.blueprint"
    main.write_text(f'blueprint "x"\ninclude "{target}"\nstage s "S"\n  customer a "A"\n', encoding="utf-8")
    for fmt in ("text", "json", "sarif", "junit", "github", "markdown"):
        code, out, err = run_cli("check", str(main), "--format", fmt)
        assert code == 2, (fmt, err)
        assert "SECRET_TOKEN_123" not in out + err and "root:" not in out + err
    code, _, err = run_cli("check", str(main))
    assert "cannot include" in err and "= hint" in err


def test_the_include_root_can_be_widened(run_cli, tmp_path, monkeypatch):
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "shared.blueprint").write_text('org council "Council"\n', encoding="utf-8")
    main = project / "main.blueprint"
    main.write_text('blueprint "x"\ninclude "../shared.blueprint"\nstage s "S"\n  customer a "A"\n', encoding="utf-8")
    code, _, err = run_cli("check", str(main))
    assert code == 2 and "outside the project" in err
    monkeypatch.setenv("BLUEPRINT_INCLUDE_ROOT", str(tmp_path))
    code, _, err = run_cli("check", str(main))
    assert code == 0, err


def test_a_fifo_is_refused_without_blocking(run_cli, tmp_path):
    fifo = tmp_path / "pipe.blueprint"
    os.mkfifo(fifo)
    code, _, err = run_cli("check", str(fifo))
    assert code == 2 and "not a regular file" in err
    main = tmp_path / "main.blueprint"
    main.write_text('blueprint "x"\ninclude "pipe.blueprint"\nstage s "S"\n  customer a "A"\n', encoding="utf-8")
    code, _, err = run_cli("check", str(main))
    assert code == 2 and "not a regular file" in err


def test_a_huge_file_is_refused_before_it_is_parsed(run_cli, tmp_path, monkeypatch):
    from blueprint_cli.language import source

    monkeypatch.setattr(source, "MAX_BYTES", 1000)
    big = tmp_path / "big.blueprint"
    big.write_text('blueprint "x"\n' + "# padding\n" * 200, encoding="utf-8")
    code, _, err = run_cli("check", str(big))
    assert code == 2 and "larger than" in err


def test_a_symlink_loop_is_a_clear_error(run_cli, tmp_path):
    os.symlink(tmp_path / "b.blueprint", tmp_path / "a.blueprint")
    os.symlink(tmp_path / "a.blueprint", tmp_path / "b.blueprint")
    main = tmp_path / "main.blueprint"
    main.write_text('blueprint "x"\ninclude "a.blueprint"\nstage s "S"\n  customer a "A"\n', encoding="utf-8")
    code, _, err = run_cli("check", str(main))
    assert code == 2, err
    assert "internal error" not in err
