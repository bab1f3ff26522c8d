"""Added storage in the ledger's what-if: a battery dispatched hour by hour over a metered
day, with the dispatch and the matching worked out by hand.

The day (local hours, MWh; every other hour is empty):
  00  import 4                    loads a 2, b 2     deficit 4
  10  PV 30, export 20            loads a 5, b 5     surplus 20
  11  PV 30, export 20            loads a 5, b 5     surplus 20
  12  PV 4, import 6              loads a 5, b 5     deficit 6
The battery: P = 8 MW, E = 10 MWh, round trip 0.81 (0.9 lost on each leg).
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from zcp.ledger import Ledger
from zcp.ledger.whatif import AddedStorage, WhatIf, dispatch_storage, run_what_if

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
  - {id: bus, type: bus}
flows:
  - {id: f-pv, from: pv, to: bus, carrier: electricity}
  - {id: f-imp, from: grid, to: bus, carrier: electricity}
  - {id: f-exp, from: bus, to: grid, carrier: electricity}
  - {id: f-a, from: bus, to: a, carrier: electricity}
  - {id: f-b, from: bus, to: b, carrier: electricity}
meters:
  - {id: M-PV, flow: f-pv, carrier: electricity, unit: MWh, level: park_boundary}
  - {id: M-IMP, flow: f-imp, carrier: electricity, unit: MWh, level: park_boundary}
  - {id: M-EXP, flow: f-exp, carrier: electricity, unit: MWh, level: park_boundary}
  - {id: M-A, flow: f-a, carrier: electricity, unit: MWh, level: tenant}
  - {id: M-B, flow: f-b, carrier: electricity, unit: MWh, level: tenant}
"""

READINGS = {
    0: {"M-IMP": 4, "M-A": 2, "M-B": 2},
    10: {"M-PV": 30, "M-EXP": 20, "M-A": 5, "M-B": 5},
    11: {"M-PV": 30, "M-EXP": 20, "M-A": 5, "M-B": 5},
    12: {"M-PV": 4, "M-IMP": 6, "M-A": 5, "M-B": 5},
}
BATTERY = AddedStorage(power_mw=8.0, energy_mwh=10.0, round_trip_efficiency=0.81)


def _readings():
    rows = []
    for h, values in READINGS.items():
        hour = pd.Timestamp("2023-06-01", tz="Asia/Shanghai") + pd.Timedelta(hours=h)
        for meter, value in values.items():
            rows.append((meter, "", "electricity", hour.tz_convert("UTC"), float(value), False))
    frame = pd.DataFrame(rows, columns=["meter_id", "flow_id", "carrier", "hour", "value",
                                        "imputed"])  # fmt: skip
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.register("frame", frame)
    con.execute("CREATE TABLE hourly AS SELECT * FROM frame")
    return type("Readings", (), {"con": con})()


# By hand. First run, from empty: 00 nothing stored; 10 charges min(20, P 8, 10/0.9) = 8
# (power binds), stores 7.2; 11 charges min(20, 8, 2.8/0.9) = 3.111 (energy binds), full at
# 10; 12 discharges min(6, 8, 10·0.9) = 6 (the deficit binds), leaving 10 − 6/0.9 = 3.333.
# Second run, from 3.333: 00 discharges min(4, 8, 3.333·0.9) = 3 (the charge binds), empty;
# then as before, ending at 3.333 again — the state of charge runs round the day.
CHARGE_10, CHARGE_11 = 8.0, (10.0 - 8.0 * 0.9) / 0.9
DISCHARGE_00, DISCHARGE_12 = (10.0 - 6.0 / 0.9) * 0.9, 6.0


def test_dispatch_by_hand_with_each_limit_binding_in_its_own_hour():
    surplus = np.array([0.0, 20.0, 20.0, 0.0])
    deficit = np.array([4.0, 0.0, 0.0, 6.0])
    charge, discharge = dispatch_storage(surplus, deficit, BATTERY)
    assert charge == pytest.approx([0.0, CHARGE_10, CHARGE_11, 0.0])
    assert discharge == pytest.approx([DISCHARGE_00, 0.0, 0.0, DISCHARGE_12])
    assert discharge[0] == pytest.approx(3.0)  # 3.333 MWh stored × 0.9
    # what went in after the charging leg is what came out before the discharging leg
    assert 0.9 * charge.sum() == pytest.approx(discharge.sum() / 0.9)


def test_dispatch_never_gives_back_what_it_did_not_store():
    # surplus beyond what the deficit can use: the battery ends fuller than it began, and
    # discharges only what the period charged (less the losses)
    charge, discharge = dispatch_storage(np.array([0.0, 5.0]), np.array([1.0, 0.0]),
                                 AddedStorage(10.0, 100.0, 1.0))  # fmt: skip
    assert charge.tolist() == [0.0, 5.0]
    assert discharge.tolist() == [1.0, 0.0]  # from the 5 MWh the first run left stored
    # no surplus at all: nothing to discharge, whatever the deficit
    none = dispatch_storage(np.zeros(3), np.full(3, 5.0), BATTERY)
    assert none[0].sum() == 0 and none[1].sum() == 0


def test_storage_what_if_on_a_metered_day(write_park):
    ledger = Ledger(write_park(PARK), readings=_readings())
    base = ledger.result()
    load = 4 + 10 + 10 + 10
    matched = 0 + 10 + 10 + 4
    assert base.indicators["hourly_cfe_score"].value == pytest.approx(matched / load, abs=5e-4)
    after = run_what_if(ledger, WhatIf(storage=(BATTERY,)))
    discharged = DISCHARGE_00 + DISCHARGE_12  # 9 MWh into hours 00 and 12
    assert after.indicators["hourly_cfe_score"].value == pytest.approx(
        (matched + discharged) / load, abs=5e-4
    )
    # the charge came out of what was exported: the annual pool is what the hours matched
    assert after.indicators["green_electricity_share"].value == pytest.approx(
        (matched + discharged) / load, abs=5e-4
    )
    # a and b had 5 MWh each unmatched (17 MWh of load, 12 matched): 4.5 MWh each
    tenants = after.by_tenant().set_index("entity")
    assert tenants.loc["a", "hourly_cfe_score"] == pytest.approx((12 + 4.5) / 17, abs=5e-4)
    assert tenants.loc["b", "hourly_cfe_score"] == pytest.approx((12 + 4.5) / 17, abs=5e-4)
    (note,) = [w for w in after.warnings if "storage" in w]
    assert "8 MW / 10 MWh" in note and "0.81" in note and "9 MWh discharged" in note
    # the ledger itself is unchanged
    assert ledger.result().indicators["hourly_cfe_score"].value == pytest.approx(
        matched / load, abs=5e-4
    )


def test_storage_for_a_tenant_serves_it_first(write_park):
    ledger = Ledger(write_park(PARK), readings=_readings())
    after = run_what_if(ledger, WhatIf(storage=(BATTERY,), beneficiary="a"))
    tenants = after.by_tenant().set_index("entity")
    # a's 5 unmatched MWh first, the other 4 of the 9 to b
    assert tenants.loc["a", "hourly_cfe_score"] == pytest.approx(17 / 17, abs=5e-4)
    assert tenants.loc["b", "hourly_cfe_score"] == pytest.approx((12 + 4) / 17, abs=5e-4)


def test_storage_adds_up_with_other_changes():
    both = WhatIf(certificates_mwh=5.0).plus(WhatIf(storage=(BATTERY,)))
    assert both.storage == (BATTERY,) and both.certificates_mwh == 5.0
    with pytest.raises(ValueError, match="round-trip"):
        AddedStorage(1.0, 1.0, 0.0)
