"""Disclosure exports: every exported value equals the inventory field it names; unmapped
fields are listed, never filled."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from zcp.cli import main
from zcp.ledger import run_ledger
from zcp.products.exports import export, frameworks, to_csv

ORDOS = Path(__file__).parents[2] / "assessments" / "ordos-design"


@pytest.fixture(scope="module")
def emissions():
    return run_ledger(ORDOS, profile="ghg-protocol-corporate").to_json()


@pytest.mark.parametrize("framework", ["issb_s2", "cn_csds_climate", "cdp_climate"])
def test_every_value_traces_to_the_inventory(emissions, framework):
    doc = export(emissions, framework, "en")
    assert doc["rows"] and framework in frameworks()
    for row in doc["rows"]:
        trace = row["trace"]
        assert trace.startswith("zcp.emissions/1 ")
        if " totals." in trace:
            assert row["value"] == emissions["totals"][trace.split("totals.")[1]]
        if "scope3.categories[" in trace:
            n = int(trace.split("[")[1].rstrip("]"))
            assert row["value"] == next(
                c["t"] for c in emissions["scope3"]["categories"] if c["category"] == n
            )
        if "scope3.not_reported" in trace or "scope3.excluded: excluded" in trace:
            assert row["value"] is None
    for row in doc["unmapped"]:
        assert row["value"] is None and row["trace"].startswith("not produced: ")


def test_issb_scope3_categories_and_unmapped(emissions):
    doc = export(emissions, "issb_s2", "zh")
    by_id = {r["field"]: r for r in doc["rows"]}
    assert by_id["s2.29a.scope3_cat1"]["value"] == 31200.0  # 12 000 t × 2.6 t/t, activity.yaml
    assert by_id["s2.29a.scope3_cat4"]["value"] == pytest.approx(95_000_000 * 0.01 / 1000)
    assert (
        by_id["s2.29a.scope3_cat14"]["value"] is None
        and "not_relevant" in by_id["s2.29a.scope3_cat14"]["trace"]
    )
    assert by_id["s2.29a.scope1"]["label"] == "范围1温室气体排放总量"
    assert {r["field"] for r in doc["unmapped"]} >= {"s2.29b", "s2.29f"}
    rows = list(csv.DictReader(io.StringIO(to_csv(doc))))
    assert len(rows) == len(doc["rows"]) + len(doc["unmapped"])


def test_disclose_cli_typo_and_csv(tmp_path):
    runner = CliRunner()
    typo = runner.invoke(main, ["disclose", str(ORDOS), "--framework", "isbb_s2"])
    assert typo.exit_code == 2 and "did you mean 'issb_s2'" in typo.output
    out = tmp_path / "cdp.csv"
    ok = runner.invoke(
        main, ["disclose", str(ORDOS), "--framework", "cdp-climate", "--csv", str(out)]
    )
    assert ok.exit_code == 0, ok.output
    assert out.read_text("utf-8").startswith("framework,park,")
