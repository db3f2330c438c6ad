"""The formatter: canonical layout, comments kept, idempotent, meaning unchanged; `blueprint fmt`."""

from __future__ import annotations

import io
import os
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES, sample_files

from blueprint_cli.language.fmt import format_document
from blueprint_cli.language.parser import find_comments, parse_document
from blueprint_cli.language.resolve import load_source
from blueprint_cli.language.source import Source

ALL_SAMPLES = sample_files() + sorted((SAMPLES / "shared").glob("*.blueprint"))


def fmt(text: str, path: str = "t.blueprint") -> str:
    return format_document(parse_document(Source(path, text)), text)


def load_at(text: str, path: Path):
    return load_source(Source(str(path), text), base=path.parent)


def comment_texts(text: str) -> Counter:
    return Counter(c.text for c in find_comments(text))


# ---------------------------------------------------------------- samples


@pytest.mark.parametrize("path", ALL_SAMPLES, ids=lambda p: p.name)
def test_formatting_a_sample_is_idempotent(path: Path):
    text = path.read_text(encoding="utf-8")
    once = fmt(text, str(path))
    assert fmt(once, str(path)) == once


@pytest.mark.parametrize("path", ALL_SAMPLES, ids=lambda p: p.name)
def test_formatting_a_sample_keeps_every_comment(path: Path):
    text = path.read_text(encoding="utf-8")
    assert comment_texts(fmt(text, str(path))) == comment_texts(text)


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_formatting_a_sample_keeps_its_meaning(path: Path):
    text = path.read_text(encoding="utf-8")
    before = load_at(text, path)
    after = load_at(fmt(text, str(path)), path)
    assert after == before
    assert [f.id for f in after.flows] == [f.id for f in before.flows]
    assert after.annotations == before.annotations


def test_samples_exist():
    assert len(sample_files()) >= 8


# ---------------------------------------------------------------- layout

MESSY = """\
# top comment
org hospital "Hospital"
blueprint   "Discharge"
stage admission "Admission"
customer arrive "Arrives" by patient -> assess
    frontstage assess "Assesses" uses epr by nurse [duration=2h, channel="web", evidence=observed]
flow assess -> plan "handover"   [owner=nurse]
# about the pain
pain arrive "Long wait" [severity=high]
system epr "EPR" @hospital
stage planning "Planning"
\tbackstage plan "Plans" by nurse [channel="video call", outcome="home"]
actor nurse "Nurse" @hospital   # staff
actor patient "Patient" customer
outcome home "Home"
variant observed
note plan "Only on weekdays"
# the end
"""

CANONICAL = """\
# top comment
blueprint "Discharge"
variant observed

org hospital "Hospital"

actor nurse "Nurse" @hospital  # staff
actor patient "Patient" customer

system epr "EPR" @hospital

outcome home "Home"

stage admission "Admission"
  customer arrive "Arrives" by patient -> assess
  frontstage assess "Assesses" by nurse uses epr [channel=web, evidence=observed, duration=2h]
  # about the pain
  pain arrive "Long wait" [severity=high]

stage planning "Planning"
  backstage plan "Plans" by nurse [channel="video call", outcome=home]
  note plan "Only on weekdays"

flow assess -> plan "handover" [owner=nurse]
# the end
"""


def test_messy_file_gets_the_canonical_layout():
    assert fmt(MESSY) == CANONICAL


def test_canonical_layout_is_a_fixed_point():
    assert fmt(CANONICAL) == CANONICAL


def test_messy_and_canonical_mean_the_same(tmp_path):
    valid = MESSY.replace(
        'org hospital "Hospital"\nblueprint   "Discharge"', 'blueprint   "Discharge"\norg hospital "Hospital"'
    )
    assert valid != MESSY and fmt(valid) == CANONICAL
    assert load_at(CANONICAL, tmp_path / "a.blueprint") == load_at(valid, tmp_path / "a.blueprint")


def test_comment_blocks_keep_their_blank_line_separation():
    text = (
        '# licence header\n\n# about this file\nblueprint "B"\n\norg a "A"\n'
        '# section comment, separated from the next line\n\norg b "B"\n\n\n# trailing remarks\n\n\n# bye\n'
    )
    assert fmt(text) == (
        '# licence header\n\n# about this file\nblueprint "B"\n\norg a "A"\n'
        '# section comment, separated from the next line\n\norg b "B"\n\n# trailing remarks\n\n# bye\n'
    )


def test_blank_lines_without_comments_are_normalised():
    text = 'blueprint "B"\n\n\n\norg a "A"\n\norg b "B"\n'
    assert fmt(text) == 'blueprint "B"\n\norg a "A"\norg b "B"\n'


def test_comments_in_a_fragment_without_a_blueprint_line_stay_put():
    text = '# shared orgs\n\norg a "A"   # first\nsystem s "S" @a\n# end\n'
    assert fmt(text) == '# shared orgs\n\norg a "A"  # first\n\nsystem s "S" @a\n# end\n'


