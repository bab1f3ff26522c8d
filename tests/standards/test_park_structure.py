"""Park-structure metrics on small parks: expected values counted by hand from the park text."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import MINIMAL_PARK
from zcp.metrics import GivenValuesContext
from zcp.metrics.park_structure import accuracy_percent
from zcp.model import load_park
from zcp.rules.run import evaluate_park, park_context

#: A park with every electricity flow at the bus metered, a day of hourly readings, two
#: tenants (one unmetered), main equipment, storage, an electrolyser and off-site wind.
PARK = """\
kind: park
schema_version: 1
id: structure
name: 结构测试园区
location: {province: 内蒙古自治区, grid_region: north}
reporting_period: {start: 2025-01-01, end: 2025-01-01}
stage: operation
tenants:
  - id: t1
    name: 电池厂
    industry: batteries
    products:
      - {name: cell, output: 10, unit: GWh, energy_per_unit: 90, quota_grade1: 80, quota_grade2: 100}
      - {name: pack, output: 5, unit: GWh, energy_per_unit: 40, quota_grade1: 30, quota_grade2: 60}
  - {id: t2, name: 机加工, industry: machining}
assets:
  - {id: grid, type: grid_connection, carrier: electricity}
  - {id: wind, type: generator, technology: wind, capacity: 50, site: off_site}
  - {id: pv, type: generator, technology: pv, capacity: 10}
  - {id: genset, type: generator, technology: diesel_genset, capacity: 2}
  - {id: bess, type: storage, technology: battery, carrier: electricity, energy_capacity: 20, power: 5}
  - {id: h2tank, type: storage, technology: hydrogen, carrier: hydrogen, energy_capacity: 3, power: 1}
  - {id: ely, type: converter, technology: electrolyser, inputs: [electricity], outputs: [hydrogen],
     rated_power: 4, tenant: t1}
  - {id: bus, type: bus, carrier: electricity}
  - {id: press, type: equipment, carrier: electricity, rated_power: 500 kW, tenant: t2}
flows:
  - {id: f-grid, from: grid, to: bus, carrier: electricity}
  - {id: f-wind, from: wind, to: bus, carrier: electricity, dedicated_line: true}
  - {id: f-t1, from: bus, to: t1, carrier: electricity}
  - {id: f-t2, from: bus, to: t2, carrier: electricity}
  - {id: f-press, from: t2, to: press, carrier: electricity}
meters:
  - {id: m-grid, flow: f-grid, carrier: electricity, unit: kWh, level: park_boundary,
     accuracy_class: 0.2S, upload_interval_minutes: 15, calibrated_on: 2024-03-01,
     calibration_interval_months: 12}
  - {id: m-wind, flow: f-wind, carrier: electricity, unit: kWh, level: park_boundary,
     accuracy_class: "0.5", interval_minutes: 15, upload_interval_minutes: 30,
     calibrated_on: 2024-06-01, calibration_interval_months: 24}
  - {id: m-t1, flow: f-t1, carrier: electricity, unit: kWh, level: tenant, accuracy_class: "1.0"}
  - {id: m-t2, flow: f-t2, carrier: electricity, unit: kWh, level: tenant}
readings:
  - {path: readings.csv}
