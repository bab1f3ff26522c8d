"""One home for the per-period bus-balance tolerance: the metering rule set's parameter.

The balance report labels a period balanced or imbalanced by the same number the rule
``bus_balance`` judges the park with; zcp holds no second copy of it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from zcp.metering import balance, load_readings
from zcp.metering.thresholds import balance_tolerance_period
from zcp.model import load_park
from zcp.synth import FaultCounts, SynthSpec, synthesize

RULE_SET = (
    Path(__file__).resolve().parents[2]
    / "standards/metering/park_energy_metering/2026-provisional.yaml"
)


def test_the_tolerance_is_the_rule_sets_parameter():
    data = yaml.safe_load(RULE_SET.read_text(encoding="utf-8"))
    param = data["parameters"]["balance_error_max"]
    assert param["unit"] == "percent"
    newest = max(param["values"], key=lambda v: str(v["valid_from"]))
    assert balance_tolerance_period() == pytest.approx(newest["value"] / 100)
    rule = next(r for r in data["rules"] if r["id"] == "bus_balance")
    assert (rule["metric"], rule["threshold"]) == ("bus_balance_error_max", "balance_error_max")


@pytest.fixture(scope="module")
def park(tmp_path_factory):
    folder = tmp_path_factory.mktemp("balance")
    synthesize(folder, SynthSpec(tenants=2, meters=12, hours=48, seed=3, faults=FaultCounts()))
    return load_park(folder)


def test_the_report_labels_periods_with_the_tolerance_it_is_given(park, monkeypatch):
    report = load_readings(park, progress=False).balance
    assert report.tolerance_period == balance_tolerance_period()
    total = report.periods.query("period == 'total'").set_index("bus")
    assert (total["status"] == "balanced").all()
    # a tolerance below the smallest real imbalance turns every bus with one imbalanced
    worst = float(total["relative"].abs().max())
    assert worst > 0
    monkeypatch.setattr(balance, "balance_tolerance_period", lambda: worst / 2)
    stricter = load_readings(park, progress=False).balance
    assert stricter.tolerance_period == worst / 2
    judged = stricter.periods.query("period == 'total'").set_index("bus")
    assert judged.loc[total["relative"].abs().idxmax(), "status"] == "imbalanced"
