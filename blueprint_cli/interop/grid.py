"""The designer's grid: a header row of stages, a row per lane, a column per step.

```
            | Admission          |                 | Planning              <- stages (merged cells: empty)
Evidence    | Wristband          |                 | Care plan
Customer    | Arrives on ward    |                 | Is told the date
Onstage     |                    | Assesses needs  | Explains the plan
Backstage   |                    |                 | Refers for home care
Support     |                    | EPR             |
Who         |                    | Ward nurse      | Coordinator           <- optional rows:
Systems     |                    | EPR             | Shared care record       actors, systems,
Pain points | Long wait          |                 |                          channels, pains, notes
```

Rows are recognised by their first cell in any common wording (`vocabulary.ROW_KINDS`); blank
rows and columns are skipped; an empty stage cell continues the stage on its left. In each
lane, a step flows to the next step of the same lane; a customer action flows to the frontstage
step of its column. An actor applies to the staff steps of its column (frontstage, backstage),
systems to the staff and support steps, channels to the customer and frontstage steps, pain
points and notes to the column's customer step (else its first step). Whatever has no place is
reported with its cell and kept as a note on the nearest step.
"""

from __future__ import annotations

from blueprint_cli.interop.draft import Draft, DraftNote, DraftStep
from blueprint_cli.interop.table import Table, cell_name, cleaned, one_line
from blueprint_cli.interop.vocabulary import LANE_KINDS, channel, row_kind


class GridError(Exception):
    """A table that is neither a long table nor a grid; the message says what was expected."""


NOTE_ROWS = ("pain", "workaround", "unknown", "note")


def read_grid(table: Table, *, title: str, flows: bool = True) -> Draft:
    grid = _Grid(table, title)
    grid.title_rows()
    grid.stages()
    grid.steps()
    grid.other_cells()
    _default_customer(grid.draft)
    grid.place_unplaced()
    if flows:
        _flows(grid.draft, grid.column_steps)
    return grid.draft


