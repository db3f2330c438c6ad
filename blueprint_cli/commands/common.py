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
