"""The long table: one row per step (stage, lane, id, label, actor, org, systems, channel, ...).

`to_rows` writes a blueprint as that table, with a `kind` column so the declarations (title,
orgs, actors, systems, outcomes, stages, labelled flows, renames) travel too: importing the
table again gives the same model. `read_long_table` reads it back, and also reads the simpler
tables designers keep (no `kind` column: every row is a step, names instead of ids).
"""

from __future__ import annotations

from blueprint_cli.interop.draft import Draft, DraftActor, DraftFlow, DraftNote, DraftStep
from blueprint_cli.interop.ids import ID_PATTERN
from blueprint_cli.interop.table import Table, cell_name, one_line
from blueprint_cli.interop.vocabulary import LANE_KINDS, channel, duration, evidence, row_kind, severity, words
from blueprint_cli.language import model as M

COLUMNS = (
    "kind",
    "stage",
    "lane",
    "id",
    "label",
    "actor",
    "org",
    "systems",
    "collects",
    "channel",
    "evidence",
    "duration",
    "outcome",
    "next",
    "owner",
    "pains",
    "workarounds",
    "unknowns",
    "notes",
)
NOTE_COLUMNS = {"pains": "pain", "workarounds": "workaround", "unknowns": "unknown", "notes": "note"}
_FORMULA_START = "=+-@"

# Header words -> column, for tables written by hand.
HEADERS: dict[str, str] = {
    **{c: c for c in COLUMNS},
    "type": "kind",
    "record": "kind",
    "phase": "stage",
    "journey stage": "stage",
    "stage name": "stage",
    "swimlane": "lane",
    "swim lane": "lane",
    "layer": "lane",
    "row": "lane",
    "step id": "id",
    "key": "id",
    "step": "label",
    "steps": "label",
    "name": "label",
    "action": "label",
    "activity": "label",
    "what": "label",
    "description": "label",
    "step label": "label",
    "who": "actor",
    "role": "actor",
    "by": "actor",
    "organisation": "org",
    "organization": "org",
    "team": "org",
    "department": "org",
    "system": "systems",
    "tool": "systems",
    "tools": "systems",
    "uses": "systems",
    "data": "collects",
    "collected": "collects",
    "touchpoint": "channel",
    "time": "duration",
    "next step": "next",
    "next steps": "next",
    "leads to": "next",
    "flows to": "next",
    "then": "next",
    "to": "next",
    "handoff owner": "owner",
    "pain": "pains",
    "pain point": "pains",
    "pain points": "pains",
    "problems": "pains",
    "issues": "pains",
    "workaround": "workarounds",
    "unknown": "unknowns",
    "questions": "unknowns",
    "note": "notes",
    "comments": "notes",
    "comment": "notes",
}


# ---------------------------------------------------------------- export


def protect(text: str) -> str:
    """A cell a spreadsheet will not run as a formula: `=SUM(A1)` is written `'=SUM(A1)`."""
    return "'" + text if text.lstrip("'")[:1] in tuple(_FORMULA_START) and text else text


def unprotect(text: str) -> str:
    return text[1:] if text.startswith("'") and text.lstrip("'")[:1] in tuple(_FORMULA_START) else text


