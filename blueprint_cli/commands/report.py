"""`blueprint report INTENDED OBSERVED -o report.html` (or one FILE): a self-contained HTML report."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from blueprint_cli.commands.options import RevOption, TimeoutOption
from blueprint_cli.console import esc as _escape
from blueprint_cli.console import quiet
from blueprint_cli.exit_codes import Outcome
from blueprint_cli.vocab import SEVERITY_ORDER
from blueprint_cli.words import plural

if TYPE_CHECKING:
    from blueprint_cli.language.model import Blueprint


def register(app: typer.Typer) -> None:
    app.command("report")(report)


def report(
    files: Annotated[
        list[str],
        typer.Argument(
            help="INTENDED OBSERVED to compare them, or one FILE ('-' reads standard input and needs -o).",
            show_default=False,
            metavar="INTENDED [OBSERVED]",
        ),
    ],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="The HTML file to write (default: next to the first input, ending .report.html; '-' writes to standard output).",
        ),
    ] = None,
    mapping: Annotated[
        str | None,
        typer.Option(
            "--mapping", "-m", help="With INTENDED LOG: the mapping file (TOML) from the log to the blueprint."
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Overwrite the output file even when it is not a report made by blueprint-cli."),
    ] = False,
    rev: RevOption = None,
    timeout: TimeoutOption = 60.0,
) -> Outcome:
    """Write one self-contained HTML page: the gap between an intended and an observed blueprint, or one blueprint on its own.

    A folder (or, with --rev, several paths) gives one page per blueprint in it (that changed since REV).
    """
    from blueprint_cli.commands.common import check_number, configured

    check_number(timeout, option="--timeout", low=0.0, high=86400.0, low_open=True)
    folder = configured("report", "output", None, None)
    if (len(files) > 1 and rev is not None) or (len(files) == 1 and os.path.isdir(files[0])):
        from blueprint_cli.commands.report_many import Page, reports

        page = Page(make=make, beside=default_output, problem=output_problem)
        return reports(files, rev=rev, folder=output or folder, force=force, page=page)
    if output is None and folder is not None and "-" not in files:
        output = str(Path(folder) / default_output(files[0]).name)
    target = _target(files, output=output, force=force)
    make(files, rev=rev, target=target, mapping=mapping, timeout=timeout)
    return Outcome()


def make(
    files: list[str], *, rev: str | None, target: Path | None, mapping: str | None = None, timeout: float = 60.0
) -> None:
    """Load, draw and write one report; raises what a user can fix."""
    import shutil

    from blueprint_cli.failures import Failure

    try:
        generated = generated_at(os.environ.get("SOURCE_DATE_EPOCH"))
    except ValueError as error:
        raise Failure(str(error)) from None
    log_given = len(files) == 2 and is_log(files[1])
    blueprints = _load(files[:1], rev=None) if log_given else _load(files, rev=rev)
    if shutil.which("neato") is None:
        raise Failure(GRAPHVIZ_NEEDED)
    _warn_if_too_large(blueprints)
    from blueprint_cli.render import GraphvizError

    try:
        if log_given:
            html, summary = _conformance_report(
                blueprints[0], files[1], mapping=mapping, generated=generated, timeout=timeout
            )
        elif len(blueprints) == 2:
            html, summary = _compare_report(*blueprints, generated=generated, timeout=timeout)
        else:
            html, summary = _single_report(blueprints[0], generated=generated, timeout=timeout)
    except GraphvizError as error:
        raise Failure(f"cannot draw the diagram: {error}") from None
    _write(html, target, summary=summary)


def _load(files: list[str], *, rev: str | None) -> list[Blueprint]:
    """The blueprints to report on: the files given, or one file at a revision and now."""
    from blueprint_cli import pipeline
    from blueprint_cli.commands.common import load_all
    from blueprint_cli.failures import UsageError

    if rev is None:
        return load_all(files)
    if len(files) != 1 or files[0] == "-":
        raise UsageError("with --rev give exactly one FILE (it is compared with its version at REV)")
    return [pipeline.load(files[0], rev=rev), *load_all(files)]


def _warn_if_too_large(blueprints: list[Blueprint]) -> None:
    """Say before the long wait when the report's diagrams are too large to be useful."""
    from blueprint_cli.console import print_message
    from blueprint_cli.render import too_large

    for blueprint in blueprints:
        advice = too_large(blueprint)
        if advice is not None:
            print_message(blueprint.path or None, advice, severity="warning")


def _target(files: list[str], *, output: str | None, force: bool) -> Path | None:
    """Where the page goes (None: standard output); raises UsageError for what cannot work."""
    from blueprint_cli.failures import UsageError

    if any(os.path.isdir(f) for f in files):
        raise UsageError("give one FOLDER (a page per blueprint), or folders with --rev REV; a pair is two files")
    if len(files) not in (1, 2):
        raise UsageError("give two files (INTENDED OBSERVED) or one FILE")
    if files.count("-") > 1:
        raise UsageError("only one blueprint can come from standard input ('-')")
    if "-" in files and not output:
        raise UsageError(
            "reading a blueprint from standard input needs -o FILE (or -o - to write the page to standard output)"
        )
    if output == "-":
        return None
    target = Path(output) if output else default_output(files[0])
    problem = output_problem(target, inputs=files, force=force)
    if problem:
        raise UsageError(problem)
    return target


