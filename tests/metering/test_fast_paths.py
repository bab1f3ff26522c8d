"""The loading shortcuts against plain reference computations: clean sub-hourly meters
summed in numpy from the repair extract, and the extract's sort with its tail meters."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from zcp.metering.extract import Extract, extract
from zcp.metering.subhourly import HOUR_MS, subhourly_sums

START_MS = 1_735_660_800_000  # 2024-12-31 16:00 UTC


def _extract(code, ts_ms, value) -> Extract:
    n = len(code)
    return Extract(
        np.asarray(code, np.int32),
        np.asarray(ts_ms, np.int64),
        np.asarray(value, np.float64),
        np.zeros(n, np.int8),
        np.zeros(n, np.int8),
        np.arange(n, dtype=np.int64),
    )


def test_subhourly_sums_group_by_meter_and_utc_hour():
    # Meter 0: 15-min readings starting on a half hour (a +05:30 zone); meter 2: 30-min.
    ts0 = START_MS - HOUR_MS // 2 + np.arange(8) * 900_000
    ts2 = START_MS + np.arange(4) * 1_800_000
    data = _extract([0] * 8 + [2] * 4, np.r_[ts0, ts2], np.r_[np.arange(8.0), [1.0, 2.0, 3.0, 4.0]])
    out = subhourly_sums(data, np.array([2.0, 1.0, 0.5]))
    reference = (
        pd.DataFrame({"code": data.code, "hour": data.ts_ms // HOUR_MS * HOUR_MS, "v": data.value})
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


def test_subhourly_sums_of_nothing():
    out = subhourly_sums(_extract([], [], []), np.ones(1))
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
    tail = np.array([False, True, False, True])
    head, last = extract(
        con, np.arange(4), ids, START_MS, len(frame), flags=False, dst=False, tail=tail
    )
    assert head.code.tolist() == [0] * 5 + [2] * 5
    assert last.code.tolist() == [1] * 6 + [3] * 5
    assert np.all(np.diff(head.ts_ms[:5]) > 0)
    # the duplicate pair stays in file order: the first reading first
    dup = np.flatnonzero(last.ts_ms[:6] == START_MS + 2 * HOUR_MS)
    assert last.value[dup].tolist() == [12.0, 99.0]
    plain, none = extract(con, np.arange(4), ids, START_MS, len(frame), flags=False, dst=False)
    assert plain.code.tolist() == sorted(plain.code.tolist()) and len(none) == 0
