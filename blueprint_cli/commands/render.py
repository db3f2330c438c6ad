"""`blueprint render FILE... [-o PATH] [--format svg|png|pdf|dot] [--wrap-stages N|auto] [--watch]`: swimlane diagrams."""

import os
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from blueprint_cli.console import esc as _esc
from blueprint_cli.console import quiet
from blueprint_cli.exit_codes import Outcome

if TYPE_CHECKING:
    from blueprint_cli.language.model import Blueprint
    from blueprint_cli.render import Wrap


class RenderFormat(str, Enum):
    svg = "svg"
    png = "png"
    pdf = "pdf"
    dot = "dot"


def register(app: typer.Typer) -> None:
    app.command("render")(render)


def render(
    files: Annotated[
        list[str],
        typer.Argument(
            help="Blueprint files, or folders to search for *.blueprint ('-' reads standard input).",
            show_default=False,
            metavar="PATH...",
        ),
    ],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Output file (one input; '-' writes to standard output) or folder (several inputs). Default: next to each input.",
        ),
    ] = None,
    format: Annotated[
        RenderFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Picture format (default: from the -o file name, else svg); 'dot' needs no Graphviz.",
            show_default=False,
        ),
    ] = None,
    watch: Annotated[
        bool, typer.Option("--watch", "-w", help="Render again whenever a file (or a file it includes) changes.")
    ] = False,
    timeout: Annotated[
        float | None,
        typer.Option("--timeout", help="Seconds Graphviz may take per diagram [default: 60].", show_default=False),
    ] = None,
    wrap_stages: Annotated[
        str | None,
        typer.Option(
            "--wrap-stages",
            help="Draw the stages in bands one under another: N stages per band, or 'auto' (bands that read on a "
            "landscape A3 page). Flows between bands end at labelled connectors; a PDF gets a page per band.",
            metavar="N|auto",
            show_default=False,
        ),
    ] = None,
) -> Outcome:
    """Render blueprints as swimlane diagrams (SVG, PNG, PDF or Graphviz DOT)."""
    from blueprint_cli.commands.common import (
        check_number,
        configured,
        found_files,
        read_stdin_once,
        refuse_overwriting_inputs,
    )
    from blueprint_cli.failures import UsageError

    files = found_files("render", files)
    read_stdin_once(files)
    folder = configured("render", "output", None, None)
    if output is None and folder is not None:
        output = os.path.join(folder, "")  # the configuration's output is a folder
    requested = configured("render", "format", format.value if format is not None else None, None)
    timeout = configured("render", "timeout", timeout, 60.0)
    check_number(timeout, option="--timeout", low=0.0, high=86400.0, low_open=True)
    wrap = parse_wrap(configured("render", "wrap-stages", wrap_stages, None))
    fmt, problem = choose_format(files, output=output, requested=requested)
    if problem is None:
        problem = usage_problem(files, output=output, watch=watch)
    if problem is not None:
        raise UsageError(problem)
    targets = output_paths(files, output=output, fmt=fmt)
    if targets is None:
        raise UsageError(f"-o {output or ''} is a file, but {len(files)} inputs need a folder")
    refuse_overwriting_inputs([str(t) if t is not None else None for t in targets], files)
    clash = clashing_outputs(files, targets)
    if clash is not None:
        raise UsageError(clash)
    all_drawn, watched = render_all(files, targets, fmt=fmt, timeout=timeout, wrap=wrap)
    if watch:
        watch_loop(files, targets, fmt=fmt, timeout=timeout, watched=watched, wrap=wrap)
        return Outcome()
    return Outcome(invalid=not all_drawn)


SUPPORTED = ", ".join(f.value for f in RenderFormat)