def _write(html: str, target: Path | None, *, summary: str) -> None:
    from blueprint_cli.atomic import write_atomic
    from blueprint_cli.console import err, out

    if target is None:
        import sys

        sys.stdout.write(html)
        sys.stdout.flush()
        if not quiet():
            err().print(f"[bold green]✓[/] wrote the report to standard output — {summary}")
        return
    write_atomic(target, html)
    if not quiet():
        out().print(f"[bold green]✓[/] wrote {_escape(str(target))} — {summary}")


GRAPHVIZ_NEEDED = (
    "the report draws the blueprint diagram with Graphviz, which is not installed (its 'neato' program is not on PATH). "
    "Install Graphviz with 'sudo apt-get install graphviz' (Debian/Ubuntu), 'sudo dnf install graphviz' (Fedora), "
    "'brew install graphviz' (macOS) or 'winget install graphviz' (Windows), or from https://graphviz.org/download/, "
    "then run 'blueprint report' again. Until then, 'blueprint diff' and 'blueprint check' give the findings as text."
)
GENERATOR_MARK = b'<meta name="generator" content="blueprint-cli'
_SNIFF_BYTES = 4096  # the mark sits in <head>, well within the first few hundred bytes


def is_our_report(path: Path) -> bool:
    """Whether an existing file is a report that blueprint-cli wrote.

    Ours start with the doctype and carry `<meta name="generator" content="blueprint-cli ...">` in
    the <head>, before any comment: the words in somebody's comment or text do not count.
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError:
        return False
    if not head.startswith(b"<!DOCTYPE html>"):
        return False
    before = head.split(b"</head>", 1)[0].split(b"<!--", 1)[0]
    return GENERATOR_MARK in before


def output_problem(target: Path, *, inputs: list[str], force: bool) -> str | None:
    """Why the report must not be written to `target`, or None: never over a source, a folder or somebody's own file."""
    if target.name.lower().endswith(".blueprint"):
        return f"{target} looks like a blueprint source file; the report is HTML, so give an -o name ending .html"
    if target.is_dir():
        return f"{target} is a folder; give a file name such as {target / 'report.html'}"
    if any(i != "-" and _same_file(target, Path(i)) for i in inputs):
        return f"{target} is one of the input files; give another -o name"
    if target.exists() and not force and not is_our_report(target):
        return f"{target} already exists and is not a report made by blueprint-cli; choose another -o name, or add --force to overwrite it"
    return None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


def _compare_report(
    intended: Blueprint, observed: Blueprint, *, generated: str | None, timeout: float
) -> tuple[str, str]:
    from blueprint_cli import pipeline

    comparison = pipeline.compare(intended, observed)
    counts = comparison.counts()
    summary = ", ".join(plural(counts[s], s) for s in SEVERITY_ORDER)
    return pipeline.compare_report(comparison, generated=generated, timeout=timeout), summary


def is_log(path: str) -> bool:
    """An event log (for a conformance report) rather than an observed blueprint."""
    return path.lower().endswith((".csv", ".xes", ".xes.gz", ".parquet"))


def _conformance_report(
    intended: Blueprint, log: str, *, mapping: str | None, generated: str | None, timeout: float = 60.0
) -> tuple[str, str]:
    from blueprint_cli import pipeline
    from blueprint_cli.console import print_message
    from blueprint_cli.evidence.conform_report import report_section

    result, warnings = pipeline.conform(intended, log, mapping=mapping)
    for warning in warnings:
        print_message(None, warning, severity="warning")
    counts = result.comparison.counts()
    fitness = result.fitness
    summary = ", ".join(plural(counts[s], s) for s in SEVERITY_ORDER) + (
        f"; {fitness['fitting_cases']} of {fitness['cases']} cases fit the plan"
    )
    html = pipeline.compare_report(
        result.comparison, generated=generated, conformance=report_section(result), timeout=timeout
    )
    return html, summary


def _single_report(blueprint: Blueprint, *, generated: str | None, timeout: float) -> tuple[str, str]:
    from blueprint_cli import pipeline

    findings = pipeline.check(blueprint)
    return pipeline.single_report(blueprint, findings, generated=generated, timeout=timeout), plural(
        len(findings), "finding"
    )


def default_output(first: str) -> Path:
    """`x.intended.blueprint` -> `x.report.html` beside it (standard input always needs -o)."""
    path = Path(first)
    name = path.name
    for suffix in (".intended.blueprint", ".observed.blueprint", ".blueprint"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return path.with_name(f"{name}.report.html")


def generated_at(epoch: str | None) -> str | None:
    """The build time to print, only when SOURCE_DATE_EPOCH asks for one (reproducible builds)."""
    if epoch is None or epoch.strip() == "":
        return None
    from datetime import datetime, timezone

    try:
        moment = datetime.fromtimestamp(int(epoch.strip()), tz=timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise ValueError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not {epoch!r}") from None
    return moment.strftime("%Y-%m-%d %H:%M UTC")
