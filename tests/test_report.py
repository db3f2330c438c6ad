"""The HTML report: overlay, anchors, escaping, determinism, CSP and the `blueprint report` command."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser

import pytest
from conftest import sample_files, sample_pairs

from blueprint_cli.compare import compare
from blueprint_cli.language.resolve import load, load_text
from blueprint_cli.report.build import render_compare_report, render_single_report
from blueprint_cli.report.context import anchor_for, unique_anchors
from blueprint_cli.report.environment import script_json
from blueprint_cli.report.overlay import build_overlay

HOSTILE = "<img src=x onerror=alert(1)>"
BREAKOUT = "</script><script>window.pwned=1</script>"

PAIR_IDS = [intended.name.split(".")[0] for intended, _ in sample_pairs()]


def hostile_texts() -> tuple[str, str]:
    """An intended and an observed blueprint whose user text tries to inject markup and script."""
    # Declarations both versions share; the steps and flows below differ.
    declarations = f'''description "{BREAKOUT}"
org a "Org {HOSTILE}"
org b "Org &amp; <b>"
actor c "Customer" customer
actor x "Staff {BREAKOUT}" @a
actor y "Other" @b
stage s1 "Stage {HOSTILE}"
'''
    intended = f'''blueprint "{HOSTILE}"
variant intended
{declarations}  customer start "{HOSTILE}" by c
  frontstage help "{BREAKOUT}" by x
  backstage pass "Passes it on" by x
  backstage take "Takes it" by y
flow start -> help
flow help -> pass
flow pass -> take "{HOSTILE}" [owner=x]
'''
    observed = f'''blueprint "{HOSTILE}"
variant observed
{declarations}  customer start "{HOSTILE} (now)" by c
  backstage pass "Passes it on" by x
  backstage extra "{BREAKOUT} again" by x
  backstage take "Takes it" by y
flow start -> pass
flow pass -> extra
flow extra -> take
pain extra "{HOSTILE} pain"
unknown take "{BREAKOUT} unknown"
'''
    return intended, observed


def hostile_comparison(tmp_path):
    intended, observed = hostile_texts()
    (tmp_path / "h.intended.blueprint").write_text(intended, encoding="utf-8")
    (tmp_path / "h.observed.blueprint").write_text(observed, encoding="utf-8")
    return compare(load(str(tmp_path / "h.intended.blueprint")), load(str(tmp_path / "h.observed.blueprint")))


@pytest.fixture(scope="module")
def reports() -> dict[str, str]:
    return {
        intended.name.split(".")[0]: render_compare_report(compare(load(str(intended)), load(str(observed))))
        for intended, observed in sample_pairs()
    }


class Ids(HTMLParser):
    """Every id in a page, and the scripts with their types."""

    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.scripts: list[tuple[str | None, str]] = []
        self._in_script: str | None | bool = False
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(attributes["id"])
        for name in ("src", "href", "action", "xlink:href", "data"):
            if attributes.get(name):
                self.urls.append(attributes[name])
        if tag == "script":
            self._in_script = attributes.get("type")
            self.scripts.append((self._in_script, ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script is not False:
            kind, text = self.scripts[-1]
            self.scripts[-1] = (kind, text + data)


def parse(html: str) -> Ids:
    parser = Ids()
    parser.feed(html)
    return parser


def duplicates(ids: list[str]) -> list[str]:
    return sorted({i for i in ids if ids.count(i) > 1})


# ---------------------------------------------------------------- the overlay


def test_overlay_keeps_observed_steps_and_puts_back_missing_ones():
    pair = dict(zip(PAIR_IDS, sample_pairs(), strict=False))["hospital-discharge"]
    intended, observed = (load(str(p)) for p in pair)
    comparison = compare(intended, observed)
    overlay = build_overlay(intended=intended, observed=observed, matches=comparison.matches)
    merged = overlay.blueprint
    missing = [sid for sid in intended.steps if sid not in comparison.matches]
    unplanned = [sid for sid in observed.steps if sid not in comparison.matches.values()]
    assert missing and unplanned
    assert len(merged.steps) == len(observed.steps) + len(missing)
    for sid in missing:
        assert overlay.step_status[sid] == "missing"
        assert sid in merged.stages[intended.steps[sid].stage].steps, "a missing step stays in its intended stage"
    for sid in unplanned:
        assert overlay.step_status[overlay.observed_ids[sid]] == "unplanned"
    # A renamed step appears under its intended id, so a change about it points at one element.
    assert comparison.matches["order_meds"] == "order_tto"
    assert "order_meds" in merged.steps and "order_tto" not in merged.steps
    # Every step sits in exactly one stage, and every flow joins two steps of the overlay.
    placed = [sid for stage in merged.stages.values() for sid in stage.steps]
    assert sorted(placed) == sorted(merged.steps)
    assert all(f.source in merged.steps and f.target in merged.steps for f in merged.flows)
    intended_keys = {f.key for f in intended.flows}
    for key, status in overlay.flow_status.items():
        assert status == ("broken" if key in intended_keys else "new")


def test_overlay_of_identical_blueprints_marks_nothing():
    pair = sample_pairs()[0]
    blueprint = load(str(pair[0]))
    overlay = build_overlay(intended=blueprint, observed=blueprint, matches={sid: sid for sid in blueprint.steps})
    assert overlay.step_status == {} and overlay.flow_status == {}
    assert list(overlay.blueprint.steps) == list(blueprint.steps)


def test_overlay_gives_a_colliding_unplanned_step_its_own_id():
    intended = load_text('blueprint "T"\nstage s "S"\n  backstage a "Alpha"\n  backstage b "Beta"\n', "i.blueprint")
    observed = load_text(
        'blueprint "T"\nvariant observed\nrenamed a -> b\nstage s "S"\n  backstage b "Alpha"\n  backstage c "Gamma"\n',
        "o.blueprint",
    )
    overlay = build_overlay(intended=intended, observed=observed, matches={"a": "b"})
    assert overlay.observed_ids == {"b": "a", "c": "c"}
    assert overlay.step_status == {"b": "missing", "c": "unplanned"}


# ---------------------------------------------------------------- anchors and escaping


@pytest.mark.parametrize(
    ("kind", "element", "expected"),
    [
        ("step.missing", "order_meds", "change-step-missing-order_meds"),
        ("handoff.broken", "accept->confirm_start", "change-handoff-broken-accept--confirm_start"),
        ("pain.added", "refer#pain:1", "change-pain-added-refer-pain-1"),
        ("x", 'a"<b>&c', "change-x-a--b--c"),
    ],
)
def test_anchor_is_stable_and_safe(kind, element, expected):
    assert anchor_for(kind, element) == expected


def test_repeated_anchors_are_numbered():
    assert unique_anchors(["a", "b", "a", "a"]) == ["a", "b", "a-2", "a-3"]


def test_script_json_cannot_close_its_element():
    text = str(script_json({"label": BREAKOUT, "amp": "a & b", "sep": "\u2028"}))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"label": BREAKOUT, "amp": "a & b", "sep": "\u2028"}


def test_hostile_labels_are_escaped_everywhere(tmp_path):
    html = render_compare_report(hostile_comparison(tmp_path))
    assert HOSTILE not in html, "a label became markup"
    assert "window.pwned=1</script>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html, "the label still shows, as text"
    page = parse(html)
    executable = [text for kind, text in page.scripts if kind is None]
    assert len(executable) == 1 and "pwned" not in executable[0]
    data = [text for kind, text in page.scripts if kind == "application/json"]
    assert len(data) == 1 and BREAKOUT in json.dumps(json.loads(data[0]))


def test_single_report_escapes_hostile_labels(tmp_path):
    intended, _ = hostile_texts()
    blueprint = load_text(intended, str(tmp_path / "h.blueprint"))
    html = render_single_report(blueprint, [])
    assert HOSTILE not in html and "window.pwned=1</script>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


# ---------------------------------------------------------------- the page


@pytest.mark.parametrize("name", PAIR_IDS)
def test_report_is_self_contained_under_a_strict_policy(reports, name):
    html = reports[name]
    page = parse(html)
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html).group(1)
    assert "default-src 'none'" in csp and "connect-src" not in csp
    executable = [text for kind, text in page.scripts if kind is None]
    assert len(executable) == 1
    digest = base64.b64encode(hashlib.sha256(executable[0].encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp, "the policy allows exactly the inline script"
    for url in page.urls:
        assert url.startswith(("#", "data:")), f"the page refers to {url}"
    assert not re.search(r"url\(\s*['\"]?(https?:|//)", html) and "@import" not in html


@pytest.mark.parametrize("name", PAIR_IDS)
def test_every_finding_has_a_unique_anchor_and_its_target_exists(reports, name):
    html = reports[name]
    page = parse(html)
    assert not duplicates(page.ids)
    ids = set(page.ids)
    findings = re.findall(r'<details class="finding [^"]*" id="([^"]+)" data-target="([^"]*)"', html)
    assert findings
    for anchor, target in findings:
        assert re.fullmatch(r"change-[a-z0-9_-]+", anchor)
        assert target == "" or target in ids, f"{anchor} points at {target}, which is not in the diagram"
    for target in re.findall(r'data-target="([^"]+)"', html):
        assert target in ids, f"a button points at {target}, which is not on the page"
    located = sum(1 for _, target in findings if target)
    assert located >= 0.8 * len(findings), "most findings point at an element of the diagram"
    data = json.loads(
        re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S).group(1)
    )
    anchors = {anchor for anchor, _ in findings}
    for element, info in data["elements"].items():
        assert element in ids
        assert set(info["findings"]) <= anchors


@pytest.mark.parametrize("name", PAIR_IDS)
def test_summary_scores_and_findings_match_the_comparison(reports, name):
    intended, observed = dict(zip(PAIR_IDS, sample_pairs(), strict=False))[name]
    comparison = compare(load(str(intended)), load(str(observed)))
    html = reports[name]
    s = comparison.scores
    assert f"{s.delivered_steps} of {s.intended_steps} intended steps are delivered" in html
    assert f"{s.intact_handoffs} of {s.intended_handoffs} planned handoffs" in html
    assert html.count('<li class="finding-item"') == len(comparison.changes)
    for severity, count in comparison.counts().items():
        assert html.count(f'data-severity="{severity}"') == count


def test_report_is_deterministic():
    intended, observed = sample_pairs()[0]
    first = render_compare_report(compare(load(str(intended)), load(str(observed))))
    second = render_compare_report(compare(load(str(intended)), load(str(observed))))
    assert first == second
    assert not re.search(r"20\d\d-\d\d-\d\d", first), "no date unless SOURCE_DATE_EPOCH asks for one"


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_single_report_of_every_sample(path):
    from blueprint_cli.checks import run

    blueprint = load(str(path))
    findings = run(blueprint)
    html = render_single_report(blueprint, findings)
    page = parse(html)
    assert not duplicates(page.ids)
    assert html.count('<li class="finding-item"') == len(findings)
    for step in blueprint.steps.values():
        assert f"step-{step.id}" in page.ids
    assert html.count('<tr class="handoff-') == len(blueprint.handoffs)


# ---------------------------------------------------------------- the command


def test_cli_writes_the_report(run_cli, tmp_path):
    intended, observed = sample_pairs()[0]
    target = tmp_path / "out" / "report.html"
    code, out, err = run_cli("report", str(intended), str(observed), "-o", str(target))
    assert code == 0, err
    assert "wrote" in out and target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_cli_single_report_and_default_output(run_cli, tmp_path):
    source = tmp_path / "svc.observed.blueprint"
    source.write_text(hostile_texts()[1], encoding="utf-8")
    code, _, err = run_cli("report", str(source))
    assert code == 0, err
    assert (tmp_path / "svc.report.html").exists()


def test_cli_source_date_epoch_stamps_the_page(run_cli, tmp_path, monkeypatch):
    intended, observed = sample_pairs()[0]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    code, _, err = run_cli("report", str(intended), str(observed), "-o", str(tmp_path / "r.html"))
    assert code == 0, err
    assert "Generated 2023-11-14 22:13 UTC." in (tmp_path / "r.html").read_text(encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    code, _, err = run_cli("report", str(intended), str(observed), "-o", str(tmp_path / "r.html"))
    assert code == 2 and "SOURCE_DATE_EPOCH" in err


def test_cli_invalid_input_exits_2_without_writing(run_cli, tmp_path):
    bad = tmp_path / "bad.blueprint"
    bad.write_text('blueprint "Bad"\nstage s "S"\n  backstage a "A" by nobody\n', encoding="utf-8")
    target = tmp_path / "r.html"
    code, _, err = run_cli("report", str(bad), str(sample_pairs()[0][1]), "-o", str(target))
    assert code == 2
    assert "nobody" in err and "Traceback" not in err
    assert not target.exists()


@pytest.mark.parametrize("args", [(), ("a", "b", "c")])
def test_cli_wrong_number_of_files_exits_2(run_cli, args, tmp_path):
    files = [str(tmp_path / name) for name in args]
    code, _, _ = run_cli("report", *files)
    assert code == 2


def test_report_bytes_do_not_depend_on_the_hash_seed(tmp_path):
    import os
    import subprocess
    import sys

    intended, observed = sample_pairs()[-1]
    outputs = []
    for seed in ("1", "2"):
        target = tmp_path / f"r{seed}.html"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        env.pop("SOURCE_DATE_EPOCH", None)
        subprocess.run(
            [sys.executable, "-m", "blueprint_cli", "report", str(intended), str(observed), "-o", str(target)],
            check=True,
            env=env,
            capture_output=True,
        )
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]


def test_cli_without_graphviz_says_how_to_install_it(run_cli, tmp_path, monkeypatch):
    import shutil

    real_which = shutil.which
    monkeypatch.setattr(
        shutil, "which", lambda name, *a, **k: None if name in ("neato", "dot") else real_which(name, *a, **k)
    )
    intended, observed = sample_pairs()[0]
    code, _, err = run_cli("report", str(intended), str(observed), "-o", str(tmp_path / "r.html"))
    assert code == 2
    text = " ".join(err.split())
    assert (
        "Graphviz" in text
        and "diagram" in text
        and "apt-get install graphviz" in text
        and "brew install graphviz" in text
    )
    assert "--format dot" not in text  # that advice is for `render`, not for the report
    assert not (tmp_path / "r.html").exists()
    code, _, err = run_cli("report", str(intended), "-o", str(tmp_path / "r.html"))
    assert code == 2 and "--format dot" not in err and "Traceback" not in err


def test_overlay_puts_a_missing_step_into_the_stage_its_stage_became():
    intended = load_text(
        'blueprint "T"\nstage a "Getting help"\n  backstage x "Ex"\n  backstage y "Why"\n', "i.blueprint"
    )
    observed = load_text('blueprint "T"\nvariant observed\nstage b "Getting help"\n  backstage x "Ex"\n', "o.blueprint")
    overlay = build_overlay(intended=intended, observed=observed, matches={"x": "x"}, stage_matches={"a": "b"})
    assert list(overlay.blueprint.stages) == ["b"]
    assert overlay.blueprint.stages["b"].steps == ("x", "y")
    assert overlay.blueprint.steps["y"].stage == "b"
    html = render_compare_report(compare(intended, observed))
    assert html.count('class="stage-table"') == 1


# ---------------------------------------------------------------- where the report may be written


def test_cli_standard_input_needs_an_output_and_never_writes_report_html(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    mine = tmp_path / "report.html"
    mine.write_text("<html>my own page</html>", encoding="utf-8")
    code, out, err = run_cli("report", "-")
    assert code == 2 and "standard input" in err and "-o" in err and "Traceback" not in err
    assert mine.read_text(encoding="utf-8") == "<html>my own page</html>"
    code, _, err = run_cli("report", "-", "-", "-o", "x.html")
    assert code == 2 and "standard input" in err


def test_cli_reads_standard_input_with_an_output(tmp_path):
    import os
    import subprocess
    import sys

    from conftest import ROOT

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    intended, observed = next(
        pair for pair in sample_pairs() if b"include" not in pair[1].read_bytes()
    )  # includes resolve beside a file
    target = tmp_path / "from-stdin.html"
    done = subprocess.run(
        [sys.executable, "-m", "blueprint_cli", "report", "-", "-o", str(target)],
        input=observed.read_bytes(),
        capture_output=True,
        cwd=tmp_path,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert not (tmp_path / "report.html").exists()
    done = subprocess.run(
        [sys.executable, "-m", "blueprint_cli", "report", str(intended), "-", "-o", "-"],
        input=observed.read_bytes(),
        capture_output=True,
        cwd=tmp_path,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"<!DOCTYPE html>") and b"wrote" in done.stderr


def test_cli_refuses_to_overwrite_a_file_it_did_not_write(run_cli, tmp_path):
    intended, observed = sample_pairs()[0]
    theirs = tmp_path / "index.html"
    theirs.write_text("<!DOCTYPE html><title>Our team page</title>", encoding="utf-8")
    code, _, err = run_cli("report", str(intended), str(observed), "-o", str(theirs))
    assert code == 2 and "not a report made by blueprint-cli" in err and "--force" in err
    assert "Our team page" in theirs.read_text(encoding="utf-8")
    code, _, err = run_cli("report", str(intended), str(observed), "-o", str(theirs), "--force")
    assert code == 0, err
    assert '<meta name="generator" content="blueprint-cli ' in theirs.read_text(encoding="utf-8")
    code, _, err = run_cli(
        "report", str(intended), str(observed), "-o", str(theirs)
    )  # our own report: rewritten freely
    assert code == 0, err


def test_cli_refuses_the_default_output_when_somebody_else_wrote_it(run_cli, tmp_path):
    source = tmp_path / "svc.observed.blueprint"
    source.write_text(hostile_texts()[1], encoding="utf-8")
    (tmp_path / "svc.report.html").write_text("notes", encoding="utf-8")
    code, _, err = run_cli("report", str(source))
    assert code == 2 and "svc.report.html" in err
    assert (tmp_path / "svc.report.html").read_text(encoding="utf-8") == "notes"


@pytest.mark.parametrize("name", ["copy.blueprint", "OTHER.Blueprint", "same"])
def test_cli_never_overwrites_a_source_file(run_cli, tmp_path, name):
    intended, observed = sample_pairs()[0]
    if name == "same":
        target = tmp_path / "observed.txt"
        target.write_bytes(observed.read_bytes())
        args = (str(intended), str(target))
    else:
        target = tmp_path / name
        target.write_text('blueprint "Mine"\n', encoding="utf-8")
        args = (str(intended), str(observed))
    before = target.read_bytes()
    code, _, err = run_cli("report", *args, "-o", str(target), "--force")
    assert code == 2 and "Traceback" not in err
    assert target.read_bytes() == before


# ---------------------------------------------------------------- English: one of a thing is singular

_PLURAL_NOUNS = r"unknowns|people|steps|stages|organisations|errors|warnings|notes|findings|handoffs|risks|things|places|joins|points|workarounds"


def _visible_text(html: str) -> str:
    """The words a reader sees (no script, style or SVG), whitespace collapsed."""

    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts, self.skip = [], 0

        def handle_starttag(self, tag, attrs):
            self.skip += tag in ("script", "style", "svg")
            self.parts.append(" ")

        def handle_endtag(self, tag):
            self.skip -= tag in ("script", "style", "svg")
            self.parts.append(" ")

        def handle_data(self, data):
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


def _one_of_each_texts() -> tuple[str, str]:
    """An intended and an observed blueprint with one error, one warning and one note between them."""
    intended = """blueprint "Tiny"