def to_rows(blueprint: M.Blueprint) -> list[list[str]]:
    """The blueprint as the long table, header row first."""
    rows: list[dict[str, str]] = [
        {"kind": "blueprint", "label": blueprint.title},
        {"kind": "variant", "id": blueprint.variant.value},
    ]
    if blueprint.description is not None:
        rows.append({"kind": "description", "label": blueprint.description})
    rows += [{"kind": "org", "id": o.id, "label": o.label} for o in blueprint.orgs.values()]
    rows += [
        {"kind": "actor", "id": a.id, "label": a.label, "lane": "customer" if a.customer else "", "org": a.org or ""}
        for a in blueprint.actors.values()
    ]
    rows += [{"kind": "system", "id": s.id, "label": s.label, "org": s.org or ""} for s in blueprint.systems.values()]
    rows += [{"kind": "data", "id": d.id, "label": d.label} for d in blueprint.data.values()]
    rows += [{"kind": "outcome", "id": o.id, "label": o.label} for o in blueprint.outcomes.values()]
    rows += [{"kind": "renamed", "id": r.old, "next": r.new} for r in blueprint.renames]
    inline: dict[str, list[str]] = {}
    for flow in blueprint.flows:
        if flow.inline:
            inline.setdefault(flow.source, []).append(flow.target)
    notes_of: dict[str, list[M.Annotation]] = {}
    for note in blueprint.annotations:
        notes_of.setdefault(note.step, []).append(note)
    for stage in blueprint.stages.values():
        rows.append({"kind": "stage", "id": stage.id, "label": stage.label})
        for step_id in stage.steps:
            notes = notes_of.get(step_id, [])
            in_columns = _kind_ordered(notes)
            step = blueprint.steps[step_id]
            rows.append(_step_row(step, inline.get(step_id, []), notes if in_columns else []))
            if not in_columns:  # a row each, so that their order survives
                rows += [{"kind": a.kind, "id": step_id, "label": _note_text(a)} for a in notes]
    rows += [
        {"kind": "flow", "id": f.source, "next": f.target, "label": f.label or "", "owner": f.owner or ""}
        for f in blueprint.flows
        if not f.inline
    ]
    return [list(COLUMNS)] + [[protect(row.get(c, "")) for c in COLUMNS] for row in rows]


def _kind_ordered(notes: list[M.Annotation]) -> bool:
    """Are a step's annotations pains first, then workarounds, unknowns, notes (the columns' order)?"""
    ranks = [M.ANNOTATION_KINDS.index(a.kind) for a in notes]
    return ranks == sorted(ranks)


def _note_text(note: M.Annotation) -> str:
    """A pain point's severity follows its text: `Too long (high)`. A pain point without one whose
    text itself ends like that gets `(none)`, so that reading it back takes nothing off its text."""
    if note.severity:
        return f"{note.text} ({note.severity})"
    if note.kind == "pain" and _severity_suffix(note.text) is not None:
        return f"{note.text} (none)"
    return note.text


def _severity_suffix(text: str) -> tuple[str, str | None] | None:
    """`"Too long (high)"` -> (`"Too long"`, `"high"`); `(none)` -> no severity; None when there is no such suffix."""
    if not text.endswith(")") or " (" not in text:
        return None
    head, _, tail = text.rpartition(" (")
    said = tail[:-1].strip().lower()
    if said == "none":
        return head, None
    level = severity(said)
    return (head, level) if level is not None else None


def _step_row(step: M.Step, targets: list[str], notes: list[M.Annotation]) -> dict[str, str]:
    """The step's row; `notes` go into the pains, workarounds, unknowns and notes columns."""
    row = {
        "kind": "step",
        "stage": step.stage,
        "lane": step.lane.value,
        "id": step.id,
        "label": step.label,
        "actor": step.actor or "",
        "org": step.org or "",
        "systems": ", ".join(step.systems),
        "collects": ", ".join(step.data),
        "channel": step.channel or "",
        "evidence": step.evidence.value if step.evidence else "",
        "duration": step.duration or "",
        "outcome": step.outcome or "",
        "next": ", ".join(targets),
    }
    for column, kind in NOTE_COLUMNS.items():
        row[column] = "\n".join(_note_text(a) for a in notes if a.kind == kind)
    return row


def to_csv(blueprint: M.Blueprint) -> str:
    from blueprint_cli.interop.table import write_csv

    return write_csv(to_rows(blueprint))


# ---------------------------------------------------------------- import


