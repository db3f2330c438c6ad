"""The one place that runs Graphviz: `neato -n2` on our pinned DOT, with a time limit."""

from __future__ import annotations

import shutil
import subprocess

FORMATS = ("svg", "png", "pdf")
INSTALL_HINT = (
    "Graphviz is not installed (the 'neato' program from Graphviz was not found on PATH). "
    "Install it with 'sudo apt-get install graphviz' (Debian/Ubuntu), 'sudo dnf install graphviz' (Fedora), "
    "'brew install graphviz' (macOS) or 'winget install graphviz' (Windows), or from https://graphviz.org/download/; "
    "'--format dot' works without it."
)


class GraphvizError(Exception):
    """Graphviz is missing, failed or took too long; the message says what to do."""


def run_graphviz(dot_text: str, *, fmt: str, timeout: float = 60.0) -> bytes:
    """Lay out and draw pinned DOT with `neato -n2`; return the bytes of the picture."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown Graphviz output format {fmt!r}; expected one of {', '.join(FORMATS)}")
    program = shutil.which("neato")
    if program is None:
        raise GraphvizError(INSTALL_HINT)
    device = {"png": "png:cairo", "pdf": "pdf:cairo", "svg": "svg"}[fmt]
    try:
        done = subprocess.run(
            [program, "-n2", f"-T{device}"],
            input=dot_text.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise GraphvizError(f"Graphviz took longer than {timeout:g} s and was stopped") from None
    except OSError as error:
        raise GraphvizError(f"could not run Graphviz ({program}): {error}") from None
    if done.returncode != 0 or not done.stdout:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit status {done.returncode}"
        raise GraphvizError(f"Graphviz failed: {message}")
    return done.stdout
