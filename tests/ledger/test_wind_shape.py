"""A design park's wind follows its modelled wind year: annual figures stand, capacity scales
every hour, and hourly matching is no longer as good as a flat profile would make it."""

from __future__ import annotations

import numpy as np
import pytest

from zcp.ledger import run_ledger
from zcp.ledger.shapes import FLAT_SHAPE, WIND_SHAPE
from zcp.model.design_figures import flow_figure

WIND_PARK = """\
kind: park
schema_version: 1
id: windy
name: A small design park with a wind turbine
location: {{province: Inner Mongolia, grid_region: north}}
reporting_period: {{start: 2023-01-01, end: 2023-12-31}}
stage: design
tenants:
  - {{id: a, name: Plant A, industry: parts}}
assets:
  - {{id: grid, type: grid_connection, carrier: electricity}}
  - {{id: wt1, type: generator, technology: wind, capacity: {capacity}, capacity_factor: 0.3}}
  - {{id: bus, type: bus, carrier: electricity}}
flows:
  - {{id: f-wind, from: wt1, to: bus, carrier: electricity{wind_estimate}}}
  - {{id: f-imp, from: grid, to: bus, carrier: electricity, annual_estimate: 1000 MWh}}
  - {{id: f-a, from: bus, to: a, carrier: electricity, annual_estimate: 2628 MWh}}
"""
LOAD_MWH = 2628.0  # flat: 0.3 MWh every hour of 2023
HOURS = 8760


def park(write_park, capacity: float, wind_estimate: str = ""):
    return write_park(WIND_PARK.format(capacity=capacity, wind_estimate=wind_estimate))


def wind_hourly(result) -> np.ndarray:
    series: np.ndarray = result.hourly["supply_clean_direct"].to_numpy()
    return series


def test_the_derived_figure_says_how_its_hours_are_modelled(write_park):
    figure = flow_figure(park(write_park, 1), "f-wind")
    assert figure.basis == "derived" and figure.value == pytest.approx(1 * 0.3 * HOURS)
    assert "seeded wind series" in figure.how and "power curve" in figure.how
    assert "flat" not in figure.how


def test_capacity_doubles_every_hour_and_keeps_the_annual_figure(write_park):
    one = wind_hourly(run_ledger(park(write_park, 1)))
    two = wind_hourly(run_ledger(park(write_park, 2)))
    assert one.sum() == pytest.approx(1 * 0.3 * HOURS) and two.sum() == pytest.approx(
        2 * 0.3 * HOURS
    )
    assert two == pytest.approx(2 * one, rel=1e-12, abs=1e-12)
    assert one.max() <= 1 + 1e-9 and (one == 0).any()  # within capacity, calm hours too


def test_more_capacity_raises_hourly_matching_by_less_than_a_flat_profile(write_park):
    base, bigger = run_ledger(park(write_park, 1)), run_ledger(park(write_park, 2))
    wind = wind_hourly(base)
    load = np.full(HOURS, LOAD_MWH / HOURS)
    # hourly matching by hand: each hour's load takes what wind there is, up to the load
    by_hand = {c: np.minimum(load, c * wind).sum() / LOAD_MWH for c in (1, 2)}
    cfe = {c: r.indicators["hourly_cfe_score"].value for c, r in ((1, base), (2, bigger))}
    assert cfe[1] == pytest.approx(by_hand[1], abs=5e-4)
    assert cfe[2] == pytest.approx(by_hand[2], abs=5e-4)
    assert cfe[1] < cfe[2] < 2 * cfe[1]  # more wind matches more, with diminishing returns
    # a flat 1 MW at 0.3 (0.3 MWh every hour) would have matched the flat load fully
    assert cfe[1] < 0.9 and cfe[2] < 1.0
    assert "; ".join([FLAT_SHAPE, WIND_SHAPE]) in base.indicators["hourly_cfe_score"].reason


def test_a_stated_annual_estimate_still_wins(write_park):
    folder = park(write_park, 1, ", annual_estimate: 2000 MWh")
    figure = flow_figure(folder, "f-wind")
    assert (figure.basis, figure.value) == ("stated", 2000)
    result = run_ledger(folder)
    wind = wind_hourly(result)
    assert wind.sum() == pytest.approx(2000)
    # 2,000 MWh from 1 MW is a capacity factor of 0.228: still within capacity every hour
    assert wind.max() <= 1 + 1e-9 and (wind == 0).any()
    meters = result.meters
    assert set(meters.loc[meters["flow_id"] == "f-wind", "basis"]) == {"modelled"}


def test_an_annual_figure_beyond_the_curve_is_kept_and_said(write_park):
    # 8,000 MWh from 1 MW is a capacity factor of 0.91: more than the curve gives at any
    # plausible wind speed, so some hours must exceed the 1 MW
    result = run_ledger(park(write_park, 1, ", annual_estimate: 8000 MWh"))
    wind = wind_hourly(result)
    assert wind.sum() == pytest.approx(8000)
    over = int((wind > 1 + 1e-9).sum())
    assert over > 0
    [warning] = [w for w in result.warnings if "exceeds its 1 MW" in w]
    assert f"in {over} hours" in warning and "'f-wind'" in warning
