"""Paths as a repository host names them: relative to the checkout, `/` separated."""

from __future__ import annotations

import os


def repo_path(path: str) -> str:
    """A blueprint's path relative to the GitHub Actions workspace when it is inside it, else as given."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if workspace:
        try:
            relative = os.path.relpath(os.path.abspath(path), os.path.abspath(workspace))
        except ValueError:  # another drive
            relative = path
        if not relative.startswith(os.pardir):
            path = relative
    return path.replace(os.sep, "/")
