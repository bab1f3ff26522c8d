"""The loading shortcuts against plain reference computations: clean sub-hourly meters
summed in numpy from the repair extract, and the extract's sort and its sink."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from zcp.metering.extract import extract
from zcp.metering.subhourly import HOUR_MS, HourSums

START_MS = 1_735_660_800_000  # 2024-12-31 16:00 UTC


def test_hour_sums_group_by_meter_and_utc_hour_in_any_order():
    # Meter 0: 15-min readings from a half hour (a +05:30 zone); meter 2: 30-min readings.
    code = np.r_[[0] * 8, [2] * 4]
    ts = np.r_[
        START_MS - HOUR_MS // 2 + np.arange(8) * 900_000, START_MS + np.arange(4) * 1_800_000
    ]
    value = np.r_[np.arange(8.0), [1.0, 2.0, 3.0, 4.0]]
    sums = HourSums(
        np.array([True, False, True]), np.array([2.0, 1.0, 0.5]), START_MS - HOUR_MS // 2, 3
    )
    order = np.random.default_rng(1).permutation(len(code))
    for part in np.array_split(order, 3):  # batches, out of order
        sums.add(code[part], ts[part], value[part])
    out = sums.result()
    reference = (
        pd.DataFrame({"code": code, "hour": ts // HOUR_MS * HOUR_MS, "v": value})
        .groupby(["code", "hour"], as_index=False)["v"]
        .sum()
    )
    assert out.code.tolist() == reference["code"].tolist()
    assert out.hour_ms.tolist() == reference["hour"].tolist()
    factor = np.where(reference["code"] == 0, 2.0, 0.5)
    assert out.value == pytest.approx(reference["v"].to_numpy() * factor)
    assert out.hour_ms[0] == START_MS - HOUR_MS  # a partial first hour keeps its UTC hour
    table = out.table(
        pd.DataFrame({n: ["a", "b", "c"] for n in ("meter_id", "flow_id", "carrier")})
    )
    assert table.column("meter_id").to_pylist()[-1] == "c"
    assert not any(table.column("imputed").to_pylist())
    with pytest.raises(RuntimeError):
        sums.add(np.array([0]), np.array([START_MS + 10 * HOUR_MS]), np.array([1.0]))


def test_hour_sums_of_nothing():
    out = HourSums(np.zeros(2, dtype=bool), np.ones(2), START_MS, 24).result()
    assert len(out.code) == len(out.hour_ms) == len(out.value) == 0


def test_extract_sorts_and_puts_tail_meters_last():
    rng = np.random.default_rng(3)
    ids = pd.Series(["m0", "m1", "m2", "m3"])
    rows = [
        (m, START_MS + h * HOUR_MS, float(10 * i + h)) for i, m in enumerate(ids) for h in range(5)
    ]
    rows.append(("m1", START_MS + 2 * HOUR_MS, 99.0))  # a duplicate, later in the file
    frame = pd.DataFrame(rows, columns=["meter_id", "ms", "value"])
    frame["row"] = np.arange(len(frame))
    shuffled = frame.iloc[rng.permutation(len(frame))]
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.register("rows_frame", shuffled)
    con.execute(
        "CREATE TEMP VIEW raw AS SELECT meter_id::VARCHAR AS meter_id, "
        "make_timestamptz(ms * 1000) AS ts, value, NULL::VARCHAR AS flag, "
        "NULL::VARCHAR AS dst, 0 AS source, row FROM rows_frame"
    )
    sink = HourSums(np.array([False, False, True, True]), np.ones(4), START_MS, 24)
    data = extract(con, np.arange(4), ids, START_MS, 11, flags=False, dst=False, sink=sink)
    assert data.code.tolist() == [0] * 5 + [1] * 6
    assert np.all(np.diff(data.ts_ms[:5]) > 0)
    # the duplicate pair stays in file order: the first reading first
    dup = np.flatnonzero(data.ts_ms[5:] == START_MS + 2 * HOUR_MS) + 5
    assert data.value[dup].tolist() == [12.0, 99.0]
    out = sink.result()  # meters 2 and 3 went to the sums, never stored
    assert out.code.tolist() == [2] * 5 + [3] * 5
    assert out.value.tolist() == [20.0, 21.0, 22.0, 23.0, 24.0, 30.0, 31.0, 32.0, 33.0, 34.0]
    plain = extract(con, np.arange(4), ids, START_MS, len(frame), flags=False, dst=False)
    assert plain.code.tolist() == [0] * 5 + [1] * 6 + [2] * 5 + [3] * 5
