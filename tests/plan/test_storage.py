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
