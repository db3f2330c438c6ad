"""The configuration file: `[tool.blueprint]` in pyproject.toml, or a blueprint.toml.

Found by walking up from the current folder (the first `blueprint.toml`, or `pyproject.toml` with
a `[tool.blueprint]` table), or named with `--config`; `--no-config` reads none. Options given on
the command line override it. Every key is checked: a wrong one is an error at its line, with a
suggestion. Paths in it (baseline, output) are relative to the file's folder.

    [tool.blueprint]
    exclude = ["legacy/**"]        # files found in folders that are left out
    fail-on = "warning"            # check and diff
    select = ["BP1"]               # check: rules to run (ignore = [...] to skip some)
    max-assumed = 0.4              # check: BP109's limit

    [tool.blueprint.check]         # a command's own table overrides the shared keys
    baseline = "ci/check-baseline.json"

    [tool.blueprint.diff]
    baseline = "ci/drift-baseline.json"

    [tool.blueprint.render]
    format = "png"
    output = "out/diagrams"        # a folder
    timeout = 30

    [tool.blueprint.report]
    output = "out/reports"         # a folder: NAME.report.html goes in it
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from blueprint_cli.failures import Failure

OUTPUT_FORMATS = ("text", "json", "sarif", "junit", "github", "markdown")
FAIL_ON = ("error", "warning", "note", "never")
PICTURES = ("svg", "png", "pdf", "dot")


@dataclass(frozen=True)
class Key:
    """What one key accepts."""

    kind: str  # "strings" | "choice" | "share" | "seconds" | "path" | "string" | "stages"
    choices: tuple[str, ...] = ()


_SHARED = {
    "exclude": Key("strings"),
    "fail-on": Key("choice", FAIL_ON),
    "format": Key("choice", OUTPUT_FORMATS),
    "select": Key("strings"),
    "ignore": Key("strings"),
    "max-assumed": Key("share"),
    "link-base": Key("string"),
}
_TABLES: dict[str, dict[str, Key]] = {
    "check": {k: _SHARED[k] for k in ("exclude", "fail-on", "format", "select", "ignore", "max-assumed", "link-base")}
    | {"baseline": Key("path")},
    "diff": {k: _SHARED[k] for k in ("exclude", "fail-on", "format", "link-base")} | {"baseline": Key("path")},
    "fmt": {"exclude": _SHARED["exclude"]},
    "export": {"exclude": _SHARED["exclude"]},
    "render": {"exclude": _SHARED["exclude"], "format": Key("choice", PICTURES), "output": Key("path")}
    | {"timeout": Key("seconds"), "wrap-stages": Key("stages")},
    "report": {"output": Key("path")},
}
# Which shared keys each command reads when its own table does not set them.
_SHARED_FOR = {
    "check": ("exclude", "fail-on", "format", "select", "ignore", "max-assumed", "link-base"),
    "diff": ("exclude", "fail-on", "format", "link-base"),
    "fmt": ("exclude",),
    "export": ("exclude",),
    "render": ("exclude",),
    "report": (),
}


class ConfigError(Failure):
    """A configuration file that cannot be used, located at `path:line:column`."""


@dataclass(frozen=True)
class Settings:
    """The configuration in force: the file it came from (None: none) and its checked values."""

    path: str | None = None
    shared: Mapping[str, Any] = field(default_factory=dict)
    tables: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def get(self, command: str, key: str) -> Any:
        """A command's value for a key (its own table first, then the shared keys), or None."""
        own = self.tables.get(command, {})
        if key in own:
            return own[key]
        return self.shared.get(key) if key in _SHARED_FOR.get(command, ()) else None

    def strings(self, command: str, key: str) -> tuple[str, ...]:
        value = self.get(command, key)
        return tuple(value) if value else ()

    @property
    def folder(self) -> Path:
        return Path(self.path).parent if self.path else Path.cwd()


NONE = Settings()


def find(start: Path) -> Path | None:
    """The nearest configuration file at or above `start`."""
    for folder in (start, *start.parents):
        own = folder / "blueprint.toml"
        if own.is_file():
            return own
        project = folder / "pyproject.toml"
        if project.is_file() and _has_our_table(project):
            return project
    return None


def _relative(path: Path | None) -> Path | None:
    """A found file named from the current folder (`../pyproject.toml`), as people would type it."""
    import os

    if path is None:
        return None
    try:
        return Path(os.path.relpath(path))
    except ValueError:  # another drive
        return path


def _has_our_table(project: Path) -> bool:
    try:
        data = _parse(project)
    except ConfigError:  # broken: ours only if it names our table (then say what is wrong with it)
        return "[tool.blueprint" in project.read_text(encoding="utf-8", errors="replace")
    tool = data.get("tool")
    return isinstance(tool, dict) and "blueprint" in tool


def load(path: Path | None) -> Settings:
    """The checked settings of a configuration file (None: the defaults)."""
    if path is None:
        return NONE
    data = _parse(path)
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("blueprint", {}) if isinstance(tool, dict) else {}
        prefix: tuple[str, ...] = ("tool", "blueprint")
    else:
        table, prefix = data, ()
    checker = _Checker(str(path), text, prefix)
    return checker.settings(table)


def _parse(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10: the same module, from PyPI
        import tomli as tomllib

    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"cannot read the configuration: {error.strerror or error}", location=str(path)) from None
    except tomllib.TOMLDecodeError as error:
        where, message = _decode_place(str(path), str(error))
        raise ConfigError(message, location=where, hint="the file is not valid TOML") from None


def _decode_place(path: str, message: str) -> tuple[str, str]:
    """`path:line:col` from tomllib's `... (at line 3, column 7)`."""
    import re

    found = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if not found:
        return path, message
    return f"{path}:{found.group(1)}:{found.group(2)}", message[: found.start()]