class _Grid:
    """One grid being read: where its lanes, labels and stage header are, and what was read so far."""

    def __init__(self, table: Table, title: str) -> None:
        table = cleaned(table)
        self.table = table
        self.rows = rows = table.rows
        self.draft = Draft(title=title)
        self.default_title = title
        self.label_col = _label_column(table)
        self.kinds = _row_kinds(rows, self.label_col)
        # A lone cell above everything ("Customer onboarding") is a title, not an empty lane.
        wide = [r for r, row in enumerate(rows) if any(row[self.label_col + 1 :])]
        start = wide[0] if wide else 0
        self.lanes = {r: kind for r, kind in self.kinds.items() if kind in LANE_KINDS and r >= start}
        if not self.lanes:
            raise GridError(f"{table.name}: the lane rows hold no steps (a column per step, right of the lane names)")
        self.first_lane = min(self.lanes)
        # The stage header: the last row above the first lane row with something right of the labels.
        # The stage header: a row named like one ("Stage", "Journey phase"), else the last row above
        # the first lane row with something right of the labels.
        above = range(self.first_lane - 1, -1, -1)
        named = next((r for r in above if self.kinds[r] == "stage" and any(rows[r][self.label_col + 1 :])), None)
        self.header = (
            named if named is not None else next((r for r in above if any(rows[r][self.label_col + 1 :])), None)
        )
        self.unplaced: list[tuple[int, int, str]] = []  # (row, column, text)
        self.stage_of: dict[int, str] = {}
        self.column_steps: dict[int, list[DraftStep]] = {}

    def title_rows(self) -> None:
        """Above the stage header: a lone cell is the title; anything else cannot be placed."""
        for r in range(0, self.header if self.header is not None else self.first_lane):
            filled = [(c, v) for c, v in enumerate(self.rows[r]) if v]
            if len(filled) == 1 and self.draft.title == self.default_title:
                self.draft.title = one_line(filled[0][1])
            else:
                self.unplaced += [(r, c, v) for c, v in filled]

    def stages(self) -> None:
        """A stage per named header cell; an empty cell (a merged cell) continues the stage on its left."""
        current: str | None = None
        for c in range(self.label_col + 1, self.table.width):
            text = one_line(self.table.cell(self.header, c)) if self.header is not None else ""
            if text:
                current = self.draft.names.derive(text, fallback="stage")
                self.draft.stages[current] = text
            if current is not None:
                self.stage_of[c] = current
        if self.header is None:
            self.draft.problem(
                cell_name(self.first_lane, self.label_col), "no header row of stages above the lanes; one stage for all"
            )
        else:
            self.unplaced += [(self.header, c, v) for c, v in enumerate(self.rows[self.header][: self.label_col]) if v]

    def steps(self) -> None:
        """Steps column by column, lanes top to bottom as written."""
        draft = self.draft
        for c in range(self.label_col + 1, self.table.width):
            for r, lane in self.lanes.items():
                text = one_line(self.table.cell(r, c))
                if not text:
                    continue
                if c not in self.stage_of:
                    draft.problem(cell_name(r, c), "a step left of the first stage; it goes into a stage named 'Stage'")
                    self.stage_of[c] = _default_stage(draft)
                step = DraftStep(draft.names.derive(text, fallback="step"), text, lane, self.stage_of[c])
                draft.steps.append(step)
                self.column_steps.setdefault(c, []).append(step)
        if not draft.steps:
            raise GridError(
                f"{self.table.name}: the lane rows hold no steps (a column per step, right of the lane names)"
            )
        used = {s.stage for s in draft.steps}
        draft.stages = {k: v for k, v in draft.stages.items() if k in used}  # a stage with no step shows nothing

    def other_cells(self) -> None:
        """Attribute rows go on the steps of their column; rows of no known kind and stray cells cannot be placed."""
        start = self.header + 1 if self.header is not None else self.first_lane
        for r in range(start, len(self.rows)):
            kind = self.kinds[r]
            for c, value in enumerate(self.rows[r]):
                if not value or c == self.label_col or (r in self.lanes and c > self.label_col):
                    continue
                placeable = c > self.label_col and kind is not None and kind != "line" and kind not in LANE_KINDS
                if not (
                    placeable and kind is not None and _apply(self.draft, kind, value, self.column_steps.get(c, []))
                ):
                    self.unplaced.append((r, c, value))

    def _where(self, row: int, column: int) -> str:
        top = self.header if self.header is not None else self.first_lane
        name = self.table.cell(row, self.label_col)
        if row < top:
            return "above the grid"
        if column < self.label_col:
            return "left of the row names"
        return f"row '{one_line(name)}'" if name else "a row with no name"

    def place_unplaced(self) -> None:
        """Each cell that fits nowhere is reported and kept as a note on the nearest step."""
        for r, c, value in sorted(self.unplaced):
            step = _nearest(self.column_steps, c) or self.draft.steps[0]
            what = self._where(r, c)
            self.draft.problem(
                cell_name(r, c), f"{what}: cannot place {one_line(value)!r}; kept as a note on '{step.label}'"
            )
            self.draft.notes.append(DraftNote("note", step.id, f"{cell_name(r, c)}: {one_line(value)}"))


def _label_column(table: Table) -> int:
    """The column of the row names: where most rows whose first cell names a lane have it."""
    columns: list[int] = []
    for row in table.rows:
        first = next((c for c, v in enumerate(row) if v), None)
        if first is not None and row_kind(row[first]) in LANE_KINDS:
            columns.append(first)
    if not columns:
        sideways = any(sum(row_kind(v) in LANE_KINDS for v in row) >= 2 for row in table.rows)
        raise GridError(
            f"{table.name}: found no lane rows. "
            + ("The lanes seem to be columns: transpose the table, a row per lane. " if sideways else "")
            + "A grid names its rows in the first column "
            "('Customer actions', 'Frontstage', 'Backstage', 'Support processes', 'Physical evidence'); "
            "a long table has a header row with at least 'lane' and 'label' (or 'step')"
        )
    return min(set(columns), key=lambda c: (-columns.count(c), c))


