"""The library's face: each stage of the pipeline as one function over typed values.

    path or text --load--> Blueprint --check--> [Finding]
    Blueprint, Blueprint --compare--> Comparison
    Blueprint --draw--> Drawing (DOT, SVG, PNG or PDF bytes)
    Comparison | Blueprint + [Finding] --html_report--> str
    [Item] --accept (a baseline)--> Accepted --formats--> text, JSON, SARIF, JUnit, GitHub, Markdown

The commands, the language server and the preview call these functions and nothing below them.
Nothing here prints or decides an exit code: invalid blueprints raise `BlueprintError` (located
diagnostics), other problems a user can fix raise a `failures.Failure` (or a `SourceError`,
`GitError`, `GraphvizError`, `BaselineError`), and `cli.main` turns them into messages.
Heavy modules are imported inside the functions that need them, so importing this one is cheap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from blueprint_cli.checks import Finding, Rule
    from blueprint_cli.compare.result import Comparison
    from blueprint_cli.formats.items import Item
    from blueprint_cli.language.errors import Diagnostic
    from blueprint_cli.language.model import Blueprint
    from blueprint_cli.render.graphviz import Drawing

STDIN = "-"


def shown_name(path: str) -> str:
    """How a path is named in messages: standard input is `<stdin>`; a name that is not UTF-8 shows '\ufffd'."""
    from blueprint_cli.language.source import display_path

    return "<stdin>" if path == STDIN else display_path(path)


# ---------------------------------------------------------------- load


def load(path: str, *, rev: str | None = None) -> Blueprint:
    """Read, parse and resolve a blueprint file (and its includes); `rev`: as it was at a git revision.

    Raises BlueprintError (every problem, located), SourceError (unreadable) or GitError.
    """
    if rev is not None:
        from blueprint_cli.language.gitrev import load_at_revision

        return load_at_revision(path, rev)
    from blueprint_cli.language.resolve import load as load_file

    return load_file(path)


def load_text(text: str, path: str = "<text>") -> Blueprint:
    """A blueprint from text in memory (an editor buffer); includes are read relative to the current folder."""
    from blueprint_cli.language.resolve import load_text as resolve_text

    return resolve_text(text, path)


@dataclass(frozen=True)
class Loaded:
    """One input file: its blueprint when valid, else every problem found in it."""

    path: str  # as shown to the user (`<stdin>` for standard input)
    blueprint: Blueprint | None = None
    diagnostics: tuple[Diagnostic, ...] = ()
    sources: Mapping[str, str] = field(default_factory=dict)  # path -> text, for excerpts under messages

    @property
    def valid(self) -> bool:
        return self.blueprint is not None


def try_load(path: str) -> Loaded:
    """Like `load`, but an invalid or unreadable file gives its diagnostics instead of raising."""
    from blueprint_cli.language.errors import BlueprintError, Diagnostic
    from blueprint_cli.language.source import SourceError, Span
    from blueprint_cli.vocab import Severity

    shown = shown_name(path)
    try:
        return Loaded(shown, blueprint=load(path))
    except BlueprintError as error:
        return Loaded(shown, diagnostics=tuple(error.diagnostics), sources=error.sources)
    except SourceError as error:
        # A file-level problem has no line; a decoding problem has one.
        line, column = (error.line, error.column or 1) if error.line else (0, 0)
        span = Span(error.path, line, column, line, column + 1 if line else 0)
        return Loaded(shown, diagnostics=(Diagnostic("input", span, error.message, Severity.ERROR),))


# ---------------------------------------------------------------- check


@dataclass(frozen=True)
class Checked:
    """One checked file: what loading it gave, and the rules' findings when it was valid."""

    loaded: Loaded
    findings: tuple[Finding, ...] = ()

    @property
    def path(self) -> str:
        return self.loaded.path

    @property
    def valid(self) -> bool:
        return self.loaded.valid

    @property
    def blueprint(self) -> Blueprint | None:
        return self.loaded.blueprint

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return self.loaded.diagnostics


