"""`blueprint lsp` through a real client: the server is spawned and spoken to in JSON-RPC over stdio."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLES
from lsp_client import Client, ServerError, blueprint_argv

SEVERITY = {"error": 1, "warning": 2, "note": 3}


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    c = Client()
    c.initialize(Path.cwd())
    yield c
    assert c.close() == 0
    assert b"Traceback" not in c.stderr, c.stderr.decode(errors="replace")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the samples (with the shared folder), so that edits never touch the repository."""
    target = tmp_path / "samples"
    shutil.copytree(SAMPLES, target)
    return target


def position(text: str, needle: str, *, nth: int = 0, offset: int = 0) -> dict[str, int]:
    """The LSP position of the `nth` occurrence of `needle` (plus `offset` characters)."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    at += offset
    line = text.count("\n", 0, at)
    return {"line": line, "character": at - (text.rfind("\n", 0, at) + 1)}


def at_end_of(text: str, needle: str) -> dict[str, int]:
    return position(text, needle, offset=len(needle))


def doc(uri: str) -> dict[str, str]:
    return {"uri": uri}


def apply(text: str, edits: list[dict[str, Any]]) -> str:
    """Apply LSP text edits (the texts here are in the Basic Multilingual Plane: UTF-16 = characters)."""
    lines = text.split("\n")

    def offset(pos: dict[str, int]) -> int:
        line = min(pos["line"], len(lines))
        return sum(len(x) + 1 for x in lines[:line]) + (pos["character"] if line < len(lines) else 0)

    for edit in sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True):
        start, end = offset(edit["range"]["start"]), min(offset(edit["range"]["end"]), len(text))
        text = text[:start] + edit["newText"] + text[end:]
    return text


def check_json(path: Path) -> dict[str, Any]:
    done = subprocess.run(blueprint_argv() + ["check", "--format", "json", str(path)], capture_output=True, text=True)
    found: dict[str, Any] = json.loads(done.stdout)["files"][0]
    return found


def as_set(entries: list[dict[str, Any]]) -> set[tuple[Any, ...]]:
    return {
        (e["code"], SEVERITY[e["severity"]], e["message"], e["location"]["line"] - 1, e["location"]["column"] - 1)
        for e in entries
    }


def lsp_set(diagnostics: list[dict[str, Any]]) -> set[tuple[Any, ...]]:
    return {
        (d["code"], d["severity"], d["message"].split("\nhint: ")[0], d["range"]["start"]["line"],
         d["range"]["start"]["character"])
        for d in diagnostics
    }  # fmt: skip


BROKEN = """blueprint "Broken"
org hospital "Hospital"
actor nurse "Nurse" @hospitl
stge admission "Admission"
stage admission "Admission"
  customer arrive "Arrives" by nures [chanel=web]
  frontstage assess "Assesses" by nurse [duration="2 hours", evidence=observd]
