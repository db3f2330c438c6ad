"""`blueprint export --format csv` and `blueprint import`: the long table, the designer's grid, CSV and Excel."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import CASES, sample_files
from hypothesis import given, settings
from hypothesis import strategies as st

from blueprint_cli.interop.ids import Namer, slug
from blueprint_cli.interop.importer import SpreadsheetError, import_table
from blueprint_cli.interop.long_table import protect, to_rows, unprotect
from blueprint_cli.interop.table import Table, cell_name, read_csv_bytes
from blueprint_cli.language.fmt import format_document
from blueprint_cli.language.parser import parse_document
from blueprint_cli.language.resolve import load, load_text
from blueprint_cli.language.source import Source

ROUND_TRIP = sample_files() + sorted((CASES / "parse").glob("*.blueprint"))


def _model(document: str) -> object:
    """`export --format json` without what depends on where the text was: locations, paths, includes."""

    def strip(value: object) -> object:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("location", "path", "includes")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(json.loads(document))


def _import(run_cli, path: Path, *args: str) -> tuple[int, str, str]:
    return run_cli("import", str(path), *args)


# ---------------------------------------------------------------- round trip


@pytest.mark.parametrize("path", ROUND_TRIP, ids=lambda p: p.name)
def test_export_csv_then_import_gives_the_same_model(path, tmp_path, run_cli):
    table = tmp_path / "table.csv"
    code, _, err = run_cli("export", str(path), "--format", "csv", "-o", str(table))
    assert code == 0, err
    imported = tmp_path / "imported.blueprint"
    code, _, err = _import(run_cli, table, "-o", str(imported))
    assert code == 0, err
    assert "warning" not in err
    _, before, _ = run_cli("export", str(path), "--format", "json")
    code, after, err = run_cli("export", str(imported), "--format", "json")
    assert code == 0, err
    assert _model(after) == _model(before)
    # The file is in the canonical layout and passes check as the original does.
    text = imported.read_text(encoding="utf-8")
    assert format_document(parse_document(Source("x", text)), text) == text
    code, _, err = run_cli("fmt", "--check", str(imported))
    assert code == 0, err


def test_the_long_table_has_one_row_per_step_with_the_columns_people_read():
    blueprint = load(CASES / "parse" / "language_example.blueprint")
    rows = to_rows(blueprint)
    header = rows[0]
    assert header[:5] == ["kind", "stage", "lane", "id", "label"]
    steps = [dict(zip(header, row, strict=True)) for row in rows if row[0] == "step"]
    assert [s["id"] for s in steps] == list(blueprint.steps)
    refer = next(s for s in steps if s["id"] == "refer")
    assert refer["actor"] == "coordinator" and refer["org"] == "hospital" and refer["systems"] == "care_record"


def test_cells_a_spreadsheet_would_run_as_formulas_are_protected_and_read_back():
    for text in ["=SUM(A1)", "+1", "-x", "@here", "'=quoted", "''=twice", "plain", "'plain", ""]:
        assert unprotect(protect(text)) == text
    assert protect("=HYPERLINK(1)").startswith("'")
    hostile = """blueprint "=cmd|' /C calc'!A0"
stage s "Stage"
  customer a "-2+3" by c
