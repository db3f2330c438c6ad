"""Messages found wanting in real use (issue 15, point 9)."""

from __future__ import annotations

import pytest

from blueprint_cli.language.errors import BlueprintError, excerpt
from blueprint_cli.language.resolve import load_text

HEAD = 'blueprint "B"\norg council "Council"\nactor officer "Officer" @council\nactor clerk "Clerk" @council\n'


def diagnostics(text: str):
    with pytest.raises(BlueprintError) as info:
        load_text(text)
    return info.value.diagnostics


def test_an_org_used_as_an_actor_hints_at_its_actors():
    (found,) = diagnostics(HEAD + 'stage s "S"\n  backstage a "Does it" by council\n')
    assert "is an org, not an actor" in found.message
    assert found.hint is not None and "clerk" in found.hint and "officer" in found.hint


@pytest.mark.parametrize(("written", "meant"), [("1.5h", "90m"), ("0.5d", "12h"), ("2.0h", "2h"), ("1.5w", "252h")])
def test_a_decimal_duration_gets_a_whole_number_suggestion(written, meant):
    (found,) = diagnostics(HEAD + f'stage s "S"\n  backstage a "Does it" by clerk [duration={written}]\n')
    assert f"did you mean '{meant}'?" in found.message


@pytest.mark.parametrize(("written", "meant"), [("as-is", "observed"), ("as_is", "observed"), ("to-be", "intended")])
def test_a_variant_in_other_words_suggests_the_keyword(written, meant):
    (found,) = diagnostics(f'blueprint "B"\nvariant {written}\n')
    shown = f"{found.message} {found.hint or ''}"
    assert f"'{meant}'" in shown and "as_is" not in shown.replace(written, "")


def test_a_renamed_line_in_an_intended_file_warns(run_cli, tmp_path):
    path = tmp_path / "plan.blueprint"
    path.write_text(HEAD + 'renamed a -> b\nstage s "S"\n  backstage b "Does it" by clerk\n', encoding="utf-8")
    code, out, err = run_cli("check", str(path))
    assert "renamed" in err + out and "warning" in err + out and "observed" in err + out


def test_a_duplicate_id_is_the_one_error_not_its_consequence():
    text = (
        HEAD
        + 'system crm "CRM" @council\nstage s "S"\n  backstage a "Does it" by clerk -> crm\n  backstage crm "Then" by clerk\n'
    )
    found = diagnostics(text)
    assert found[0].code == "duplicate", [d.message for d in found]
    assert all("not a step" not in d.message for d in found)


@pytest.mark.parametrize("label", ["日本語の手続き", "🎉🎉 party"])
def test_the_caret_is_padded_by_terminal_cells_in_the_terminal(label):
    from rich.cells import cell_len

    text = HEAD + f'stage s "S"\n  backstage a "{label}" by offcer\n'
    (found,) = diagnostics(text)
    source_line, caret = excerpt(text, found.span, measure=cell_len).split("\n")
    assert cell_len(caret.index("^") * " ") == cell_len(source_line[: source_line.index("offcer")])
    plain_line, plain_caret = excerpt(text, found.span).split("\n")  # code points, as machine formats count
    assert plain_caret.index("^") == plain_line.index("offcer")
    assert found.span.column == text.split("\n")[5].index("offcer") + 1


def test_the_terminal_shows_the_caret_under_the_word(run_cli, tmp_path):
    path = tmp_path / "wide.blueprint"
    path.write_text(HEAD + 'stage s "S"\n  backstage a "日本語の手続き" by offcer\n', encoding="utf-8")
    _code, _out, err = run_cli("check", str(path))
    lines = err.splitlines()
    source = next(line for line in lines if "offcer" in line and "|" in line)
    caret = lines[lines.index(source) + 1]
    from rich.cells import cell_len

    assert cell_len(source[: source.index("offcer")]) == caret.index("^")
