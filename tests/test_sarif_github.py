"""SARIF for GitHub code scanning: help and links on every rule, a category per run, and a real validator."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import SAMPLES, sample_pairs

from blueprint_cli import links

HOSPITAL = [
    str(SAMPLES / "hospital-discharge.intended.blueprint"),
    str(SAMPLES / "hospital-discharge.observed.blueprint"),
]


def _sarif(run_cli, *args: str) -> dict:
    code, out, err = run_cli(*args, "--format", "sarif")
    assert code in (0, 1, 2), err
    return json.loads(out)


@pytest.mark.parametrize("command", ["check", "diff"])
def test_every_rule_has_help_and_a_link_into_the_readme(run_cli, command):
    args = ["diff", *HOSPITAL] if command == "diff" else ["check", str(SAMPLES)]
    run = _sarif(run_cli, *args)["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["informationUri"] == links.HOME
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for rule in driver["rules"]:
        assert rule["help"]["text"] and rule["help"]["markdown"], rule["id"]
        base, _, anchor = rule["helpUri"].partition("#")
        assert base == links.HOME
        heading = anchor.replace("-", " ")
        is_heading = any(
            line.lstrip("#").strip().lower() == heading for line in readme.splitlines() if line.startswith("#")
        )
        assert is_heading or f'<a id="{anchor}"></a>' in readme, f"{rule['id']}: no README section or row #{anchor}"
    rows = [rule for rule in driver["rules"] if rule["id"] != "BP000"]  # BP000 (invalid input): the language
    expected = "#kind-" if command == "diff" else "#bp1"
    assert rows and all(expected in rule["helpUri"] for rule in rows), "each kind and rule links to its own row"


def test_runs_have_a_category_each(run_cli):
    ids = {_sarif(run_cli, "check", str(SAMPLES))["runs"][0]["automationDetails"]["id"]}
    for intended, observed in sample_pairs():
        ids.add(_sarif(run_cli, "diff", str(intended), str(observed))["runs"][0]["automationDetails"]["id"])
    assert len(ids) == 1 + len(sample_pairs())
    assert all(i.startswith("blueprint/") and i.endswith("/") for i in ids)


@pytest.fixture(scope="module")
def multitool(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Microsoft's SARIF Multitool (the validator behind GitHub's SARIF checks), from the npm registry."""
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.skip("needs node and npm")
    folder = tmp_path_factory.mktemp("sarif-multitool")
    done = subprocess.run(
        [
            "npm",
            "install",
            "--silent",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(folder),
            "@microsoft/sarif-multitool@5.7.0",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"the SARIF Multitool could not be installed: {done.stderr[-300:]}")
    found = list((folder / "node_modules" / "@microsoft").glob("sarif-multitool-linux/Sarif.Multitool"))
    if not found:
        pytest.skip("no SARIF Multitool build for this platform")
    return found[0]


def _validate(multitool: Path, sarif: Path) -> list[str]:
    """Every error and warning of the SARIF and GitHub (GH...) rules."""
    log = sarif.with_suffix(".validation.sarif")
    done = subprocess.run(
        [str(multitool), "validate", "--rule-kind", "Sarif;Gh", "-o", str(log), str(sarif)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert log.exists(), done.stdout + done.stderr
    results = json.loads(log.read_text(encoding="utf-8"))["runs"][0]["results"]
    return [
        f"{r['ruleId']}: {r['message'].get('text', r['message'])}"
        for r in results
        if r.get("level", "warning") in ("error", "warning")
    ]


@pytest.mark.slow
def test_the_sarif_multitool_finds_nothing_wrong(multitool, run_cli, tmp_path):
    bad = tmp_path / "bad.blueprint"
    bad.write_text('blueprint "x"\nstage s "S"\n  customer a "A" by nobody\n', encoding="utf-8")
    baseline = tmp_path / "drift.json"
    run_cli("diff", *HOSPITAL, "--write-baseline", str(baseline))
    outputs = {
        "check": ["check", str(SAMPLES), str(bad)],
        "diff": ["diff", *HOSPITAL],
        "diff-baseline": ["diff", *HOSPITAL, "--baseline", str(baseline)],
    }
    for name, args in outputs.items():
        target = tmp_path / f"{name}.sarif"
        run_cli(*args, "--format", "sarif", "-o", str(target))
        assert _validate(multitool, target) == [], name
    broken = tmp_path / "broken.sarif"
    document = json.loads((tmp_path / "diff.sarif").read_text(encoding="utf-8"))
    del document["runs"][0]["tool"]["driver"]["rules"][0]["help"]
    broken.write_text(json.dumps(document), encoding="utf-8")
    assert any(problem.startswith("GH2012") for problem in _validate(multitool, broken)), "the validator can fail"
