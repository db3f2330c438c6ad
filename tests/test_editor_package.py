"""The VS Code extension in editors/vscode: its manifest points at real files and commands."""

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

VSCODE = ROOT / "editors" / "vscode"


def manifest() -> dict[str, object]:
    found: dict[str, object] = json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))
    return found


def test_the_language_and_grammar_point_at_the_files() -> None:
    contributes = manifest()["contributes"]
    assert isinstance(contributes, dict)
    (language,) = contributes["languages"]
    assert language["id"] == "blueprint" and ".blueprint" in language["extensions"]
    config = json.loads((VSCODE / language["configuration"]).read_text(encoding="utf-8"))
    assert config["comments"]["lineComment"] == "#"
    assert {"open": '"', "close": '"', "notIn": ["string", "comment"]} in config["autoClosingPairs"]
    (grammar,) = contributes["grammars"]
    grammar_file = json.loads((VSCODE / grammar["path"]).read_text(encoding="utf-8"))
    assert grammar["scopeName"] == grammar_file["scopeName"] == "source.blueprint"


def test_every_contributed_command_is_registered() -> None:
    contributes = manifest()["contributes"]
    assert isinstance(contributes, dict)
    script = (VSCODE / "extension.js").read_text(encoding="utf-8")
    registered = set(re.findall(r'registerCommand\("([^"]+)"', script))
    assert {c["command"] for c in contributes["commands"]} == registered == {"blueprint.openPreview"}
    assert 'args: ["lsp"]' in script
    assert '["preview", file, "--no-browser", "--port", "0"]' in script


def test_the_extension_is_valid_javascript() -> None:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("node is missing: run `bash scripts/run.sh test`")
        pytest.skip("node is missing")
    done = subprocess.run([node, "--check", str(VSCODE / "extension.js")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_extension_starts_the_server_and_opens_the_preview(tmp_path: Path) -> None:
    """extension.js against a stand-in VS Code API, with the real `blueprint` program."""
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("node is missing: run `bash scripts/run.sh test`")
        pytest.skip("node is missing")
    sample = tmp_path / "service.blueprint"
    sample.write_text('blueprint "A service"\nstage s "S"\n  support a "Does it"\n', encoding="utf-8")
    program = Path(sys.executable).with_name("blueprint")
    done = subprocess.run(
        [node, str(ROOT / "tests" / "editors" / "extension_test.js"), str(program), str(sample)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert not record.get("timeout") and record["errors"] == [] and record["warnings"] == []
    (client,) = record["clients"]
    assert client["server"] == {"command": str(program), "args": ["lsp"]}
    assert client["options"]["documentSelector"] == [{"scheme": "file", "language": "blueprint"}]
    assert record["commands"] == ["blueprint.openPreview"]
    (shown,) = record["shown"]
    assert shown["name"] == "simpleBrowser.show"
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", shown["url"])
    assert record["page"] == 200  # the preview was really serving
    assert record["stopped"] is True
