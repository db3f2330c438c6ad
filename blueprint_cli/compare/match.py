"""Matching the steps and stages of an intended and an observed blueprint, in passes.

Each pass works only on what the earlier passes left unmatched:

1. same id;
2. an explicit `renamed old -> new` line in the observed file;
3. the same normalised label in the same lane and the same stage;
4. similar labels: token similarity (Dice coefficient over label words, Snowball-stemmed) plus a bonus for the same
   actor, lane and stage, among nearby candidates only (the same or a neighbouring stage), assigned
   one-to-one, best pair first. A pair is accepted when the label similarity is at least
   `MIN_LABEL_SIMILARITY` and the weighted score at least `MIN_SCORE` (see `similarity`).

Order is judged on the matched steps: the longest common subsequence of the two orders (found as
the longest increasing subsequence of observed positions) stays in place; a matched step outside
it has moved. Steps that changed stage, and steps of stages that moved, are judged by those
changes instead, so that one move is reported once.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from blueprint_cli.compare.result import MatchedBy, StepMatch
from blueprint_cli.language.model import Blueprint, Step
from blueprint_cli.vocab import Lane

# Weights of the fuzzy score: label similarity counts most, agreeing context tips the balance.
LABEL_WEIGHT = 0.7
ACTOR_WEIGHT = LANE_WEIGHT = STAGE_WEIGHT = 0.1
MIN_LABEL_SIMILARITY = 0.5
MIN_SCORE = 0.65

STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "to",
        "for",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "into",
        "is",
        "are",
        "be",
        "or",
        "as",
        "it",
        "its",
        "their",
        "his",
        "her",
    ]
)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Matching:
    """How the steps and stages of two blueprints correspond."""

    steps: dict[str, str]  # intended step id -> observed step id, in intended order
    how: dict[str, MatchedBy]  # intended step id -> how it was matched
    similarity: dict[str, float]  # intended step id -> label similarity, for every non-id match
    stages: dict[str, str]  # intended stage id -> observed stage id
    moved_steps: frozenset[str]  # intended ids of matched steps out of the common order
    moved_stages: frozenset[str]  # intended ids of matched stages out of the common order

    @property
    def observed_to_intended(self) -> dict[str, str]:
        return {o: i for i, o in self.steps.items()}

    def step_matches(self) -> dict[str, StepMatch]:
        """Each matched step with how it was matched and its label similarity, in intended order."""
        return {i: StepMatch(i, o, self.how[i], self.similarity.get(i)) for i, o in self.steps.items()}


def normalise(label: str) -> str:
    """A label for exact comparison: lower case, words only, single spaces."""
    return " ".join(_WORD.findall(label.casefold()))


@functools.lru_cache(maxsize=1)
def _stemmer() -> Callable[[str], str]:
    """The Snowball (Porter 2) English stemmer: `chases`, `chased` and `chasing` are `chase`.

    Each word is stemmed once (the stemmer is pure Python, ~50 µs a word; labels share words).
    """
    import snowballstemmer

    stem_word: Callable[[str], str] = snowballstemmer.stemmer("english").stemWord
    return functools.lru_cache(maxsize=65536)(stem_word)


def tokens(label: str) -> frozenset[str]:
    """The content words of a label (stop words dropped), stemmed by the Snowball stemmer."""
    stem = _stemmer()
    return frozenset(stem(word) for word in _WORD.findall(label.casefold()) if word not in STOP_WORDS)


def label_similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Dice coefficient of two token sets (0.0 when either is empty: nothing to compare)."""
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def written_similarity(a: str, b: str) -> float:
    """How alike two labels are as written, for people: the Dice coefficient of their words (case
    and punctuation aside), stop words included and nothing stemmed, so it is 1.00 only for
    labels that read the same. Matching scores on `tokens`; this is what a change reports."""
    first, second = Counter(_WORD.findall(a.casefold())), Counter(_WORD.findall(b.casefold()))
    total = sum(first.values()) + sum(second.values())
    return 2 * sum((first & second).values()) / total if total else 0.0


