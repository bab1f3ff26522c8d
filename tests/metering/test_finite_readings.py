"""Non-finite and physically impossible readings are rejected, counted and listed — never
summed into a total (#12: ``inf`` in a reading once dropped scope 2 to zero)."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.ledger.test_number_fuzz import NUMBERS
from tests.metering.test_rules import DAY, PARK, hourly, load, local
from zcp.errors import ReadingsError
from zcp.metering import load_readings
from zcp.model import load_park
from zcp.report.provenance import canonical_json


def _one_day(meter: str, bad_hour: int, bad_value: str) -> list[tuple]:
    rows = [(meter, local(h), 10.0 + h) for h in range(24)]
    rows[bad_hour] = (meter, local(bad_hour), bad_value)
    return rows


@pytest.mark.parametrize("written", ["inf", "Infinity", "-inf", "1e400", "-1e400"])
def test_an_infinite_csv_value_is_rejected_and_listed(write_park, written):
    data = load(write_park, _one_day("m-grid", 6, written))
    row = data.quality.per_meter.set_index("meter_id").loc["m-grid"]
    assert row["non_finite"] == 1
    assert row["accepted"] == 23
    rejected = data.quality.rejected
    listed = rejected[rejected["rule"] == "non_finite"]
    assert len(listed) == 1 and math.isinf(listed.iloc[0]["value"])
    values, imputed = hourly(data, "m-grid")
    # hour 6 is interpolated from its neighbours (15 and 17 kWh) → 16 kWh = 0.016 MWh
    assert values[6] == pytest.approx((15.0 + 17.0) / 2 / 1000)
    assert imputed[6]
    assert math.isfinite(values.sum())


@pytest.mark.parametrize("written", ["1.7e308", "1e30"])
def test_a_huge_finite_value_is_implausible_even_with_few_readings(write_park, written):
    """24 readings are far below the 100 the spike rule needs; the physical ceiling
    (100 GW x 1 h = 1e8 kWh per hourly reading) applies anyway."""
    data = load(write_park, _one_day("m-grid", 3, written))
    row = data.quality.per_meter.set_index("meter_id").loc["m-grid"]
    assert row["implausible"] == 1
    assert row["spikes"] == 0
    listed = data.quality.rejected
    assert list(listed["rule"]) == ["implausible"]
    assert listed.iloc[0]["value"] == float(written)
    values, _ = hourly(data, "m-grid")
    assert values.sum() == pytest.approx(sum(10.0 + h for h in range(24) if h != 3) / 1000 + 0.013)


def test_rated_power_bounds_an_equipment_meter(write_park):
    """The press is rated 500 kW: a 15-minute reading above 3 x 500 kW x 0.25 h = 375 kWh
    is impossible; 300 kWh (2.4 x rated) is kept."""
    rows = [("m-press", local(0, 15 * q), 50.0) for q in range(96)]
    rows[10] = ("m-press", local(2, 30), 376.0)
    rows[20] = ("m-press", local(5), 300.0)
    data = load(write_park, rows)
    row = data.quality.per_meter.set_index("meter_id").loc["m-press"]
    assert row["implausible"] == 1
    assert list(data.quality.rejected["rule"]) == ["implausible"]
    values, imputed = hourly(data, "m-press")
    # hour 2 keeps 3 of its 4 quarters (50 kWh each), scaled up to the hour: 200 kWh
    assert values[2] == pytest.approx(4 * 50.0 / 1000) and imputed[2]
    assert values[5] == pytest.approx((300.0 + 3 * 50.0) / 1000) and not imputed[5]


def test_infinite_value_in_parquet_is_rejected(write_park):
    text = PARK.format(tz="Asia/Shanghai", day=DAY).replace("readings.csv", "r.parquet")
    folder = write_park(text)
    stamps = [local(h) for h in range(24)]
    values = [float(h) for h in range(24)]
    values[4] = math.inf
    table = pa.table(
        {
            "meter_id": ["m-grid"] * 24,
            "timestamp": pa.array([pd.Timestamp(s) for s in stamps], pa.timestamp("us", "UTC")),
            "value": values,
        }
    )
    pq.write_table(table, folder / "r.parquet")
    data = load_readings(load_park(folder), progress=False)
    assert data.quality.meters_with("non_finite") == {"m-grid": 1}
    values_out, _ = hourly(data, "m-grid")
    assert values_out[4] == pytest.approx((3.0 + 5.0) / 2 / 1000)


def test_quality_json_is_strict_json(write_park):
    data = load(write_park, _one_day("m-grid", 6, "inf"))
    text = canonical_json(data.quality.to_dict()).decode()
    json.loads(text, parse_constant=lambda token: pytest.fail(f"bare {token} in JSON"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])  # fmt: skip
@given(written=NUMBERS, hour=st.integers(0, 23))
def test_fuzz_any_reading_value_loads_finite_or_is_a_located_error(write_park, written, hour):
    try:
        data = load(write_park, _one_day("m-grid", hour, written))
    except ReadingsError as exc:
        assert all(p.path == "readings.csv" and p.line == hour + 2 for p in exc.problems)
        return
    values, _ = hourly(data, "m-grid")
    assert np.isfinite(values).all()
    assert values.max() <= 1e8 / 1000  # the ceiling: 100 GW for one hour [MWh]
    json.loads(canonical_json(data.quality.to_dict()))