flow arrive -> asess
"""


def test_capabilities_cover_every_feature() -> None:
    other = Client()
    try:
        caps = other.initialize(Path.cwd())["capabilities"]
    finally:
        other.close()
    for name in (
        "completionProvider", "hoverProvider", "definitionProvider", "referencesProvider", "renameProvider",
        "documentSymbolProvider", "documentFormattingProvider", "codeActionProvider",
    ):  # fmt: skip
        assert caps.get(name), name


@pytest.mark.parametrize(
    "text", [BROKEN, 'blueprint "x"\nstage s "S"\n  customr a "A"\n'], ids=["references", "syntax"]
)
def test_diagnostics_are_those_of_check(client: Client, tmp_path: Path, text: str) -> None:
    path = tmp_path / "broken.blueprint"
    path.write_text(text, encoding="utf-8")
    uri = client.open(path)
    expected = as_set(check_json(path)["diagnostics"])
    assert expected  # the text is broken: check reports something
    assert lsp_set(client.diagnostics(uri)) == expected


@pytest.mark.parametrize("name", ["hospital-discharge.observed.blueprint", "back-to-work.intended.blueprint"])
def test_findings_of_the_rules_are_those_of_check(client: Client, project: Path, name: str) -> None:
    path = project / name
    uri = client.open(path)
    result = check_json(path)
    assert result["valid"]
    assert lsp_set(client.diagnostics(uri)) == as_set(result["findings"])


def test_a_shared_file_alone_and_its_problems_in_the_files_that_include_it(client: Client, project: Path) -> None:
    shared = project / "shared" / "nhs-orgs.blueprint"
    shared_uri = client.open(shared)
    assert client.diagnostics(shared_uri) == []  # declarations only: no 'missing blueprint line'
    edited = shared.read_text(encoding="utf-8") + 'actor x "X" @nowhere_org\n'
    client.change(shared_uri, edited, 2)  # typed and saved
    shared.write_text(edited, encoding="utf-8")
    main = project / "back-to-work.intended.blueprint"
    text = main.read_text(encoding="utf-8")
    found = [d for d in client.diagnostics(client.open(main)) if d["severity"] == 1]
    lines = shared.read_text(encoding="utf-8").rstrip("\n").split("\n")
    where = f"{len(lines)}:{lines[-1].index('nowhere_org') + 1}"
    assert [d["message"].split("\n")[0] for d in found] == [f"in nhs-orgs.blueprint:{where}: unknown org 'nowhere_org'"]
    assert found[0]["range"]["start"] == position(text, '"shared/nhs-orgs.blueprint"')  # the include line


def test_an_unsaved_include_is_what_the_including_file_sees(client: Client, project: Path) -> None:
    main = project / "back-to-work.intended.blueprint"
    shared = project / "shared" / "nhs-orgs.blueprint"
    saved = shared.read_text(encoding="utf-8")
    main_uri = client.open(main)

    def errors() -> list[str]:
        return [d["message"].split("\n")[0] for d in client.diagnostics(main_uri) if d["severity"] == 1]

    assert errors() == []
    shared_uri = client.open(shared)
    client.change(shared_uri, saved + 'actor x "X" @nowhere_org\n', 2)  # typed, not saved
    assert shared.read_text(encoding="utf-8") == saved
    found = errors()
    for _ in range(3):  # publishes for the main file made before the change came through show none
        if found:
            break
        found = errors()
    assert len(found) == 1 and found[0].endswith("unknown org 'nowhere_org'"), found
    client.notify("textDocument/didClose", {"textDocument": doc(shared_uri)})  # closed without saving
    assert errors() == []  # read from disk again


def test_diagnostics_follow_changes_debounced(client: Client, tmp_path: Path) -> None:
    path = tmp_path / "typing.blueprint"
    good = 'blueprint "T"\nactor a "A" customer\nstage s "S"\n  customer x "X" by a\n'
    uri = client.open(path, good)

    def errors(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [d for d in found if d["severity"] == 1]

    assert errors(client.diagnostics(uri)) == []
    typed = good + '  customer y "Y" by '
    for version in range(2, 12):  # a burst of ten keystrokes
        client.change(uri, typed + "x" * version + "\n", version)
    seen: set[int] = set()

    def last(params: dict[str, Any]) -> bool:
        if params["uri"] == uri:
            seen.add(params.get("version"))
        return bool(params["uri"] == uri and params.get("version") == 11)

    final = errors(client.wait_for("textDocument/publishDiagnostics", last)["diagnostics"])
    assert [d["message"].split("\n")[0] for d in final] == ["unknown actor '" + "x" * 11 + "'"]
    assert len(seen) <= 3, f"the burst was analysed {len(seen)} times: {sorted(seen)}"  # debounced: once, or so
    client.change(uri, good, 20)
    assert errors(client.diagnostics(uri)) == []


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-32"])
def test_positions_count_in_the_negotiated_encoding(tmp_path: Path, encoding: str) -> None:
    head = '  customer a "Ça 😀 va" by '
    text = 'blueprint "T"\nstage s "S"\n' + head + "nures\n"
    units = {"utf-16": len(head.encode("utf-16-le")) // 2, "utf-8": len(head.encode()), "utf-32": len(head)}[encoding]
    other = Client()
    try:
        chosen = other.initialize(tmp_path, encodings=[encoding])["capabilities"]["positionEncoding"]
        assert chosen == encoding
        uri = other.open(tmp_path / "emoji.blueprint", text)
        (found,) = [d for d in other.diagnostics(uri) if d["severity"] == 1]
        assert found["range"]["start"] == {"line": 2, "character": units}
        assert found["range"]["end"] == {"line": 2, "character": units + 5}
        hover = other.request(
            "textDocument/hover", {"textDocument": doc(uri), "position": {"line": 2, "character": units + 1}}
        )
        assert "unknown actor `nures`" in hover["contents"]["value"]
    finally:
        assert other.close() == 0


def completion_labels(client: Client, uri: str, pos: dict[str, int]) -> list[str]:
    result = client.request("textDocument/completion", {"textDocument": doc(uri), "position": pos})
    return [item["label"] for item in (result["items"] if isinstance(result, dict) else result or [])]


COMPLETIONS = [
    # (text of the last line, what completion offers there, what it must not)
    ('  frontstage new_step "New" by ', {"gp_doc", "work_coach", "jobseeker"}, {"uc_journal", "off_sick"}),
    ('  frontstage new_step "New" uses ', {"uc_journal", "gp_record"}, {"gp_doc"}),
    ('  frontstage new_step "New" uses uc_journal, ', {"job_board"}, {"work_coach"}),
    ('  frontstage new_step "New" -> ', {"see_gp", "make_claim"}, {"gp_doc"}),
    ("flow see_gp -> ", {"issue_note"}, {"jobseeker"}),
    ("flow ", {"see_gp"}, {"gp"}),
    ("pain ", {"see_gp", "hub_share"}, {"off_sick"}),
    ('actor someone "Someone" @', {"gp", "jcp", "council"}, {"gp_doc"}),
    ('actor someone "Someone" ', {"customer", "@gp", "@jcp"}, {"gp"}),
    ('system tool "Tool" ', {"@gp", "@council"}, {"customer"}),
    ('  frontstage new_step "New" [', {"channel", "evidence", "duration", "outcome"}, {"owner"}),
    ('  frontstage new_step "New" [channel=', {"web", "phone", "in-person"}, {"high"}),
    ('  frontstage new_step "New" [evidence=', {"assumed", "measured"}, {"web"}),
    ('  frontstage new_step "New" [outcome=', {"in_work", "income_safe", "well_at_work"}, {"see_gp"}),
    ("flow see_gp -> issue_note [", {"owner"}, {"channel"}),
    ("flow see_gp -> issue_note [owner=", {"work_coach", "jcp"}, {"see_gp"}),
    ('pain see_gp "Long wait" [severity=', {"low", "medium", "high"}, set()),
    ("  ", {"stage", "flow", "frontstage", "backstage", "pain", "actor"}, {"blueprint", "see_gp"}),
    ('  frontstage new_step "New" ', {"by", "uses", "collects", "->"}, set()),
    ('  frontstage new_step "New # by ', set(), {"gp_doc"}),
]


@pytest.mark.parametrize(
    ("line", "wanted", "unwanted"), COMPLETIONS, ids=[c[0].strip() or "start" for c in COMPLETIONS]
)
def test_completion(client: Client, project: Path, line: str, wanted: set[str], unwanted: set[str]) -> None:
    path = project / "back-to-work.intended.blueprint"
    text = path.read_text(encoding="utf-8") + line
    uri = client.open(path, text)
    labels = completion_labels(
        client,
        uri,
        at_end_of(text, line) if line.strip() else position(text, line, nth=text.count(line) - 1, offset=len(line)),
    )
    assert wanted <= set(labels), labels
    assert not unwanted & set(labels), labels


def test_data_items_are_completed_after_collects_and_named_on_hover(client: Client, tmp_path: Path) -> None:
    head = 'blueprint "Moving"\ndata address "New address"\ndata move_date "Date of the move"\nstage s "S"\n'
    for number, line in enumerate(('  customer tell "Tells" collects ', '  customer tell "Tells" collects address, ')):
        text = head + line
        uri = client.open(tmp_path / f"moving{number}.blueprint", text)
        labels = completion_labels(client, uri, at_end_of(text, line))
        assert {"address", "move_date"} <= set(labels), labels
        assert "s" not in labels and "tell" not in labels
    text = head + '  customer tell "Tells" collects address\n'
    uri = client.open(tmp_path / "moving.blueprint", text)
    found = client.request(
        "textDocument/definition", {"textDocument": doc(uri), "position": position(text, "collects address", offset=10)}
    )
    target = found[0] if isinstance(found, list) else found
    assert target["range"]["start"]["line"] == 1


def test_no_lanes_before_the_first_stage_and_blueprint_first(client: Client, tmp_path: Path) -> None:
    uri = client.open(tmp_path / "new.blueprint", "")
    labels = completion_labels(client, uri, {"line": 0, "character": 0})
    assert labels[0] == "blueprint"
    assert "frontstage" not in labels


def test_hover_tells_what_a_step_is(client: Client, project: Path) -> None:
    path = project / "hospital-discharge.intended.blueprint"
    text = path.read_text(encoding="utf-8")
    uri = client.open(path)
    client.diagnostics(uri)  # the analysis (with the model) is done
    pos = position(text, "flow refer -> accept", offset=len("flow "))
    hover = client.request("textDocument/hover", {"textDocument": doc(uri), "position": pos})
    value = hover["contents"]["value"]
    for fact in ("**step** `refer`", "Refers for home care", "lane: backstage", "stage: Planning the discharge",
                 "by: Discharge coordinator", "org: Acute hospital trust", "handoff `refer` → `accept`"):  # fmt: skip
        assert fact in value, value
    assert hover["range"]["start"] == pos


def test_definition_and_references_across_includes(client: Client, project: Path) -> None:
    path = project / "back-to-work.intended.blueprint"
    shared = project / "shared" / "nhs-orgs.blueprint"
    text = path.read_text(encoding="utf-8")
    uri = client.open(path)
    pos = position(text, "by gp_doc", offset=3)
    found = client.request("textDocument/definition", {"textDocument": doc(uri), "position": pos})
    assert found["uri"] == shared.resolve().as_uri()
    shared_text = shared.read_text(encoding="utf-8")
    assert found["range"]["start"] == position(shared_text, "actor gp_doc", offset=6)
    refs = client.request(
        "textDocument/references",
        {"textDocument": doc(uri), "position": pos, "context": {"includeDeclaration": True}},
    )
    where = {(r["uri"], r["range"]["start"]["line"]) for r in refs}
    assert (shared.resolve().as_uri(), found["range"]["start"]["line"]) in where
    uses_in_main = {(uri, n) for n, line in enumerate(text.split("\n")) if "gp_doc" in line.split("#")[0]}
    assert uses_in_main <= where
    assert len(refs) == len(uses_in_main) + 1
    without = client.request(
        "textDocument/references",
        {"textDocument": doc(uri), "position": pos, "context": {"includeDeclaration": False}},
    )
    assert len(without) == len(refs) - 1


def test_an_include_edited_in_the_editor_is_followed(client: Client, project: Path) -> None:
    path = project / "back-to-work.intended.blueprint"
    shared = project / "shared" / "nhs-orgs.blueprint"
    text = path.read_text(encoding="utf-8")
    uri = client.open(path)
    pos = position(text, "by gp_doc", offset=3)
    before = client.request("textDocument/definition", {"textDocument": doc(uri), "position": pos})
    shared_uri = client.open(shared, "# two new\n# lines\n" + shared.read_text(encoding="utf-8"))
    after = client.request("textDocument/definition", {"textDocument": doc(uri), "position": pos})
    assert after["uri"] == shared_uri
    assert after["range"]["start"]["line"] == before["range"]["start"]["line"] + 2


def test_rename_everywhere_and_refuse_a_taken_name(client: Client, project: Path) -> None:
    path = project / "back-to-work.intended.blueprint"
    shared = project / "shared" / "nhs-orgs.blueprint"
    text = path.read_text(encoding="utf-8")
    uri = client.open(path)
    pos = position(text, "by gp_doc", offset=4)
    prepared = client.request("textDocument/prepareRename", {"textDocument": doc(uri), "position": pos})
    assert prepared["start"] == position(text, "by gp_doc", offset=3)
    with pytest.raises(ServerError, match="already taken by the actor"):
        client.request("textDocument/rename", {"textDocument": doc(uri), "position": pos, "newName": "jobseeker"})
    with pytest.raises(ServerError, match="not an identifier"):
        client.request("textDocument/rename", {"textDocument": doc(uri), "position": pos, "newName": "GP Doc"})
    edit = client.request("textDocument/rename", {"textDocument": doc(uri), "position": pos, "newName": "family_gp"})
    changes = edit["changes"]
    assert set(changes) == {uri, shared.resolve().as_uri()}
    path.write_text(apply(text, changes[uri]), encoding="utf-8")
    shared.write_text(apply(shared.read_text(encoding="utf-8"), changes[shared.resolve().as_uri()]), encoding="utf-8")
    after = check_json(path)
    assert after["valid"], after["diagnostics"]
    assert "gp_doc" not in path.read_text(encoding="utf-8").split("# ")[0]
    assert "family_gp" in shared.read_text(encoding="utf-8")


def test_document_symbols_are_the_outline(client: Client, project: Path) -> None:
    path = project / "hospital-discharge.intended.blueprint"
    uri = client.open(path)
    symbols = client.request("textDocument/documentSymbol", {"textDocument": doc(uri)})
    exported = json.loads(
        subprocess.run(
            blueprint_argv() + ["export", str(path), "--format", "json"], capture_output=True, text=True
        ).stdout
    )
    stages = [s for s in symbols if s["kind"] == 2]  # Module
    assert [s["name"] for s in stages] == [s["id"] for s in exported["stages"]]
    for symbol, stage in zip(stages, exported["stages"], strict=True):
        assert [c["name"] for c in symbol["children"]] == stage["steps"]
    names = {s["name"] for s in symbols}
    assert {a["id"] for a in exported["actors"]} <= names
    assert {o["id"] for o in exported["orgs"]} <= names


def test_formatting_is_blueprint_fmt(client: Client, tmp_path: Path) -> None:
    messy = (SAMPLES / "hospital-discharge.intended.blueprint").read_text(encoding="utf-8")
    messy = "\n".join(line.strip() for line in messy.split("\n")).replace("flow ", "flow  ")
    path = tmp_path / "messy.blueprint"
    path.write_text(messy, encoding="utf-8")
    uri = client.open(path)
    edits = client.request(
        "textDocument/formatting", {"textDocument": doc(uri), "options": {"tabSize": 2, "insertSpaces": True}}
    )
    expected = subprocess.run(blueprint_argv() + ["fmt", "-"], input=messy, capture_output=True, text=True).stdout
    assert expected != messy
    assert apply(messy, edits) == expected
    client.change(uri, expected, 2)
    assert (
        client.request(
            "textDocument/formatting", {"textDocument": doc(uri), "options": {"tabSize": 2, "insertSpaces": True}}
        )
        == []
    )
    client.change(uri, expected + 'stage "broken\n', 3)
    assert (
        client.request(
            "textDocument/formatting", {"textDocument": doc(uri), "options": {"tabSize": 2, "insertSpaces": True}}
        )
        is None
    )


MORE_TYPOS = """blueprint "Broken"
variant observd
org hospital "Hospital"
actor nurse "Nurse" @hospital
outcome home_fast "Home fast"
stage admission "Admission"
  customer arrive "Arrives" bye nurse [channel=phne, outcome=hom_fast]
  frontstage assess "Assesses" by nurse
  pain assess "Slow" [severity=hgh]
