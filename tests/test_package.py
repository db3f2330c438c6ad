"""Packaging: a wheel installed in a clean virtual environment finds its grammar, templates, schemas.

Builds the wheel with pip (hatchling from the package index), installs it (not editable) with
its dependencies into a new venv, and runs the installed `blueprint` from outside the checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from conftest import ROOT, sample_files

pytestmark = pytest.mark.slow

PROBE = """
import json, sys
from pathlib import Path
import blueprint_cli
from blueprint_cli.resources import grammar_path, resource_dir, templates_dir
from blueprint_cli.language.export import schema_path
package = Path(blueprint_cli.__file__).resolve().parent
found = {
    "package": str(package),
    "grammar": grammar_path().is_file() and grammar_path().resolve().is_relative_to(package),
    "templates": templates_dir().is_dir() and templates_dir().resolve().is_relative_to(package) and any(templates_dir().iterdir()),
    "schema": schema_path().is_file() and schema_path().resolve().is_relative_to(package),
}
json.dump(found, sys.stdout)
"""


def _run(args, *, cwd, env=None, timeout=180) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A clean venv with the wheel of this checkout installed; returns its bin folder."""
    work = tmp_path_factory.mktemp("package")
    wheels = work / "wheels"
    built = _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "-q",
            "--disable-pip-version-check",
            "-w",
            str(wheels),
        ],
        cwd=work,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = wheels.glob("service_blueprint_cli-*.whl")
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    done = _run(
        [str(bin_dir / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
        cwd=work,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return bin_dir


def _clean_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["XDG_CACHE_HOME"] = env.get("XDG_CACHE_HOME", "") or str(Path.home() / ".cache")
    return env


def test_installed_package_ships_grammar_templates_and_schemas(installed, tmp_path):
    done = _run([str(installed / "python"), "-c", PROBE], cwd=tmp_path, env=_clean_env())
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert "site-packages" in found["package"] and not found["package"].startswith(str(ROOT))
    assert found["grammar"] and found["templates"] and found["schema"], found


def test_installed_cli_checks_and_exports_a_sample(installed, tmp_path):
    sample = next(p for p in sample_files() if "include" not in p.read_text(encoding="utf-8"))
    copy = tmp_path / sample.name
    shutil.copy(sample, copy)
    env = _clean_env()
    version = _run([str(installed / "blueprint"), "--version"], cwd=tmp_path, env=env)
    assert version.returncode == 0 and version.stdout.startswith("blueprint ")
    check = _run([str(installed / "blueprint"), "check", copy.name], cwd=tmp_path, env=env)
    assert check.returncode == 0, check.stderr
    export = _run([str(installed / "blueprint"), "export", copy.name], cwd=tmp_path, env=env)
    assert export.returncode == 0, export.stderr
    document = json.loads(export.stdout)
    assert document["schema_version"] == 1 and document["steps"]
    alias = _run([str(installed / "servicebp"), "check", copy.name], cwd=tmp_path, env=env)
    assert (alias.returncode, alias.stdout) == (check.returncode, check.stdout), "servicebp is the same program"
    graphviz_module = _run([str(installed / "python"), "-c", "import graphviz"], cwd=tmp_path, env=env)
    assert graphviz_module.returncode != 0, "the graphviz Python package is not a dependency (we run dot ourselves)"
    broken = tmp_path / "broken.blueprint"
    broken.write_text('blueprint "B"\nstgae s "S"\n', encoding="utf-8")
    failed = _run([str(installed / "blueprint"), "check", broken.name], cwd=tmp_path, env=env)
    assert failed.returncode == 2 and "did you mean 'stage'?" in failed.stderr