def similarity(intended: Step, observed: Step, *, same_stage: bool, text: float) -> float:
    """The weighted score of a candidate pair: label similarity plus agreeing actor, lane and stage."""
    return (
        LABEL_WEIGHT * text
        + ACTOR_WEIGHT * (intended.actor == observed.actor)
        + LANE_WEIGHT * (intended.lane == observed.lane)
        + STAGE_WEIGHT * same_stage
    )


def match(intended: Blueprint, observed: Blueprint) -> Matching:
    """Match stages, then steps in four passes; then find the steps and stages that moved."""
    stages = _match_stages(intended, observed)
    stage_of_observed = {o: i for i, o in stages.items()}
    pairs: dict[str, str] = {}
    how: dict[str, MatchedBy] = {}
    sims: dict[str, float] = {}
    taken: set[str] = set()

    def pair(i: str, o: str, why: MatchedBy) -> None:
        pairs[i] = o
        how[i] = why
        taken.add(o)
        if why is not MatchedBy.ID:
            sims[i] = round(written_similarity(intended.steps[i].label, observed.steps[o].label), 3)

    renamed_away = {r.old for r in observed.renames}
    for step_id in intended.steps:
        if step_id in observed.steps and step_id not in renamed_away:
            pair(step_id, step_id, MatchedBy.ID)
    for rename in observed.renames:
        if (
            rename.old in intended.steps
            and rename.old not in pairs
            and rename.new in observed.steps
            and rename.new not in taken
        ):
            pair(rename.old, rename.new, MatchedBy.RENAMED)

    # Pass 3: same normalised label, lane and (matched) stage; first come, first paired.
    by_label: dict[tuple[str, Lane, str | None], list[str]] = {}
    for o_id, step in observed.steps.items():
        if o_id not in taken:
            key = (normalise(step.label), step.lane, stage_of_observed.get(step.stage))
            by_label.setdefault(key, []).append(o_id)
    for i_id, step in intended.steps.items():
        if i_id in pairs:
            continue
        found = by_label.get((normalise(step.label), step.lane, step.stage))
        if found:
            pair(i_id, found.pop(0), MatchedBy.LABEL)

    for i_id, o_id in _fuzzy(intended, observed, stages, pairs, taken):
        pair(i_id, o_id, MatchedBy.SIMILAR)
    ordered = {i: pairs[i] for i in intended.steps if i in pairs}
    moved_stages = _moved_stages(intended, observed, stages)
    moved_steps = _moved_steps(intended, observed, ordered, stage_of_observed, moved_stages)
    return Matching(
        ordered,
        {i: how[i] for i in ordered},
        {i: sims[i] for i in ordered if i in sims},
        stages,
        moved_steps,
        moved_stages,
    )


def _match_stages(intended: Blueprint, observed: Blueprint) -> dict[str, str]:
    """Stages correspond by id, then by normalised label, one to one."""
    found = {s: s for s in intended.stages if s in observed.stages}
    by_label: dict[str, list[str]] = {}
    for o_id, stage in observed.stages.items():
        if o_id not in found:  # matched by id: found maps the id to itself
            by_label.setdefault(normalise(stage.label), []).append(o_id)
    for i_id, stage in intended.stages.items():
        if i_id not in found and by_label.get(normalise(stage.label)):
            found[i_id] = by_label[normalise(stage.label)].pop(0)
    return {i: found[i] for i in intended.stages if i in found}


def _stage_positions(intended: Blueprint, observed: Blueprint, stages: dict[str, str]) -> dict[str, float]:
    """Observed stage id -> a position on the intended stage axis (unmatched stages sit half-way)."""
    index = {s: n for n, s in enumerate(intended.stages)}
    back = {o: i for i, o in stages.items()}
    positions: dict[str, float] = {}
    last = -0.5
    for o_id in observed.stages:
        if o_id in back:
            last = float(index[back[o_id]])
            positions[o_id] = last
        else:
            positions[o_id] = last + 0.5
    return positions


