"""Alignments on the intended flow graph: small graphs with known costs, and the receipt oracle."""

from __future__ import annotations

import json

import pytest
from test_evidence_oracle import RECEIPT

from blueprint_cli.evidence.replay import LOG, MODEL, SYNC, align, flow_graph, replay

LINE = flow_graph(["a", "b", "c"], [("a", "b"), ("b", "c")], set(), {"a", "b", "c"})


def test_a_fitting_trace_costs_nothing():
    found = align(["a", "b", "c"], LINE)
    assert found is not None
    assert found.cost == 0
    assert found.moves == ((SYNC, "a"), (SYNC, "b"), (SYNC, "c"))


def test_a_skipped_step_is_a_model_move():
    found = align(["a", "c"], LINE)
    assert found is not None and found.cost == 1
    assert (MODEL, "b") in found.moves


def test_an_unplanned_event_is_a_log_move():
    found = align(["a", "x", "b", "c"], LINE)
    assert found is not None and found.cost == 1
    assert found.moves[1] == (LOG, "x")


def test_steps_out_of_order_cost_two_moves():
    found = align(["a", "c", "b"], LINE)
    assert found is not None and found.cost == 2


def test_fitness_follows_the_pm4py_definition():
    result = replay([(["a", "b", "c"], 3), (["a", "c"], 1), ([], 1)], LINE)
    # the empty model path costs 3; a/c costs 1 of (2 + 3); the empty trace costs 3 of (0 + 3)
    assert result.cases == 5 and result.fitting_cases == 3
    assert result.average_trace == pytest.approx((3 * 1.0 + (1 - 1 / 5) + 0.0) / 5)
    assert result.log == pytest.approx(1 - (0 + 1 + 3) / (3 * 6 + 5 + 3))
    assert result.steps["b"].skipped == 2 and result.steps["b"].passed == 3


def test_invisible_steps_are_free_and_outcome_steps_may_end_a_case():
    graph = flow_graph(
        ["apply", "register", "decide", "letter", "read"],
        [("apply", "register"), ("register", "decide"), ("decide", "letter"), ("letter", "read")],
        {"register"},
        {"register", "decide"},
    )
    assert graph.entries == ("apply",)
    assert graph.finals == frozenset({"register", "read"})
    assert align(["register", "decide"], graph).cost == 0  # type: ignore[union-attr]
    assert align(["register"], graph).cost == 0  # type: ignore[union-attr]
    assert align(["decide"], graph).cost == 1  # type: ignore[union-attr]


def test_loops_can_be_replayed_as_often_as_they_happen():
    graph = flow_graph(["a", "b", "c"], [("a", "b"), ("b", "a"), ("b", "c")], set(), {"a", "b", "c"})
    assert align(["a", "b", "a", "b", "a", "b", "c"], graph).cost == 0  # type: ignore[union-attr]


def test_alignments_are_the_same_on_every_run():
    graph = flow_graph(
        ["a", "b", "c", "d"], [("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")], set(), {"a", "b", "c", "d"}
    )
    first = align(["a", "d"], graph)
    assert all(align(["a", "d"], graph) == first for _ in range(5))


@pytest.mark.skipif(not (RECEIPT / "receipt.conformance.oracle.json").exists(), reason="no shared receipt data")
def test_the_receipt_log_on_the_intended_blueprint():
    from blueprint_cli.evidence.conform import conformance
    from blueprint_cli.evidence.mapping import load_mapping
    from blueprint_cli.language.resolve import load

    oracle = json.loads((RECEIPT / "receipt.conformance.oracle.json").read_text(encoding="utf-8"))
    expected = oracle["intended step graph alignments"]
    intended = load(RECEIPT / "receipt.intended.blueprint")
    mapping = load_mapping(str(RECEIPT / "receipt.mapping.toml"))
    result = conformance(str(RECEIPT / "receipt.csv"), intended, mapping)
    fitness = result.fitness
    assert fitness["cases"] == 1434
    assert fitness["fitting_cases"] == round(expected["percentage_of_fitting_traces"] / 100 * 1434) == 775
    assert fitness["average_trace"] == pytest.approx(expected["average_trace_fitness"], abs=5e-7)
    assert round(fitness["average_trace"], 4) == 0.8709
    assert round(fitness["log"], 4) == round(expected["log_fitness"], 4) == 0.8895


def test_replay_aligns_each_variant_once(monkeypatch):
    from blueprint_cli.evidence import replay as module

    calls = []
    real = module.align

    def counting(trace, graph):
        calls.append(tuple(trace))
        return real(trace, graph)

    monkeypatch.setattr(module, "align", counting)
    result = module.replay([(["a", "b", "c"], 100_000), (["a", "c"], 50_000)], LINE)
    assert result.cases == 150_000 and result.fitting_cases == 100_000
    assert calls == [(), ("a", "b", "c"), ("a", "c")]  # the empty model path, then one per variant