"""


def _readings(hours: int = 24, drop: tuple[str, int] | None = None) -> str:
    """grid 30 + wind 70 = t1 60 + t2 40 every hour; wind read every 15 min."""
    rows = []
    for h in range(hours):
        stamp = dt.datetime(2025, 1, 1, h)
        for meter, value in (("m-grid", 30), ("m-t1", 60), ("m-t2", 40)):
            if drop != (meter, h):
                rows.append(f"{meter},{stamp.isoformat()}+08:00,{value}")
        for quarter in range(4):
            t = stamp + dt.timedelta(minutes=15 * quarter)
            rows.append(f"m-wind,{t.isoformat()}+08:00,17.5")
    return "meter_id,timestamp,value\n" + "\n".join(rows) + "\n"


@pytest.fixture
def ctx(write_park):
    folder = load_park(write_park(PARK, **{"readings.csv": _readings()}))
    return park_context(folder)


def value(ctx, name: str, subject: str | None = None) -> float | None:
    return ctx.value(name, subject).value


def test_equipping_rates_count_flows_per_level_and_carrier(ctx):
    # boundary: f-grid, f-wind (off-site) — both metered; tenant: f-t1, f-t2 — both metered;
    # equipment: f-press (500 kW ≥ 100 kW) — unmetered.
    assert value(ctx, "meters_needed_park_boundary_electricity") == 2
    assert value(ctx, "meter_rate_park_boundary_electricity") == 1.0
    assert value(ctx, "meter_rate_tenant_electricity") == 1.0
    assert value(ctx, "meter_rate_equipment_electricity") == 0.0
    assert ctx.value("meter_rate_equipment_electricity").trace["unmetered_flows"] == ["f-press"]
    no_gas = ctx.value("meter_rate_park_boundary_gas")
    assert no_gas.value is None and "no gas flow" in no_gas.reason
    assert value(ctx, "meters_needed_park_boundary_gas") == 0


def test_minimal_park_rates(write_park):
    ctx = park_context(load_park(write_park(MINIMAL_PARK)))
    # MINIMAL_PARK: tenants t1 metered, t2 not → 1 of 2; gas at the boundary metered.
    assert value(ctx, "meter_rate_tenant_electricity") == pytest.approx(1 / 2)
    assert value(ctx, "meter_rate_park_boundary_gas") == 1.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0.2S", 0.2), ("0.5s", 0.5), ("1.0", 1.0), ("2", 2.0), ("±2.5%", 2.5), ("A", None),
     (None, None)],
)  # fmt: skip
def test_accuracy_class_reading(text, expected):
    assert accuracy_percent(text) == expected


def test_accuracy_worst_and_declared_share(ctx):
    assert value(ctx, "meter_accuracy_worst_electricity_park_boundary") == 0.5
    assert ctx.value("meter_accuracy_worst_electricity_park_boundary").trace["worst_meter"] == (
        "m-wind"
    )
    # m-t1 states 1.0, m-t2 nothing: the worst stated is 1.0; 3 of 4 meters state a class.
    assert value(ctx, "meter_accuracy_worst_electricity_tenant") == 1.0
    assert value(ctx, "meter_accuracy_declared_share") == pytest.approx(3 / 4)
    assert value(ctx, "meter_count_electricity_equipment") == 0
    assert value(ctx, "meter_accuracy_worst_electricity_equipment") is None


def test_calibration_current_on_the_assessment_date(ctx):
    # m-grid due 2025-03-01, m-wind due 2026-06-01, m-t1/m-t2 state nothing.
    assert value(ctx, "meter_calibration_current_share") == pytest.approx(2 / 4)
    later = ctx.with_values({})
    later.as_of = dt.date(2025, 6, 1)
    assert value(later, "meter_calibration_current_share") == pytest.approx(1 / 4)


def test_intervals(ctx):
    assert value(ctx, "meter_interval_max_boundary_tenant") == 60
    assert value(ctx, "meter_upload_interval_max_boundary") == 30


def test_capacities(ctx):
    assert value(ctx, "renewable_capacity") == 60  # wind 50 + pv 10; the genset is not renewable
    assert value(ctx, "renewable_capacity_on_site") == 10
    assert value(ctx, "storage_power") == 5
    assert value(ctx, "storage_energy") == 20
    assert value(ctx, "storage_to_renewable_power_ratio") == pytest.approx(5 / 60)
    assert value(ctx, "electrolyser_capacity") == 4
    assert value(ctx, "hydrogen_storage_energy") == 3


def test_quota_position_takes_the_worst_product(ctx):
    # cell: (100 − 90) / (100 − 80) = 0.5; pack: (60 − 40) / (60 − 30) = 2/3 → worst 0.5
    assert value(ctx, "tenant_energy_quota_position", "t1") == pytest.approx(0.5)
    assert value(ctx, "tenant_energy_quota_position", "t2") is None
    assert value(ctx, "tenant_energy_quota_position", "nobody") is None


def test_readings_quality(ctx):
    assert value(ctx, "readings_completeness") == pytest.approx(1.0)
    assert value(ctx, "bus_balance_error_max") == pytest.approx(0.0, abs=1e-9)


def test_readings_gap_lowers_completeness(write_park):
    folder = load_park(write_park(PARK, **{"readings.csv": _readings(drop=("m-t2", 5))}))
    ctx = park_context(folder)
    # one of 4 × 24 meter-hours is interpolated, not measured
    assert value(ctx, "readings_completeness") == pytest.approx(95 / 96)


def test_design_park_has_no_readings(write_park):
    design = PARK.replace("stage: operation", "stage: design").split("readings:")[0]
    ctx = park_context(load_park(write_park(design)))
    missing = ctx.value("readings_completeness")
    assert missing.value is None and "no readings" in missing.reason


def test_without_a_park_every_structure_metric_is_missing():
    ctx = GivenValuesContext({})
    ctx.compute = True
    for name in ("meter_rate_tenant_electricity", "renewable_capacity", "readings_completeness",
                 "meter_calibration_current_share", "meter_interval_max_boundary_tenant"):  # fmt: skip
        got = ctx.value(name)
        assert got.value is None and got.reason


def test_meters_added_lever_finds_the_missing_meters(write_park):
    from zcp.metrics import registered_levers

    (lever,) = [lv for lv in registered_levers() if lv.name == "meters_added"]
    # the structure park: main equipment 0 of 1 metered; tenants 2 of 2
    folder = write_park(PARK.split("readings:")[0])
    result = evaluate_park(folder, rule_refs=["park_energy_metering@2026-provisional"],
                           gaps=True, levers=[lever]).result.rule_sets[0]  # fmt: skip
    (gap,) = [g for g in result.gaps if g.rule_id == "equipping_equipment_electricity"]
    assert 1 <= gap.levers[0].amount < 1.5  # one meter, found by bisection on whole meters
    after = lever.apply(park_context(load_park(folder)), 1)
    assert after.value("meter_rate_equipment_electricity").value == 1.0
    assert after.value("meter_rate_tenant_electricity").value == 1.0  # already complete
