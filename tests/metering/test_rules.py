"""The reading rules on hand-made parks: every expected number is worked out here by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from zcp.errors import InputError, ReadingsError
from zcp.metering import load_readings
from zcp.model import load_park

#: One day (24 h, Shanghai time) of a small park: tenant t1 on an interval meter read
#: through a 2:1 transformer, t2 on a cumulative register that rolls over at 1000 kWh,
#: a press on a 15-minute meter, and gas in m3.
PARK = """\
kind: park
schema_version: 1
id: rules
name: 规则测试园区
location: {{province: 上海市, grid_region: east, timezone: {tz}}}
reporting_period: {{start: {day}, end: {day}}}
stage: operation
tenants:
  - {{id: t1, name: 甲, industry: batteries}}
  - {{id: t2, name: 乙, industry: machining}}
assets:
  - {{id: grid, type: grid_connection, carrier: electricity}}
  - {{id: bus, type: bus, carrier: electricity}}
  - {{id: gas, type: fuel_supply, carrier: natural_gas}}
  - {{id: press, type: equipment, carrier: electricity, rated_power: 500 kW, tenant: t2}}
flows:
  - {{id: f-grid, from: grid, to: bus, carrier: electricity}}
  - {{id: f-t1, from: bus, to: t1, carrier: electricity}}
  - {{id: f-t2, from: bus, to: t2, carrier: electricity}}
  - {{id: f-press, from: t2, to: press, carrier: electricity}}
  - {{id: f-gas, from: gas, to: t1, carrier: natural_gas}}
meters:
  - {{id: m-grid, flow: f-grid, carrier: electricity, unit: kWh, level: park_boundary}}
  - {{id: m-t1, flow: f-t1, carrier: electricity, unit: kWh, level: tenant, multiplier: 2}}
  - {{id: m-t2, flow: f-t2, carrier: electricity, unit: kWh, level: tenant,
      register: cumulative, rollover: 1000}}
  - {{id: m-press, flow: f-press, carrier: electricity, unit: kWh, level: equipment,
      interval_minutes: 15}}
  - {{id: m-gas, flow: f-gas, carrier: natural_gas, unit: m3, level: park_boundary,
      calibrated_on: 2022-06-01, calibration_interval_months: 24}}
readings:
  - {{path: readings.csv}}
