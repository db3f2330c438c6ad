"""The one Jinja2 environment every report is rendered with: autoescaped, strict, offline."""

from __future__ import annotations

import contextlib
import json
from functools import lru_cache

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from jinja2.bccache import Bucket
from markupsafe import Markup

from blueprint_cli import __version__
from blueprint_cli.resources import cache_dir, templates_dir
from blueprint_cli.words import plural

# Characters that could end a <script> element or open a comment inside embedded JSON.
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(value: object) -> Markup:
    """`value` as JSON that is safe inside `<script type="application/json">` (no `<`, `>`, `&`)."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in _JSON_ESCAPES.items():
        text = text.replace(char, escape)
    return Markup(text)


class _BytecodeCache(FileSystemBytecodeCache):
    """Compiled templates in the user's cache folder (compiling them costs ~0.1 s a run).

    Jinja checks each entry against the template's source and Python's bytecode version; a
    cache that cannot be read or written is no cache, never an error.
    """

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _bytecode_cache() -> _BytecodeCache | None:
    folder = cache_dir() / f"templates-{__version__}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only or missing home: compile in memory
        return None
    return _BytecodeCache(str(folder))


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Build the environment once: templates from `templates/`, every value escaped, no silent gaps."""
    env = Environment(
        loader=FileSystemLoader(str(templates_dir())),
        bytecode_cache=_bytecode_cache(),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["script_json"] = script_json
    env.filters["percent"] = lambda share: f"{round(share * 100)}%"
    env.filters["plural"] = plural  # `{{ n|plural("step") }}`, `{{ n|plural("person", "people") }}`
    return env
