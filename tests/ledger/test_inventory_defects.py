"""Regression tests for the three defects #17 found: a supplier's 0 rate reported as green
power, litres of fuel ending in a traceback, a misspelt scope-3 entity silently dropped."""

from __future__ import annotations

import pytest

from zcp.errors import InputError
from zcp.ledger import Ledger, run_ledger

GRID_ONLY = """\
kind: park
schema_version: 1
id: p
name: Grid-only park
location: {province: Jiangsu, grid_region: east}
reporting_period: {start: 2023-01-01, end: 2023-12-31}
stage: design
tenants:
  - {id: a, name: Plant A, industry: parts}
  - {id: b, name: Plant B, industry: parts}
assets:
  - {id: grid, type: grid_connection, carrier: electricity}
  - {id: bus, type: bus, carrier: electricity}
flows:
  - {id: f-imp, from: grid, to: bus, carrier: electricity, annual_estimate: 15000 MWh}
  - {id: f-a, from: bus, to: a, carrier: electricity, annual_estimate: 10000 MWh}
  - {id: f-b, from: bus, to: b, carrier: electricity, annual_estimate: 5000 MWh}
"""

ZERO_TARIFF = """\
kind: instruments
schema_version: 1
supplier_factors:
  - {id: tariff-a, supplier: Utility green tariff, value: 0, mwh: 4000, beneficiary: a,
     source: utility disclosure 2023}
"""

FOSSIL_2023 = 0.8273  # national fossil-power factor 2023 (national profile's residual)
RESIDUAL_2023 = 0.6096  # national, excluding market-traded non-fossil, 2023 (GHG profile)
EAST_2023 = 0.5500  # east-grid average 2023 (location-based)
GHG = "ghg-protocol-corporate"


def test_zero_supplier_rate_prices_scope2_but_is_not_green(write_park):
    result = run_ledger(write_park(GRID_ONLY, ZERO_TARIFF), profile=GHG)
    t = result.totals
    assert t["scope2_market_t"] == pytest.approx((15000 - 4000) * RESIDUAL_2023, abs=0.5)
    assert t["scope2_location_t"] == pytest.approx(15000 * EAST_2023, abs=0.5)
    ind = {k: v.value for k, v in result.indicators.items()}
    assert ind["green_electricity_share"] == pytest.approx(0.0, abs=1e-9)
    assert ind["clean_energy_share"] == pytest.approx(0.0, abs=1e-9)
    assert result.energy_summary["green_electricity_mwh"] == pytest.approx(0.0, abs=1e-9)
    tenants = result.by_tenant().set_index("entity")
    assert tenants.loc["a", "green_electricity_share"] == pytest.approx(0.0, abs=1e-9)
    tariff = result.lines[result.lines["instrument"] == "tariff-a"]
    assert tariff["activity"].sum() == pytest.approx(4000, abs=1e-6)
    assert tariff["factor_source"].str.startswith("supplier-specific rate").all()


def test_a_profile_without_supplier_rates_lists_the_rate_as_excluded(write_park):
    result = run_ledger(write_park(GRID_ONLY, ZERO_TARIFF))  # national profile
    assert result.totals["scope2_market_t"] == pytest.approx(15000 * FOSSIL_2023, abs=0.5)
    excluded = {e["id"]: e["reason"] for e in result.instruments_excluded}
    assert "supplier-specific" in excluded["tariff-a"]
    assert result.indicators["green_electricity_share"].value == pytest.approx(0.0, abs=1e-9)


def test_certificates_still_count_as_green_next_to_a_zero_tariff(write_park):
    certs = (
        ZERO_TARIFF
        + """\
certificates:
  - {id: gec-b, type: GEC, mwh: 1000, vintage: {start: 2023-01-01, end: 2023-06-30},
     retired: true, beneficiary: b}
"""
    )
    result = run_ledger(write_park(GRID_ONLY, certs), profile=GHG)
    assert result.indicators["green_electricity_share"].value == pytest.approx(1000 / 15000)
    assert result.totals["scope2_market_t"] == pytest.approx(
        (15000 - 4000 - 1000) * RESIDUAL_2023, abs=0.5
    )


def test_fuel_in_litres_without_a_way_to_convert_is_an_error_not_a_traceback(write_park):
    activity = """\
kind: activity
schema_version: 1
mobile_combustion:
  - {entity: a, carrier: diesel, quantity: 441590 furlong}
"""
    with pytest.raises(InputError) as err:
        Ledger(write_park(GRID_ONLY, activity=activity))
    text = str(err.value)
    assert "activity.yaml:4" in text and "mobile_combustion[0].quantity" in text
    assert "furlong" in text and "L" in text and "GJ" in text  # accepted units named


def test_misspelt_scope3_entity_is_an_error(write_park):
    activity = """\
kind: activity
schema_version: 1
scope3:
  - {category: 1, entity: aa, description: aluminium, amount: 50 t,
     factor: {value: 8.0, unit: tCO2e/t, source: supplier EPD}}
"""
    with pytest.raises(InputError) as err:
        Ledger(write_park(GRID_ONLY, activity=activity))
    text = str(err.value)
    assert "activity.yaml:4" in text and "unknown entity 'aa'" in text
    assert "did you mean 'a'" in text
