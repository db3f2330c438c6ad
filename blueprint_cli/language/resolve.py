"""Resolution: syntax documents (a file and its includes) -> the checked `model.Blueprint`.

Every reference is looked up here and every semantic problem of a file is collected, so a
person sees all of them in one run. Derived facts (each step's org, the handoffs) are computed
here, once.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from blueprint_cli.language import model as M
from blueprint_cli.language import syntax as S
from blueprint_cli.language.errors import BlueprintError, Diagnostic, did_you_mean
from blueprint_cli.language.fastparse import parse_document
from blueprint_cli.language.project import ROOT_VARIABLE, include_root, inside
from blueprint_cli.language.source import Source, SourceError, Span, from_text, read_source
from blueprint_cli.vocab import PAIN_SEVERITIES, variant_meant

DURATION = re.compile(r"[1-9][0-9]*[mhdw]")

# Attribute keys each kind of statement accepts.
ATTRIBUTE_KEYS: dict[type, tuple[str, ...]] = {
    S.StepDecl: ("channel", "evidence", "duration", "outcome", "cases", "target"),
    S.FlowDecl: ("owner", "cases", "wait"),
    S.AnnotationDecl: ("severity",),  # pain only; checked below
    S.OrgDecl: ("colour",),
}
ALL_KEYS = ("channel", "evidence", "duration", "outcome", "owner", "severity", "cases", "wait", "target", "colour")
CASES = re.compile(r"0|[1-9][0-9]*")
HEX_COLOUR = re.compile(r"#?([0-9a-fA-F]{6})")
INCLUDABLE = (S.OrgDecl, S.ActorDecl, S.SystemDecl, S.OutcomeDecl, S.DataDecl, S.IncludeDecl)

# The statements that declare an id (ids are unique across all of them).
Declaration = S.OrgDecl | S.ActorDecl | S.SystemDecl | S.OutcomeDecl | S.DataDecl | S.StageDecl | S.StepDecl
DECLARATIONS = (S.OrgDecl, S.ActorDecl, S.SystemDecl, S.OutcomeDecl, S.DataDecl, S.StageDecl, S.StepDecl)

KIND_WORDS: dict[type[S.Statement], str] = {
    S.OrgDecl: "an org",
    S.ActorDecl: "an actor",
    S.SystemDecl: "a system",
    S.OutcomeDecl: "an outcome",
    S.DataDecl: "a data item",
    S.StageDecl: "a stage",
    S.StepDecl: "a step",
}


_DURATION_MINUTES = {"m": 1, "h": 60, "d": 60 * 24, "w": 60 * 24 * 7}


def _duration_guess(text: str) -> str:
    """'; did you mean '2h'?' for `2hours`, `2 hrs`, `30min`, `3days`…, '90m' for `1.5h`; else ''."""
    m = re.fullmatch(
        r"(\d+(?:\.\d+)?)\s*(m|min|mins|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?)", text.strip().lower()
    )
    if not m or float(m.group(1)) == 0:
        return ""
    minutes = float(m.group(1)) * _DURATION_MINUTES[m.group(2)[0]]
    if minutes != int(minutes):
        return ""
    for unit in ("w", "d", "h", "m"):  # the largest unit that gives a whole number
        if int(minutes) % _DURATION_MINUTES[unit] == 0:
            return f"; did you mean '{int(minutes) // _DURATION_MINUTES[unit]}{unit}'?"
    return ""


@dataclass
class _Files:
    """The main file and its includes, each parsed once."""

    documents: list[S.Document] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    root: Path = field(default_factory=Path.cwd)  # includes stay inside this folder (project.py)
    # Texts that stand in for files on disk, by absolute path: an editor's unsaved buffers.
    unsaved: Mapping[str, str] = field(default_factory=dict)


def load(path: str | Path, *, display: str | None = None) -> M.Blueprint:
    """Read, parse and resolve a blueprint file and its includes."""
    source = read_source(path, display)
    return load_source(source, base=_resolved(Path(path)).parent if str(path) != "-" else Path.cwd())


def load_text(text: str, path: str = "<text>") -> M.Blueprint:
    return load_source(from_text(path, text), base=Path.cwd())


def load_source(source: Source, *, base: Path, unsaved: Mapping[str, str] | None = None) -> M.Blueprint:
    """Resolve a parsed source; includes are read relative to `base`, from `unsaved` (texts by
    absolute path, an editor's open buffers) before the disk."""
    # Parsing a large file creates hundreds of thousands of small acyclic objects; the cyclic
    # garbage collector would rescan them again and again (a third of the time at 10,000 steps).
    paused = gc.isenabled()
    gc.disable()
    try:
        return _load_source(source, base=base, unsaved=unsaved or {})
    finally:
        if paused:
            gc.enable()


def _load_source(source: Source, *, base: Path, unsaved: Mapping[str, str]) -> M.Blueprint:
    files = _Files(root=include_root(base), unsaved=unsaved)
    files.texts[source.path] = source.text
    main = parse_document(source)
    if not main.statements:
        raise BlueprintError(
            [
                Diagnostic(
                    "structure",
                    Span(source.path, 1, 1, 1, 1),
                    "empty blueprint",
                    hint='a blueprint starts with a line like: blueprint "Service name"',
                )
            ],
            files.texts,
        )
    files.documents.append(main)
    own = base / Path(source.path).name if source.path != "<stdin>" else base / "<stdin>"
    _follow_includes(main, base, files, stack=[own.resolve()], seen={own.resolve()}, shown=source.path)
    builder = _Builder(files)
    blueprint = builder.build(main)
    if files.problems or builder.problems:
        raise BlueprintError(files.problems + builder.problems, files.texts)
    return blueprint


def _display(target: Path, including_display: str, written: str) -> str:
    parent = Path(including_display).parent
    return str(parent / written) if str(parent) != "." else written


def _refused_include(written: str, target: Path, root: Path) -> tuple[str, str] | None:
    """Why an include may not be read (message, hint), or None: only .blueprint files inside the project."""
    if not written.endswith(".blueprint"):
        return (
            f"cannot include '{written}': an include names a blueprint file (ending .blueprint)",
            "shared organisations, actors and systems go in a file such as shared/orgs.blueprint",
        )
    if not inside(target, root):
        return (
            f"cannot include '{written}': it is outside the project folder {root}",
            f"keep shared files inside the project, or set {ROOT_VARIABLE} to a folder that holds both",
        )
    return None


# Includes nest at most this deep (the main file is level 1): a real project needs two or three,
# and a chain of a thousand files would exhaust Python's stack.
MAX_INCLUDE_DEPTH = 32


def _include_problem(written: str, target: Path, root: Path, stack: list[Path]) -> tuple[str, str] | None:
    """Why an include is not followed (message, hint): refused, a cycle, or nested too deep."""
    refused = _refused_include(written, target, root)
    if refused is not None:
        return refused
    if target in stack:
        chain = " -> ".join(p.name for p in stack[stack.index(target) :] + [target])
        return (
            f"include cycle: {chain}",
            "remove one of the includes; shared declarations belong in a file that includes nothing that includes it",
        )
    if len(stack) >= MAX_INCLUDE_DEPTH:
        return (
            f"cannot include '{written}': includes are nested more than {MAX_INCLUDE_DEPTH} files deep "
            f"({stack[0].name} -> {stack[1].name} -> … -> {target.name})",
            "include the shared files from the main blueprint instead of through a chain of files",
        )
    return None


def _resolved(path: Path) -> Path:
    """The absolute path with links followed; a symbolic-link loop stays unresolved (reading it fails clearly)."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # RuntimeError: a loop, before Python 3.13
        return path.absolute()


def _read_include(target: Path, display: str, unsaved: Mapping[str, str]) -> Source:
    """An included file: its unsaved text when an editor holds one, else the file on disk."""
    text = unsaved.get(str(target))
    if text is None:
        return read_source(target, display)
    return from_text(display, text)


def _follow_includes(
    doc: S.Document, base: Path, files: _Files, *, stack: list[Path], seen: set[Path], shown: str
) -> None:
    for stmt in doc.statements:
        if not isinstance(stmt, S.IncludeDecl):
            continue
        written = stmt.target.value
        target = _resolved(base / written)
        display = _display(target, shown, written)
        problem = _include_problem(written, target, files.root, stack)
        if problem is not None:
            message, hint = problem
            files.problems.append(Diagnostic("include", stmt.target.span, message, hint=hint))
            continue
        if target in seen:  # a diamond: the file's declarations are already in
            continue
        seen.add(target)
        try:
            source = _read_include(target, display, files.unsaved)
        except SourceError as err:
            files.problems.append(
                Diagnostic(
                    "include",
                    stmt.target.span,
                    f"cannot include '{written}': {err.message}",
                    hint=f"the path is relative to the folder of {Path(shown).name}; looked for {display}",
                )
            )
            continue
        files.texts[source.path] = source.text
        try:
            included = parse_document(source)
        except BlueprintError as err:
            files.problems.extend(err.diagnostics)
            continue
        for inner in included.statements:
            if not isinstance(inner, INCLUDABLE):
                files.problems.append(
                    Diagnostic(
                        "include",
                        inner.span,
                        "an included file may only declare orgs, actors, systems, outcomes and data items",
                        hint=f"move this line into the blueprint that includes {Path(display).name}",
                    )
                )
        files.documents.append(included)
        _follow_includes(included, target.parent, files, stack=stack + [target], seen=seen, shown=display)


@dataclass(frozen=True, slots=True)
class _Header:
    """What the first lines of the main file say."""

    title: str
    span: Span
    variant: M.Variant
    description: str | None


# One flow as written: (from, to, the statement, inline on a step?).
_FlowDecl = tuple[S.Name, S.Name, S.Statement, bool]


def _step_org(lane: M.Lane, doer: M.Actor | None, used: tuple[str, ...], systems: dict[str, M.System]) -> str | None:
    """A step belongs to its actor's org; without an actor, to the org of its first owned system.

    Customer steps belong to no org: the customer is outside the service.
    """
    if doer is not None and (doer.customer or doer.org):
        return doer.org
    if lane is not M.Lane.CUSTOMER:
        for sys_id in used:
            if systems.get(sys_id) and systems[sys_id].org:
                return systems[sys_id].org
    return None


class _Builder:
    """Collects declarations from every document, then resolves references in the main one."""

    def __init__(self, files: _Files):
        self.files = files
        self.problems: list[Diagnostic] = []
        self.declared: dict[str, Declaration] = {}
        self.duplicates: set[str] = set()  # ids declared more than once
        self._pools: dict[type[S.Statement], list[str]] = {}
        self._guesses: dict[tuple[str, type[S.Statement]], str | None] = {}

    def error(self, span: Span, message: str, hint: str | None = None, code: str = "reference") -> None:
        self.problems.append(Diagnostic(code, span, message, hint=hint))

    # ------------------------------------------------------------ declarations

    def _declare(self, stmt: Declaration) -> bool:
        ident = stmt.id.value
        first = self.declared.get(ident)
        if first is not None:
            self.duplicates.add(ident)
            self.error(
                stmt.id.span,
                f"duplicate id '{ident}': already declared as {KIND_WORDS[type(first)]} at {first.id.span}",
                hint="ids are unique across orgs, actors, systems, outcomes, stages and steps; rename one",
                code="duplicate",
            )
            return False
        self.declared[ident] = stmt
        return True

    def _org_actors_hint(self, org: str) -> str:
        """`the actors of council: clerk, officer` for `by council` (a step is done by an actor)."""
        actors = sorted(
            d.id.value
            for d in self.declared.values()
            if isinstance(d, S.ActorDecl) and d.org is not None and d.org.value == org
        )
        if not actors:
            return f'a step is done by an actor; declare one in the org, e.g. actor {org}_staff "Staff" @{org}'
        return f"a step is done by an actor; the actors of '{org}' are: " + ", ".join(actors)

    def _ref(self, name: S.Name | None, kind: type[Declaration], what: str) -> str | None:
        """Resolve a reference to a declaration of `kind`, reporting a miss with a suggestion."""
        if name is None:
            return None
        found = self.declared.get(name.value)
        if isinstance(found, kind):
            return name.value
        if found is not None:
            if name.value in self.duplicates:
                return None  # the duplicate id is the cause, reported where it is declared again
            self.error(
                name.span,
                f"'{name.value}' is {KIND_WORDS[type(found)]}, not {KIND_WORDS[kind]}",
                hint=self._org_actors_hint(name.value)
                if isinstance(found, S.OrgDecl) and kind is S.ActorDecl
                else None,
            )
            return None
        pool = self._pool(kind)
        guess = self._suggest(name.value, kind, pool)
        if guess:
            hint = None
        elif pool and len(pool) <= 12:
            hint = f"the {what}s declared are: " + ", ".join(sorted(pool))
        elif what in ("actor", "system", "outcome", "org", "data item"):
            hint = f"declare it first, e.g. a line starting '{what.split()[0]} {name.value}'"
        else:
            hint = None
        self.error(
            name.span, f"unknown {what} '{name.value}'" + (f"; did you mean '{guess}'?" if guess else ""), hint=hint
        )
        return None

    # A suggestion compares the name with every id of its kind: cheap for one typo, slow for
    # thousands in a big file. Pools are built once, suggestions cached, and only the first
    # SUGGESTIONS misses of a file get one.
    SUGGESTIONS = 25

    def _pool(self, kind: type[Declaration]) -> list[str]:
        pools = self._pools
        if kind not in pools:
            pools[kind] = sorted(k for k, v in self.declared.items() if isinstance(v, kind))
        return pools[kind]

    def _suggest(self, word: str, kind: type[Declaration], pool: list[str]) -> str | None:
        cache = self._guesses
        if (word, kind) not in cache:
            if len(cache) >= self.SUGGESTIONS:
                return None
            cache[(word, kind)] = did_you_mean(word, pool)
        return cache[(word, kind)]

    def _attrs(self, stmt: S.Statement, allowed: tuple[str, ...], where: str) -> dict[str, S.Attr]:
        out: dict[str, S.Attr] = {}
        for attr in stmt.attrs:
            key = attr.key.value
            if key not in allowed:
                if key in ALL_KEYS:
                    self.error(
                        attr.key.span,
                        f"attribute '{key}' does not apply to {where}",
                        hint=("allowed here: " + ", ".join(allowed)) if allowed else f"{where} takes no attributes",
                        code="attribute",
                    )
                else:
                    guess = did_you_mean(key, allowed or ALL_KEYS)
                    self.error(
                        attr.key.span,
                        f"unknown attribute '{key}'" + (f"; did you mean '{guess}'?" if guess else ""),
                        hint=("allowed here: " + ", ".join(allowed)) if allowed else f"{where} takes no attributes",
                        code="attribute",
                    )
                continue
            if key in out:
                self.error(attr.key.span, f"attribute '{key}' is given twice", code="attribute")
                continue
            out[key] = attr
        return out

    def _choice(self, attr: S.Attr | None, values: Sequence[str], what: str) -> str | None:
        if attr is None:
            return None
        if attr.value in values:
            return attr.value
        guess = did_you_mean(attr.value, values)
        self.error(
            attr.span,
            f"unknown {what} '{attr.value}'" + (f"; did you mean '{guess}'?" if guess else ""),
            hint="one of: " + ", ".join(values),
            code="attribute",
        )
        return None

    def _colour(self, attr: S.Attr | None) -> str | None:
        """An org's house colour, `#rrggbb` (quoted: `#` starts a comment) or six hex digits."""
        if attr is None:
            return None
        found = HEX_COLOUR.fullmatch(attr.value)
        if found:
            return "#" + found.group(1).lower()
        self.error(
            attr.span,
            f"unknown colour '{attr.value}'",
            hint='write it as "#rrggbb" in quotes (e.g. [colour="#0072b2"]) or as six hex digits',
            code="attribute",
        )
        return None

    # ------------------------------------------------------------ build

    def build(self, main: S.Document) -> M.Blueprint:
        docs = self.files.documents
        header = self._header(main)
        orgs: dict[str, M.Org] = {}
        actors: dict[str, M.Actor] = {}
        systems: dict[str, M.System] = {}
        outcomes: dict[str, M.Outcome] = {}
        data: dict[str, M.DataItem] = {}
        # Declarations first (from every file), so references may point forwards.
        for doc in docs:
            for stmt in doc.statements:
                if isinstance(stmt, DECLARATIONS):
                    self._declare(stmt)
        for doc in docs:
            for stmt in doc.statements:
                if isinstance(stmt, (S.ActorDecl, S.SystemDecl, S.OutcomeDecl, S.DataDecl)):
                    self._attrs(stmt, (), KIND_WORDS[type(stmt)].split(" ", 1)[1])
                if isinstance(stmt, S.OrgDecl):
                    colour = self._colour(self._attrs(stmt, ATTRIBUTE_KEYS[S.OrgDecl], "an org").get("colour"))
                    if self.declared.get(stmt.id.value) is stmt:
                        orgs[stmt.id.value] = M.Org(stmt.id.value, stmt.label.value, stmt.span, colour)
                elif isinstance(stmt, S.ActorDecl) and self.declared.get(stmt.id.value) is stmt:
                    org = self._ref(stmt.org, S.OrgDecl, "org")
                    if not stmt.customer and stmt.org is None:
                        self.error(
                            stmt.label.span,
                            f"actor '{stmt.id.value}' needs 'customer' or an organisation ('@org') after its label",
                            code="structure",
                        )
                    actors[stmt.id.value] = M.Actor(stmt.id.value, stmt.label.value, stmt.customer, org, stmt.span)
                elif isinstance(stmt, S.SystemDecl) and self.declared.get(stmt.id.value) is stmt:
                    systems[stmt.id.value] = M.System(
                        stmt.id.value, stmt.label.value, self._ref(stmt.org, S.OrgDecl, "org"), stmt.span
                    )
                elif isinstance(stmt, S.OutcomeDecl) and self.declared.get(stmt.id.value) is stmt:
                    outcomes[stmt.id.value] = M.Outcome(stmt.id.value, stmt.label.value, stmt.span)
                elif isinstance(stmt, S.DataDecl) and self.declared.get(stmt.id.value) is stmt:
                    data[stmt.id.value] = M.DataItem(stmt.id.value, stmt.label.value, stmt.span)

        stages, steps, flows, annotations, renames = self._body(main, actors, systems)
        handoffs = self._handoffs(flows, steps)
        return M.Blueprint(
            title=header.title,
            variant=header.variant,
            description=header.description,
            orgs=orgs,
            actors=actors,
            systems=systems,
            outcomes=outcomes,
            data=data,
            stages=stages,
            steps=steps,
            flows=tuple(flows),
            annotations=tuple(annotations),
            renames=tuple(renames),
            handoffs=handoffs,
            path=main.path,
            includes=tuple(d.path for d in docs),
            span=header.span,
        )

    def _header(self, main: S.Document) -> _Header:
        title: str | None = None
        span: Span | None = None
        variant, description = M.Variant.INTENDED, None
        seen: dict[type, S.Statement] = {}
        for index, stmt in enumerate(main.statements):
            if not isinstance(stmt, (S.BlueprintDecl, S.VariantDecl, S.DescriptionDecl)):
                continue
            word = {S.BlueprintDecl: "blueprint", S.VariantDecl: "variant", S.DescriptionDecl: "description"}[
                type(stmt)
            ]
            if type(stmt) in seen:
                self.error(
                    stmt.span,
                    f"a second '{word}' line; a file has one (the first is at line {seen[type(stmt)].span.line})",
                    code="structure",
                )
                continue
            seen[type(stmt)] = stmt
            if isinstance(stmt, S.BlueprintDecl):
                self._attrs(stmt, (), "the blueprint line")
                title, span = stmt.title.value, stmt.span
                if index != 0:
                    self.error(
                        stmt.span,
                        "'blueprint' must be the first line of the file (comments may come before it)",
                        code="structure",
                    )
            elif isinstance(stmt, S.VariantDecl):
                meant = variant_meant(stmt.value.value)
                if meant is not None and meant != stmt.value.value:
                    self.error(
                        stmt.value.span,
                        f"unknown variant '{stmt.value.value}'; did you mean '{meant}'?",
                        hint="one of: intended, observed",
                        code="attribute",
                    )
                    continue
                value = self._choice(
                    S.Attr(stmt.value, stmt.value.value, False, stmt.value.span),
                    [v.value for v in M.Variant],
                    "variant",
                )
                if value:
                    variant = M.Variant(value)
            else:
                description = stmt.text.value
        if title is None:
            first = main.statements[0].span
            self.error(
                Span(main.path, first.line, 1, first.line, 2),
                "missing 'blueprint' line",
                hint='start the file with a line like: blueprint "Service name"',
                code="structure",
            )
            title, span = "", first
        assert span is not None  # set with the title
        return _Header(title, span, variant, description)

    def _body(
        self, main: S.Document, actors: dict[str, M.Actor], systems: dict[str, M.System]
    ) -> tuple[dict[str, M.Stage], dict[str, M.Step], list[M.Flow], list[M.Annotation], list[M.Rename]]:
        """Stages, steps, flows, annotations and renames of the main file, in journey order."""
        stages, step_decls, flow_decls = self._stages(main)
        steps: dict[str, M.Step] = {}
        for stmt, stage in step_decls:
            steps[stmt.id.value] = self._step(stmt, stage, actors, systems)
        flows = self._flows(flow_decls)
        annotations, renames = self._annotations_and_renames(main)
        # Journey order, not declaration order: where a flow or an annotation is written (inline
        # or on a `flow` line, under its stage or at the end) does not change the model, so
        # `blueprint fmt` may move them. Flows by (source, target) step; annotations by step, stably.
        journey = {step_id: index for index, step_id in enumerate(steps)}
        flows.sort(key=lambda f: (journey.get(f.source, -1), journey.get(f.target, -1)))
        annotations.sort(key=lambda a: journey.get(a.step, -1))
        return stages, steps, flows, annotations, renames

    def _stages(self, main: S.Document) -> tuple[dict[str, M.Stage], list[tuple[S.StepDecl, str]], list[_FlowDecl]]:
        """The stages with their steps, each step with its stage, and every flow as written."""
        stage_steps: dict[str, list[str]] = {}
        step_decls: list[tuple[S.StepDecl, str]] = []
        current: S.StageDecl | None = None
        flow_decls: list[_FlowDecl] = []
        for stmt in main.statements:
            if isinstance(stmt, S.StageDecl):
                self._attrs(stmt, (), "a stage")
                if self.declared.get(stmt.id.value) is stmt:
                    current = stmt
                    stage_steps[stmt.id.value] = []
            elif isinstance(stmt, S.StepDecl):
                if current is None:
                    self.error(
                        stmt.span,
                        f"step '{stmt.id.value}' comes before any stage",
                        hint='open a stage first, e.g. stage arrival "Arrival"',
                        code="structure",
                    )
                    continue
                if self.declared.get(stmt.id.value) is stmt:
                    step_decls.append((stmt, current.id.value))
                    stage_steps[current.id.value].append(stmt.id.value)
                for target in stmt.targets:
                    flow_decls.append((stmt.id, target, stmt, True))
            elif isinstance(stmt, S.FlowDecl):
                for a, b in zip(stmt.chain, stmt.chain[1:], strict=False):
                    flow_decls.append((a, b, stmt, False))
        stages: dict[str, M.Stage] = {}
        for stmt in main.statements:
            if isinstance(stmt, S.StageDecl) and stmt.id.value in stage_steps:
                stages[stmt.id.value] = M.Stage(
                    stmt.id.value, stmt.label.value, tuple(stage_steps[stmt.id.value]), stmt.span
                )
        return stages, step_decls, flow_decls

    def _step(self, stmt: S.StepDecl, stage: str, actors: dict[str, M.Actor], systems: dict[str, M.System]) -> M.Step:
        """One step with its references resolved and its attributes checked."""
        attrs = self._attrs(stmt, ATTRIBUTE_KEYS[S.StepDecl], "a step")
        actor = self._ref(stmt.actor, S.ActorDecl, "actor")
        used = tuple(s for s in (self._ref(n, S.SystemDecl, "system") for n in stmt.systems) if s)
        if len(set(n.value for n in stmt.systems)) != len(stmt.systems):
            self.error(stmt.systems[0].span, "a system is listed twice in 'uses'", code="structure")
        collected = tuple(d for d in (self._ref(n, S.DataDecl, "data item") for n in stmt.data) if d)
        if len(set(n.value for n in stmt.data)) != len(stmt.data):
            self.error(stmt.data[0].span, "a data item is listed twice in 'collects'", code="structure")
        channel = attrs.get("channel")
        if channel is not None and not channel.quoted and channel.value not in M.CHANNELS:
            guess = did_you_mean(channel.value, M.CHANNELS)
            self.error(
                channel.span,
                f"unknown channel '{channel.value}'" + (f"; did you mean '{guess}'?" if guess else ""),
                hint="one of " + ", ".join(M.CHANNELS) + ', or any word in quotes (channel="video call")',
                code="attribute",
            )
        evidence = self._choice(attrs.get("evidence"), [e.value for e in M.Evidence], "evidence level")
        duration = attrs.get("duration")
        if duration is not None and not DURATION.fullmatch(duration.value):
            self.error(
                duration.span,
                f"invalid duration '{duration.value}'" + _duration_guess(duration.value),
                hint="a whole number and a unit: 30m, 2h, 3d or 1w",
                code="attribute",
            )
            duration = None
        outcome = attrs.get("outcome")
        outcome_id = self._ref(S.Name(outcome.value, outcome.span), S.OutcomeDecl, "outcome") if outcome else None
        return M.Step(
            id=stmt.id.value,
            label=stmt.label.value,
            lane=stmt.lane,
            stage=stage,
            actor=actor,
            systems=used,
            channel=channel.value if channel is not None else None,
            evidence=M.Evidence(evidence) if evidence else None,
            duration=duration.value if duration is not None else None,
            outcome=outcome_id,
            org=_step_org(stmt.lane, actors.get(actor) if actor else None, used, systems),
            data=collected,
            span=stmt.span,
            cases=self._cases(attrs.get("cases")),
            target=self._wait(attrs.get("target"), what="target"),
        )

    def _annotations_and_renames(self, main: S.Document) -> tuple[list[M.Annotation], list[M.Rename]]:
        """The pain points, workarounds, unknowns and notes, and the `renamed` lines, as written."""
        annotations: list[M.Annotation] = []
        renames: list[M.Rename] = []
        seen_renames: dict[str, S.RenamedDecl] = {}
        for stmt in main.statements:
            if isinstance(stmt, S.AnnotationDecl):
                allowed = ("severity",) if stmt.kind == "pain" else ()
                attrs = self._attrs(stmt, allowed, f"a {stmt.kind}")
                step = self._ref(stmt.step, S.StepDecl, "step")
                severity = self._choice(attrs.get("severity"), PAIN_SEVERITIES, "severity")
                if step:
                    annotations.append(M.Annotation(stmt.kind, step, stmt.text.value, severity, stmt.span))
            elif isinstance(stmt, S.RenamedDecl):
                new = self._ref(stmt.new, S.StepDecl, "step")
                if stmt.old.value in seen_renames:
                    self.error(
                        stmt.old.span,
                        f"'{stmt.old.value}' is renamed twice (first at line {seen_renames[stmt.old.value].span.line})",
                        code="duplicate",
                    )
                elif new:
                    seen_renames[stmt.old.value] = stmt
                    renames.append(M.Rename(stmt.old.value, new, stmt.span))
        return annotations, renames

    def _flows(self, decls: list[_FlowDecl]) -> list[M.Flow]:
        flows: list[M.Flow] = []
        where: dict[tuple[str, str], Span] = {}
        for a, b, stmt, inline in decls:
            source = self._ref(a, S.StepDecl, "step") if not inline else a.value
            target = self._ref(b, S.StepDecl, "step")
            if not source or not target:
                continue
            if source == target:
                self.error(b.span, f"a flow from '{source}' to itself", code="structure")
                continue
            key = (source, target)
            if key in where:
                self.error(
                    b.span,
                    f"flow {source} -> {target} is declared twice (first at {where[key]})",
                    hint="declare each flow once: inline with '->' on the step, or on a 'flow' line",
                    code="duplicate",
                )
                continue
            where[key] = Span(a.span.path, a.span.line, a.span.column, b.span.end_line, b.span.end_column)
            label, owner, cases, wait = None, None, None, None
            if isinstance(stmt, S.FlowDecl):
                attrs = self._attrs(stmt, ATTRIBUTE_KEYS[S.FlowDecl], "a flow")
                label = stmt.label.value if stmt.label else None
                if "owner" in attrs:
                    owner = self._owner(attrs["owner"])
                cases = self._cases(attrs.get("cases"))
                wait = self._wait(attrs.get("wait"))
            flows.append(M.Flow(source, target, label, owner, inline, where[key], cases=cases, wait=wait))
        return flows

    def _cases(self, attr: S.Attr | None) -> int | None:
        if attr is None:
            return None
        if attr.quoted or not CASES.fullmatch(attr.value):
            self.error(
                attr.span, f"invalid case count '{attr.value}'", hint="a whole number: cases=1368", code="attribute"
            )
            return None
        return int(attr.value)

    def _wait(self, attr: S.Attr | None, *, what: str = "wait") -> str | None:
        """A duration-like attribute: `wait=` on a flow, `target=` on a step."""
        if attr is None:
            return None
        if attr.quoted or not DURATION.fullmatch(attr.value):
            self.error(
                attr.span,
                f"invalid {what} '{attr.value}'" + _duration_guess(attr.value),
                hint="a whole number and a unit: 30m, 2h, 3d or 1w",
                code="attribute",
            )
            return None
        return attr.value

    def _owner(self, attr: S.Attr) -> str | None:
        found = self.declared.get(attr.value)
        if isinstance(found, (S.ActorDecl, S.OrgDecl)):
            return attr.value
        pool = [k for k, v in self.declared.items() if isinstance(v, (S.ActorDecl, S.OrgDecl))]
        guess = did_you_mean(attr.value, pool)
        what = f"'{attr.value}' is {KIND_WORDS[type(found)]}" if found is not None else f"unknown owner '{attr.value}'"
        self.error(
            attr.span,
            what
            + ("; an owner is an actor or an org" if found is not None else "")
            + (f"; did you mean '{guess}'?" if guess else ""),
            hint="owner= names the actor or org accountable for the handoff",
        )
        return None

    @staticmethod
    def _handoffs(flows: list[M.Flow], steps: dict[str, M.Step]) -> tuple[M.Handoff, ...]:
        out = []
        for flow in flows:
            a, b = steps.get(flow.source), steps.get(flow.target)
            if a and b and a.org and b.org and a.org != b.org:
                out.append(M.Handoff(flow.source, flow.target, a.org, b.org, flow.owner, flow.span))
        return tuple(out)
