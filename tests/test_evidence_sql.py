"""`observe --print-sql`: the aggregation as one query; run in DuckDB it gives the figures of `observe`."""

from __future__ import annotations

import pytest
import sqlglot
from test_evidence_logs import HEADER, generated_log, write_csv
from test_evidence_oracle import RECEIPT

from blueprint_cli.evidence.mapping import Mapping, load_mapping
from blueprint_cli.evidence.observe import measure
from blueprint_cli.evidence.sql import DIALECTS, figures_from_rows, query

MS = 0.0005


def figures_both_ways(path: str, mapping: Mapping) -> tuple[dict, dict]:
    info, prepared, figures, con = measure(path, mapping)
    con.execute("CREATE VIEW events AS SELECT case_id, activity, make_timestamptz(t) AS ts, grp, rn FROM seq")
    from_sql = figures_from_rows(con.execute(query("duckdb")).fetchall())
    con.close()
    return figures, from_sql


def assert_same(figures: dict, from_sql: dict) -> None:
    for key in ("cases", "events", "period", "start", "end", "variants", "top_variants", "handovers", "rework"):
        assert from_sql[key] == figures[key], key
    assert from_sql["activities"] == [{k: v for k, v in a.items() if k != "step"} for a in figures["activities"]]
    assert len(from_sql["flows"]) == len(figures["flows"])
    for ours, theirs in zip(from_sql["flows"], figures["flows"], strict=True):
        assert (ours["from"], ours["to"], ours["count"]) == (theirs["from"], theirs["to"], theirs["count"])
        assert abs(ours["mean_s"] - theirs["mean_s"]) < MS and abs(ours["median_s"] - theirs["median_s"]) < MS
    for stat in ("mean", "median"):
        assert abs(from_sql["case_duration_s"][stat] - figures["case_duration_s"][stat]) < MS


@pytest.mark.skipif(not (RECEIPT / "receipt.csv").exists(), reason="no shared receipt data")
def test_the_duckdb_query_gives_the_figures_of_observe_on_the_receipt_log():
    mapping = load_mapping(str(RECEIPT / "receipt.mapping.toml"))
    assert_same(*figures_both_ways(str(RECEIPT / "receipt.csv"), mapping))


def test_the_duckdb_query_gives_the_figures_of_observe_on_a_generated_log(tmp_path):
    log = write_csv(tmp_path / "log.csv", HEADER, generated_log(11))
    assert_same(*figures_both_ways(str(log), Mapping()))


@pytest.mark.parametrize("dialect", DIALECTS)
def test_the_query_parses_in_its_dialect(dialect):
    text = query(dialect)
    parsed = sqlglot.parse_one(text.rstrip().rstrip(";"), read=dialect)
    assert parsed.find(sqlglot.exp.Union) is not None
    assert "events" in text


def test_print_sql_through_the_cli(run_cli):
    code, out, err = run_cli("observe", "--print-sql", "--dialect", "spark")
    assert code == 0, err
    assert "UNIX_TIMESTAMP" in out and out.endswith(";\n")
    code, _, err = run_cli("observe")
    assert code == 2 and "event log" in err


@pytest.mark.skipif(not (RECEIPT / "receipt.csv").exists(), reason="no shared receipt data")
@pytest.mark.parametrize("kind", ["parquet", "csv"])
def test_observe_from_aggregate_tables_gives_the_same_document(run_cli, tmp_path, kind):
    import json

    mapping_path = str(RECEIPT / "receipt.mapping.toml")
    info, prepared, figures, con = measure(str(RECEIPT / "receipt.csv"), load_mapping(mapping_path))
    con.execute("CREATE VIEW events AS SELECT case_id, activity, make_timestamptz(t) AS ts, grp, rn FROM seq")
    folder = tmp_path / "aggregates"
    folder.mkdir()
    options = "(FORMAT parquet)" if kind == "parquet" else "(FORMAT csv, HEADER true)"
    con.execute(f"COPY ({query('duckdb').rstrip().rstrip(';')}) TO '{folder / ('part.' + kind)}' {options}")
    con.close()
    code, out, err = run_cli("observe", "--aggregates", str(folder), "--mapping", mapping_path)
    assert code == 0, err
    document = json.loads(out)
    assert document["log"]["format"] == "aggregates"
    import jsonschema
    from conftest import ROOT

    jsonschema.validate(document, json.loads((ROOT / "schemas" / "observe.schema.json").read_text(encoding="utf-8")))
    assert_same(
        figures,
        {k: v for k, v in document.items() if k != "log"}
        | {"activities": [{k: v for k, v in a.items() if k != "step"} for a in document["activities"]]},
    )
    assert {a["activity"]: a["step"] for a in document["activities"]}["Confirmation of receipt"] == "register"


def test_aggregates_need_a_folder(run_cli, tmp_path):
    code, _, err = run_cli("observe", "--aggregates", str(tmp_path / "nowhere"))
    assert code == 2 and "no such folder" in err
    code, _, err = run_cli("observe", "--aggregates", str(tmp_path))
    assert code == 2 and "no .parquet or .csv files" in err
