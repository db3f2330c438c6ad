"""Dataclasses without compiling their methods again on every run.

`@dataclass` writes the source of `__init__`, `__repr__`, `__eq__`, `__hash__` (and, frozen,
`__setattr__` and `__delattr__`) and compiles it with `exec` for every class at import: ~0.8 ms
per frozen class, ~35 ms of a 30-step `blueprint check` that creates ~50 of them. The source
depends only on the class's fields and options, so its compiled code can be kept: `install()`
hands the `dataclasses` module an `exec` that takes the code from a cache (a dict keyed by the
source text, in the user's cache folder, one file per command and Python bytecode version) and compiles only
what is new; `save()` writes the cache back when something was added. The classes are the same
as without it (the same source, compiled the same way, run the same way); a missing or broken
cache file just means compiling as before.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from types import CodeType

# Kept small: a cache that outgrows this (ever more classes, e.g. from other programs' versions
# of a library) is started afresh.
_MOST = 4000
_FORMAT = 2  # raised when what the file holds changes (2: compiled without inheriting __future__ flags)

# source -> its compiled code, marshalled (as read from the file: unmarshalled only when used)
_codes: dict[str, bytes] = {}
_state = {"installed": False, "added": False}
_kind = {"name": "other"}  # the command: one file each, holding only the classes it creates


def _file() -> str:
    from importlib.util import MAGIC_NUMBER

    from blueprint_cli.resources import cache_dir

    tag = f"{sys.implementation.cache_tag}-{MAGIC_NUMBER.hex()}"
    return os.path.join(cache_dir(), f"dataclass-code-{_FORMAT}-{tag}-{_kind['name']}.marshal")


def _exec(source: str | CodeType, globals: dict[str, Any] | None = None, locals: dict[str, Any] | None = None) -> None:
    """`exec` as the dataclasses module calls it, with the compiled source taken from the cache."""
    if not isinstance(source, str):
        exec(source, globals, locals)  # code given: nothing to compile
        return
    import marshal

    code = _cached(_codes.get(source))
    if code is None:
        # dont_inherit: compiled as exec(source) in dataclasses compiles it, without this module's
        # `from __future__ import annotations` (which would make the methods' annotations strings)
        code = compile(source, "<string>", "exec", dont_inherit=True)
        _codes[source] = marshal.dumps(code)
        _state["added"] = True
    exec(code, globals, locals)


def _cached(known: bytes | None) -> CodeType | None:
    """The code kept for a source, or None when there is none or it does not read back as code."""
    import marshal
    from types import CodeType

    if known is None:
        return None
    try:
        code = marshal.loads(known)
    except (TypeError, ValueError, EOFError):
        return None
    return code if isinstance(code, CodeType) else None


def install(command: str = "other") -> None:
    """From now on, dataclasses take their methods' code from the cache of `command` (loaded here, once)."""
    if _state["installed"]:
        return
    _kind["name"] = command if command.isidentifier() else "other"
    import dataclasses
    import marshal

    _state["installed"] = True
    try:
        with open(_file(), "rb") as handle:
            loaded = marshal.loads(handle.read())
        if isinstance(loaded, dict):
            _codes.update(loaded)
    except Exception:  # no cache yet, unreadable or broken: compile as usual
        pass
    dataclasses.exec = _exec  # type: ignore[attr-defined]  # found before the builtin by its functions


def save() -> None:
    """Write the cache when classes compiled code it did not have (never failing the command)."""
    if not _state["added"]:
        return
    import marshal
    import tempfile

    _state["added"] = False
    path = _file()
    codes = _codes if len(_codes) <= _MOST else {}
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".dataclass-code-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(marshal.dumps(codes))
            os.replace(temporary, path)  # whole or not at all, whoever else writes it at the same time
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError:
        pass
