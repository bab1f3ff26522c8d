"""Worked examples: every expected number is plain arithmetic written out here.

The group: plant A (calendar 2023), plant B (season Oct 2021–Sep 2022, so its factors are
the 2022 ones), lessee C outside the boundary. On-site wind 2,000 MWh/yr from 1 MW against a
flat load of 16,000 MWh/yr (1.83 MWh every hour, more than the turbine's 1 MW): every
hour's wind is consumed and shared pro rata, and the modelled wind year repeats, so over
any year-long period each load takes 2,000/16,000 = 12.5 % of its electricity from wind.
"""

from __future__ import annotations

import pytest

from tests.ledger.conftest import GROUP_INSTRUMENTS, GROUP_PARK
from zcp.ledger import run_ledger

CLEAN = 2000 / 16000  # wind share of every hour's load
A_LOAD, B_LOAD = 10000.0, 5000.0
GAS_T = 100000 * 0.002162  # scope 1: natural gas × 2.162 kgCO2/m3


def _remaining():
    """Grid electricity left after physical wind and each plant's own certificates."""
    a = A_LOAD * (1 - CLEAN) - 3000
    b = B_LOAD * (1 - CLEAN) - 1000
    keep = 1 - 500 / (a + b)  # the park's 500 MWh are shared pro rata to what is left
    return a * keep, b * keep


def test_group_national_profile(write_park):
    folder = write_park(GROUP_PARK, GROUP_INSTRUMENTS)
    result = run_ledger(folder)  # national-zero-carbon-park
    a_res, b_res = _remaining()
    location = A_LOAD * (1 - CLEAN) * 0.5500 + B_LOAD * (1 - CLEAN) * 0.5617  # east 2023 / 2022
    market = a_res * 0.8273 + b_res * 0.8325  # national fossil-power 2023 / 2022
    t = result.totals
    assert t["scope2_location_t"] == pytest.approx(location, abs=0.5)
    assert t["scope2_market_t"] == pytest.approx(market, abs=0.5)
    assert t["scope1_t"] == pytest.approx(GAS_T, abs=0.5)
    assert t["scope1_t"] + t["scope2_market_t"] == pytest.approx(GAS_T + market, abs=0.5)
    assert t["offsets_t"] == pytest.approx(200, abs=0.5)
    assert t["net_t"] == pytest.approx(GAS_T + market - 200, abs=0.5)
    green = (A_LOAD + B_LOAD) * CLEAN + 3000 + 1000 + 500
    ind = {k: v.value for k, v in result.indicators.items()}
    assert ind["green_electricity_share"] == pytest.approx(green / 15000, abs=5e-4)
    assert ind["hourly_cfe_score"] == pytest.approx(CLEAN, abs=5e-4)
    assert ind["direct_supply_share"] == pytest.approx(CLEAN, abs=5e-4)
    assert ind["hourly_cfe_score"] <= ind["green_electricity_share"]
    # energy: electricity at 0.1229 tce/MWh + gas at 1.2143 kgce/m3; clean = green el + gas
    tce = 15000 * 0.1229 + 100000 * 0.0012143
    assert result.energy_summary["energy_tce"] == pytest.approx(tce, abs=0.5)
    assert ind["carbon_per_energy_t_per_tce"] == pytest.approx((GAS_T + market) / tce, abs=5e-4)
    assert ind["clean_energy_share"] == pytest.approx(
        (green * 0.1229 + 100000 * 0.0012143) / tce, abs=5e-4
    )
    excluded = {e["id"]: e["reason"] for e in result.instruments_excluded}
    assert set(excluded) == {"go-eu", "gec-unretired"}
    assert "not accepted" in excluded["go-eu"] and "retired" in excluded["gec-unretired"]
    assert [p["entity"] for p in result.other_periods] == ["b"]
    tenants = result.by_tenant().set_index("entity")
    assert "c" not in tenants.index
    assert tenants.loc["a", "scope2_market_t"] == pytest.approx(a_res * 0.8273, abs=0.5)
    assert tenants.loc["b", "electricity_mwh"] == pytest.approx(B_LOAD, abs=0.5)
    years = {f["id"]: f["year"] for f in result.to_json()["factors"]}
    assert years["co2.electricity.fossil_power.national.2022"] == 2022
    assert years["co2.electricity.fossil_power.national.2023"] == 2023


