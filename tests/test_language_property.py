"""Property-based round trip: generated blueprints -> text -> parse -> the same model.

A generated blueprint is printed by a small printer written here (independent of the formatter),
with flows, annotations and declarations scattered through the file, random indentation and
comments. Loading it must give exactly what was generated; formatting it and exporting it as
canonical text must both load back to the same model.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blueprint_cli.language.export import to_text
from blueprint_cli.language.fmt import format_document
from blueprint_cli.language.model import CHANNELS, SEVERITIES, Evidence, Lane
from blueprint_cli.language.parser import find_comments, parse_document
from blueprint_cli.language.resolve import load_text
from blueprint_cli.language.source import Source

IDS = st.from_regex(r"[a-z][a-z0-9_]{0,7}", fullmatch=True)
TRICKY = ['"', "\\", '\\"', "<&>", "{x}", "{{ y }}", "#", "a # b", "ünï 🙂", "", " ", "\t", "&amp;", "]", "[x=y]"]
LABELS = st.one_of(
    # Any printable text, tabs included; control characters, non-characters and bidirectional
    # controls are errors in labels.
    st.text(
        st.characters(
            blacklist_characters="\n\r\ufffe\uffff"
            + "".join(map(chr, range(0xFDD0, 0xFDF0)))
            + "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",  # bidirectional controls are errors
            blacklist_categories=("Cs", "Cc"),
        )
        | st.just("\t"),
        max_size=24,
    ),
    st.sampled_from(TRICKY),
    st.lists(st.sampled_from(TRICKY), max_size=4).map("".join),
)
DURATIONS = st.from_regex(r"[1-9][0-9]{0,2}[mhdw]", fullmatch=True)


def q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass
class Spec:
    """What was generated: the expected meaning, and the printed statements."""

    title: str = ""
    variant: str = "intended"
    description: str | None = None
    orgs: dict = field(default_factory=dict)
    actors: dict = field(default_factory=dict)  # id -> (label, customer, org)
    systems: dict = field(default_factory=dict)  # id -> (label, org)
    outcomes: dict = field(default_factory=dict)
    stages: dict = field(default_factory=dict)  # id -> (label, [step ids])
    steps: dict = field(default_factory=dict)  # id -> dict of fields
    flows: dict = field(default_factory=dict)  # (source, target) -> (label, owner, inline)
    annotations: list = field(default_factory=list)  # (kind, step, text, severity)
    renames: list = field(default_factory=list)
    text: str = ""


def _attrs(pairs) -> str:
    return " [" + ", ".join(f"{k}={v}" for k, v in pairs) + "]" if pairs else ""


@st.composite
def blueprints(draw) -> Spec:
    spec = Spec()
    counts = [
        draw(st.integers(0, 3)),
        draw(st.integers(0, 4)),
        draw(st.integers(0, 3)),
        draw(st.integers(0, 2)),
        draw(st.integers(1, 3)),
    ]
    step_counts = [draw(st.integers(1, 4)) for _ in range(counts[4])]
    ids = iter(
        draw(
            st.lists(IDS, min_size=sum(counts) + sum(step_counts), max_size=sum(counts) + sum(step_counts), unique=True)
        )
    )
    spec.title = draw(LABELS)
    spec.variant = draw(st.sampled_from(["intended", "observed"]))
    spec.description = draw(st.none() | LABELS)

    for _ in range(counts[0]):
        spec.orgs[next(ids)] = draw(LABELS)
    for _ in range(counts[1]):
        customer = not spec.orgs or draw(st.booleans())
        spec.actors[next(ids)] = (
            draw(LABELS),
            customer,
            None if customer else draw(st.sampled_from(sorted(spec.orgs))),
        )
    for _ in range(counts[2]):
        spec.systems[next(ids)] = (
            draw(LABELS),
            draw(st.none() | st.sampled_from(sorted(spec.orgs))) if spec.orgs else None,
        )
    for _ in range(counts[3]):
        spec.outcomes[next(ids)] = draw(LABELS)

    for n in step_counts:
        stage = next(ids)
        spec.stages[stage] = (draw(LABELS), [])
        for _ in range(n):
            step = next(ids)
            spec.stages[stage][1].append(step)
            channel = draw(st.none() | st.sampled_from(CHANNELS) | LABELS)
            spec.steps[step] = {
                "label": draw(LABELS),
                "lane": draw(st.sampled_from(list(Lane))),
                "stage": stage,
                "actor": draw(st.none() | st.sampled_from(sorted(spec.actors))) if spec.actors else None,
                "systems": tuple(draw(st.lists(st.sampled_from(sorted(spec.systems)), unique=True, max_size=3)))
                if spec.systems
                else (),
                "channel": channel,
                "channel_quoted": channel is not None and (channel not in CHANNELS or draw(st.booleans())),
                "evidence": draw(st.none() | st.sampled_from(list(Evidence))),
                "duration": draw(st.none() | DURATIONS),
                "outcome": draw(st.none() | st.sampled_from(sorted(spec.outcomes))) if spec.outcomes else None,
            }

    step_ids = list(spec.steps)
    owners = sorted(spec.actors) + sorted(spec.orgs)
    if len(step_ids) > 1:
        pairs = draw(
            st.lists(
                st.tuples(st.sampled_from(step_ids), st.sampled_from(step_ids)).filter(lambda p: p[0] != p[1]),
                unique=True,
                max_size=8,
            )
        )
        for pair in pairs:
            inline = draw(st.booleans())
            label = None if inline else draw(st.none() | LABELS)
            owner = None if inline or not owners else draw(st.none() | st.sampled_from(owners))
            spec.flows[pair] = (label, owner, inline)
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["pain", "workaround", "unknown", "note"]))
        severity = draw(st.none() | st.sampled_from(SEVERITIES)) if kind == "pain" else None
        spec.annotations.append((kind, draw(st.sampled_from(step_ids)), draw(LABELS), severity))
    olds = draw(st.lists(IDS, unique=True, max_size=2))
    spec.renames = [(old, draw(st.sampled_from(step_ids))) for old in olds]

    spec.text = _print(spec, draw)
    return spec


def _print(spec: Spec, draw) -> str:
    """Print the spec as a blueprint, scattering what may go anywhere."""
    spaces = st.sampled_from(["", " ", "  ", "\t", "    "])
    fixed: list[str] = []  # order matters: stages and their steps
    loose: list[str] = []  # may go anywhere after the blueprint line
    loose.append(f"variant {spec.variant}")
    if spec.description is not None:
        loose.append(f"description {q(spec.description)}")
    loose += [f"org {i} {q(label)}" for i, label in spec.orgs.items()]
    loose += [
        f"actor {i} {q(label)} " + ("customer" if customer else f"@{org}")
        for i, (label, customer, org) in spec.actors.items()
    ]
    loose += [f"system {i} {q(label)}" + (f" @{org}" if org else "") for i, (label, org) in spec.systems.items()]
    loose += [f"outcome {i} {q(label)}" for i, label in spec.outcomes.items()]
    for stage, (label, steps) in spec.stages.items():
        fixed.append(f"stage {stage} {q(label)}")
        for step in steps:
            s = spec.steps[step]
            clauses = []
            if s["actor"]:
                clauses.append(f"by {s['actor']}")
            if s["systems"]:
                clauses.append("uses " + ", ".join(s["systems"]))
            targets = [t for (a, t), (_, _, inline) in spec.flows.items() if a == step and inline]
            if targets:
                clauses.append("-> " + ", ".join(targets))
            clauses = draw(st.permutations(clauses))  # clause order is free
            attrs = []
            if s["channel"] is not None:
                attrs.append(("channel", q(s["channel"]) if s["channel_quoted"] else s["channel"]))
            if s["evidence"] is not None:
                attrs.append(("evidence", s["evidence"].value))
            if s["duration"] is not None:
                attrs.append(("duration", draw(st.sampled_from([s["duration"], q(s["duration"])]))))
            if s["outcome"] is not None:
                attrs.append(("outcome", s["outcome"]))
            attrs = draw(st.permutations(attrs))
            fixed.append(
                draw(spaces) + " ".join([f"{s['lane'].value} {step} {q(s['label'])}", *clauses]) + _attrs(attrs)
            )
    for (a, b), (label, owner, inline) in spec.flows.items():
        if not inline:
            loose.append(
                f"flow {a} -> {b}"
                + (f" {q(label)}" if label is not None else "")
                + _attrs([("owner", owner)] if owner else [])
            )
    notes = [f"renamed {old} -> {new}" for old, new in spec.renames]
    notes += [
        f"{kind} {step} {q(text)}" + _attrs([("severity", severity)] if severity else [])
        for kind, step, text, severity in spec.annotations
    ]

    # Declarations, flows and annotations are placed anywhere; their relative order is kept
    # only where it means something (renames, and the annotations of a step).
    lines = list(fixed)
    for line in loose:
        lines.insert(draw(st.integers(0, len(lines))), draw(spaces) + line)
    places = sorted(draw(st.lists(st.integers(0, len(lines)), min_size=len(notes), max_size=len(notes))))
    for shift, (place, line) in enumerate(zip(places, notes, strict=False)):
        lines.insert(place + shift, draw(spaces) + line)
    lines.insert(0, f"blueprint {q(spec.title)}")
    out = []
    for index, line in enumerate(lines):
        if draw(st.integers(0, 9)) == 0:
            out.append(draw(spaces) + "# comment " + str(index) + ' with "quotes" # and hashes')
        if draw(st.integers(0, 9)) == 0:
            out.append("")
        out.append(line + ("  # trailing" if draw(st.integers(0, 9)) == 0 else ""))
    return "\n".join(out) + draw(st.sampled_from(["\n", "", "\n\n"]))


def _check_meaning(spec: Spec, blueprint) -> None:
    assert blueprint.title == spec.title
    assert blueprint.variant.value == spec.variant
    assert blueprint.description == spec.description
    assert {k: v.label for k, v in blueprint.orgs.items()} == spec.orgs
    assert {k: (v.label, v.customer, v.org) for k, v in blueprint.actors.items()} == spec.actors
    assert {k: (v.label, v.org) for k, v in blueprint.systems.items()} == spec.systems
    assert {k: v.label for k, v in blueprint.outcomes.items()} == spec.outcomes
    assert {k: (v.label, list(v.steps)) for k, v in blueprint.stages.items()} == spec.stages
    assert list(blueprint.steps) == list(spec.steps)
    for step_id, expected in spec.steps.items():
        step = blueprint.steps[step_id]
        got = (
            step.label,
            step.lane,
            step.stage,
            step.actor,
            step.systems,
            step.channel,
            step.evidence,
            step.duration,
            step.outcome,
        )
        want = tuple(
            expected[k]
            for k in ("label", "lane", "stage", "actor", "systems", "channel", "evidence", "duration", "outcome")
        )
        assert got == want
    assert {f.key: (f.label, f.owner, f.inline) for f in blueprint.flows} == spec.flows
    assert Counter((a.kind, a.step, a.text, a.severity) for a in blueprint.annotations) == Counter(spec.annotations)
    journey = {s: i for i, s in enumerate(blueprint.steps)}
    assert [journey[a.step] for a in blueprint.annotations] == sorted(journey[a.step] for a in blueprint.annotations)
    for step_id in spec.steps:  # one step's annotations keep their order
        assert [a.text for a in blueprint.annotations_of(step_id)] == [
            t for _, s, t, _ in spec.annotations if s == step_id
        ]
    assert [(r.old, r.new) for r in blueprint.renames] == spec.renames


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(blueprints())
def test_generated_blueprints_round_trip(spec: Spec):
    blueprint = load_text(spec.text)
    _check_meaning(spec, blueprint)

    formatted = format_document(parse_document(Source("<text>", spec.text)), spec.text)
    assert load_text(formatted) == blueprint
    assert format_document(parse_document(Source("<text>", formatted)), formatted) == formatted
    assert Counter(c.text for c in find_comments(formatted)) == Counter(c.text for c in find_comments(spec.text))

    canonical = to_text(blueprint)
    assert load_text(canonical) == blueprint
    assert format_document(parse_document(Source("<text>", canonical)), canonical) == canonical