org a "Clinic"
org b "Council"
actor nurse "Nurse" @a
actor officer "Officer" @b
stage s "Only stage"
  frontstage greet "Greets" by nurse
  backstage check "Checks the form" by nurse
  backstage refer "Refers" by nurse
  backstage take "Takes it on" by officer
flow greet -> refer
flow refer -> take "referral" [owner=nurse]
"""
    observed = intended.replace('blueprint "Tiny"', 'blueprint "Tiny"\nvariant observed').replace(
        '  backstage check "Checks the form" by nurse\n', ""
    )
    observed += 'unknown take "No data on waiting times"\nworkaround greet "Phones the council instead"\n'
    return intended, observed


def test_report_counts_of_one_are_singular():
    intended_text, observed_text = _one_of_each_texts()
    intended, observed = load_text(intended_text, "i.blueprint"), load_text(observed_text, "o.blueprint")
    comparison = compare(intended, observed)
    assert comparison.counts() == {"error": 1, "warning": 1, "note": 1}
    pages = [render_compare_report(comparison), render_single_report(observed, [])]
    from blueprint_cli.checks import run

    pages.append(render_single_report(observed, run(observed)))
    for intended_path, observed_path in sample_pairs():
        pages.append(render_compare_report(compare(load(intended_path), load(observed_path))))
    for html in pages:
        text = _visible_text(html)
        wrong = re.findall(rf"(?<![\d.,])1 (?:[a-z]+ )?(?:{_PLURAL_NOUNS})\b", text)
        assert not wrong, wrong
    single = _visible_text(pages[1])
    assert "1 unknown" in single and "1 pain point or workaround" in single
    assert re.search(r"\b3 steps in 1 stage, across 2 organisations", single)


def test_severity_captions_agree_with_their_count():
    from blueprint_cli.report.context import severity_counts

    one = [{"severity": "error"}, {"severity": "warning"}, {"severity": "warning"}]
    words = {c["key"]: (c["count"], c["why"]) for c in severity_counts(one)}
    assert words["error"] == (1, "place where people are let down")
    assert words["warning"] == (2, "risks to look at")
    assert words["note"] == (0, "things worth knowing")


# ---------------------------------------------------------------- what a reviewer reads


def _sample(name: str):
    intended, observed = next(pair for pair in sample_pairs() if pair[0].name.startswith(name))
    return load(str(intended)), load(str(observed))


def _overlay_part(html: str) -> str:
    start = html.index('id="diagram-overlay"')
    return html[start : html.index("</svg>", start)]


def test_the_overlay_diagram_is_not_headed_as_one_version():
    intended, observed = _sample("hospital-discharge")
    html = render_compare_report(compare(intended, observed))
    overlay = _overlay_part(html)
    assert "OBSERVED SERVICE" not in overlay and "INTENDED SERVICE" not in overlay
    assert ">INTENDED AND OBSERVED, OVERLAID</text>" in overlay
    assert observed.description not in overlay  # each version's description is at the top of the page instead


def test_finding_values_read_as_words_not_codes():
    intended, observed = _sample("hospital-discharge")
    page = render_compare_report(compare(intended, observed))
    values = re.findall(r'<p class="change-values">(.*?)</p>', page)
    assert values
    joined = "\n".join(values)
    assert not re.search(r">\d+[mhdw]<", joined), "durations such as 1d or 30m"
    assert ">3 days<" in joined and ">in person<" in joined
    assert '<del class="before">none</del>' not in joined and '<ins class="after">none</ins>' not in joined
    assert '<span class="values-label">Steps that use it:</span>' in joined
    assert ": “" in joined  # a flow's label follows its ends
    order = [
        v
        for v in re.findall(
            r'<p class="change-values">(.*?)</p>', render_compare_report(compare(*_sample("residence-permit")))
        )
        if "Order in the stage" in v
    ]
    assert order and " › " in order[0] and order[0].count("→") == 1  # the only arrow is before → after


def test_unknowns_are_listed_once_and_the_plans_own_are_marked():
    base = """blueprint "U"