actor c "@customer" customer
"""
    blueprint = load_text(hostile)
    rows = to_rows(blueprint)
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    result = import_table(Table("t.csv", rows), title="x")
    assert load_text(result.text) == blueprint


# ---------------------------------------------------------------- the designer's grid

GRID = """;;;;;;;
;Service blueprint: Library card;;;;;;
;;;;;;;
;Stage;Find out;;Join;;;Use
;Physical evidence;Poster;;Card;;;
;Customer actions;Sees the poster;;"Fills in ""the"" <form>";;;Borrows a book
;- - - line of interaction - - -;;;;;;
;Onstage / visible staff;;;Checks ID;Prints the card;;Scans the book
;Behind the scenes;;;Creates record;;;
;Support processes;;;Library system;;;
;;;;;;;
;Who;;;Librarian;Librarian;;Librarian
;Tools;;;Library system, Card printer;;;
;Pain points;;;Long queue;;;
;Random row;x;;;;;
"""


def _grid_csv(tmp_path: Path, text: str = GRID, encoding: str = "utf-8-sig") -> Path:
    path = tmp_path / "library-card.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_a_grid_with_bom_semicolons_blank_rows_and_columns(tmp_path, run_cli):
    path = _grid_csv(tmp_path)
    out = tmp_path / "library.blueprint"
    code, _, err = _import(run_cli, path, "-o", str(out))
    assert code == 0, err
    blueprint = load(out)
    assert blueprint.title == "Service blueprint: Library card"
    assert [s.label for s in blueprint.stages.values()] == ["Find out", "Join", "Use"]
    steps = {s.label: s for s in blueprint.steps.values()}
    assert steps["Poster"].lane.value == "evidence"
    assert steps["Sees the poster"].lane.value == "customer"
    assert steps['Fills in "the" <form>'].stage == "join"
    # An empty stage cell continues the stage on its left (a merged cell).
    assert steps["Prints the card"].stage == "join" and steps["Prints the card"].lane.value == "frontstage"
    assert steps["Creates record"].lane.value == "backstage" and steps["Library system"].lane.value == "support"
    librarian = steps["Checks ID"].actor
    assert librarian is not None and blueprint.actors[librarian].label == "Librarian"
    assert [blueprint.systems[s].label for s in steps["Checks ID"].systems] == ["Library system", "Card printer"]
    assert steps["Sees the poster"].actor is not None and blueprint.actors[steps["Sees the poster"].actor].customer
    flows = {(blueprint.steps[f.source].label, blueprint.steps[f.target].label) for f in blueprint.flows}
    assert ("Sees the poster", 'Fills in "the" <form>') in flows  # along the lane
    assert ("Checks ID", "Prints the card") in flows
    assert ('Fills in "the" <form>', "Checks ID") in flows  # the customer's action gets its response
    pains = blueprint.annotations_of(next(k for k, s in blueprint.steps.items() if s.label.startswith("Fills")), "pain")
    assert [p.text for p in pains] == ["Long queue"]
    # What cannot be placed is reported with its cell and kept as a note.
    assert "C15" in err and "Random row" in err
    notes = [a.text for a in blueprint.annotations if a.kind == "note"]
    assert notes == ["C15: x"]
    code, _, err = run_cli("check", str(out))
    assert code == 0, err
    code, _, err = run_cli("fmt", "--check", str(out))
    assert code == 0, err


@pytest.mark.parametrize(
    ("words", "lane"),
    [
        ("Physical evidence", "evidence"),
        ("Touchpoints", "evidence"),
        ("Customer journey", "customer"),
        ("User actions", "customer"),
        ("Frontstage", "frontstage"),
        ("Front-stage actions", "frontstage"),
        ("Onstage/Visible Contact Employee Actions", "frontstage"),
        ("Backstage", "backstage"),
        ("Back stage", "backstage"),
        ("Invisible employee actions", "backstage"),
        ("Support processes", "support"),
        ("SUPPORT SYSTEMS", "support"),
    ],
)
def test_lane_names_in_other_words(words, lane):
    rows = [["", "Stage one"], [words, "Does a thing"]]
    result = import_table(Table("t.csv", rows), title="T")
    (step,) = load_text(result.text).steps.values()
    assert step.lane.value == lane


def test_a_comma_csv_in_windows_1252_without_bom(tmp_path, run_cli):
    text = "Phase,Découverte,,Usage\r\nCustomer,Voit l'affiche,Appelle,Emprunte\r\nFrontstage,,Répond,\r\n"
    path = tmp_path / "grid.csv"
    path.write_bytes(text.encode("cp1252"))
    code, out, err = _import(run_cli, path)
    assert code == 0, err
    blueprint = load_text(out)
    assert [s.label for s in blueprint.stages.values()] == ["Découverte", "Usage"]
    assert blueprint.steps["appelle"].stage == "decouverte"


def test_an_xlsx_grid_with_merged_stage_cells(tmp_path, run_cli):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Blueprint"
    sheet["B2"] = "Arrival"
    sheet["D2"] = "Stay"
    sheet.merge_cells("B2:C2")
    sheet["A3"] = "Customer Actions"
    sheet["B3"] = "Checks in"
    sheet["C3"] = "Goes to the room"
    sheet["D3"] = 42  # a number in a cell
    sheet["A5"] = "Front of house\nstaff"
    sheet["B5"] = "Gives the key"
    sheet["A6"] = "Back-Office"
    sheet["C6"] = "Cleans the room"
    sheet["A7"] = "Systems"
    sheet["B7"] = "Booking system"
    sheet["A8"] = "Actors"
    sheet["B8"] = "Receptionist"
    sheet["A9"] = "Mystery"
    sheet["D9"] = "not placed"
    path = tmp_path / "hotel.xlsx"
    book.save(path)
    out = tmp_path / "hotel.blueprint"
    code, _, err = _import(run_cli, path, "-o", str(out))
    assert code == 0, err
    blueprint = load(out)
    assert blueprint.title == "Hotel"
    steps = {s.label: s for s in blueprint.steps.values()}
    assert steps["Goes to the room"].stage == steps["Checks in"].stage == "arrival"
    assert steps["42"].stage == "stay"
    assert steps["Gives the key"].lane.value == "frontstage" and steps["Cleans the room"].lane.value == "backstage"
    assert blueprint.actors[steps["Gives the key"].actor].label == "Receptionist"
    assert [blueprint.systems[s].label for s in steps["Gives the key"].systems] == ["Booking system"]
    assert "D9" in err
    assert any(a.text == "D9: not placed" for a in blueprint.annotations)
    code, _, err = _import(run_cli, path, "--sheet", "Nope")
    assert code == 2 and "Blueprint" in err and "Traceback" not in err


def test_a_long_table_written_by_hand_derives_ids_and_flows(tmp_path, run_cli):
    text = (
        "\ufeffStage;Lane;Step;Who;Team;Tools;Channel;Pain points\n"
        "Apply;Customer actions;Fills in the form;Applicant;;;Website;Too long (high)\n"
        ";;Fills in the form;Applicant;;;;\n"
        ";Backstage;Checks the form;Case worker;Council;Case system;;\n"
        "Decide;Frontstage;Sends the decision;Case worker;;;Letter;\n"
        ";Sideways;Lost step;;;;;\n"
    )
    path = tmp_path / "long.csv"
    path.write_text(text, encoding="utf-8")
    code, out, err = _import(run_cli, path)
    assert code == 0, err
    blueprint = load_text(out)
    assert list(blueprint.steps) == [
        "fills_in_the_form",
        "fills_in_the_form_2",
        "checks_the_form",
        "sends_the_decision",
    ]
    first = blueprint.steps["fills_in_the_form"]
    assert first.channel == "web" and blueprint.actors[first.actor].customer
    assert blueprint.steps["fills_in_the_form_2"].lane.value == "customer"  # an empty cell repeats the one above
    assert blueprint.steps["checks_the_form"].org == "council"
    assert blueprint.steps["sends_the_decision"].channel == "letter"
    assert [(f.source, f.target) for f in blueprint.flows] == [
        ("fills_in_the_form", "fills_in_the_form_2"),
        ("fills_in_the_form_2", "checks_the_form"),
        ("checks_the_form", "sends_the_decision"),
    ]
    (pain,) = blueprint.annotations_of("fills_in_the_form", "pain")
    assert pain.text == "Too long" and pain.severity == "high"
    assert "B6" in err and "Sideways" in err
    assert any("Lost step" in a.text for a in blueprint.annotations_of("sends_the_decision", "note"))


def test_no_flows_when_asked(tmp_path, run_cli):
    code, out, err = _import(run_cli, _grid_csv(tmp_path), "--no-flows")
    assert code == 0, err
    assert load_text(out).flows == ()


# ---------------------------------------------------------------- bad input and safe writing


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"a,b,c\n1,2,3\n", "no lane rows"),
        (b"Stage,Customer,Frontstage\nJoin,Signs up,Checks\n", "transpose"),
        (b"PK\x03\x04rest", "Excel workbook"),
        (b"Stage,One\r\nCustomer,\r\n", "no steps"),
    ],
)
def test_bad_tables_are_clear_errors(tmp_path, run_cli, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    code, out, err = _import(run_cli, path)
    assert code == 2
    assert message in err and "Traceback" not in err and "internal error" not in err
    assert out == ""


def test_a_broken_xlsx_and_a_missing_file_are_clear_errors(tmp_path, run_cli):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a zip")
    code, _, err = _import(run_cli, path)
    assert code == 2 and "broken.xlsx" in err and "Traceback" not in err
    code, _, err = _import(run_cli, tmp_path / "missing.csv")
    assert code == 2 and "missing.csv" in err


def test_never_overwrites_the_input_or_an_existing_file(tmp_path, run_cli):
    grid = _grid_csv(tmp_path)
    before = grid.read_bytes()
    code, _, err = _import(run_cli, grid, "-o", str(grid))
    assert code == 2 and "is the input file" in err
    assert grid.read_bytes() == before
    existing = tmp_path / "mine.blueprint"
    existing.write_text("precious", encoding="utf-8")
    code, _, err = _import(run_cli, grid, "-o", str(existing))
    assert code == 2 and "--force" in err
    assert existing.read_text(encoding="utf-8") == "precious"
    code, _, err = _import(run_cli, grid, "-o", str(existing), "--force")
    assert code == 0, err
    assert existing.read_text(encoding="utf-8").startswith("blueprint ")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


# ---------------------------------------------------------------- pieces


def test_ids_from_labels_are_valid_short_and_unique():
    namer = Namer()
    assert namer.derive("Arrives on the ward", fallback="step") == "arrives_on_the_ward"
    assert namer.derive("Arrives on the ward!", fallback="step") == "arrives_on_the_ward_2"
    assert namer.derive("3 días", fallback="step") == "step_3_dias"
    assert namer.derive("😀", fallback="step") == "step"
    assert len(slug("a very long label that goes on and on well past any sensible id length")) <= 32


def test_cell_names_and_delimiters():
    assert cell_name(6, 1) == "B7" and cell_name(0, 26) == "AA1" and cell_name(0, 0) == "A1"
    assert read_csv_bytes("x", b"a;b;c\n1;2;3\n").rows == [["a", "b", "c"], ["1", "2", "3"]]
    assert read_csv_bytes("x", b"a\tb\n").rows == [["a", "b"]]
    assert read_csv_bytes("x", b'\xef\xbb\xbf"a,1";b\n').rows == [["a,1", "b"]]
    assert read_csv_bytes("x", "Stage\tJoin\r\nCustomer\tSigns up\r\n".encode("utf-16")).rows == [
        ["Stage", "Join"],
        ["Customer", "Signs up"],
    ]


def test_an_empty_table_is_an_error():
    with pytest.raises(SpreadsheetError):
        import_table(Table("t.csv", [[""]]), title="T")


# ---------------------------------------------------------------- any label survives the round trip

_LABEL = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\u0085"),
    min_size=1,
    max_size=30,
)


_PAIN = st.one_of(_LABEL, st.builds(lambda t, s: f"{t} ({s})", _LABEL, st.sampled_from(["low", "high", "none", "x"])))


@settings(max_examples=80, deadline=None)
@given(
    title=_LABEL,
    stage=_LABEL,
    labels=st.lists(_LABEL, min_size=1, max_size=4),
    pain=_PAIN,
    level=st.sampled_from(["", " [severity=low]", " [severity=high]"]),
    flow=_LABEL,
)
def test_any_text_survives_csv_and_back(title, stage, labels, pain, level, flow):
    from blueprint_cli.language.fmt import quote

    lines = [f"blueprint {quote(title)}", 'actor c "C" customer', f"stage s {quote(stage)}"]
    lines += [f"  customer a{i} {quote(label)} by c" for i, label in enumerate(labels)]
    lines.append(f"pain a0 {quote(pain)}{level}")
    if len(labels) > 1:
        lines.append(f"flow a0 -> a1 {quote(flow)}")
    blueprint = load_text("\n".join(lines) + "\n")
    from blueprint_cli.interop.table import write_csv

    data = write_csv(to_rows(blueprint)).encode("utf-8")
    result = import_table(read_csv_bytes("t.csv", data), title="x")
    assert load_text(result.text) == blueprint


def test_a_merged_lane_name_continues_and_a_title_naming_the_customer_is_a_title():
    rows = [
        ["Customer onboarding"],
        [],
        ["", "Sign up", "", "Use"],
        ["Customer", "Fills in the form", "", "Logs in"],
        ["Frontstage", "Checks the form", "", ""],
        ["", "Calls back", "", "Answers questions"],  # the lane name cell was merged over two rows
        ["Pain points", "Slow"],
        ["", "Confusing"],
        [],
        ["", "", "", "stray"],
    ]
    result = import_table(Table("t.csv", rows), title="T")
    blueprint = load_text(result.text)
    assert blueprint.title == "Customer onboarding"
    lanes = {s.label: s.lane.value for s in blueprint.steps.values()}
    assert lanes["Calls back"] == "frontstage" and lanes["Answers questions"] == "frontstage"
    pains = [a.text for a in blueprint.annotations if a.kind == "pain"]
    assert pains == ["Slow", "Confusing"]
    assert [str(p) for p in result.problems] == [
        "D10: a row with no name: cannot place 'stray'; kept as a note on 'Logs in'"
    ]


def test_standard_input_and_files_that_are_not_tables(tmp_path, run_cli, monkeypatch):
    import io
    import sys

    data = GRID.encode("utf-8-sig")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, err = run_cli("import", "-")
    assert code == 0, err
    assert load_text(out).title == "Service blueprint: Library card"
    code, _, err = run_cli("import", str(tmp_path))
    assert code == 2 and "directory" in err and "Traceback" not in err


def test_the_library_face_imports_and_exports(tmp_path):
    from blueprint_cli import pipeline
    from blueprint_cli.failures import Failure

    blueprint = pipeline.load(str(CASES / "parse" / "language_example.blueprint"))
    table = tmp_path / "t.csv"
    table.write_text(pipeline.export(blueprint, "csv"), encoding="utf-8")
    imported = pipeline.import_spreadsheet(str(table))
    assert pipeline.load_text(imported.text) == blueprint and imported.shape == "long table"
    assert {f: pipeline.export(blueprint, f)[:1] for f in pipeline.EXPORT_FORMATS} == {
        "json": "{",
        "text": "b",
        "csv": "k",
        "mermaid": "f",
        "plantuml": "@",
    }
    with pytest.raises(Failure):
        pipeline.import_spreadsheet(str(tmp_path / "missing.csv"))


def test_a_long_table_under_a_title_row():
    rows = [
        ["Moving house: as-is"],
        ["Version", "3"],
        ["Phase", "Swimlane", "Activity"],
        ["Move", "Customer", "Packs boxes"],
    ]
    result = import_table(Table("t.csv", rows), title="T")
    blueprint = load_text(result.text)
    assert result.shape == "long table" and blueprint.title == "Moving house: as-is"
    assert [p.cell for p in result.problems] == ["A2", "B2"]
    assert [a.text for a in blueprint.annotations] == ["row 2 of the table: Version", "row 2 of the table: 3"]
    assert [(s.label, s.lane.value, blueprint.stages[s.stage].label) for s in blueprint.steps.values()] == [
        ("Packs boxes", "customer", "Move")
    ]


def test_the_title_option_wins_over_a_title_row(tmp_path, run_cli):
    code, out, err = _import(run_cli, _grid_csv(tmp_path), "--title", 'Mine "quoted"')
    assert code == 0, err
    assert load_text(out).title == 'Mine "quoted"'
    code, out, err = _import(run_cli, _grid_csv(tmp_path))
    assert load_text(out).title == "Service blueprint: Library card"


# ---------------------------------------------------------------- whatever the table, a clear answer

_CELL = st.one_of(
    st.just(""),
    st.sampled_from(
        ["Customer actions", "Frontstage", "Backstage", "Support", "Evidence", "Stage", "Who", "Tools", "Pain points"]
        + ["kind", "lane", "label", "step", "next", "stage", "id", "org", "flow", "renamed", "actor", "pain"]
        + ["customer", "backstage", "a", "b", "end", "=1+1", "Line of visibility", "high", "30 min", "phone"]
    ),
    st.text(max_size=12),
)


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.lists(_CELL, max_size=6), max_size=8))
def test_any_table_imports_or_says_why(rows):
    try:
        result = import_table(Table("t.csv", rows), title="T")
    except SpreadsheetError as error:
        assert "bug" not in str(error)
        return
    blueprint = load_text(result.text)  # valid, whatever was in the cells
    assert format_document(parse_document(Source("x", result.text)), result.text) == result.text
    assert all(re.fullmatch(r"[A-Z]+[0-9]+", p.cell) for p in result.problems)
    assert blueprint.title


def test_a_stage_row_named_after_the_customer_is_the_stage_header():
    rows = [
        ["Customer journey stage", "Discover", "Apply"],
        ["Customer actions", "Reads about it", "Fills in the form"],
        ["Backstage", "", "Checks the form"],
        ["Notes", "note under the grid", ""],
    ]
    result = import_table(Table("t.csv", rows), title="T")
    blueprint = load_text(result.text)
    assert [s.label for s in blueprint.stages.values()] == ["Discover", "Apply"]
    assert [s.label for s in blueprint.steps.values()] == ["Reads about it", "Fills in the form", "Checks the form"]
    assert [a.text for a in blueprint.annotations] == ["note under the grid"]
