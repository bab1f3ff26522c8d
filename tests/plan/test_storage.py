"""Storage in the planner's programme: power [MW], energy [MWh], round-trip efficiency and a
state of charge that runs round the year — checked against a plan worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from zcp.plan.costs import load_costs
from zcp.plan.lp import HourlySystem, MetricTarget, Prices, StorageOffer, solve


def test_storage_moves_daytime_pv_to_the_night_by_hand():
    # four hours, 1 MWh of load in each; new PV gives 2 MWh per MW in the first two only
    system = HourlySystem(np.ones(4), np.zeros(4), np.array([2.0, 2.0, 0.0, 0.0]), np.zeros(4))
    every_hour = [MetricTarget("all", "share", ">=", 1.0, 0.0, 1 / 4, 0.0)]  # 100 % used
    prices = Prices(pv=100.0, wind=1e9, certificates=1e9)
    assert solve(system, every_hour, prices).status == "infeasible"  # PV alone: 50 % at most

    eta = 0.81  # round trip; each leg loses √η = 0.9
    got = solve(system, every_hour, prices, storage=StorageOffer(10.0, 10.0, eta))
    # the night needs 2 MWh out, so 2 / 0.81 MWh in, charged from PV in hours 0 and 1
    charged = 2.0 / eta
    pv_mw = (2.0 + charged) / 4.0  # 2 MWh of day load + the charge, from 4 MWh per MW
    power = charged / 2.0  # the charge spread over two hours is the largest hourly flow
    energy = charged * 0.9  # stored after the charging leg
    assert got.status == "optimal"
    assert got.pv_mw == pytest.approx(pv_mw, rel=1e-6)
    assert got.storage_mw == pytest.approx(power, rel=1e-6)
    assert got.storage_mwh == pytest.approx(energy, rel=1e-6)
    assert got.annual_cost == pytest.approx(100.0 * pv_mw + 10.0 * power + 10.0 * energy)


def test_the_cost_book_prices_storage_with_its_efficiency():
    costs = load_costs()
    energy = costs.levers["storage_energy"]
    assert costs.levers["storage_power"].unit == "MW" and energy.unit == "MWh"
    assert energy.round_trip_efficiency is not None and 0 < energy.round_trip_efficiency <= 1


# -- storage planned and confirmed by the engine ---------------------------------------------
#: A design park's week: a flat 240 MWh load (1 MWh every hour) and no clean supply yet.
SUNNY_WEEK = """\
kind: park
schema_version: 1
id: sunny
name: A sunny week
location: {province: 内蒙古自治区, grid_region: north, latitude: 39.6, longitude: 109.8}
reporting_period: {start: 2025-06-01, end: 2025-06-07}
stage: design
tenants:
  - {id: t1, name: 工厂, industry: machining}
assets:
  - {id: grid, type: grid_connection, carrier: electricity}
  - {id: bus, type: bus, carrier: electricity}
flows:
  - {id: f-grid, from: grid, to: bus, carrier: electricity, annual_estimate: 8760 MWh}
  - {id: f-t1, from: bus, to: t1, carrier: electricity, annual_estimate: 8760 MWh}
"""

#: One level, one rule: 70 % of the load matched hour by hour.
ROUND_THE_CLOCK = """\
kind: rule_set
schema_version: 1
id: round_the_clock
version: "1"
title: {zh: 全天候绿电, en: Round-the-clock clean power}
issued_by: {zh: 测试机构, en: Test body}
effective_from: 2020-01-01
subject: park
stages: [design, operation]
source: {document: Test standard, clause: "1"}
levels:
  - {id: seventy, title: {zh: 七成, en: Seventy per cent}, requires: [cfe]}
rules:
  - {id: cfe, kind: indicator, title: {zh: 逐时匹配, en: Hourly matching}, clause: "1",
     metric: hourly_cfe_score, op: ge, threshold: 0.7}
"""


def test_a_level_only_storage_reaches_is_planned_and_confirmed(write_park, tmp_path, monkeypatch):
    from functools import partial

    from zcp.ledger import Ledger, shapes
    from zcp.ledger.whatif import AddedCapacity, AddedStorage, WhatIf, run_what_if
    from zcp.metrics.ledger_metrics import PV_CAPACITY_FACTOR
    from zcp.model import load_park
    from zcp.plan import confirm, plan_park

    park = write_park(SUNNY_WEEK)
    standards = tmp_path / "standards"
    standards.mkdir()
    (standards / "round_the_clock.yaml").write_text(ROUND_THE_CLOCK, encoding="utf-8")
    # a site where new wind is not an option (flat wind alone would reach any hourly share)
    monkeypatch.setattr(confirm, "solve",
                        partial(confirm.solve, allow=frozenset({"pv", "certificates"})))  # fmt: skip
    # PV alone can meet the load only in the hours the sun is up: at most that share
    ledger = Ledger(load_park(park))
    sun = shapes.pv_shape(ledger.folder, ledger.windows.hours)
    assert sun is not None and (sun > 0).mean() < 0.7

    result = plan_park(park, "round_the_clock:seventy", standards_dirs=[standards])
    plan = result.plan
    assert plan.status == "planned" and result.ok, plan.why
    amounts = {x.lever: x.amount for x in plan.levers}
    assert set(amounts) == {"extra_pv", "storage_power", "storage_energy"}
    assert "needs storage" in plan.why and plan.engine_runs >= 1
    # what the battery must carry into the dark: 70 % of the week's 168 MWh less the sunny
    # hours' 1 MWh each; it gives back at most E·√η (η 0.85 in the cost book) between two
    # sunny spells, and a week has eight dark spells at most
    dark = 0.7 * 168 - (sun > 0).sum() * 1.0
    assert amounts["storage_energy"] * 0.85**0.5 * 8 >= dark > 0
    # apply the plan ourselves: hourly matching ≥ 70 %
    battery = AddedStorage(amounts["storage_power"], amounts["storage_energy"], 0.85)
    change = WhatIf(capacity=(AddedCapacity("pv", amounts["extra_pv"], PV_CAPACITY_FACTOR),),
                    storage=(battery,))  # fmt: skip
    assert run_what_if(ledger, change).indicators["hourly_cfe_score"].value >= 0.7
    assert "storage_power" in result.illustrative_costs
    assert not any("cannot apply storage" in text for text in result.assumptions)


def test_assess_plans_a_rule_set_from_its_standards_folder(write_park, tmp_path):
    """``zcp assess --plan`` for a rule set the assessment did not select is looked up in
    the ``--standards`` folders the evaluation was given, not only the shipped ones."""
    from zcp.plan import plan_evaluation
    from zcp.rules.run import evaluate_park

    park = write_park(SUNNY_WEEK)
    standards = tmp_path / "standards"
    standards.mkdir()
    (standards / "round_the_clock.yaml").write_text(ROUND_THE_CLOCK, encoding="utf-8")
    evaluation = evaluate_park(park, rule_refs=["zero_carbon_park@2025-trial"],
                               standards_dirs=[standards])  # fmt: skip
    assert [s.rule_set.model.id for s in evaluation.selected] == ["zero_carbon_park"]
    result = plan_evaluation(evaluation, "round_the_clock:seventy")
    assert result.rule_set == "round_the_clock" and result.plan.status == "planned"
    assert result.version == "1" and result.plan.levers  # built what the level needs