def parse_wrap(value: object) -> "Wrap":
    """`--wrap-stages` (or the configuration's `wrap-stages`): a whole number from 1, or 'auto'."""
    from blueprint_cli.failures import UsageError

    if value is None or value == "auto":
        return "auto" if value == "auto" else None
    text = str(value).strip()
    if isinstance(value, int) and not isinstance(value, bool):
        number: int | None = value
    else:
        number = int(text) if text.isdigit() and text.isascii() else None
    if number is None or not 1 <= number <= 10_000:
        raise UsageError(f"--wrap-stages must be a whole number of stages per band (1 or more) or 'auto', not {text!r}")
    return number


def choose_format(files: list[str], *, output: str | None, requested: str | None) -> tuple[str, str | None]:
    """The format to write and, when the -o name and --format disagree or say nothing, the problem.

    `-o picture.png` means PNG; `-o picture.jpg` (an extension we cannot write) or `-o picture`
    without --format is an error rather than SVG bytes under a misleading name, and so is
    `-o picture.png --format svg`.
    """
    default = requested or RenderFormat.svg.value
    if output is None or output == "-" or len(files) != 1 or _is_folder(output):
        return default, None
    suffix = Path(output).suffix.lower().lstrip(".")
    known = {f.value for f in RenderFormat}
    if suffix in known:
        if requested is not None and requested != suffix:
            return default, f"-o {output} ends in .{suffix} but --format is {requested}; make them agree"
        return suffix, None
    if requested is not None:
        return requested, None
    named = f"the extension .{suffix}" if suffix else "no extension"
    return default, (
        f"-o {output} has {named}, so the picture format is unclear; supported formats: {SUPPORTED} "
        f"(name the file .svg, .png, .pdf or .dot, or give --format)"
    )


def usage_problem(files: list[str], *, output: str | None, watch: bool) -> str | None:
    """Combinations of inputs and -o that cannot work, described for the user."""
    if "-" in files and (output is None or _is_folder(output)):
        return "reading a blueprint from standard input needs -o FILE (or -o - to write the picture to standard output)"
    if output == "-" and len(files) != 1:
        return f"-o - writes one picture to standard output, but {len(files)} inputs were given"
    if watch and "-" in files:
        return "--watch cannot watch standard input"
    if watch and output == "-":
        return "--watch cannot write to standard output; give -o FILE"
    return None


def _is_folder(output: str) -> bool:
    return Path(output).is_dir() or output.endswith(("/", "\\"))


def output_paths(files: list[str], *, output: str | None, fmt: str) -> list[Path | None] | None:
    """Where each input's picture goes (None: standard output); None when -o names a file for several inputs."""

    def default_name(path: str) -> str:
        name = Path(path).name
        return (name[: -len(".blueprint")] if name.endswith(".blueprint") else name) + f".{fmt}"

    if output == "-":
        return [None]
    if output is None:
        return [Path(f).with_name(default_name(f)) for f in files]
    target = Path(output)
    folder = _is_folder(output) or (len(files) > 1 and not target.suffix)
    if folder:
        return [target / default_name(f) for f in files]
    if len(files) > 1:
        return None
    return [target]


def clashing_outputs(files: list[str], targets: list[Path | None]) -> str | None:
    """A message when two inputs would write the same picture file (the second would overwrite the first)."""
    import os

    first_input: dict[str, str] = {}
    for path, target in zip(files, targets, strict=False):
        if target is None:
            continue
        key = os.path.normcase(os.path.abspath(target))
        if key in first_input:
            return (
                f"{first_input[key]} and {path} would both be written to {target}; "
                "render them into different folders or one at a time with -o FILE"
            )
        first_input[key] = path
    return None


