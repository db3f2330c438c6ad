"""Start-up stays small: a command imports what it needs, and nothing costs time for nothing at import.

Speed itself is measured by benchmarks/ (the machines are too noisy for timed tests); these tests
keep the causes away: the modules a plain `blueprint check` loads, and dataclasses without a
docstring (for which `dataclasses` builds one with `inspect.signature`, ~0.5 ms per class).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys

from conftest import ROOT

SAMPLE = ROOT / "samples" / "hospital-discharge.intended.blueprint"

# Run a command in a fresh interpreter and print the modules it loaded.
PROBE = """
import sys
from blueprint_cli.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
loaded = sorted(sys.modules)
import json
sys.stderr.write(json.dumps(loaded))
"""


def _modules_after(*args: str, cwd: object = ROOT) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=cwd, check=False, timeout=120
    )
    return set(json.loads(done.stderr.splitlines()[-1]))


def _loaded(modules: set[str], prefix: str) -> list[str]:
    return sorted(m for m in modules if m == prefix or m.startswith(prefix + "."))


def test_a_text_check_loads_only_what_checking_needs():
    modules = _modules_after("check", str(SAMPLE))
    assert "blueprint_cli.checks" in modules and "blueprint_cli.language.fastparse" in modules  # it did run
    for unwanted in (
        "jinja2",
        "xml",
        "urllib.request",
        "http",
        "email",
        "ssl",
        "duckdb",
        "concurrent",
        "rich",
        "lark",  # the sample is plain: the fast path reads it (tests/test_fastparse.py)
        "blueprint_cli.compare",
        "blueprint_cli.render",
        "blueprint_cli.report",
        "blueprint_cli.formats.json_out",
        "blueprint_cli.formats.junit",
        "blueprint_cli.formats.sarif",
        "blueprint_cli.commands.diff",
        "blueprint_cli.commands.render",
        "blueprint_cli.commands.report",
        "blueprint_cli.commands.fmt",
        "blueprint_cli.commands.export",
        "json",  # only a baseline is JSON
    ):
        assert not _loaded(modules, unwanted), f"`blueprint check` imported {_loaded(modules, unwanted)}"


def test_a_check_without_a_configuration_file_reads_no_toml(tmp_path):
    # (The repository's own pyproject.toml is read, to see whether it has a [tool.blueprint] table.)
    modules = _modules_after("check", str(SAMPLE), cwd=tmp_path)
    assert "blueprint_cli.checks" in modules
    for unwanted in ("tomllib", "tomli", "blueprint_cli.tomlspan", "json", "rich", "lark", "jinja2"):
        assert not _loaded(modules, unwanted), f"`blueprint check` imported {_loaded(modules, unwanted)}"


def test_help_of_the_whole_app_still_registers_every_command():
    done = subprocess.run(
        [sys.executable, "-m", "blueprint_cli", "--help"], capture_output=True, text=True, cwd=ROOT, check=True
    )
    for command in ("check", "fmt", "export", "render", "diff", "report"):
        assert command in done.stdout


def _dataclasses_without_docstring(modules: set[str]) -> list[str]:
    """Dataclasses without a docstring in the given modules."""
    missing = []
    for path in sorted((ROOT / "blueprint_cli").rglob("*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        if name not in modules:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            decorators = [d.func if isinstance(d, ast.Call) else d for d in node.decorator_list]
            if any(isinstance(d, ast.Name) and d.id == "dataclass" for d in decorators) and not ast.get_docstring(node):
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    return missing


def test_every_dataclass_a_check_imports_has_a_docstring():
    # Without one, @dataclass computes `Name(field: type, ...)` with inspect.signature at import.
    modules = _modules_after("check", str(SAMPLE))
    assert "blueprint_cli.language.model" in modules
    assert _dataclasses_without_docstring(modules) == []


def _check_both_ways(run_cli, monkeypatch, *args: str) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    """`blueprint ARGS` (a check) written as plain strings, and by Rich (as it was before the plain path)."""
    from blueprint_cli import console
    from blueprint_cli.commands import check

    with monkeypatch.context() as patched:  # the plain path must not fall back to Rich here
        patched.setattr(check, "_rich_text", lambda *a, **k: (_ for _ in ()).throw(AssertionError("Rich")))
        plain = run_cli(*args)
    with monkeypatch.context() as patched:
        patched.setattr(console, "plain_stdout", lambda: False)
        rich = run_cli(*args)
    return plain, rich


def test_plain_check_text_is_what_rich_writes(run_cli, monkeypatch, tmp_path):
    import shutil

    shutil.copytree(ROOT / "samples", tmp_path, dirs_exist_ok=True)
    (tmp_path / "[bold] 宽 🏥.blueprint").write_text(  # markup-like, wide characters: carets padded by cells
        'blueprint "U [bold] 退院"\nstage s "S"\n  customer a "退院 🏥 [bold]x[/] \\\\ y"\n'
        '  customer b "B"\n  frontstage c "C 😀"\nflow a -> c\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    files = sorted(p.name for p in tmp_path.glob("*.blueprint"))
    for args in (files, ["after-a-death"], [*files, "after-a-death"], ["[bold] 宽 🏥.blueprint"]):
        for quiet in ([], ["--quiet"]):
            plain, rich = _check_both_ways(run_cli, monkeypatch, *quiet, "check", *args)
            assert plain == rich, (quiet, args)
    plain, rich = _check_both_ways(run_cli, monkeypatch, "check", *files, "after-a-death")
    assert "✓ [bold] 宽 🏥.blueprint: valid" in plain[1]
    assert "     |   ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n" in plain[1]  # 退院 🏥: six cells in five characters
    assert "✓ after-a-death/shared/bodies.blueprint: valid include fragment" in plain[1]
    assert plain[1].splitlines()[-1].startswith(f"{len(files) + 5} files, 0 invalid: ")  # the summary line
    quiet = _check_both_ways(run_cli, monkeypatch, "--quiet", "check", *files, "after-a-death")[0]
    assert "✓" not in quiet[1] and quiet[1].splitlines()[-1] == plain[1].splitlines()[-1]
    # With a baseline: accepted and resolved findings are listed after the files, then the summary line.
    assert run_cli("check", *files, "--write-baseline", "base.json")[0] in (0, 1, 2)
    baseline = (tmp_path / "base.json").read_text(encoding="utf-8")
    (tmp_path / "base.json").write_text(baseline.replace('"BP1', '"BP9', 1), encoding="utf-8")
    for quiet in ([], ["--quiet"]):
        plain, rich = _check_both_ways(run_cli, monkeypatch, *quiet, "check", *files, "--baseline", "base.json")
        assert plain == rich and "accepted (in the baseline)" in plain[1] and "resolved (in the baseline" in plain[1]


def test_plain_check_text_leaves_to_rich_what_rich_changes(run_cli, monkeypatch, tmp_path):
    from blueprint_cli import console

    (tmp_path / "tab\tname.blueprint").write_text(
        'blueprint "T"\nstage s "S"\n  customer a "A\tb"\n  frontstage b "B"\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    plain = run_cli("check", "tab\tname.blueprint")
    monkeypatch.setattr(console, "plain_stdout", lambda: False)
    rich = run_cli("check", "tab\tname.blueprint")
    assert plain == rich and "✓ tab   name.blueprint" in plain[1]  # Rich expands the tab


def test_plain_check_text_is_used_when_piped():
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "check", str(SAMPLE)], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert done.stdout.startswith("✓ ") and "rich" not in json.loads(done.stderr.splitlines()[-1])


def test_plain_render_message_is_what_rich_writes(run_cli, monkeypatch, tmp_path):
    from blueprint_cli import console

    monkeypatch.chdir(tmp_path)
    for name in ("plain [x].dot", "tab\there.dot"):
        plain = run_cli("render", str(SAMPLE), "-o", name)
        monkeypatch.setattr(console, "plain_stdout", lambda: False)
        rich = run_cli("render", str(SAMPLE), "-o", name)
        monkeypatch.undo()
        monkeypatch.chdir(tmp_path)
        assert plain == rich and plain[1].startswith("✓ ")


def test_a_piped_dot_render_needs_no_rich(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "render", str(SAMPLE), "-o", str(tmp_path / "x.dot")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.stdout.startswith("✓ ") and "rich" not in json.loads(done.stderr.splitlines()[-1])


EXIT_PROBE = """
import atexit, sys
atexit.register(lambda: sys.stderr.write("exit functions ran\\n"))
sys.argv = ["blueprint", *sys.argv[1:]]
from blueprint_cli.cli import main
main()
"""


def test_the_program_ends_without_teardown_but_runs_exit_functions_and_writes_everything(tmp_path):
    big = tmp_path / "big.blueprint"
    steps = "\n".join(f'  customer s{i} "Step {i}"' for i in range(400))
    big.write_text(f'blueprint "B"\nstage a "A"\n{steps}\n', encoding="utf-8")
    for args, code in (([str(SAMPLE)], 0), ([str(big)], 0), (["--fail-on", "note", str(SAMPLE)], 1), (["nowhere"], 2)):
        done = subprocess.run(
            [sys.executable, "-c", EXIT_PROBE, "check", *args], capture_output=True, text=True, cwd=ROOT, check=False
        )
        assert done.returncode == code, done.stderr
        assert done.stderr.endswith("exit functions ran\n")
        in_process = subprocess.run(
            [sys.executable, "-c", PROBE, "check", *args], capture_output=True, text=True, cwd=ROOT, check=False
        )
        assert done.stdout == in_process.stdout  # every line written, as when the interpreter tears down
