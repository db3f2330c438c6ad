"""The one place that runs Graphviz: `neato -n2` on our pinned DOT, with a time limit."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass

FORMATS = ("svg", "png", "pdf")
INSTALL_HINT = (
    "Graphviz is not installed (the 'neato' program from Graphviz was not found on PATH). "
    "Install it with 'sudo apt-get install graphviz' (Debian/Ubuntu), 'sudo dnf install graphviz' (Fedora), "
    "'brew install graphviz' (macOS) or 'winget install graphviz' (Windows), or from https://graphviz.org/download/; "
    "'--format dot' works without it."
)


# Cairo cannot make a bitmap wider or taller than 32,767 px (Graphviz then scales the picture
# down); PDF viewers follow Acrobat's page limit of 14,400 pt (200 in).
PNG_LIMIT_PX = 32767
PDF_LIMIT_PT = 14400
PNG_DPI = 96
PAD_PT = 0.4 * 72  # the graph's pad=0.4 (inches) on every side
_BB = re.compile(r'\bbb="0,0,([0-9.]+),([0-9.]+)"')
_SCALING = re.compile(r"Scaling by ([0-9.]+) to fit")
_PDF_DATE = re.compile(rb"/(?:CreationDate|ModDate) \((D:[^)]*)\)")


class GraphvizError(Exception):
    """Graphviz is missing, failed or took too long; the message says what to do."""


@dataclass(frozen=True, slots=True)
class Drawing:
    """The bytes of a picture and what the user should know about it (e.g. it was scaled down)."""

    data: bytes
    warnings: tuple[str, ...] = ()


def draw(dot_text: str, *, fmt: str, timeout: float = 60.0) -> Drawing:
    """Lay out and draw pinned DOT with `neato -n2`, with Graphviz's warnings (a PNG scaled down, a PDF page too large)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown Graphviz output format {fmt!r}; expected one of {', '.join(FORMATS)}")
    program = shutil.which("neato")
    if program is None:
        raise GraphvizError(INSTALL_HINT)
    device = {"png": "png:cairo", "pdf": "pdf:cairo", "svg": "svg"}[fmt]
    stdout, stderr, code = _run([program, "-n2", f"-T{device}"], dot_text.encode("utf-8"), timeout=timeout)
    said = graphviz_said(stderr)
    if code != 0 or not stdout:
        raise GraphvizError(f"Graphviz failed: {said.strip() or f'exit status {code}'}")
    if not is_format(stdout, fmt):
        raise GraphvizError(
            f"Graphviz ({program}) did not return a {fmt.upper()} picture (exit status 0, but the output is not {fmt.upper()}); "
            "check that 'neato' on PATH is Graphviz's"
        )
    data = fixed_pdf_dates(stdout) if fmt == "pdf" else stdout
    return Drawing(data, size_warnings(dot_text, fmt=fmt, stderr=said))


# The Graphviz processes running now (drawings in worker threads: the report), so that Ctrl-C in
# the main thread can stop them all; while `_refusing` is set no new one starts.
_running: set[subprocess.Popen[bytes]] = set()
_lock = threading.Lock()
_refusing = threading.Event()