def test_group_ghg_protocol_profile(write_park):
    folder = write_park(GROUP_PARK, GROUP_INSTRUMENTS)
    result = run_ledger(folder, profile="ghg-protocol-corporate")
    a_res, b_res = _remaining()
    market = a_res * 0.6096 + b_res * 0.5856  # excl. market-traded non-fossil 2023 / 2022
    location = A_LOAD * (1 - CLEAN) * 0.5500 + B_LOAD * (1 - CLEAN) * 0.5617
    assert result.totals["scope2_market_t"] == pytest.approx(market, abs=0.5)
    assert result.totals["scope2_location_t"] == pytest.approx(location, abs=0.5)
    excluded = {e["id"]: e["reason"] for e in result.instruments_excluded}
    assert "outside the market boundary" in excluded["go-eu"]
    months = result.by_month()
    assert months["scope2_market_t"].sum() == pytest.approx(market, abs=0.5)


def test_factor_override_and_json_contract(write_park):
    folder = write_park(GROUP_PARK)
    result = run_ledger(folder, factors="mee_electricity@2022")
    grid = A_LOAD * (1 - CLEAN) + B_LOAD * (1 - CLEAN)
    assert result.totals["scope2_market_t"] == pytest.approx(grid * 0.8325, abs=0.5)
    doc = result.to_json()
    assert doc["contract"] == "zcp.emissions/1"
    assert set(doc["totals"]) == {
        "scope1_t", "scope2_location_t", "scope2_market_t", "scope3_t", "offsets_t", "net_t"
    }  # fmt: skip
    assert set(doc["indicators"]) >= {
        "carbon_per_energy_t_per_tce", "clean_energy_share", "green_electricity_share",
        "hourly_cfe_score", "direct_supply_share",
    }  # fmt: skip
    assert doc["profile"]["id"] == "national-zero-carbon-park"


ACTIVITY = """\
kind: activity
schema_version: 1
mobile_combustion:
  - {entity: a, carrier: diesel, quantity: 10 t}
fugitive:
  - {entity: a, gas: r-410a, top_up: 10 kg}
  - {entity: b, gas: sf6, charge: 0.5 t, leak_rate: 0.01}
process:
  - {entity: a, description: carbonate calcination, co2: 100 t}
scope3:
  - {category: 1, entity: a, description: aluminium, amount: 50 t,
     factor: {value: 8.0, unit: tCO2e/t, source: supplier EPD}}
  - {category: 6, entity: grp, description: flights, amount: 20000 CNY,
     factor: {value: 0.5, unit: kgCO2e/CNY, source: user spend factor}}
scope3_excluded:
  - {category: 8, reason: not_relevant}
"""


def test_activity_lines_follow_the_profile(write_park):
    folder = write_park(GROUP_PARK, activity=ACTIVITY)
    diesel = 10 * 3.0959
    fugitive = 0.010 * 1923.5 + 0.5 * 0.01 * 23500  # AR5 R-410A top-up; SF6 charge × leak
    national = run_ledger(folder)
    assert national.totals["scope1_t"] == pytest.approx(GAS_T + diesel, abs=0.5)
    reasons = set(national.lines.loc[~national.lines["counted"], "excluded_reason"])
    assert any("CO2 only" in r for r in reasons) and any("process" in r for r in reasons)
    ghg = run_ledger(folder, profile="ghg-protocol-corporate")
    assert ghg.totals["scope1_t"] == pytest.approx(GAS_T + diesel + fugitive + 100, abs=0.5)
    assert ghg.totals["scope3_t"] == pytest.approx(50 * 8.0 + 20000 * 0.5 / 1000, abs=0.5)
    assert ghg.totals["net_t"] == pytest.approx(
        ghg.totals["scope1_t"] + ghg.totals["scope2_market_t"] + ghg.totals["scope3_t"], abs=0.5
    )


SOLD = """\
kind: instruments
schema_version: 1
sold:
  - {id: gec-sold, type: GEC, serials: {first: "S001", last: "S500"}, mwh: 500,
     vintage: {start: 2023-01-01, end: 2023-12-31}, generator: wind}
"""


def test_sold_certificates_make_consumed_wind_null(write_park):
    folder = write_park(GROUP_PARK, SOLD)
    result = run_ledger(folder)
    # the frame runs from B's first day (2021-10-01) to A's last (2023-12-31); all wind is
    # consumed (load exceeds it every hour), so the pool is the frame's wind: two full years
    # of the repeated wind year and October–December once more
    hourly = result.hourly.set_index("hour")["supply_clean_direct"].tz_convert("Asia/Shanghai")
    year = hourly.groupby(hourly.index.year).sum()
    assert year[2022] == pytest.approx(2000) and year[2023] == pytest.approx(2000)
    autumn = hourly["2021-10-01":"2021-12-31"].to_numpy()
    assert autumn == pytest.approx(hourly["2023-10-01":"2023-12-31"].to_numpy())
    pool = 2 * 2000 + autumn.sum()
    assert pool != pytest.approx(2000 * (92 + 365 + 365) / 365)  # not spread flat over the frame
    keep = 1 - 500 / pool
    location = A_LOAD * (1 - CLEAN) * 0.5500 + B_LOAD * (1 - CLEAN) * 0.5617
    market = A_LOAD * (1 - CLEAN * keep) * 0.8273 + B_LOAD * (1 - CLEAN * keep) * 0.8325
    assert result.totals["scope2_location_t"] == pytest.approx(location, abs=0.5)  # physical
    assert result.totals["scope2_market_t"] == pytest.approx(market, abs=0.5)
    ind = result.indicators
    assert ind["green_electricity_share"].value == pytest.approx(CLEAN * keep, abs=5e-4)
    assert ind["hourly_cfe_score"].value == pytest.approx(CLEAN * keep, abs=5e-4)
    assert ind["direct_supply_share"].value == pytest.approx(CLEAN, abs=5e-4)  # physical