"""
DAY = dt.date(2025, 1, 1)


def local(hour: int, minute: int = 0) -> str:
    stamp = dt.datetime.combine(DAY, dt.time()) + dt.timedelta(hours=hour, minutes=minute)
    return stamp.isoformat() + "+08:00"


def csv_text(rows: list[tuple]) -> str:
    return "meter_id,timestamp,value\n" + "".join(f"{m},{t},{v}\n" for m, t, v in rows)


def load(write_park, rows: list[tuple], *, tz: str = "Asia/Shanghai", day=DAY, header=None):
    text = (
        csv_text(rows)
        if header is None
        else header + "".join(",".join(str(x) for x in r) + "\n" for r in rows)
    )
    folder = write_park(PARK.format(tz=tz, day=day), **{"readings.csv": text})
    return load_readings(load_park(folder), progress=False)


def hourly(data, meter: str) -> tuple[np.ndarray, np.ndarray]:
    frame = data.hourly_frame([meter])
    return frame["value"].to_numpy(), frame["imputed"].to_numpy()


def test_interval_meter_applies_multiplier_and_converts_to_mwh(write_park):
    rows = [("m-t1", local(h), 10 + h) for h in range(24)]
    data = load(write_park, rows)
    values, imputed = hourly(data, "m-t1")
    # reading x 2 (transformer) / 1000 (kWh → MWh)
    assert values == pytest.approx([(10 + h) * 2 / 1000 for h in range(24)])
    assert not imputed.any()
    frame = data.hourly_frame(["m-t1"])
    assert frame["hour"].iloc[0] == dt.datetime(2024, 12, 31, 16, tzinfo=dt.UTC)
    assert set(frame["flow_id"]) == {"f-t1"} and set(frame["carrier"]) == {"electricity"}
    row = data.quality.per_meter.set_index("meter_id").loc["m-t1"]
    assert (row["readings"], row["accepted"], row["hours_measured"]) == (24, 24, 24)


def test_cumulative_register_rollover_and_reset(write_park):
    # Register readings at each hour start and at the end of the day (25 readings).
    # 5 kWh per hour from 980: at hour 4 it reads 1000 → 0 (rollover). At hour 12 the
    # register is reset: it reads 3 instead of 60 + 5 = 65.
    register, readings = 980.0, []
    for h in range(25):
        if h == 12:
            register = 3.0
        readings.append(("m-t2", local(h), round(register % 1000, 2)))
        register += 5
    data = load(write_park, readings)
    values, imputed = hourly(data, "m-t2")
    assert len(values) == 24
    # hour 11 ([11:00, 12:00)) is the reset interval: dropped, then interpolated between
    # hours 10 and 12 (both 5 kWh) → 5 kWh, imputed.
    assert values == pytest.approx([0.005] * 24)
    assert list(np.flatnonzero(imputed)) == [11]
    row = data.quality.per_meter.set_index("meter_id").loc["m-t2"]
    assert (row["rollovers"], row["resets"], row["hours_imputed"]) == (1, 1, 1)
    reset = data.quality.rejected.iloc[0]
    assert (reset["rule"], reset["value"]) == ("resets", 3.0)
    assert reset["timestamp"] == pd.Timestamp(local(12))


def test_quarter_hours_sum_to_hours_and_partial_hours_scale_up(write_park):
    rows = [("m-press", local(h, q * 15), 1.0 + q) for h in range(24) for q in range(4)]
    rows = [r for r in rows if r[1] != local(5, 30)]  # one quarter missing in hour 5
    data = load(write_park, rows)
    values, imputed = hourly(data, "m-press")
    expected = [(1 + 2 + 3 + 4) / 1000] * 24
    expected[5] = (1 + 2 + 4) * 4 / 3 / 1000  # three quarters, scaled to four
    assert values == pytest.approx(expected)
    assert list(np.flatnonzero(imputed)) == [5]
    row = data.quality.per_meter.set_index("meter_id").loc["m-press"]
    assert row["missing_readings"] == 1


def test_gap_interpolated_inside_edges_left_missing(write_park):
    present = [h for h in range(24) if h not in (0, 1, 9, 10, 11, 23)]
    rows = [("m-grid", local(h), float(h)) for h in present]
    data = load(write_park, rows)
    frame = data.hourly_frame(["m-grid"])
    got = dict(
        zip(frame["hour"].dt.tz_convert("Asia/Shanghai").dt.hour, frame["value"], strict=True)
    )
    # hours 9–11 lie between 8 and 12 → 9, 10, 11 kWh by straight line; 0, 1, 23 missing.
    assert sorted(got) == list(range(2, 23))
    assert [got[h] * 1000 for h in (9, 10, 11)] == pytest.approx([9, 10, 11])
    row = data.quality.per_meter.set_index("meter_id").loc["m-grid"]
    assert (row["hours_imputed"], row["hours_missing"], row["missing_readings"]) == (3, 3, 6)
    assert row["gap_runs"] == 1


def test_duplicates_negatives_spikes_flags_and_outside_period(write_park):
    rows = [("m-grid", local(h), 100.0 + h, "") for h in range(24)] * 1
    rows += [("m-grid", local(3), 999.0, "")]  # duplicate: first (103) kept
    rows[5] = ("m-grid", local(5), -4.0, "")  # negative
    rows[7] = ("m-grid", local(7), 50_000.0, "")  # spike, judged below (too few values)
    rows[8] = ("m-grid", local(8), 108.0, "bad")  # flagged invalid
    rows[9] = ("m-grid", local(9), 109.0, "estimated")  # kept, imputed
    rows += [("m-grid", local(24), 1.0, ""), ("m-grid", local(2, 30), 1.0, "")]
    rows += [("m-ghost", local(1), 1.0, "")] * 3
    data = load(write_park, rows, header="meter_id,timestamp,value,quality\n")
    row = data.quality.per_meter.set_index("meter_id").loc["m-grid"]
    assert row["duplicates"] == 1
    assert row["negatives"] == 1
    assert row["flagged"] == 1
    assert row["estimated"] == 1
    assert row["outside_period"] == 1
    assert row["misaligned"] == 1
    # 24 readings is below the 100 positive values the spike rule needs: kept as is.
    assert row["spikes"] == 0
    values, imputed = hourly(data, "m-grid")
    assert values[3] == pytest.approx(0.103)
    assert values[5] == pytest.approx((104 + 106) / 2 / 1000)  # interpolated
    assert list(np.flatnonzero(imputed)) == [5, 8, 9]
    assert data.quality.unknown_meters == {"m-ghost": 3}
    rejected = data.quality.rejected
    assert sorted(rejected["rule"]) == sorted(
        ["duplicates", "negatives", "flagged", "outside_period", "misaligned"]
    )
    negative = rejected[rejected["rule"] == "negatives"].iloc[0]
    assert negative["value"] == -4.0
    assert negative["timestamp"] == pd.Timestamp(local(5))


def test_spike_rule_on_a_long_series(write_park):
    day = dt.date(2025, 1, 1)
    text = PARK.format(tz="Asia/Shanghai", day=day).replace("end: 2025-01-01", "end: 2025-01-10")
    rows = [
        ("m-grid", (dt.datetime(2025, 1, 1) + dt.timedelta(hours=h)).isoformat() + "+08:00",
         100.0 + h % 7)
        for h in range(240)
    ]  # fmt: skip
    rows[50] = (rows[50][0], rows[50][1], 100.0 * 10 * 1.2)  # > 10 x p99 (~106)
    rows[60] = (rows[60][0], rows[60][1], 100.0 * 9)  # < 10 x p99: plausible
    folder = write_park(text, **{"readings.csv": csv_text(rows)})
    data = load_readings(load_park(folder), progress=False)
    assert data.quality.meters_with("spikes") == {"m-grid": 1}
    spike = data.quality.rejected.iloc[0]
    assert (spike["rule"], spike["value"]) == ("spikes", 1200.0)
    assert spike["timestamp"] == pd.Timestamp(rows[50][1])
    values, _ = hourly(data, "m-grid")
    assert values[60] == pytest.approx(0.9)
    assert values[50] == pytest.approx((rows[49][2] + rows[51][2]) / 2 / 1000)


def test_dst_nonexistent_rejected_and_ambiguous_resolved(write_park):
    # Berlin, 2025-03-30: 02:00 local does not exist. 2025-10-26: 02:00 occurs twice.
    spring = [("m-grid", f"2025-03-30T{h:02d}:00:00", 1.0) for h in range(24)]
    data = load(write_park, spring, tz="Europe/Berlin", day=dt.date(2025, 3, 30))
    row = data.quality.per_meter.set_index("meter_id").loc["m-grid"]
    assert data.bounds.hours == 23
    assert row["dst_nonexistent"] == 1
    assert row["hours_measured"] == 23 and row["hours_missing"] == 0

    autumn = [("m-grid", f"2025-10-26T{h:02d}:00:00", float(h)) for h in range(24)]
    autumn.insert(3, ("m-grid", "2025-10-26T02:00:00", 2.5))  # the second 02:00
    data = load(write_park, autumn, tz="Europe/Berlin", day=dt.date(2025, 10, 26))
    row = data.quality.per_meter.set_index("meter_id").loc["m-grid"]
    assert data.bounds.hours == 25
    assert row["dst_ambiguous"] == 2 and row["duplicates"] == 0
    frame = data.hourly_frame(["m-grid"])
    by_utc = dict(zip(frame["hour"].dt.hour, frame["value"] * 1000, strict=True))
    assert by_utc[0] == pytest.approx(2.0)  # 02:00 CEST = 00:00 UTC, first occurrence
    assert by_utc[1] == pytest.approx(2.5)  # 02:00 CET = 01:00 UTC, second occurrence


def test_silent_meters_and_calibration(write_park):
    data = load(write_park, [("m-t1", local(h), 1.0) for h in range(24)])
    assert data.quality.silent_meters == ["m-gas", "m-grid", "m-press", "m-t2"]
    assert data.quality.past_calibration == [("m-gas", dt.date(2024, 6, 1))]


def test_period_totals_by_local_month(write_park):
    text = PARK.format(tz="Asia/Shanghai", day=DAY).replace(
        "start: 2025-01-01, end: 2025-01-01", "start: 2025-01-31, end: 2025-02-01"
    )
    rows = [
        ("m-t1", (dt.datetime(2025, 1, 31) + dt.timedelta(hours=h)).isoformat() + "+08:00", h)
        for h in range(48)
    ]
    folder = write_park(text, **{"readings.csv": csv_text(rows)})
    data = load_readings(load_park(folder), progress=False)
    totals = data.period_totals("month").set_index("period")
    # January: local hours 0..23 on the 31st; February: 24..47. Values x 2 / 1000.
    assert totals.loc["2025-01", "value"] == pytest.approx(sum(range(24)) * 2 / 1000)
    assert totals.loc["2025-02", "value"] == pytest.approx(sum(range(24, 48)) * 2 / 1000)
    assert list(totals["hours"]) == [24, 24]
    total = data.period_totals("total")
    assert total["value"].iloc[0] == pytest.approx(sum(range(48)) * 2 / 1000)
    with pytest.raises(ValueError):
        data.period_totals("fortnight")


def test_bad_rows_are_named_with_their_line(write_park):
    rows = [("m-t1", local(0), 1.0), ("m-t1", "yesterday", 2.0), ("", local(2), 3.0),
            ("m-t1", local(3), "lots")]  # fmt: skip
    with pytest.raises(ReadingsError) as err:
        load(write_park, rows)
    text = str(err.value)
    assert "readings.csv:3: cannot read timestamp 'yesterday'" in text
    assert "readings.csv:4: meter_id is empty" in text
    assert "readings.csv:5: value 'lots' is not a number" in text


def test_missing_column_and_missing_file(write_park):
    with pytest.raises(ReadingsError, match="missing column.*value"):
        load(write_park, [("m-t1", local(0))], header="meter_id,timestamp\n")
    folder = write_park(PARK.format(tz="Asia/Shanghai", day=DAY), name="no-readings")
    with pytest.raises(InputError, match="not found"):  # the park loader sees it first
        load_readings(load_park(folder), progress=False)


def test_design_park_without_readings_gives_none(write_park):
    text = PARK.format(tz="Asia/Shanghai", day=DAY).split("readings:")[0]
    assert load_readings(load_park(write_park(text)), progress=False) is None


def test_duplicate_across_files_keeps_the_first_file(write_park):
    text = PARK.format(tz="Asia/Shanghai", day=DAY).replace(
        "  - {path: readings.csv}", "  - {path: readings.csv}\n  - {path: late.csv}"
    )
    first = csv_text([("m-t1", local(h), 1.0) for h in range(24)])
    later = csv_text([("m-t1", local(5), 7.0)])
    folder = write_park(text, **{"readings.csv": first, "late.csv": later})
    data = load_readings(load_park(folder), progress=False)
    values, _ = hourly(data, "m-t1")
    assert values[5] == pytest.approx(2 / 1000)  # 1 kWh x 2, not the later file's 7
    assert data.quality.meters_with("duplicates") == {"m-t1": 1}


def test_daily_meter_is_spread_over_its_hours(write_park):
    text = PARK.format(tz="Asia/Shanghai", day=DAY).replace(
        "  - {id: m-gas, flow: f-gas, carrier: natural_gas, unit: m3, level: park_boundary,",
        "  - {id: m-gas, flow: f-gas, carrier: natural_gas, unit: m3, level: park_boundary,\n"
        "      interval_minutes: 1440,",
    )
    folder = write_park(text, **{"readings.csv": csv_text([("m-gas", local(0), 240.0)])})
    data = load_readings(load_park(folder), progress=False)
    values, imputed = hourly(data, "m-gas")
    assert values == pytest.approx([10.0] * 24)  # m3 is the carrier's unit: no conversion
    assert imputed.all()  # the hourly shape is assumed, not measured


def test_complete_quarter_hours_take_the_clean_path(write_park):
    rows = [("m-press", local(h, q * 15), float(h + q)) for h in range(24) for q in range(4)]
    data = load(write_park, rows)
    values, imputed = hourly(data, "m-press")
    assert values == pytest.approx([(4 * h + 6) / 1000 for h in range(24)])
    assert not imputed.any()
    row = data.quality.per_meter.set_index("meter_id").loc["m-press"]
    assert (row["readings"], row["accepted"], row["hours_measured"]) == (96, 96, 24)
    assert row["missing_readings"] == 0
