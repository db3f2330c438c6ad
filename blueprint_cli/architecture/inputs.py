"""What `map` reads: files and folders given on the command line, each file a journey or a fragment.

A folder is searched (recursively, in sorted order) for `*.blueprint` files. A file with no
`blueprint` line (only declarations and includes) is an include fragment: shared declarations,
not a journey, so `map` leaves it out of the journeys (its content reaches them through includes).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Inputs:
    """The journey files to read and the fragments skipped, each in a deterministic order."""

    journeys: tuple[str, ...]
    fragments: tuple[str, ...]
    missing: tuple[str, ...]  # arguments that name nothing


def collect(paths: Iterable[str]) -> Inputs:
    """The files named and the blueprints under the folders named (as every command finds them,
    `inputs.expand`), split into journeys and include fragments (`fragments.is_fragment`)."""
    from blueprint_cli.fragments import is_fragment
    from blueprint_cli.inputs import expand

    given = list(paths)
    missing = [p for p in given if p != "-" and not os.path.exists(p)]
    files = [f for f in expand(p for p in given if p not in missing) if not os.path.isdir(f)]
    journeys: list[str] = []
    fragments: list[str] = []
    for file in dict.fromkeys(os.path.normpath(f) if f != "-" else f for f in files):
        (fragments if file != "-" and is_fragment(file) else journeys).append(file)
    return Inputs(tuple(journeys), tuple(fragments), tuple(missing))
