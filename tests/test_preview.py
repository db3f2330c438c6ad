"""`blueprint preview` without a browser: rendering passes, the live state, watching, the HTTP side."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import SAMPLES
from lsp_client import blueprint_argv

from blueprint_cli.preview.events import open_events
from blueprint_cli.preview.live import Live
from blueprint_cli.preview.rendering import Rendered, render
from blueprint_cli.preview.server import PreviewServer
from blueprint_cli.preview.watch import watch

HOSPITAL = "hospital-discharge.intended.blueprint"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(SAMPLES, tmp_path / "samples")
    monkeypatch.chdir(tmp_path / "samples")
    return tmp_path / "samples"


@needs_dot
def test_a_pass_draws_one_file_and_reads_its_includes(folder: Path) -> None:
    done = render(["back-to-work.intended.blueprint"])
    assert done.kind == "diagram" and done.problems == ()
    assert done.body is not None and done.body.lstrip().startswith("<?xml") and "</svg>" in done.body
    assert done.watched == ("back-to-work.intended.blueprint", "shared/nhs-orgs.blueprint")


def test_a_broken_file_gives_located_problems_and_no_picture(folder: Path) -> None:
    path = folder / HOSPITAL
    path.write_text(path.read_text(encoding="utf-8").replace("by nurse", "by nures", 1), encoding="utf-8")
    done = render([HOSPITAL])
    assert done.body is None
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if "nures" in text)
    column = path.read_text(encoding="utf-8").split("\n")[line - 1].index("nures") + 1
    assert [(p.where, p.message) for p in done.problems] == [
        (f"{HOSPITAL}:{line}:{column}", "unknown actor 'nures'; did you mean 'nurse'?")
    ]


def test_a_missing_file_is_a_problem_not_a_crash(folder: Path) -> None:
    done = render(["nowhere.blueprint"])
    assert done.body is None and done.problems[0].where == "nowhere.blueprint"


@needs_dot
def test_two_files_give_the_report(folder: Path) -> None:
    done = render([HOSPITAL, "hospital-discharge.observed.blueprint"])
    assert done.kind == "report" and done.body is not None and "<html" in done.body


def test_the_live_state_keeps_the_last_good_picture() -> None:
    live = Live("t")
    live.update(Rendered("diagram", "<svg>1</svg>", (), ("a",)))
    from blueprint_cli.preview.rendering import Problem

    live.update(Rendered("diagram", None, (Problem("a:1:2", "bad", "fix it"),), ("a",)))
    event = json.loads(live.event())
    assert event["version"] == 2 and event["body"] == "<svg>1</svg>" and event["fresh"] is False
    assert event["problems"] == [{"where": "a:1:2", "message": "bad", "hint": "fix it"}]
    assert live.wait(1, timeout=0.01) == 2


@pytest.mark.parametrize("file_events", [True, False], ids=["file-events", "polling"])
def test_watch_renders_again_after_a_change_of_a_file_or_an_include(
    folder: Path, monkeypatch: pytest.MonkeyPatch, file_events: bool
) -> None:
    if not file_events:
        monkeypatch.setattr("blueprint_cli.preview.watch.open_events", lambda: None)
    passes: list[Rendered] = []

    def draw(paths: list[str], *, timeout: float) -> Rendered:  # no Graphviz: count and record
        done = _load_only(paths)
        passes.append(done)
        return done

    live = Live("t")
    stop = threading.Event()
    thread = threading.Thread(
        target=watch,
        args=(["back-to-work.intended.blueprint"], live),
        kwargs={"running": lambda: not stop.is_set(), "draw": draw},
    )
    thread.start()
    try:
        _wait(lambda: live.version == 1)
        time.sleep(0.3)
        assert live.version == 1  # nothing changed: no new pass
        main = folder / "back-to-work.intended.blueprint"
        main.write_text(main.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
        _wait(lambda: live.version == 2)
        shared = folder / "shared" / "nhs-orgs.blueprint"
        shared.write_text(shared.read_text(encoding="utf-8") + "\n# another\n", encoding="utf-8")
        _wait(lambda: live.version == 3)
    finally:
        stop.set()
        thread.join(timeout=5)
    assert len(passes) == 3


def test_a_failing_pass_is_shown_and_watching_goes_on(folder: Path) -> None:
    calls: list[int] = []

    def draw(paths: list[str], *, timeout: float) -> Rendered:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("boom")
        return _load_only(paths)

    live = Live("t")
    stop = threading.Event()
    thread = threading.Thread(
        target=watch, args=([HOSPITAL], live), kwargs={"running": lambda: not stop.is_set(), "draw": draw}
    )
    thread.start()
    try:
        _wait(lambda: live.version == 1)
        event = json.loads(live.event())
        assert event["problems"][0]["message"].startswith("internal error: RuntimeError: boom")
        main = folder / HOSPITAL
        main.write_text(main.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        _wait(lambda: live.version == 2)
        assert json.loads(live.event())["fresh"] is True
    finally:
        stop.set()
        thread.join(timeout=5)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")
def test_file_events_wake_the_watcher(tmp_path: Path) -> None:
    events = open_events()
    assert events is not None
    try:
        events.watch({str(tmp_path)})
        assert events.wait(0.05) is False  # nothing happened
        threading.Timer(0.1, lambda: (tmp_path / "a.blueprint").write_text("x", encoding="utf-8")).start()
        started = time.monotonic()
        assert events.wait(5) is True
        assert time.monotonic() - started < 2
        quiet = [events.wait(0.2) for _ in range(5)]  # a save is several events (create, close...)
        assert quiet[-1] is False  # then nothing more: the events were read
    finally:
        events.close()


def _load_only(paths: list[str]) -> Rendered:
    from blueprint_cli import pipeline

    loaded = pipeline.try_load(paths[0])
    includes = loaded.blueprint.includes if loaded.blueprint is not None else ()
    watched = tuple(dict.fromkeys([paths[0], *includes]))
    return Rendered("diagram", "<svg/>" if loaded.valid else None, (), watched)


def _wait(condition: Callable[[], bool], seconds: float = 5) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.fixture
def server() -> Iterator[PreviewServer]:
    live = Live("served")
    live.update(Rendered("diagram", "<svg>picture</svg>", (), ("a",)))
    running = PreviewServer(live, 0)
    threading.Thread(target=running.serve_forever, daemon=True).start()
    yield running
    running.stop()


def get(url: str, host: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_the_page_is_served_with_a_policy_that_forbids_other_origins(server: PreviewServer) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    status, headers, body = get(server.url)
    assert status == 200 and b"EventSource" in body
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert b"http://" not in body and b"https://" not in body  # nothing loaded from elsewhere


@pytest.mark.parametrize("path", ["a", "favicon.ico", "..%2f..%2fetc%2fpasswd", "index.html/../x", "events/x"])
def test_nothing_else_is_served(server: PreviewServer, path: str) -> None:
    assert get(server.url + path)[0] == 404


def test_another_host_name_is_refused(server: PreviewServer) -> None:
    assert get(server.url, host="attacker.example")[0] == 403


def test_the_event_stream_sends_the_state(server: PreviewServer) -> None:
    with urllib.request.urlopen(server.url + "events", timeout=5) as stream:
        assert stream.headers["Content-Type"].startswith("text/event-stream")
        line = stream.readline()
    event = json.loads(line.removeprefix(b"data: "))
    assert event["body"] == "<svg>picture</svg>" and event["version"] == 1


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    for args in (["a", "b", "c"], ["-"]):
        done = subprocess.run(
            blueprint_argv() + ["preview", *args, "--no-browser"], capture_output=True, text=True, cwd=tmp_path
        )
        assert done.returncode == 2, done.stderr


def test_the_command_serves_until_terminated(folder: Path) -> None:
    process = subprocess.Popen(
        blueprint_argv() + ["preview", HOSPITAL, "--no-browser"],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith(f"previewing {HOSPITAL} at http://127.0.0.1:")
        url = first.split(" at ")[1].strip()
        assert get(url)[0] == 200
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 143  # SIGTERM, as shells count it
