"""What several commands share: loading the blueprints a command needs before it can do anything."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from blueprint_cli.language.model import Blueprint


def configured(command: str, key: str, given: object, default: object) -> Any:
    """An option's value: the command line's, else the configuration's, else the default."""
    if given is not None:
        return given
    from blueprint_cli import config

    value = config.current().get(command, key)
    return default if value is None else value


def found_files(command: str, arguments: list[str]) -> list[str]:
    """The files named, and those under the folders named, less the configuration's `exclude` patterns."""
    from blueprint_cli import config
    from blueprint_cli.inputs import expand

    settings = config.current()
    return expand(arguments, exclude=settings.strings(command, "exclude"), root=settings.folder)


def load_all(paths: list[str]) -> list[Blueprint]:
    """Every file's blueprint; when any is invalid (or a fragment), print the problems of each and raise AlreadyReported."""
    from blueprint_cli import pipeline
    from blueprint_cli.console import print_invalid, print_message
    from blueprint_cli.failures import AlreadyReported

    loaded = [pipeline.try_load(path) for path in paths]
    blueprints = []
    for one in loaded:
        if one.fragment is not None:
            print_message(
                one.path,
                "this is an include fragment (shared declarations, no 'blueprint' line), not a blueprint",
                hint="give a blueprint that includes it; 'blueprint check' checks the fragment itself",
            )
        elif one.blueprint is None:
            print_invalid(one.path, one.diagnostics, one.sources)
        else:
            blueprints.append(one.blueprint)
    if len(blueprints) != len(loaded):
        raise AlreadyReported()
    return blueprints


def read_stdin_once(paths: list[str]) -> None:
    """Standard input can be read once: `check - -` is a usage error, not an empty second file."""
    from blueprint_cli.failures import UsageError

    if paths.count("-") > 1:
        raise UsageError("standard input ('-') can be read only once; give '-' at most once")


def refuse_overwriting_inputs(outputs: list[str | None], inputs: list[str], *, option: str = "-o") -> None:
    """An output that is one of the inputs (by file identity, whatever its name) is a usage error."""
    import os

    from blueprint_cli.failures import UsageError

    for output in outputs:
        if output is None or output == "-" or not os.path.exists(output):
            continue
        for path in inputs:
            if path != "-" and _same_file(output, path):
                raise UsageError(
                    f"{option} {output} is the input file {path}; writing there would destroy it — choose another name"
                )


def _same_file(a: str, b: str) -> bool:
    import os

    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_number(value: float, *, option: str, low: float, high: float, low_open: bool = False) -> None:
    """A finite number within its range (NaN and infinity are not numbers a user means)."""
    import math

    from blueprint_cli.failures import UsageError

    above_low = value > low if low_open else value >= low
    if not (math.isfinite(value) and above_low and value <= high):
        lower = f"more than {low:g}" if low_open else f"at least {low:g}"
        raise UsageError(f"{option} must be a number {lower} and at most {high:g}, not {value}")