def check(
    blueprint: Blueprint, *, select: Iterable[str] = (), ignore: Iterable[str] = (), max_assumed: float = 0.5
) -> list[Finding]:
    """The findings of the rules (BP101...) on a valid blueprint. Raises UsageError for an unknown rule."""
    from blueprint_cli import checks

    return checks.run(blueprint, chosen=_rules(select, ignore), options=checks.Options(max_assumed=max_assumed))


def check_files(
    paths: Iterable[str], *, select: Iterable[str] = (), ignore: Iterable[str] = (), max_assumed: float = 0.5
) -> list[Checked]:
    """Load and check every file; an invalid file is reported in its result, never raised."""
    from blueprint_cli import checks

    chosen = _rules(select, ignore)
    options = checks.Options(max_assumed=max_assumed)
    results = []
    for path in paths:
        loaded = try_load(path)
        found = checks.run(loaded.blueprint, chosen=chosen, options=options) if loaded.blueprint else []
        results.append(Checked(loaded, tuple(found)))
    return results


def _rules(select: Iterable[str], ignore: Iterable[str]) -> tuple[Rule, ...]:
    from blueprint_cli import checks
    from blueprint_cli.failures import UsageError

    try:
        return checks.select(include=select, exclude=ignore)
    except checks.SelectionError as error:
        raise UsageError(str(error)) from None


# ---------------------------------------------------------------- compare


def compare(intended: Blueprint, observed: Blueprint) -> Comparison:
    """Every drift between an intended and an observed version of a service."""
    from blueprint_cli.compare import compare as compare_versions

    return compare_versions(intended, observed)


# ---------------------------------------------------------------- draw


def draw(blueprint: Blueprint, fmt: str, *, timeout: float = 60.0) -> Drawing:
    """The swimlane diagram in `fmt` (svg, png, pdf, dot); only `dot` works without Graphviz."""
    from blueprint_cli.render import render_drawing

    return render_drawing(blueprint, fmt, timeout=timeout)


# ---------------------------------------------------------------- report


def compare_report(comparison: Comparison, *, generated: str | None = None, timeout: float = 60.0) -> str:
    """The self-contained HTML report of a comparison (runs Graphviz, `timeout` seconds per diagram)."""
    from blueprint_cli.report.build import render_compare_report, svg_renderer

    return render_compare_report(comparison, generated=generated, to_svg=svg_renderer(timeout))


def single_report(
    blueprint: Blueprint, findings: list[Finding], *, generated: str | None = None, timeout: float = 60.0
) -> str:
    """The self-contained HTML report of one blueprint and its findings (runs Graphviz, `timeout` seconds per diagram)."""
    from blueprint_cli.report.build import render_single_report, svg_renderer

    return render_single_report(blueprint, findings, generated=generated, to_svg=svg_renderer(timeout))


# ---------------------------------------------------------------- items and baselines


@dataclass(frozen=True)
class Accepted:
    """Items marked new or accepted by a baseline, and the baseline's entries no longer found."""

    items: list[Item]
    resolved: list[Item]
    with_baseline: bool

    @property
    def new(self) -> list[Item]:
        return [i for i in self.items if i.status == "new"]


def accept(items: list[Item], *, command: str, baseline: str | None, write_baseline: str | None) -> Accepted:
    """Mark the items a baseline accepts; write every item into a new baseline when asked.

    Raises BaselineError when the baseline cannot be read, WriteError when it cannot be written.
    """
    from blueprint_cli.formats import baseline as baselines

    resolved: list[Item] = []
    if baseline:
        items, resolved = baselines.apply(items, baselines.load(baseline, command=command))
    if write_baseline:
        baselines.write(write_baseline, items, command=command)
    return Accepted(items, resolved, with_baseline=bool(baseline))
