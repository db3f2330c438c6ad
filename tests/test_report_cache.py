"""Compiled report templates are kept in the user's cache folder, and a cache that fails is no cache."""

from __future__ import annotations

import os

import pytest
from conftest import ROOT

from blueprint_cli.language.resolve import load
from blueprint_cli.report import environment as E
from blueprint_cli.report.build import render_single_report

SAMPLE = ROOT / "samples" / "hospital-discharge.intended.blueprint"


@pytest.fixture
def fresh_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    E.environment.cache_clear()
    yield tmp_path / "cache" / "blueprint-cli"
    E.environment.cache_clear()


def test_templates_are_compiled_once_into_the_cache_folder(fresh_environment):
    blueprint = load(str(SAMPLE))
    first = render_single_report(blueprint, [], to_svg=lambda *a, **k: "<svg></svg>")
    cached = sorted(fresh_environment.rglob("*.cache"))
    assert cached, "no compiled template was written"
    E.environment.cache_clear()  # a new run: the templates come from the cache, the page is the same
    assert render_single_report(blueprint, [], to_svg=lambda *a, **k: "<svg></svg>") == first
    assert sorted(fresh_environment.rglob("*.cache")) == cached


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can write anywhere")
def test_a_read_only_cache_folder_is_no_error(fresh_environment):
    fresh_environment.mkdir(parents=True)
    fresh_environment.chmod(0o500)
    try:
        html = render_single_report(load(str(SAMPLE)), [], to_svg=lambda *a, **k: "<svg></svg>")
    finally:
        fresh_environment.chmod(0o700)
    assert "<svg" in html


def test_a_cache_that_is_not_a_folder_is_no_error(fresh_environment):
    fresh_environment.parent.mkdir(parents=True)
    fresh_environment.write_text("not a folder", encoding="utf-8")
    html = render_single_report(load(str(SAMPLE)), [], to_svg=lambda *a, **k: "<svg></svg>")
    assert "<svg" in html


def test_a_cache_that_fails_to_read_or_write_is_no_error(fresh_environment, monkeypatch):
    from jinja2.bccache import FileSystemBytecodeCache

    def fail(self, bucket):
        raise PermissionError("read-only")

    monkeypatch.setattr(FileSystemBytecodeCache, "dump_bytecode", fail)
    monkeypatch.setattr(FileSystemBytecodeCache, "load_bytecode", fail)
    html = render_single_report(load(str(SAMPLE)), [], to_svg=lambda *a, **k: "<svg></svg>")
    assert "<svg" in html
