"""The action's shell steps, run as GitHub would run them, on a scratch repository with an include.

The `uses:` steps (setup-python, code scanning upload, artifact upload) and the install step are
GitHub's or the machine's business; every `run:` step runs here with bash -e -o pipefail, its
`${{ }}` expressions filled in from the inputs, the event and earlier steps' outputs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

yaml = pytest.importorskip("yaml", reason="pyyaml is in the test extras")
pytestmark = pytest.mark.skipif(shutil.which("git") is None or shutil.which("bash") is None, reason="needs git, bash")

PEOPLE = 'org clinic "Clinic"\norg council "Council"\n\nactor nurse "Nurse" @clinic\n'
VISIT = """blueprint "Clinic visit"

include "shared/people.blueprint"

actor patient "Patient" customer

stage visit "Visit"
  customer come "Comes in" by patient -> see
  frontstage see "Sees the patient" by nurse
"""


def _git(*args: str, cwd: Path) -> str:
    done = subprocess.run(
        ["git", "-c", "user.email=t@example.invalid", "-c", "user.name=t", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


class Runner:
    """Runs the action's `run:` steps in order, keeping outputs as GitHub does."""

    def __init__(self, repo: Path, inputs: dict[str, str], event: dict[str, str]) -> None:
        self.repo, self.event = repo, event
        action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
        self.steps = action["runs"]["steps"]
        self.inputs = {k: str(v.get("default", "")) for k, v in action["inputs"].items()} | inputs
        self.outputs: dict[str, dict[str, str]] = {}
        self.summary = repo.parent / "summary.md"
        self.log: list[tuple[str, int, str]] = []

    def value(self, expression: str) -> str:
        expression = expression.strip()
        if expression.startswith("inputs."):
            return self.inputs[expression[len("inputs.") :]]
        found = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression)
        if found:
            return self.outputs.get(found.group(1), {}).get(found.group(2), "")
        if expression.startswith("github.event."):
            return self.event.get(expression[len("github.event.") :], "")
        raise AssertionError(f"an expression the test does not know: {expression}")

    def fill(self, text: str) -> str:
        return re.sub(r"\$\{\{(.*?)\}\}", lambda m: self.value(m.group(1)), text)

    def condition(self, text: str) -> bool:
        python = re.sub(r"steps\.[\w.-]+|inputs\.[\w-]+", lambda m: repr(self.value(m.group(0))), text)
        python = python.replace("&&", " and ").replace("||", " or ").replace("always()", "True")
        return bool(eval(python, {}))  # the action's own simple conditions

    def run(self) -> int:
        code = 0
        for step in self.steps:
            if "uses" in step or step["name"].startswith("Install"):
                continue
            if "if" in step and not self.condition(step["if"]):
                continue
            code = self._step(step)
        return code

    def _step(self, step: dict[str, object]) -> int:
        output = self.repo.parent / f"output-{len(self.log)}"
        output.write_text("", encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
        env |= {"GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(self.summary), "GITHUB_ACTION_PATH": str(ROOT)}
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
        env |= {k: self.fill(str(v)) for k, v in dict(step.get("env", {})).items()}  # type: ignore[arg-type]
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", str(step["run"])],
            cwd=self.repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        self.log.append((str(step["name"]), done.returncode, done.stdout + done.stderr))
        if "id" in step:
            self.outputs[str(step["id"])] = _outputs(output.read_text(encoding="utf-8"))
        return done.returncode


def _outputs(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line:
            name, delimiter = line.split("<<", 1)
            body = []
            for inner in lines:
                if inner == delimiter:
                    break
                body.append(inner)
            found[name] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            found[name] = value
    return found


@pytest.fixture
def pull_request(tmp_path: Path) -> tuple[Path, str]:
    repo = tmp_path / "repo"
    (repo / "shared").mkdir(parents=True)
    (repo / "shared" / "people.blueprint").write_text(PEOPLE, encoding="utf-8")
    (repo / "visit.blueprint").write_text(VISIT, encoding="utf-8")
    _git("init", "-q", cwd=repo)
    _git("add", "-A", cwd=repo)
    _git("commit", "-qm", "base", cwd=repo)
    base = _git("rev-parse", "HEAD", cwd=repo)
    # The pull request moves the nurse to the council, in the shared file only.
    (repo / "shared" / "people.blueprint").write_text(
        PEOPLE.replace('"Nurse" @clinic', '"Nurse" @council'), encoding="utf-8"
    )
    _git("commit", "-qam", "the change", cwd=repo)
    return repo, base


def test_the_action_checks_compares_through_the_include_and_publishes(pull_request):
    repo, base = pull_request
    runner = Runner(repo, {"fail-on": "warning"}, {"pull_request.base.sha": base})
    final = runner.run()
    names = [name for name, _, _ in runner.log]
    assert "Compare the changed blueprints with the base revision" in names, runner.log
    assert all(code == 0 for name, code, _ in runner.log if name != "Fail on findings"), runner.log
    assert runner.outputs["drift"]["compared"] == "visit.blueprint", "the includer of the changed fragment"
    out = repo / "blueprint-out"
    check = json.loads((out / "sarif" / "check.sarif").read_text(encoding="utf-8"))
    drift = json.loads((out / "sarif" / "diff.sarif").read_text(encoding="utf-8"))
    assert check["runs"][0]["automationDetails"]["id"] != drift["runs"][0]["automationDetails"]["id"]
    assert {r["ruleId"] for r in drift["runs"][0]["results"]} == {"step.org"}
    summary = runner.summary.read_text(encoding="utf-8")
    assert (
        "## Blueprint check" in summary
        and "## Blueprint drift" in summary
        and "moved from Clinic to Council" in summary
    )
    annotations = [
        line for _, _, text in runner.log for line in text.splitlines() if line.startswith("::warning file=")
    ]
    assert any("file=visit.blueprint," in line and "step.org see" in line for line in annotations)
    if shutil.which("dot") and shutil.which("neato"):
        assert (out / "diagrams" / "visit.svg").is_file() and (out / "reports" / "visit.report.html").is_file()
    assert final == 1, "a warning-level change fails the job under fail-on: warning"
    assert "::error::blueprint check or diff failed (exit 1)" in runner.log[-1][2]


def test_without_a_base_the_action_checks_and_says_why_it_does_not_compare(pull_request):
    repo, _ = pull_request
    runner = Runner(repo, {}, {"pull_request.base.sha": "", "before": ""})
    assert runner.run() == 0
    assert "Compare the changed blueprints with the base revision" not in [name for name, _, _ in runner.log]
    assert any("no base revision to compare with" in text for _, _, text in runner.log)
