"""The dataclass code cache (blueprint_cli/classcode.py): the same classes, compiled once across runs."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest
from conftest import ROOT

from blueprint_cli import classcode


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """classcode as in a new process, its cache file in tmp_path; dataclasses as before afterwards."""
    monkeypatch.setattr(classcode, "_file", lambda: str(tmp_path / "cache" / "codes.marshal"))
    monkeypatch.setattr(classcode, "_codes", {})
    monkeypatch.setattr(classcode, "_state", {"installed": False, "added": False})
    monkeypatch.setattr(dataclasses, "exec", exec, raising=False)
    return tmp_path / "cache" / "codes.marshal"


def _define() -> type:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Point:
        """A point."""

        x: int
        y: int = 0
        label: str = dataclasses.field(default="", compare=False)

    return Point


def test_classes_behave_as_without_the_cache(fresh):
    plain = _define()
    classcode.install()
    cached = _define()
    for kind in (plain, cached):
        a, b = kind(1, 2, "a"), kind(1, 2, "b")
        assert a == b and hash(a) == hash(b) and repr(a) == f"{kind.__qualname__}(x=1, y=2, label='a')"
        with pytest.raises(dataclasses.FrozenInstanceError):
            a.x = 3  # type: ignore[misc]
    assert plain.__init__.__code__.co_code == cached.__init__.__code__.co_code
    assert plain.__init__.__code__.co_flags == cached.__init__.__code__.co_flags
    # The methods' annotations are the types, as without the cache (not strings: this test module and
    # classcode.py have `from __future__ import annotations`, the generated code must not inherit it).
    assert cached.__init__.__annotations__ == plain.__init__.__annotations__
    assert cached.__init__.__annotations__["x"] == "int"  # the field's annotation, as written here


def test_the_saved_code_is_used_by_the_next_run(fresh, monkeypatch):
    classcode.install()
    _define()
    assert classcode._state["added"]
    classcode.save()
    assert fresh.is_file() and not classcode._state["added"]
    monkeypatch.setattr(classcode, "_codes", {})  # the next process
    monkeypatch.setattr(classcode, "_state", {"installed": False, "added": False})
    classcode.install()
    assert classcode._codes
    _define()
    assert not classcode._state["added"]  # nothing compiled: everything came from the file


def test_a_broken_or_unwritable_cache_only_means_compiling(fresh):
    fresh.parent.mkdir()
    fresh.write_bytes(b"not marshal data")
    classcode.install()
    a = _define()(1)
    assert a.y == 0 and classcode._state["added"]
    fresh.unlink()
    fresh.parent.chmod(0o500)
    try:
        classcode.save()  # cannot write there: the command goes on (as root it can, and does)
    finally:
        fresh.parent.chmod(0o700)


def test_a_cache_of_the_wrong_values_only_means_compiling(fresh):
    import marshal

    classcode.install()
    _define()
    values = (b"\x00", marshal.dumps(3), marshal.dumps("x"))  # not marshal data, not code
    wrong = {source: values[n % 3] for n, source in enumerate(classcode._codes)}
    fresh.parent.mkdir()
    fresh.write_bytes(marshal.dumps(wrong))
    classcode._codes.clear()
    classcode._state["installed"] = False
    classcode.install()
    point = _define()
    assert point(1, 2) == point(1, 2) and repr(point(1)).endswith("Point(x=1, y=0, label='')")
    assert classcode._state["added"]  # compiled again where the file held no code


def test_the_command_writes_the_cache_and_reads_it(tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    sample = ROOT / "samples" / "hospital-discharge.intended.blueprint"
    runs = [
        subprocess.run(
            [sys.executable, "-m", "blueprint_cli", "check", str(sample)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            check=False,
        )
        for _ in range(2)
    ]
    assert runs[0].returncode == runs[1].returncode == 0 and runs[0].stdout == runs[1].stdout
    assert list((tmp_path / "blueprint-cli").glob("dataclass-code-*.marshal"))
