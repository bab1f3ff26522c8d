"""Stated figures reconciled with computed ones: difference, cause, materiality."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tests.ledger.test_entity_locations import EAST, GROUP, RESIDUAL_CN
from zcp.cli import main
from zcp.errors import InputError
from zcp.ledger import Ledger, run_ledger

STATED = {
    # east-plant: published location-based with the same factor, rounded to the tonne
    "east-plant": "[{scope: 2, method: location, value: 2200, unit: tCO2e, source: AR 2023 p.41,"
    " factor: {value: 0.55, unit: tCO2/MWh}, activity: {value: 4000, unit: MWh}}]",
    # south-plant: published with the national average (0.5306) instead of south (0.4042)
    "south-plant": "[{scope: 2, method: location, value: 1061.2, source: AR 2023 p.41,"
    " factor: {value: 0.5306, unit: tCO2/MWh}}]",
    # nw-plant: published over another twelve months
    "nw-plant": "[{scope: 2, method: market, value: 1500, source: AR 2023 p.42,"
    " period: {start: 2022-07-01, end: 2023-06-30}}]",
}


def _with_stated(text: str) -> str:
    for entity, figures in STATED.items():
        anchor = f"{{id: {entity}, name:"
        assert anchor in text
        text = text.replace(anchor, f"{{id: {entity}, stated_figures: {figures}, name:")
    return text.replace(
        "stage: design\n",
        "stage: design\nstated_figures: [{scope: 1, value: 10, source: group AR 2023}]\n",
    )


def test_each_stated_figure_is_reconciled(write_park):
    result = run_ledger(write_park(_with_stated(GROUP)), profile="ghg-protocol-corporate")
    rec = result.to_json()["reconciliation"]
    assert rec["materiality"] == 0.05 and "default" in rec["materiality_source"]
    by = {(r["entity"], r["figure"]): r for r in rec["lines"]}
    east = by[("east-plant", "scope 2 location-based")]
    assert east["computed_t"] == pytest.approx(4000 * EAST)
    assert east["difference_t"] == pytest.approx(4000 * EAST - 2200)
    assert east["likely_cause"] == "rounding" and not east["material"]
    south = by[("south-plant", "scope 2 location-based")]
    assert south["computed_t"] == pytest.approx(2000 * 0.4042)
    rel = (2000 * 0.4042 - 1061.2) / 1061.2
    assert south["relative_difference"] == pytest.approx(rel, abs=1e-6)
    assert south["likely_cause"] == "factor" and south["material"]
    nw = by[("nw-plant", "scope 2 market-based")]
    assert nw["computed_t"] == pytest.approx(3000 * RESIDUAL_CN)
    assert nw["likely_cause"] == "period" and nw["material"]
    group = by[("group (inside the boundary)", "scope 1")]
    assert group["computed_t"] == 0 and group["likely_cause"] == "boundary"


def test_materiality_from_the_assessment_and_text_output(write_park):
    folder = write_park(_with_stated(GROUP))
    (folder.root / "assessment.yaml").write_text(
        "kind: assessment\nschema_version: 1\nengagement:\n  materiality: 40 %\n", "utf-8"
    )
    out = CliRunner().invoke(main, ["emissions", str(folder.root), "--json",
                                    "--profile", "ghg-protocol-corporate"])  # fmt: skip
    assert out.exit_code == 0, out.output
    rec = json.loads(out.output)["reconciliation"]
    assert rec["materiality"] == pytest.approx(0.40)
    south = next(r for r in rec["lines"] if r["entity"] == "south-plant")
    assert not south["material"]  # −23.8 % is under 40 %
    text = CliRunner().invoke(main, ["emissions", str(folder.root)])
    assert "Reconciliation with stated figures" in text.output and "period" in text.output


def test_bad_stated_figures_are_located(write_park):
    bad = GROUP.replace(
        "{id: east-plant, name:",
        "{id: east-plant, stated_figures: [{scope: 2, value: 5, source: x}], name:",
    )
    with pytest.raises(InputError, match="needs its method"):
        Ledger(write_park(bad))
    bad = GROUP.replace(
        "{id: east-plant, name:",
        "{id: east-plant, stated_figures: [{scope: 1, value: 5, unit: MWh, source: x}], name:",
    )
    with pytest.raises(InputError, match="a mass of CO2e"):
        Ledger(write_park(bad))


def test_materiality_has_one_home_the_engagement(write_park):
    """A top-level ``materiality`` (read by an earlier version) is an error that says where
    the number goes, not a second place the threshold may silently come from."""
    folder = write_park(_with_stated(GROUP))
    (folder.root / "assessment.yaml").write_text(
        "kind: assessment\nschema_version: 1\nmateriality: 40 %\n", "utf-8"
    )
    out = CliRunner().invoke(main, ["emissions", str(folder.root), "--json",
                                    "--profile", "ghg-protocol-corporate"])  # fmt: skip
    assert out.exit_code == 2
    assert "assessment.yaml:3" in out.stderr and "unknown field 'materiality'" in out.stderr
    assert "engagement: {materiality: 0.05}" in out.stderr