def test_scope3_report_lists_exclusions(write_park):
    doc = run_ledger(write_park(GROUP_PARK, activity=ACTIVITY)).to_json()
    s3 = doc["scope3"]
    assert [c["category"] for c in s3["categories"]] == [1, 6]
    assert s3["excluded"][0]["reason"] == "not_relevant"
    assert len(s3["not_reported"]) == 12


def test_ordos_example():
    result = run_ledger("assessments/ordos-design")
    ind = {k: v.value for k, v in result.indicators.items()}
    assert result.basis == "modelled"
    # the annual figures stand: wind 1,682 GWh less 2 % line loss, PV 473 GWh [MWh]
    clean = result.hourly["supply_clean_direct"]
    assert clean.sum() == pytest.approx(1682000 * 0.98 + 473000)
    # the 600 MW wind farm follows its modelled wind year, not a flat 1,682 × 0.98 / 8,760
    # = 188 MW: at night (no PV) some hours have no clean supply, others more than the load
    local = result.hourly["hour"].dt.tz_convert("Asia/Shanghai").dt.hour
    night = clean[local.isin([0, 1, 2, 3])]
    assert (night == 0).any() and (night > result.hourly["load"][night.index]).any()
    assert clean.max() <= 600 * 0.98 + 300 + 1e-6  # capacity after line loss, plus PV
    assert ind["hourly_cfe_score"] < ind["green_electricity_share"] < 1.0
    # the 290 GWh of green-power trading no longer quite cover what the park does not take
    # from its own clean supply (more of it is exported in windy hours): that shortfall is
    # priced at the national fossil-power factor (2023, the latest) in market-based scope 2
    shortfall = (1 - ind["green_electricity_share"]) * 2375000
    assert result.totals["scope2_market_t"] == pytest.approx(shortfall * 0.8273, rel=1e-3)
    assert {e["id"] for e in result.instruments_excluded} == {"vcs-cellco-2026"}
    ghg = run_ledger("assessments/ordos-design", profile="ghg-protocol-corporate")
    assert ghg.totals["offsets_t"] == pytest.approx(5500)


GENSET_PARK = """\
kind: park
schema_version: 1
id: gen
name: Park with a diesel genset
location: {province: Jiangsu, grid_region: east}
reporting_period: {start: 2023-01-01, end: 2023-12-31}
stage: design
tenants:
  - {id: a, name: A, industry: x}
assets:
  - {id: grid, type: grid_connection}
  - {id: genset, type: generator, technology: diesel_genset, capacity: 1}
  - {id: bus, type: bus}
  - {id: oil, type: fuel_supply, carrier: diesel}
flows:
  - {id: f-oil, from: oil, to: genset, carrier: diesel, annual_estimate: 300 t}
  - {id: f-gen, from: genset, to: bus, carrier: electricity, annual_estimate: 1000 MWh}
  - {id: f-imp, from: grid, to: bus, carrier: electricity, annual_estimate: 4000 MWh}
  - {id: f-a, from: bus, to: a, carrier: electricity, annual_estimate: 5000 MWh}
"""


def test_own_genset_power_is_counted_once(write_park):
    result = run_ledger(write_park(GENSET_PARK))
    assert result.totals["scope1_t"] == pytest.approx(300 * 3.0959, abs=0.5)
    # the genset's 1,000 MWh are in scope 1 through their fuel, not priced as grid power
    assert result.totals["scope2_location_t"] == pytest.approx(4000 * 0.5500, abs=0.5)
    assert result.totals["scope2_market_t"] == pytest.approx(4000 * 0.8273, abs=0.5)
    tce = 5000 * 0.1229 + 300 * 1.4571 - 1000 * 0.1229  # the fuel, not its electricity too
    assert result.energy_summary["energy_tce"] == pytest.approx(tce, abs=0.5)
    assert result.indicators["green_electricity_share"].value == pytest.approx(0.0)