def header_columns(row: list[str]) -> dict[str, int]:
    """Column name -> index for a header row (the first column of each name wins)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        name = HEADERS.get(words(unprotect(cell)))
        if name is not None and name not in found:
            found[name] = index
    return found


def is_long_header(row: list[str]) -> bool:
    columns = header_columns(row)
    return "label" in columns and ("lane" in columns or "kind" in columns)


class _Reader:
    def __init__(self, table: Table, header: int, title: str) -> None:
        self.table = table
        self.header = header
        self.columns = header_columns(table.rows[header])
        self.draft = Draft(title=title)
        self.unplaced: list[tuple[int, str]] = []  # (row, text) kept as notes once the steps are known
        self.step_rows: list[tuple[int, DraftStep]] = []
        self.read_steps: set[str] = set()  # the ids of the steps read so far
        self.pending_next: list[tuple[int, DraftStep, list[str]]] = []
        self.pending_flows: list[tuple[int, dict[str, str]]] = []
        self.pending_renames: list[tuple[int, str, str]] = []

    def get(self, row: int, name: str) -> str:
        column = self.columns.get(name)
        return unprotect(self.table.cell(row, column).strip()) if column is not None else ""

    def text(self, row: int, name: str) -> str:
        """A label or a note as written: exactly, in a table with a `kind` column (one `export` wrote);
        else on one line and without the spaces around it, which hand-typed cells often have."""
        column = self.columns.get(name)
        if column is None:
            return ""
        cell = unprotect(self.table.cell(row, column))
        if "kind" in self.columns and "\n" not in cell:
            return cell
        return one_line(cell)

    def lines(self, row: int, name: str) -> list[str]:
        """A cell of several notes, one a line (exact or stripped as for `text`)."""
        column = self.columns.get(name)
        cell = unprotect(self.table.cell(row, column)) if column is not None else ""
        exact = "kind" in self.columns
        return [line if exact else line.strip() for line in cell.split("\n") if line.strip()]

    def where(self, row: int, name: str) -> str:
        column = self.columns.get(name, 0)
        return cell_name(row, column)

    def read(self) -> Draft:
        self.above()
        stage: str | None = None
        lane: str | None = None
        for row in range(self.header + 1, len(self.table.rows)):
            if not any(c.strip() for c in self.table.rows[row]):
                continue
            kind = words(self.get(row, "kind")) or "step"
            if kind == "step":
                stage, lane = self.step(row, stage, lane)
            else:
                self.declaration(row, kind)
        self.flows()
        self.renames()
        self.place_unplaced()
        return self.draft

    def renames(self) -> None:
        """`renamed OLD -> NEW`: OLD an id (of the intended version), NEW a step of this table."""
        steps = self.draft.step_ids()
        for row, old, new in self.pending_renames:
            if ID_PATTERN.fullmatch(old) and new in steps:
                self.draft.renames.append((old, new))
            else:
                self.draft.problem(
                    self.where(row, "id"),
                    f"renamed {old!r} -> {new!r}: needs an id and a step of this table; kept as a note",
                )
                self.unplaced.append((row, f"renamed {old} -> {new}"))

    def above(self) -> None:
        """Rows above the header: the first lone cell is the title (the importer took it); the rest is reported."""
        title_seen = False
        for row in range(self.header):
            cells = [(c, v.strip()) for c, v in enumerate(self.table.rows[row]) if v.strip()]
            if len(cells) == 1 and not title_seen:
                title_seen = True
                continue
            for column, value in cells:
                self.draft.problem(
                    cell_name(row, column), f"above the header row: cannot place {value!r}; kept as a note"
                )
                self.unplaced.append((row, value))

    # ---- declarations

    def declaration(self, row: int, kind: str) -> None:
        draft = self.draft
        given = self.get(row, "id")
        label = self.text(row, "label")
        if kind == "blueprint":
            draft.title = label or draft.title
        elif kind == "variant":
            if given in ("intended", "observed"):
                draft.variant = given
            else:
                draft.problem(
                    self.where(row, "id"), f"variant {given!r} is not 'intended' or 'observed'; kept intended"
                )
        elif kind == "description":
            draft.description = label
        elif kind in ("org", "actor", "system", "data", "outcome", "stage"):
            self.declare(row, kind, given, label)
        elif kind == "flow":
            cells = {c: self.get(row, c) for c in ("id", "next", "owner")}
            self.pending_flows.append((row, {**cells, "label": self.text(row, "label")}))
        elif kind in NOTE_COLUMNS.values():
            step = given if given in self.read_steps else None
            if step is None:
                draft.problem(self.where(row, "id"), f"{kind} on {given!r}, which is no step above it; kept as a note")
                self.unplaced.append((row, f"{kind}: {label}"))
            else:
                self.note(kind, step, label)
        elif kind == "renamed":
            self.pending_renames.append((row, given, self.get(row, "next")))
        else:
            draft.problem(self.where(row, "kind"), f"unknown kind {kind!r}; the row is kept as a note")
            self.unplaced.append((row, " ".join(c.strip() for c in self.table.rows[row] if c.strip())))

    def declare(self, row: int, kind: str, given: str, label: str) -> None:
        draft = self.draft
        if not label:
            label = given
        if not label:
            draft.problem(self.where(row, "label"), f"{kind} without an id or a label; skipped")
            return
        new = draft.names.take(given) if given else draft.names.derive(label, fallback=kind)
        if given and new != given:
            draft.problem(self.where(row, "id"), f"{kind} id {given!r} is taken or invalid; it is {new!r} here")
        org_text = self.get(row, "org")
        org = draft.org(org_text) if org_text else None
        if kind == "org":
            draft.orgs[new] = label
        elif kind == "actor":
            customer = words(self.get(row, "lane")) == "customer"
            draft.actors[new] = draft.actors.get(new) or _actor(label, customer, org)
        elif kind == "system":
            draft.systems[new] = (label, org)
        elif kind == "data":
            draft.data[new] = label
        elif kind == "outcome":
            draft.outcomes[new] = label
        else:
            draft.stages[new] = label

    # ---- steps

    def step(self, row: int, stage: str | None, lane: str | None) -> tuple[str | None, str | None]:
        draft = self.draft
        label = self.text(row, "label")
        given = self.get(row, "id")
        stage_text = one_line(self.get(row, "stage"))
        if stage_text:
            stage = draft.stage(stage_text)
        lane_text = self.get(row, "lane")
        if lane_text:
            said = row_kind(lane_text)
            lane = said if said in LANE_KINDS else None
            if lane is None:
                draft.problem(
                    self.where(row, "lane"),
                    f"{lane_text!r} is not a lane (evidence, customer, frontstage, backstage, support); kept as a note",
                )
        text = " ".join(c.strip() for c in self.table.rows[row] if c.strip())
        if not label and given:
            label = given
        if not label:
            draft.problem(cell_name(row, 0), "a row without a step label; kept as a note")
            self.unplaced.append((row, text))
            return stage, lane
        if lane is None:
            if not lane_text:
                draft.problem(self.where(row, "lane"), "a step without a lane; kept as a note")
            self.unplaced.append((row, text))
            return stage, lane
        if stage is None:
            draft.problem(self.where(row, "stage"), "a step before any stage; it goes into a stage named 'Stage'")
            stage = draft.stage("Stage")
        step_id = draft.names.take(given) if given else draft.names.derive(label, fallback="step")
        if given and step_id != given:
            draft.problem(self.where(row, "id"), f"step id {given!r} is taken or invalid; it is {step_id!r} here")
        step = DraftStep(step_id, label, lane, stage)
        self.attributes(row, step)
        draft.steps.append(step)
        self.step_rows.append((row, step))
        self.read_steps.add(step.id)
        for column, kind in NOTE_COLUMNS.items():
            for line in self.lines(row, column):
                self.note(kind, step.id, line)
        targets = [t.strip() for t in self.get(row, "next").replace("\n", ",").split(",") if t.strip()]
        if targets:
            self.pending_next.append((row, step, targets))
        return stage, lane

    def attributes(self, row: int, step: DraftStep) -> None:
        draft = self.draft
        org_text = one_line(self.get(row, "org"))
        org = draft.org(org_text) if org_text else None
        actor_text = one_line(self.get(row, "actor"))
        if actor_text:
            step.actor = draft.actor(actor_text, customer=step.lane == "customer" and org is None, org=org)
        systems = [one_line(s).strip() for s in self.get(row, "systems").replace("\n", ",").split(",")]
        step.systems = list(dict.fromkeys(draft.system(s, org if not step.actor else None) for s in systems if s))
        items = [one_line(s).strip() for s in self.get(row, "collects").replace("\n", ",").split(",")]
        step.data = list(dict.fromkeys(draft.datum(s) for s in items if s))
        if org is not None and not _derives(draft, step, org):
            draft.problem(
                self.where(row, "org"),
                f"the step's organisation {org_text!r} follows from no actor or system; kept as a note",
            )
            self.note("note", step.id, f"organisation: {org_text}")
        value = self.get(row, "channel")
        if value:
            step.channel = channel(one_line(value))
        value = self.get(row, "evidence")
        if value:
            step.evidence = evidence(value)
            if step.evidence is None:
                self.kept(row, "evidence", step, f"evidence {value!r} is not assumed, reported, observed or measured")
        value = self.get(row, "duration")
        if value:
            step.duration = duration(value)
            if step.duration is None:
                self.kept(
                    row, "duration", step, f"duration {value!r} is not a whole number and a unit (30m, 2h, 3d, 1w)"
                )
        value = one_line(self.get(row, "outcome"))
        if value:
            step.outcome = draft.outcome(value)

    def kept(self, row: int, column: str, step: DraftStep, message: str) -> None:
        self.draft.problem(self.where(row, column), message + "; kept as a note")
        self.note("note", step.id, f"{column}: {one_line(self.get(row, column))}")

    def note(self, kind: str, step: str, line: str) -> None:
        text, level = line, None
        suffix = _severity_suffix(line) if kind == "pain" else None
        if suffix is not None:
            text, level = suffix
        self.draft.notes.append(DraftNote(kind, step, text, level))

    # ---- flows

    def flows(self) -> None:
        draft = self.draft
        steps = {s.id: s for s in draft.steps}
        by_label = {words(s.label): s.id for s in reversed(draft.steps)}

        def find(text: str) -> str | None:
            return text if text in steps else by_label.get(words(text))

        seen: set[tuple[str, str]] = set()
        for row, step, targets in self.pending_next:
            for target in targets:
                found = find(target)
                if found is None or found == step.id or (step.id, found) in seen:
                    draft.problem(
                        self.where(row, "next"),
                        f"next step {target!r} is no other step of the table, or a flow said twice; kept as a note",
                    )
                    self.note("note", step.id, f"next: {target}")
                    continue
                seen.add((step.id, found))
                step.targets.append(found)
        for row, cells in self.pending_flows:
            source_id, target_id = find(cells["id"]), find(cells["next"])
            if source_id is None or target_id is None or source_id == target_id or (source_id, target_id) in seen:
                draft.problem(
                    self.where(row, "id"),
                    f"flow {cells['id']} -> {cells['next']} joins no two steps, or is said twice; kept as a note",
                )
                self.unplaced.append((row, f"flow {cells['id']} -> {cells['next']} {cells['label']}".strip()))
                continue
            seen.add((source_id, target_id))
            owner = self.owner(row, cells["owner"], source_id)
            draft.flows.append(DraftFlow(source_id, target_id, cells["label"] or None, owner))
        if "next" not in self.columns and "kind" not in self.columns:
            # Nothing says how the steps connect: each step leads to the one on the next row.
            for (_, first), (_, second) in zip(self.step_rows, self.step_rows[1:], strict=False):
                first.targets.append(second.id)

    def owner(self, row: int, text: str, source: str) -> str | None:
        """An actor or org named by id or label; anything else is reported and kept as a note."""
        if not text:
            return None
        draft = self.draft
        wanted = words(text)
        for pool in (draft.actors, draft.orgs):
            if text in pool:
                return text
        for key, actor in draft.actors.items():
            if words(actor.label) == wanted:
                return key
        for key, label in draft.orgs.items():
            if words(label) == wanted:
                return key
        draft.problem(self.where(row, "owner"), f"owner {text!r} is no actor or organisation; kept as a note")
        self.note("note", source, f"handoff owner: {text}")
        return None

    def place_unplaced(self) -> None:
        """What fits nowhere becomes a note on the step above it (or the first step), naming its row."""
        draft = self.draft
        if not draft.steps:
            return
        for row, text in sorted(self.unplaced, key=lambda item: item[0]):
            above = [step for step_row, step in self.step_rows if step_row < row]
            step = above[-1] if above else draft.steps[0]
            draft.notes.append(DraftNote("note", step.id, f"row {row + 1} of the table: {one_line(text)}"))


def _actor(label: str, customer: bool, org: str | None) -> DraftActor:
    return DraftActor(label, customer=customer, org=org)


def _derives(draft: Draft, step: DraftStep, org: str) -> bool:
    """Does the step's org follow from its actor or its first system with an org?"""
    if step.actor is not None:
        return draft.actors[step.actor].org == org
    for system in step.systems:
        owner = draft.systems[system][1]
        if owner is not None:
            return owner == org
    return False


def read_long_table(table: Table, header: int, *, title: str) -> Draft:
    return _Reader(table, header, title).read()