def _fuzzy(
    intended: Blueprint, observed: Blueprint, stages: dict[str, str], pairs: dict[str, str], taken: set[str]
) -> list[tuple[str, str]]:
    """Pass 4: similar labels among nearby candidates, best pair first, one to one."""
    left = [s for s in intended.steps.values() if s.id not in pairs]
    right = [s for s in observed.steps.values() if s.id not in taken]
    if not left or not right:
        return []
    index = {s: n for n, s in enumerate(intended.stages)}
    positions = _stage_positions(intended, observed, stages)
    by_position: dict[float, list[Step]] = {}
    for step in right:
        by_position.setdefault(positions[step.stage], []).append(step)
    axis = sorted(by_position)
    order = {s: n for n, s in enumerate(observed.steps)}
    i_order = {s: n for n, s in enumerate(intended.steps)}
    right_tokens = {s.id: tokens(s.label) for s in right}
    candidates: list[tuple[float, int, int, str, str]] = []
    for step in left:
        here = float(index[step.stage])
        mine = tokens(step.label)
        lo, hi = bisect.bisect_left(axis, here - 1), bisect.bisect_right(axis, here + 1)
        for position in axis[lo:hi]:
            for other in by_position[position]:
                text = label_similarity(mine, right_tokens[other.id])
                if text < MIN_LABEL_SIMILARITY:
                    continue
                score = similarity(step, other, same_stage=stages.get(step.stage) == other.stage, text=text)
                if score >= MIN_SCORE:
                    candidates.append((-score, i_order[step.id], order[other.id], step.id, other.id))
    candidates.sort()
    used_left: set[str] = set()
    used_right: set[str] = set()
    chosen: list[tuple[str, str]] = []
    for _, _, _, i_id, o_id in candidates:
        if i_id not in used_left and o_id not in used_right:
            used_left.add(i_id)
            used_right.add(o_id)
            chosen.append((i_id, o_id))
    return chosen


def longest_increasing(values: list[int]) -> set[int]:
    """Indexes (into `values`) of one longest strictly increasing subsequence; O(n log n), deterministic."""
    tails: list[int] = []  # tails[k]: index of the smallest tail of an increasing run of length k+1
    tail_values: list[int] = []
    before: list[int] = [-1] * len(values)
    for n, value in enumerate(values):
        k = bisect.bisect_left(tail_values, value)
        if k > 0:
            before[n] = tails[k - 1]
        if k == len(tails):
            tails.append(n)
            tail_values.append(value)
        else:
            tails[k] = n
            tail_values[k] = value
    kept: set[int] = set()
    n = tails[-1] if tails else -1
    while n != -1:
        kept.add(n)
        n = before[n]
    return kept


def _moved_stages(intended: Blueprint, observed: Blueprint, stages: dict[str, str]) -> frozenset[str]:
    position = {s: n for n, s in enumerate(observed.stages)}
    order = list(stages)  # intended order
    kept = longest_increasing([position[stages[i]] for i in order])
    return frozenset(i for n, i in enumerate(order) if n not in kept)


def _moved_steps(
    intended: Blueprint,
    observed: Blueprint,
    pairs: dict[str, str],
    stage_of_observed: dict[str, str],
    moved_stages: frozenset[str],
) -> frozenset[str]:
    position = {s: n for n, s in enumerate(observed.steps)}
    judged = [
        i
        for i, o in pairs.items()
        if stage_of_observed.get(observed.steps[o].stage) == intended.steps[i].stage
        and intended.steps[i].stage not in moved_stages
    ]
    kept = longest_increasing([position[pairs[i]] for i in judged])
    return frozenset(i for n, i in enumerate(judged) if n not in kept)