variant {variant}
stage s "Stage"
  backstage a "Does A"
  backstage b "Does B"
flow a -> b
unknown a "Nobody measured A"
"""
    intended = load_text(base.format(variant="intended") + 'unknown b "Capacity of B"\n', "i.blueprint")
    observed = load_text(base.format(variant="observed"), "o.blueprint")
    text = _visible_text(render_compare_report(compare(intended, observed)))
    assert text.count("Nobody measured A") == 1 + text.count("has a new unknown: “Nobody measured A”")
    assert "Does B Stage · in the plan only Capacity of B" in text


def test_single_report_explains_checks_with_their_summary_and_words_for_blueprint_problems():
    from blueprint_cli.checks import run

    _, observed = _sample("residence-permit")
    html = render_single_report(observed, run(observed))
    whys = re.findall(r'<p class="why">(.*?)</p>', html)
    assert whys and not any("`" in why for why in whys), "a rule's example from another blueprint"
    text = _visible_text(html)
    assert "people are let down" not in text
    assert re.search(r"Warning \d+ gaps? to look at", text)


def test_the_compare_report_reads_the_comparison_and_does_not_match_again(monkeypatch):
    intended, observed = sample_pairs()[0]
    comparison = compare(load(str(intended)), load(str(observed)))
    expected = render_compare_report(comparison, generated="now", to_svg=lambda blueprint, **status: "<svg/>")

    def no_matching(*args, **kwargs):
        raise AssertionError("the report ran the matcher again")

    import blueprint_cli.compare.match as matcher

    monkeypatch.setattr(matcher, "match", no_matching)
    assert render_compare_report(comparison, generated="now", to_svg=lambda blueprint, **status: "<svg/>") == expected


def test_overlay_statuses_are_the_vocabulary():
    from blueprint_cli.report.compare_view import build_compare_overlay
    from blueprint_cli.vocab import FlowStatus, StepStatus

    for intended, observed in sample_pairs():
        overlay = build_compare_overlay(compare(load(str(intended)), load(str(observed))))
        assert overlay.step_status and all(isinstance(s, StepStatus) for s in overlay.step_status.values())
        assert all(isinstance(s, FlowStatus) for s in overlay.flow_status.values())
        assert overlay.step_words() == {k: v.value for k, v in overlay.step_status.items()}
        assert all(type(word) is str for word in overlay.flow_words().values())