def test_labels_are_requoted_with_only_the_two_escapes():
    text = 'blueprint "Say \\"hi\\" \\\\ <b>&amp; {x} ünï"\n'
    assert fmt(text) == text
    out = fmt('blueprint "a#b" # c\n')
    assert out == 'blueprint "a#b"  # c\n'


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ('[channel="web"]', "[channel=web]"),
        ('[channel="in-person"]', "[channel=in-person]"),
        ('[channel="video call"]', '[channel="video call"]'),
        ('[channel="video"]', '[channel="video"]'),  # a custom channel is only valid quoted
        ("[channel=fax]", "[channel=fax]"),  # an invalid bare channel stays invalid
        ('[evidence="observed"]', "[evidence=observed]"),
        ('[duration="2h", channel=sms]', "[channel=sms, duration=2h]"),
        ('[outcome="two words"]', '[outcome="two words"]'),
        ("[]", ""),
    ],
)
def test_attribute_quoting_and_order(written: str, canonical: str):
    text = f'blueprint "B"\n\nstage s "S"\n  customer a "A" {written}\n'
    assert fmt(text) == f'blueprint "B"\n\nstage s "S"\n  customer a "A"{" " + canonical if canonical else ""}\n'


def test_flow_lines_and_inline_flows_keep_their_form():
    text = 'blueprint "B"\nstage s "S"\n customer a "A" -> b, c\n customer b "B"\n customer c "C"\nflow b -> c -> a "loop"\n'
    out = fmt(text)
    assert '  customer a "A" -> b, c\n' in out
    assert 'flow b -> c -> a "loop"\n' in out


def test_steps_before_any_stage_stay_before_the_first_stage():
    text = 'blueprint "B"\ncustomer early "E"\nstage s "S"\n  customer a "A"\n'
    out = fmt(text)
    assert out.index("customer early") < out.index("stage s")


def test_empty_and_comment_only_files():
    assert fmt("") == ""
    assert fmt("\n\n") == ""
    assert fmt("# only a comment\n") == "# only a comment\n"


# ---------------------------------------------------------------- the command


def test_fmt_rewrites_a_file_atomically(tmp_path, run_cli):
    target = tmp_path / "a.blueprint"
    target.write_text(MESSY, encoding="utf-8")
    code, _, err = run_cli("fmt", str(target))
    assert code == 0, err
    assert target.read_text(encoding="utf-8") == CANONICAL
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.blueprint"]  # no temporary file left


def test_fmt_leaves_a_canonical_file_untouched(tmp_path, run_cli):
    target = tmp_path / "a.blueprint"
    target.write_text(CANONICAL, encoding="utf-8")
    os.utime(target, (1_000_000_000, 1_000_000_000))
    code, _, _ = run_cli("fmt", str(target))
    assert code == 0
    assert target.stat().st_mtime == 1_000_000_000


def test_fmt_check_names_files_and_changes_nothing(tmp_path, run_cli):
    messy, clean = tmp_path / "messy.blueprint", tmp_path / "clean.blueprint"
    messy.write_text(MESSY, encoding="utf-8")
    clean.write_text(CANONICAL, encoding="utf-8")
    code, out, err = run_cli("fmt", "--check", str(messy), str(clean))
    assert code == 1
    assert "messy.blueprint" in err and "would reformat" in err
    assert f"would reformat {clean}" not in err
    assert messy.read_text(encoding="utf-8") == MESSY
    code, _, _ = run_cli("fmt", "--check", str(clean))
    assert code == 0


def test_fmt_diff_prints_a_unified_diff_and_changes_nothing(tmp_path, run_cli):
    messy = tmp_path / "messy.blueprint"
    messy.write_text(MESSY, encoding="utf-8")
    code, out, _ = run_cli("fmt", "--diff", str(messy))
    assert code == 0
    assert "--- " in out and "+++ " in out and "@@" in out
    assert '+  frontstage assess "Assesses" by nurse uses epr [channel=web, evidence=observed, duration=2h]' in out
    assert "\x1b[" not in out  # no colour when not on a terminal
    assert messy.read_text(encoding="utf-8") == MESSY
    code, _, _ = run_cli("fmt", "--diff", "--check", str(messy))
    assert code == 1


def test_fmt_refuses_a_file_with_syntax_errors(tmp_path, run_cli):
    bad = tmp_path / "bad.blueprint"
    text = 'blueprint "B"\norg a "unterminated\nstgae s "S"\n'
    bad.write_text(text, encoding="utf-8")
    code, out, err = run_cli("fmt", str(bad))
    assert code == 2
    assert "bad.blueprint:2:7: error: unterminated quoted label" in err
    assert "bad.blueprint:3:1: error: unknown keyword 'stgae'; did you mean 'stage'?" in err
    assert "Traceback" not in err
    assert bad.read_text(encoding="utf-8") == text


def test_fmt_reports_a_missing_file(tmp_path, run_cli):
    code, _, err = run_cli("fmt", str(tmp_path / "missing.blueprint"))
    assert code == 2
    assert "no such file" in err


