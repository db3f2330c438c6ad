"""The library's face: each stage of the pipeline as one function over typed values.

    path or text --load--> Blueprint --check--> [Finding]
    Blueprint, Blueprint --compare--> Comparison
    Blueprint --draw--> Drawing (DOT, SVG, PNG or PDF bytes)
    Comparison | Blueprint + [Finding] --html_report--> str
    paths --architecture--> Architecture --map_facts--> Facts --map_page / map_json / ...--> str
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
    from blueprint_cli.architecture.build import Architecture
    from blueprint_cli.architecture.facts import Facts
    from blueprint_cli.checks import Finding, Rule
    from blueprint_cli.compare.result import Comparison
    from blueprint_cli.evidence.conform import Conformance
    from blueprint_cli.formats.items import Item
    from blueprint_cli.fragments import Fragment
    from blueprint_cli.interop.importer import Imported
    from blueprint_cli.language.errors import Diagnostic
    from blueprint_cli.language.model import Blueprint
    from blueprint_cli.render.bands import Wrap
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
        from blueprint_cli.revision import load_at_revision

        return load_at_revision(path, rev)
    from blueprint_cli.language.resolve import load as load_file

    return load_file(path)


def load_text(
    text: str, path: str = "<text>", *, base: str | None = None, unsaved: Mapping[str, str] | None = None
) -> Blueprint:
    """A blueprint from text in memory (an editor buffer); includes are read relative to the folder
    `base` (the buffer's file's folder), by default the current folder, and taken from `unsaved`
    (texts by absolute path: the editor's other open buffers) before the disk."""
    from blueprint_cli.language.resolve import load_text as resolve_text

    if base is None and not unsaved:
        return resolve_text(text, path)
    from pathlib import Path

    from blueprint_cli.language.resolve import load_source
    from blueprint_cli.language.source import from_text

    folder = Path(base) if base is not None else Path.cwd()
    return load_source(from_text(path, text), base=folder, unsaved=unsaved)


@dataclass(frozen=True)
class Loaded:
    """One input file: its blueprint when valid, else every problem found in it."""

    path: str  # as shown to the user (`<stdin>` for standard input)
    blueprint: Blueprint | None = None
    diagnostics: tuple[Diagnostic, ...] = ()
    sources: Mapping[str, str] = field(default_factory=dict)  # path -> text, for excerpts under messages
    fragment: Fragment | None = None  # a valid include fragment (shared declarations, no `blueprint` line)

    @property
    def valid(self) -> bool:
        return self.blueprint is not None or self.fragment is not None


def try_load(path: str) -> Loaded:
    """Like `load`, but an invalid or unreadable file gives its diagnostics instead of raising."""
    from blueprint_cli.fragments import is_fragment, load_fragment
    from blueprint_cli.language.errors import BlueprintError, Diagnostic
    from blueprint_cli.language.source import SourceError, Span
    from blueprint_cli.vocab import Severity

    shown = shown_name(path)
    try:
        try:
            return Loaded(shown, blueprint=load(path))
        except BlueprintError:
            if path == STDIN or not is_fragment(path):
                raise
        # An include fragment: checked as a blueprint beside it would read it.
        return Loaded(shown, fragment=load_fragment(path))
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

    @property
    def fragment(self) -> bool:
        """A valid include fragment (declarations only): checked, no rules run."""
        return self.loaded.fragment is not None


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


def draw(blueprint: Blueprint, fmt: str, *, timeout: float = 60.0, wrap_stages: Wrap = None) -> Drawing:
    """The swimlane diagram in `fmt` (svg, png, pdf, dot); only `dot` works without Graphviz.

    `wrap_stages`: N stages per band, or "auto" (bands that fit a landscape A3 page), the bands
    one under another; a PDF then has a page per band. None: one wide picture.
    """
    from blueprint_cli.render import render_drawing

    return render_drawing(blueprint, fmt, timeout=timeout, wrap_stages=wrap_stages)


# ---------------------------------------------------------------- report


def compare_report(
    comparison: Comparison,
    *,
    generated: str | None = None,
    conformance: dict[str, object] | None = None,
    timeout: float = 60.0,
) -> str:
    """The self-contained HTML report of a comparison (runs Graphviz, `timeout` seconds per diagram);
    `conformance` adds that section."""
    from blueprint_cli.report.build import render_compare_report, svg_renderer

    return render_compare_report(comparison, generated=generated, conformance=conformance, to_svg=svg_renderer(timeout))


def single_report(
    blueprint: Blueprint, findings: list[Finding], *, generated: str | None = None, timeout: float = 60.0
) -> str:
    """The self-contained HTML report of one blueprint and its findings (runs Graphviz, `timeout` seconds per diagram)."""
    from blueprint_cli.report.build import render_single_report, svg_renderer

    return render_single_report(blueprint, findings, generated=generated, to_svg=svg_renderer(timeout))


# ---------------------------------------------------------------- map (service architecture)


def architecture(paths: Iterable[str]) -> Architecture:
    """The journeys in these files and folders (fragments skipped), paired and compared; bad files left out.

    A file that does not load is not raised: it is in `left_out` with its located problems, and a
    finding says it is missing from the map. Raises Failure when a path names nothing.
    """
    from blueprint_cli.architecture.build import LeftOut, build
    from blueprint_cli.architecture.inputs import collect
    from blueprint_cli.failures import Failure

    inputs = collect(paths)
    if inputs.missing:
        raise Failure("no such file or folder: " + ", ".join(inputs.missing))
    if not inputs.journeys and not inputs.fragments:
        raise Failure("no .blueprint files found in " + ", ".join(paths))
    blueprints = []
    left_out = []
    for path in inputs.journeys:
        loaded = try_load(path)
        if loaded.blueprint is not None:
            blueprints.append(loaded.blueprint)
        else:
            left_out.append(LeftOut(loaded.path, loaded.diagnostics, loaded.sources))
    return build(blueprints, left_out=left_out, fragments=inputs.fragments)


def map_facts(architecture: Architecture) -> Facts:
    """Outcomes, organisations, systems, joins and data across the journeys of an architecture."""
    from blueprint_cli.architecture.facts import derive

    return derive(architecture)


def map_json(architecture: Architecture, facts: Facts) -> str:
    """`blueprint map --format json` (journeys, orgs, systems, joins, data, outcomes, matrix, findings)."""
    from blueprint_cli.architecture.json_out import dumps

    return dumps(architecture, facts)


def map_markdown(architecture: Architecture, facts: Facts) -> str:
    """A compact summary of the architecture for a pull request or a wiki page."""
    from blueprint_cli.architecture.markdown import to_markdown

    return to_markdown(architecture, facts)


def map_diagram(facts: Facts, fmt: str, *, timeout: float = 60.0) -> bytes:
    """The overview diagram (journeys, organisations and the joins between them) as svg, png or dot."""
    from blueprint_cli.architecture.overview import draw_overview

    return draw_overview(facts, fmt, timeout=timeout)


def map_page(architecture: Architecture, facts: Facts, *, generated: str | None = None) -> str:
    """The self-contained HTML page of the architecture, every journey's blueprint one click away (runs Graphviz)."""
    from blueprint_cli.architecture.page import render_page

    return render_page(architecture, facts, generated=generated)


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


# ---------------------------------------------------------------- evidence from event logs


def observe(
    log: str,
    *,
    mapping: str | None = None,
    against: str | None = None,
    output_format: str = "json",
    strict: bool = False,
    timezone: str | None = None,
    columns: Mapping[str, str] | None = None,
    aggregates: bool = False,
) -> tuple[str, list[str]]:
    """The figures of an event log (`json`) or the observed blueprint it gives (`blueprint`), and warnings.

    Raises `evidence.errors.EvidenceError` (a Failure, located) for a bad log, mapping or flag.
    """
    from blueprint_cli.evidence.run import ObserveRequest, run_observe

    request = ObserveRequest(
        log=log,
        mapping=mapping,
        against=against,
        format=output_format,
        strict=strict,
        timezone=timezone,
        columns=dict(columns or {}),
        aggregates=aggregates,
    )
    return run_observe(request)


def conform(
    intended: Blueprint, log: str, *, mapping: str | None = None, timezone: str | None = None, strict: bool = False
) -> tuple[Conformance, list[str]]:
    """The intended blueprint measured against an event log: drift, replay fitness, targets; and warnings."""
    from blueprint_cli.evidence.conform import conformance
    from blueprint_cli.evidence.run import bad_row_warnings, load_request_mapping

    result = conformance(log, intended, load_request_mapping(mapping, timezone, {}))
    return result, bad_row_warnings(result.log["bad_rows"], strict=strict)


def aggregation_sql(dialect: str = "duckdb") -> str:
    """The aggregation of `observe` as one SQL query over a table `events`, in `dialect` (evidence/sql.py)."""
    from blueprint_cli.evidence.sql import query

    return query(dialect)


# ---------------------------------------------------------------- other tools' formats

EXPORT_FORMATS = ("json", "text", "csv", "mermaid", "plantuml")


def export(blueprint: Blueprint, fmt: str) -> str:
    """The blueprint as `json` (the schema), `text` (canonical source), `csv` (the long table), `mermaid` or `plantuml`."""
    if fmt == "json":
        from blueprint_cli.language.export import dumps

        return dumps(blueprint)
    if fmt == "text":
        from blueprint_cli.language.export import to_text

        return to_text(blueprint)
    if fmt == "csv":
        from blueprint_cli.interop.long_table import to_csv

        return to_csv(blueprint)
    if fmt == "mermaid":
        from blueprint_cli.interop.mermaid import to_mermaid

        return to_mermaid(blueprint)
    if fmt == "plantuml":
        from blueprint_cli.interop.plantuml import to_plantuml

        return to_plantuml(blueprint)
    raise ValueError(f"unknown export format {fmt!r}")


def import_spreadsheet(
    path: str, *, sheet: str | None = None, title: str | None = None, flows: bool = True
) -> Imported:
    """A CSV file or .xlsx workbook (the long table or the designer's grid) as blueprint text in `fmt` layout,
    with the cells that could not be placed. Raises `interop.importer.SpreadsheetError` (a Failure)."""
    from blueprint_cli.interop.importer import import_file

    return import_file(path, sheet=sheet, title=title, flows=flows)