class _Checker:
    """Checks one file's table against the keys above; the first problem is raised, located."""

    def __init__(self, path: str, text: str, prefix: tuple[str, ...]) -> None:
        self.path, self.text, self.prefix = path, text, prefix

    def fail(self, table: tuple[str, ...], key: str | None, message: str, hint: str | None = None) -> ConfigError:
        from blueprint_cli.tomlspan import locate

        line, column = locate(self.text, self.prefix + table, key)
        return ConfigError(message, location=f"{self.path}:{line}:{column}", hint=hint)

    def settings(self, table: Mapping[str, Any]) -> Settings:
        shared: dict[str, Any] = {}
        tables: dict[str, dict[str, Any]] = {}
        for key, value in table.items():
            if key in _TABLES and not isinstance(value, dict):
                raise self.fail(
                    (), key, f"'{key}' is a table of {key} options, such as [{'.'.join((*self.prefix, key))}]"
                )
            if key in _TABLES and isinstance(value, dict):
                tables[key] = {k: self.value((key,), k, v, _TABLES[key]) for k, v in value.items()}
            else:
                shared[key] = self.value((), key, value, _SHARED)
        self.rules(shared, ())
        for name, values in tables.items():
            self.rules(values, (name,))
        return Settings(self.path, shared, tables)

    def value(self, table: tuple[str, ...], key: str, value: Any, keys: Mapping[str, Key]) -> Any:
        where = "[" + ".".join(self.prefix + table) + "]" if self.prefix + table else "the file"
        if key not in keys:
            import difflib

            known = sorted(keys) + ([] if table else sorted(_TABLES))
            guess = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            suggestion = f"; did you mean '{guess[0]}'?" if guess else ""
            raise self.fail(
                table, key, f"unknown key '{key}' in {where}{suggestion}", hint="known keys: " + ", ".join(known)
            )
        return _Value(self, table, key).check(value, keys[key])

    def rules(self, values: Mapping[str, Any], table: tuple[str, ...]) -> None:
        """select and ignore name rules that exist (checked as --select and --ignore are)."""
        if not values.get("select") and not values.get("ignore"):
            return
        from blueprint_cli import checks

        try:
            checks.select(include=values.get("select", ()), exclude=values.get("ignore", ()))
        except checks.SelectionError as error:
            raise self.fail(table, "select" if values.get("select") else "ignore", str(error)) from None


@dataclass(frozen=True)
class _Value:
    """A configuration value being checked: the checker, the table it sits in and its key."""

    checker: _Checker
    table: tuple[str, ...]
    key: str

    def wrong(self, expected: str, value: Any, *, hint: str = "") -> ConfigError:
        """`value` spelled as in the file where Python's spelling differs (true, not True)."""
        shown = str(value).lower() if isinstance(value, bool) else repr(value)
        return self.checker.fail(self.table, self.key, f"'{self.key}' must be {expected}, not {shown}{hint}")

    def check(self, value: Any, key: Key) -> Any:
        if key.kind == "strings":
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise self.wrong("a list of strings", value)
            return tuple(value)
        if key.kind in ("share", "seconds"):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise self.wrong("a number", value)
            if key.kind == "share" and not 0 <= value <= 1:
                raise self.wrong("a share between 0 and 1", value)
            if key.kind == "seconds" and value <= 0:
                raise self.wrong("a positive number of seconds", value)
            return float(value)
        if key.kind == "stages":  # render's wrap-stages: stages per band, or "auto"
            if value == "auto" or (isinstance(value, int) and not isinstance(value, bool) and value >= 1):
                return value
            quoted = isinstance(value, str) and value.strip().isdigit()
            hint = f" (a number is written without quotes: {self.key} = {value.strip()})" if quoted else ""
            raise self.wrong('a whole number of stages per band (1 or more) or "auto"', value, hint=hint)
        if not isinstance(value, str):
            raise self.wrong("a string", value)
        if key.kind == "choice" and value not in key.choices:
            import difflib

            guess = difflib.get_close_matches(value, key.choices, n=1, cutoff=0.5)
            suggestion = f"; did you mean '{guess[0]}'?" if guess else ""
            raise self.checker.fail(
                self.table,
                self.key,
                f"'{self.key}' is one of {', '.join(key.choices)}, not '{value}'{suggestion}",
            )
        if key.kind == "path":
            return str(Path(self.checker.path).parent / value)
        return value


# ---------------------------------------------------------------- the configuration of this run


@dataclass(frozen=True)
class Choice:
    """What the command line says about the configuration: `--config PATH`, `--no-config`."""

    path: str | None = None
    disabled: bool = False


_CHOICE: ContextVar[Choice | None] = ContextVar("config_choice", default=None)
_LOADED: ContextVar[Settings | None] = ContextVar("config_loaded", default=None)


def choose(choice: Choice) -> None:
    """Set the command line's choice for this run (before any command asks for `current()`)."""
    _CHOICE.set(choice)
    _LOADED.set(None)


def current() -> Settings:
    """The settings in force for this run, read once: `--config`, else the nearest file, unless `--no-config`."""
    loaded = _LOADED.get()
    if loaded is None:
        choice = _CHOICE.get() or Choice()
        if choice.disabled:
            loaded = NONE
        elif choice.path is not None:
            named = Path(choice.path)
            if not named.is_file():
                raise ConfigError("no such configuration file", location=choice.path, hint="--config names a TOML file")
            loaded = load(named)
        else:
            loaded = load(_relative(find(Path.cwd())))
        _LOADED.set(loaded)
        if loaded.path:
            from blueprint_cli.console import detail

            detail(f"configuration: {loaded.path}")
    return loaded