def _run(command: list[str], data: bytes, *, timeout: float) -> tuple[bytes, bytes, int]:
    """Run Graphviz in its own process group; on a time-out or any exception (SIGTERM, Ctrl-C) the
    whole group is killed, so the children of a wrapper script do not outlive us."""
    with _lock:
        if _refusing.is_set():
            raise GraphvizError("Graphviz was not started: the command is stopping")
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=hasattr(os, "killpg"),
            )
        except OSError as error:
            raise GraphvizError(f"could not run Graphviz ({command[0]}): {error}") from None
        _running.add(process)
    try:
        stdout, stderr = process.communicate(data, timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise GraphvizError(f"Graphviz took longer than {timeout:g} s and was stopped") from None
    except BaseException:
        _stop(process)
        raise
    finally:
        with _lock:
            _running.discard(process)
    return stdout, stderr, process.returncode


def stop_all() -> None:
    """Kill every Graphviz process running now (other threads' too) and start no new one until
    `resume()`: for Ctrl-C or a failure in the main thread while worker threads wait on theirs."""
    with _lock:
        _refusing.set()
        running = list(_running)
    for process in running:
        if process.poll() is None:  # not reaped already (its process id could be another's by now)
            _kill(process)


def resume() -> None:
    """Graphviz may be started again (after `stop_all()`, once the threads that drew have ended)."""
    _refusing.clear()


def _kill(process: subprocess.Popen[bytes]) -> None:
    """Kill Graphviz and everything it started (its process group), without waiting."""
    import contextlib
    import signal

    with contextlib.suppress(OSError):
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows has no process groups of this kind
            process.kill()


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Kill Graphviz and everything it started, and reap it."""
    import contextlib

    _kill(process)
    with contextlib.suppress(Exception):
        process.communicate(timeout=5)


_MAGIC = {"png": (b"\x89PNG\r\n\x1a\n",), "pdf": (b"%PDF-",)}


def is_format(data: bytes, fmt: str) -> bool:
    """Whether `data` starts like a picture in `fmt`: the PNG signature, `%PDF-`, or an SVG document."""
    if fmt == "svg":
        head = data[:4096].lstrip()
        return head.startswith((b"<?xml", b"<svg", b"<!DOCTYPE svg", b"<!--")) and b"<svg" in data[:65536]
    return data.startswith(_MAGIC[fmt])


# Escape sequences (CSI, OSC and the like) and other characters that would steer a terminal or
# a log, and bidirectional overrides: what Graphviz (or a program posing as it) says is shown
# as plain text, and only so much of it.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_STEERING = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
STDERR_LIMIT = 4000  # characters


def graphviz_said(stderr: bytes) -> str:
    """Graphviz's standard error as plain lines: no escape sequences or control characters, at most 4,000 characters."""
    text = _ANSI.sub("", stderr[: STDERR_LIMIT * 4].decode("utf-8", "replace"))
    text = _STEERING.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text if len(text) <= STDERR_LIMIT else text[:STDERR_LIMIT] + "…"


def fixed_pdf_dates(data: bytes) -> bytes:
    """Cairo stamps a PDF with the time it was drawn; put a fixed date there instead, of the same length.

    The date is SOURCE_DATE_EPOCH when set (reproducible builds), else 1970-01-01 00:00:00 UTC.
    Keeping the byte length keeps the cross-reference table's offsets right.
    """
    stamp = "D:" + _source_date()

    def replace(match: re.Match[bytes]) -> bytes:
        old = match.group(1).decode("latin-1")
        new = stamp[: len(old)] + re.sub(r"\d", "0", re.sub(r"[+-]", "+", old[len(stamp) :]))
        start, end = match.span(1)
        whole = match.group(0)
        offset = match.start(0)
        return whole[: start - offset] + new.encode("latin-1") + whole[end - offset :]

    return _PDF_DATE.sub(replace, data)


def _source_date() -> str:
    """YYYYMMDDHHMMSS (UTC) from SOURCE_DATE_EPOCH, or the Unix epoch when it is unset or unusable."""
    import os
    import time

    try:
        moment = time.gmtime(max(0, int(os.environ.get("SOURCE_DATE_EPOCH", "0"))))
    except (ValueError, OverflowError, OSError):
        moment = time.gmtime(0)
    if not 0 < moment.tm_year <= 9999:
        moment = time.gmtime(0)
    return time.strftime("%Y%m%d%H%M%S", moment)


def size_warnings(dot_text: str, *, fmt: str, stderr: str) -> tuple[str, ...]:
    """Plain-language warnings about the size of the picture, then any other Graphviz warning."""
    found = _BB.search(dot_text)
    width_pt, height_pt = (
        (float(found.group(1)) + 2 * PAD_PT, float(found.group(2)) + 2 * PAD_PT) if found else (0.0, 0.0)
    )
    warnings: list[str] = []
    scaled = _SCALING.search(stderr)
    if fmt == "png" and (scaled or max(width_pt, height_pt) * PNG_DPI / 72 > PNG_LIMIT_PX):
        side, size = ("wide", width_pt) if width_pt >= height_pt else ("tall", height_pt)
        pixels = round(size * PNG_DPI / 72)
        factor = float(scaled.group(1)) if scaled else PNG_LIMIT_PX / pixels
        warnings.append(
            f"the picture is too large for PNG ({pixels:,} px {side}, the limit is {PNG_LIMIT_PX:,} px); "
            f"Graphviz scaled it down to {factor:.0%}, so the text is too small to read — use SVG for large blueprints"
        )
    if fmt == "pdf" and max(width_pt, height_pt) > PDF_LIMIT_PT:
        side, size = ("wide", width_pt) if width_pt >= height_pt else ("tall", height_pt)
        warnings.append(
            f"the picture is too large for PDF ({round(size):,} pt {side}, the limit is {PDF_LIMIT_PT:,} pt); "
            "many PDF viewers will not show it or will shrink it — use SVG for large blueprints"
        )
    for line in stderr.splitlines():
        line = line.strip()
        if line and not _SCALING.search(line):
            warnings.append(f"Graphviz: {line}")
    return tuple(warnings)
