"""The metered path: a one-day park whose readings sit in a DuckDB ``hourly`` table.

Hour by hour (local time), in MWh:
  00  import 20            loads a 10, b 10
  10  PV 30                loads a 10, b 20                     r = 30/30 = 1
  11  PV 40, export 10, storage charge 10   loads a 10, b 10    surplus 20: 10 charged, 10 exported
  12  PV 10, import 5, storage discharge 5  loads a 10, b 10    matched min(20, 10 + 1·5) = 15
  13  import 8             loads a 4, b 2   (2 MWh behind no tenant meter: the park's own)
"""

from __future__ import annotations

from types import SimpleNamespace

import duckdb
import pandas as pd
import pytest

from zcp.ledger import Ledger

PARK = """\
kind: park
schema_version: 1
id: day
name: One metered day
location: {province: Inner Mongolia, grid_region: north}
reporting_period: {start: 2023-06-01, end: 2023-06-01}
stage: operation
tenants:
  - {id: a, name: A, industry: x}
  - {id: b, name: B, industry: y}
assets:
  - {id: grid, type: grid_connection}
  - {id: pv, type: generator, technology: pv, capacity: 50}
  - {id: bess, type: storage, technology: battery, carrier: electricity, energy_capacity: 20, power: 10}
  - {id: bus, type: bus}
  - {id: gas, type: fuel_supply, carrier: natural_gas}
  - {id: boiler, type: converter, technology: boiler, inputs: [natural_gas], outputs: [steam], tenant: a}
flows:
  - {id: f-pv, from: pv, to: bus, carrier: electricity}
  - {id: f-imp, from: grid, to: bus, carrier: electricity}
  - {id: f-exp, from: bus, to: grid, carrier: electricity}
  - {id: f-bin, from: bus, to: bess, carrier: electricity}
  - {id: f-bout, from: bess, to: bus, carrier: electricity}
  - {id: f-a, from: bus, to: a, carrier: electricity}
  - {id: f-b, from: bus, to: b, carrier: electricity}
  - {id: f-gas, from: gas, to: boiler, carrier: natural_gas}
meters:
  - {id: M-PV, flow: f-pv, carrier: electricity, unit: MWh, level: park_boundary}
  - {id: M-IMP, flow: f-imp, carrier: electricity, unit: MWh, level: park_boundary}
  - {id: M-EXP, flow: f-exp, carrier: electricity, unit: MWh, level: park_boundary}
  - {id: M-BIN, flow: f-bin, carrier: electricity, unit: MWh, level: park_boundary}
  - {id: M-BOUT, flow: f-bout, carrier: electricity, unit: MWh, level: park_boundary}
  - {id: M-A, flow: f-a, carrier: electricity, unit: MWh, level: tenant}
  - {id: M-A-CHECK, flow: f-a, carrier: electricity, unit: MWh, level: tenant}
  - {id: M-B, flow: f-b, carrier: electricity, unit: MWh, level: tenant}
  - {id: M-GAS, flow: f-gas, carrier: natural_gas, unit: m3, level: park_boundary}
"""

READINGS = {
    0: {"M-IMP": 20, "M-A": 10, "M-B": 10, "M-GAS": 100},
    10: {"M-PV": 30, "M-A": 10, "M-B": 20},
    11: {"M-PV": 40, "M-EXP": 10, "M-BIN": 10, "M-A": 10, "M-B": 10},
    12: {"M-PV": 10, "M-IMP": 5, "M-BOUT": 5, "M-A": 10, "M-B": 10},
    13: {"M-IMP": 8, "M-A": 4, "M-B": 2},
}


def readings(check_ratio: float = 1.01) -> SimpleNamespace:
    flows = {"M-A-CHECK": "f-a"}
    rows = []
    for h, values in READINGS.items():
        hour = (pd.Timestamp("2023-06-01", tz="Asia/Shanghai") + pd.Timedelta(hours=h)).tz_convert(
            "UTC"
        )
        for meter, value in values.items():
            rows.append((meter, flows.get(meter, ""), "electricity", hour, float(value), h == 13))
            if meter == "M-A":
                rows.append(
                    ("M-A-CHECK", "f-a", "electricity", hour, float(value) * check_ratio, False)
                )
    frame = pd.DataFrame(
        rows, columns=["meter_id", "flow_id", "carrier", "hour", "value", "imputed"]
    )
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.register("frame", frame)
    con.execute("CREATE TABLE hourly AS SELECT * FROM frame")
    return SimpleNamespace(con=con)


def test_metered_day(write_park):
    folder = write_park(PARK)
    result = Ledger(folder, readings=readings()).result()
    load = 98.0  # 20 + 30 + 20 + 20 + 8
    matched = 0 + 30 + 20 + 15 + 0
    ind = {k: v.value for k, v in result.indicators.items()}
    assert result.basis == "metered"
    assert ind["hourly_cfe_score"] == pytest.approx(matched / load, abs=5e-4)
    assert ind["green_electricity_share"] == pytest.approx(matched / load, abs=5e-4)
    assert ind["direct_supply_share"] == pytest.approx(matched / load, abs=5e-4)
    # pro rata per hour: a gets 10·1 + 10·1 + 10·0.75, b 20 + 10 + 7.5
    a_clean, b_clean = 27.5, 37.5
    tenants = result.by_tenant().set_index("entity")
    assert tenants.loc["a", "electricity_mwh"] == pytest.approx(44.0)
    assert tenants.loc["b", "electricity_mwh"] == pytest.approx(52.0)
    assert tenants.loc["_park", "electricity_mwh"] == pytest.approx(2.0)
    assert tenants.loc["a", "hourly_cfe_score"] == pytest.approx(a_clean / 44, abs=5e-4)
    grid = (44 - a_clean) + (52 - b_clean) + 2
    assert result.totals["scope2_location_t"] == pytest.approx(grid * 0.6361, abs=0.01)
    assert result.totals["scope2_market_t"] == pytest.approx(grid * 0.8273, abs=0.01)
    assert result.totals["scope1_t"] == pytest.approx(100 * 0.002162, abs=1e-6)
    meters = result.meters.set_index(["meter_id", "bucket"])
    assert meters.loc[("M-A-CHECK", 0), "basis"] == "check_meter"
    assert meters.loc[("M-A", 0), "imputed_hours"] == 1
    trace = result.trace()
    park_own = 2 * (0.6361 + 0.8273)  # no meter stands behind the park's own 2 MWh
    assert trace["tco2e"].sum() + park_own == pytest.approx(
        result.totals["scope2_location_t"] + result.totals["scope2_market_t"], abs=0.01
    )
    assert set(trace["meter_id"]) == {"M-A", "M-B"}  # the park's own 2 MWh have no meter


def test_a_check_meter_within_tolerance_gives_no_warning(write_park):
    result = Ledger(write_park(PARK), readings=readings(1.01)).result()
    assert not [w for w in result.warnings if "check meter" in w]


def test_a_check_meter_that_disagrees_is_reported(write_park):
    """M-A reads 44 MWh over the day; its check meter 5 % more (46.2 MWh)."""
    result = Ledger(write_park(PARK), readings=readings(1.05)).result()
    (warning,) = [w for w in result.warnings if "check meter" in w]
    assert "'M-A-CHECK' on flow 'f-a' reads 46.200, +5.0% against 'M-A' (44.000)" in warning
    # the counting meter still counts: a's load is M-A's 44 MWh
    assert result.by_tenant().set_index("entity").loc["a", "electricity_mwh"] == pytest.approx(44)