def test_fmt_names_a_missing_file_or_a_folder_without_none_positions(tmp_path, run_cli):
    for path in (tmp_path / "nonexist.blueprint", tmp_path):
        code, _, err = run_cli("fmt", str(path))
        assert code == 2
        assert f"{path}: error: " in err
        assert "None" not in err


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")
def test_fmt_through_a_symlink_formats_the_real_file_and_keeps_the_link(tmp_path, run_cli):
    real = tmp_path / "real" / "t.blueprint"
    real.parent.mkdir()
    real.write_text(MESSY, encoding="utf-8")
    link = tmp_path / "link.blueprint"
    link.symlink_to(real)
    code, _, err = run_cli("fmt", str(link))
    assert code == 0, err
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == CANONICAL


@pytest.mark.parametrize(
    "line",
    ['actor a "One\u2028two"', 'actor a "One\u2029two"', "# comment with\u0085a next-line"],
    ids=["label-U+2028", "label-U+2029", "comment-U+0085"],
)
def test_fmt_diff_splits_lines_at_newlines_only(tmp_path, run_cli, line):
    messy = tmp_path / "messy.blueprint"
    messy.write_text(f'blueprint "B"\n\n\n\n{line}\nactor b "B"\nstage s "S"\n', encoding="utf-8")
    code, out, _ = run_cli("fmt", "--diff", str(messy))
    assert code == 0
    body = [row for row in out.split("\n") if row and not row.startswith(("---", "+++", "@@"))]
    assert all(row[0] in " +-" for row in body), out
    assert line in [row[1:] for row in body]


def test_fmt_reads_stdin_and_writes_stdout(monkeypatch, run_cli):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(MESSY.encode())))
    code, out, _ = run_cli("fmt", "-")
    assert code == 0
    assert out == CANONICAL


def test_fmt_keeps_crlf_and_bom(tmp_path, run_cli):
    target = tmp_path / "win.blueprint"
    target.write_bytes(b"\xef\xbb\xbf" + MESSY.replace("\n", "\r\n").encode())
    code, _, _ = run_cli("fmt", str(target))
    assert code == 0
    assert target.read_bytes() == b"\xef\xbb\xbf" + CANONICAL.replace("\n", "\r\n").encode()
    os.utime(target, (1_000_000_000, 1_000_000_000))
    code, _, _ = run_cli("fmt", "--check", str(target))
    assert code == 0
    run_cli("fmt", str(target))
    assert target.stat().st_mtime == 1_000_000_000


def test_fmt_on_every_sample_through_the_cli_is_stable(tmp_path, run_cli):
    copies = []
    for path in ALL_SAMPLES:
        copy = tmp_path / path.relative_to(SAMPLES)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(path.read_bytes())
        copies.append(str(copy))
    code, _, err = run_cli("fmt", *copies)
    assert code == 0, err
    code, _, err = run_cli("fmt", "--check", *copies)
    assert code == 0, err
    for copy in copies:
        if "shared" not in copy:
            assert run_cli("check", copy)[0] == 0


def test_repository_root_is_found():
    assert (ROOT / "grammar" / "blueprint.lark").is_file()


def test_writing_an_output_over_a_blueprint_is_refused(tmp_path, run_cli):
    """check/diff/render/export outputs never replace a user's .blueprint file."""
    source = tmp_path / "service.blueprint"
    source.write_text(
        (ROOT / "samples" / "hospital-discharge.intended.blueprint").read_text(encoding="utf-8"), encoding="utf-8"
    )
    before = source.read_bytes()
    for args in (
        ["check", str(source), "--format", "json", "-o", str(source)],
        ["diff", str(source), str(source), "--write-baseline", str(source)],
        ["render", str(source), "--format", "dot", "-o", str(source)],
        ["export", str(source), "-o", str(source)],
        ["export", str(source), "--format", "text", "-o", str(source)],
    ):
        code, _, err = run_cli(*args)
        assert code == 2, (args, err)
        assert "cannot write" in err or "is the input file" in err
    assert source.read_bytes() == before
    code, _, _ = run_cli("export", str(source), "--format", "text", "-o", str(tmp_path / "flat.blueprint"))
    assert code == 0 and (tmp_path / "flat.blueprint").exists()


def test_the_samples_are_in_canonical_form(run_cli):
    """The samples show the layout `blueprint fmt` writes (a repository would check this in CI)."""
    files = [str(p) for p in sample_files()] + [str(p) for p in sorted((SAMPLES / "shared").glob("*.blueprint"))]
    code, out, err = run_cli("fmt", "--check", *files)
    assert code == 0, out + err


def test_collects_comes_after_uses_and_before_targets():
    text = (
        'blueprint "T"\nactor p "P" customer\nsystem w "Web"\ndata a "A"\ndata b "B"\nstage s "S"\n'
        '  customer x "X" -> y collects a, b by p uses w [channel=web]\n  customer y "Y" by p\n'
    )
    formatted = format_document(parse_document(Source("t.blueprint", text)), text)
    assert '  customer x "X" by p uses w collects a, b -> y [channel=web]\n' in formatted
    assert 'data a "A"\ndata b "B"\n\nstage' in formatted