def render_all(
    files: list[str], targets: list[Path | None], *, fmt: str, timeout: float, wrap: "Wrap" = None
) -> tuple[bool, dict[str, list[str]]]:
    """Render every file; returns whether all were drawn and, per input, the files it read."""
    from blueprint_cli.console import err

    invalid = False
    watched: dict[str, list[str]] = {}
    if len(files) > 1 and err().is_terminal:
        from rich.progress import Progress

        with Progress(console=err(), transient=True) as progress:
            task = progress.add_task("rendering", total=len(files))
            for path, target in zip(files, targets, strict=False):
                progress.update(task, description=f"rendering {_esc(Path(path).name)}")
                ok, read = render_one(path, target, fmt=fmt, timeout=timeout, wrap=wrap)
                invalid |= not ok
                watched[path] = read
                progress.advance(task)
    else:
        for path, target in zip(files, targets, strict=False):
            ok, read = render_one(path, target, fmt=fmt, timeout=timeout, wrap=wrap)
            invalid |= not ok
            watched[path] = read
    return not invalid, watched


def render_one(
    path: str, target: Path | None, *, fmt: str, timeout: float, wrap: "Wrap" = None
) -> tuple[bool, list[str]]:
    """Draw one file and write its picture; a problem is printed and the next file is drawn."""
    from blueprint_cli import pipeline
    from blueprint_cli.atomic import WriteError
    from blueprint_cli.console import print_failure, print_invalid, print_message
    from blueprint_cli.render import GraphvizError

    loaded = pipeline.try_load(path)
    if loaded.fragment is not None:
        if quiet():
            return True, [path]
        print_message(
            path,
            "an include fragment (shared declarations, no 'blueprint' line): nothing to draw on its own; skipped",
            severity="note",
        )
        return True, [path]
    if loaded.blueprint is None:
        print_invalid(loaded.path, loaded.diagnostics, loaded.sources)
        return False, sorted({path, *(p for p in loaded.sources if p != loaded.path)})
    read = list(loaded.blueprint.includes) or [path]
    _warn_if_too_large(loaded.blueprint, path)
    try:
        drawing = pipeline.draw(loaded.blueprint, fmt, timeout=timeout, wrap_stages=wrap)
    except GraphvizError as error:
        print_message(path, str(error))
        return False, read
    for warning in drawing.warnings:
        print_message(path, warning, severity="warning")
    try:
        _write(drawing.data, target, shown=loaded.path)
    except WriteError as error:
        print_failure(error)
        return False, read
    return True, read


def _warn_if_too_large(blueprint: "Blueprint", path: str) -> None:
    from blueprint_cli.console import print_message
    from blueprint_cli.render import too_large

    advice = too_large(blueprint)
    if advice is not None:
        print_message(path, advice, severity="warning")


def _write(data: bytes, target: Path | None, *, shown: str) -> None:
    from blueprint_cli.atomic import write_atomic
    from blueprint_cli.console import print_out, safe

    if target is None:
        import sys

        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    write_atomic(target, data)
    if not quiet():
        print_out(
            f"✓ {safe(shown)} → {safe(str(target))}", lambda: f"[bold green]✓[/] {_esc(shown)} → {_esc(str(target))}"
        )


def watch_loop(
    files: list[str],
    targets: list[Path | None],
    *,
    fmt: str,
    timeout: float,
    watched: dict[str, list[str]],
    wrap: "Wrap" = None,
) -> None:
    """Poll modification times and re-render an input when it or one of its includes changes."""
    import time

    from blueprint_cli.console import err

    def stamps(paths: list[str]) -> tuple[int | None, ...]:
        result: list[int | None] = []
        for p in paths:
            try:
                result.append(Path(p).stat().st_mtime_ns)
            except OSError:
                result.append(None)
        return tuple(result)

    seen = {f: stamps(watched.get(f, [f])) for f in files}
    err().print("[dim]watching for changes; Ctrl+C to stop[/]")
    try:
        while True:
            time.sleep(0.5)
            for path, target in zip(files, targets, strict=False):
                now = stamps(watched.get(path, [path]))
                if now != seen[path]:
                    ok, read = render_one(path, target, fmt=fmt, timeout=timeout, wrap=wrap)
                    # A failed load may not have reached every include: keep watching the ones known.
                    watched[path] = read if ok else sorted(set(read) | set(watched.get(path, [])))
                    seen[path] = stamps(watched[path])
    except KeyboardInterrupt:
        return
