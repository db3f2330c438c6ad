"""Organisations keep their colour in every picture of a service (issue 15, point 1)."""

from __future__ import annotations

import dataclasses
import re

import pytest
from conftest import sample_pairs

from blueprint_cli.language.model import Blueprint
from blueprint_cli.language.resolve import load, load_text
from blueprint_cli.render import to_dot
from blueprint_cli.render.style import ORG_COLOURS, org_colours, palette_slots, tint

NODE = re.compile(r'^\s*"step_(\w+)" \[.*?fillcolor="(#[0-9a-fA-F]{6})"', re.MULTILINE)


def fills_by_org(blueprint: Blueprint) -> dict[str | None, set[str]]:
    fills: dict[str | None, set[str]] = {}
    for sid, fill in NODE.findall(to_dot(blueprint)):
        fills.setdefault(blueprint.steps[sid].org, set()).add(fill.lower())
    return fills


@pytest.mark.parametrize("pair", sample_pairs(), ids=lambda p: p[0].name.split(".")[0])
def test_every_org_has_the_same_fill_in_intended_and_observed(pair):
    first, second = (load(str(path)) for path in pair)
    # The observed file with its orgs declared in the reverse order: the colours must not follow.
    second = dataclasses.replace(second, orgs=dict(reversed(list(second.orgs.items()))))
    intended, observed = fills_by_org(first), fills_by_org(second)
    shared = (set(intended) & set(observed)) - {None}
    assert shared, "the pair shares no organisation with steps"
    for org in shared:
        assert len(intended[org]) == 1, org  # one org, one fill (unchanged steps)
        assert intended[org] == observed[org], f"org {org!r}: {intended[org]} vs {observed[org]}"


def _orgs(*ids: str, extra: str = "") -> Blueprint:
    lines = ['blueprint "B"', *(f'org {i} "{i.title()}"{extra}' for i in ids)]
    return load_text("\n".join(lines) + "\n")


def test_colours_do_not_move_when_orgs_are_reordered_or_added():
    base = org_colours(_orgs("tax", "council", "nhs"))
    assert org_colours(_orgs("nhs", "tax", "council")) == base
    homes = {palette_slots(org)[0] for org in ("tax", "council", "nhs")}
    newcomers = [f"team{i}" for i in range(40) if palette_slots(f"team{i}")[0] not in homes][:2]
    assert len(newcomers) == 2
    grown = org_colours(_orgs("council", newcomers[0], "tax", "nhs", newcomers[1]))
    at_home = [org for org in ("tax", "council", "nhs") if base[org] == ORG_COLOURS[palette_slots(org)[0]]]
    assert at_home
    assert {org: grown[org] for org in at_home} == {org: base[org] for org in at_home}


def test_distinct_orgs_get_distinct_palette_colours_while_the_palette_lasts():
    ids = [f"org{i}" for i in range(len(ORG_COLOURS))]
    colours = org_colours(_orgs(*ids))
    assert sorted(colours[i] for i in ids) == sorted(ORG_COLOURS)


def test_a_house_colour_on_an_org_is_used_in_render_and_legend():
    blueprint = load_text(
        'blueprint "B"\norg tax "Tax" [colour="#123456"]\nactor clerk "Clerk" @tax\n'
        'stage s "S"\n  backstage file "Files it" by clerk\n'
    )
    assert blueprint.orgs["tax"].colour == "#123456"
    assert org_colours(blueprint)["tax"] == "#123456"
    dot = to_dot(blueprint)
    fill = tint("#123456", 0.88)
    assert fills_by_org(blueprint)["tax"] == {fill}
    assert dot.count(fill) == 2  # the step and its swatch in the legend


@pytest.mark.parametrize("value", ['"blue"', '"#12345"', "red", '"#12345g"'])
def test_a_colour_that_is_not_hex_is_an_error_with_the_form(value):
    from blueprint_cli.language.errors import BlueprintError

    with pytest.raises(BlueprintError) as info:
        load_text(f'blueprint "B"\norg tax "Tax" [colour={value}]\n')
    assert "#rrggbb" in str(info.value.diagnostics[0].hint)