flow arrive -> assess [owner=nurs]
"""


def fix_all(client: Client, uri: str, text: str) -> tuple[str, int]:
    """Apply every quick fix offered, round after round (syntax errors first, as `check` reports)."""
    applied = 0
    for version in range(2, 8):
        suggested = [d for d in client.diagnostics(uri) if "did you mean" in d["message"]]
        if not suggested:
            break
        edits = []
        for diagnostic in suggested:
            actions = client.request(
                "textDocument/codeAction",
                {"textDocument": doc(uri), "range": diagnostic["range"], "context": {"diagnostics": [diagnostic]}},
            )
            assert len(actions) == 1 and actions[0]["kind"] == "quickfix", actions
            edits += actions[0]["edit"]["changes"][uri]
        applied += len(edits)
        text = apply(text, edits)
        client.change(uri, text, version)
    return text, applied


@pytest.mark.parametrize(
    ("text", "count", "valid", "fixed"),
    [
        (
            BROKEN,
            7,
            False,
            (
                "@hospital",
                "stage admission",
                "by nurse",
                "[channel=web",
                "duration=2h",
                "evidence=observed",
                "-> assess",
            ),
        ),
        (
            MORE_TYPOS,
            6,
            True,
            ("variant observed", " by nurse [", "channel=phone", "outcome=home_fast", "severity=high", "owner=nurse"),
        ),
    ],
    ids=["references-and-keywords", "values-and-tokens"],
)
def test_quick_fixes_apply_every_suggestion(
    client: Client, tmp_path: Path, text: str, count: int, valid: bool, fixed: tuple[str, ...]
) -> None:
    path = tmp_path / "typos.blueprint"
    path.write_text(text, encoding="utf-8")
    uri = client.open(path)
    text, applied = fix_all(client, uri, text)
    assert applied == count
    for piece in fixed:
        assert piece in text, text
    path.write_text(text, encoding="utf-8")
    assert check_json(path)["valid"] is valid  # BROKEN keeps a duplicate stage: no suggestion for that


def test_the_server_ends_when_its_editor_goes_away(tmp_path: Path) -> None:
    other = Client()
    other.initialize(tmp_path)
    other.open(tmp_path / "a.blueprint", 'blueprint "A"\n')
    other.diagnostics((tmp_path / "a.blueprint").resolve().as_uri())
    assert other.process.stdin is not None
    other.process.stdin.close()  # no shutdown, no exit: the editor crashed
    assert other.process.wait(timeout=15) == 0