def _row_kinds(rows: list[list[str]], label_col: int) -> dict[int, str | None]:
    """Each row's kind from its name; a row with no name right under a named one (a merged name cell) continues it."""
    kinds: dict[int, str | None] = {}
    for r, row in enumerate(rows):
        name = row[label_col] if len(row) > label_col else ""
        if name or r == 0:
            kinds[r] = row_kind(name) if name else None
        elif any(row[label_col + 1 :]) and any(rows[r - 1]) and kinds[r - 1] not in (None, "line"):
            kinds[r] = kinds[r - 1]
        else:
            kinds[r] = None
    return kinds


def _default_stage(draft: Draft) -> str:
    """The stage of steps left of the first stage name, created once, first."""
    for key, label in draft.stages.items():
        if label == "Stage" and key.startswith("stage"):
            return key
    stage = draft.names.derive("Stage", fallback="stage")
    draft.stages = {stage: "Stage", **draft.stages}
    return stage


def _apply(draft: Draft, kind: str, value: str, steps: list[DraftStep]) -> bool:
    """Put an attribute cell on the steps of its column; False when it fits none."""
    if not steps:
        return False
    if kind == "actor":
        staff = [s for s in steps if s.lane in ("frontstage", "backstage")]
        targets = staff or [s for s in steps if s.lane == "customer"]
        if not targets:
            return False
        actor = draft.actor(one_line(value), customer=not staff, org=None)
        for step in targets:
            step.actor = actor
        return True
    if kind == "system":
        targets = [s for s in steps if s.lane in ("frontstage", "backstage", "support")] or steps
        names = [n.strip() for n in value.replace("\n", ",").split(",") if n.strip()]
        for step in targets:
            step.systems = list(dict.fromkeys(step.systems + [draft.system(n) for n in names]))
        return True
    if kind == "channel":
        targets = [s for s in steps if s.lane in ("customer", "frontstage")] or steps[:1]
        for step in targets:
            step.channel = channel(one_line(value))
        return True
    if kind in NOTE_ROWS:
        step = next((s for s in steps if s.lane == "customer"), steps[0])
        for line in value.split("\n"):
            draft.notes.append(DraftNote(kind, step.id, line))
        return True
    return False


def _default_customer(draft: Draft) -> None:
    """Customer actions with no actor are done by the customer the row names ("Customer actions" -> Customer)."""
    lonely = [s for s in draft.steps if s.lane == "customer" and s.actor is None]
    if not lonely:
        return
    customers = [k for k, a in draft.actors.items() if a.customer]
    actor = customers[0] if len(customers) == 1 else draft.actor("Customer", customer=True, org=None)
    for step in lonely:
        step.actor = actor


def _nearest(column_steps: dict[int, list[DraftStep]], column: int) -> DraftStep | None:
    """The first step of the column, else of the nearest column to its left, else to its right."""
    left = [c for c in column_steps if c <= column]
    if left:
        return column_steps[max(left)][0]
    right = [c for c in column_steps if c > column]
    return column_steps[min(right)][0] if right else None


def _flows(draft: Draft, column_steps: dict[int, list[DraftStep]]) -> None:
    last: dict[str, DraftStep] = {}
    for column in sorted(column_steps):
        steps = column_steps[column]
        for step in steps:
            if step.lane == "evidence":
                continue
            before = last.get(step.lane)
            if before is not None:
                before.targets.append(step.id)
            last[step.lane] = step
        customer = next((s for s in steps if s.lane == "customer"), None)
        front = next((s for s in steps if s.lane == "frontstage"), None)
        if customer is not None and front is not None:
            customer.targets.append(front.id)
