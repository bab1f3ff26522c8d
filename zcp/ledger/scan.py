"""The two DuckDB queries the ledger runs over loaded readings.

The ``hourly`` table (from :mod:`zcp.metering`) has ``meter_id, flow_id, carrier, hour
(UTC TIMESTAMPTZ), value (carrier's unit), imputed``. The boundary query touches only the
few meters at the park boundary; the bucket query is the one full scan, joined to a small
hour table (bucket, r_h) so that both the meter's sum and its r-weighted sum come out of
one pass, and reads only the meters whose flows enter the accounts. Both run on one
DuckDB thread and sort their rows, so the figures built from them are the same to the last
bit on every run (:func:`zcp.metering.data.one_thread`).
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from zcp.ledger.windows import Windows
from zcp.metering.data import one_thread

_EPOCH = pd.Timestamp(0, tz="UTC")


def hourly_by_meter(
    con: duckdb.DuckDBPyConnection, meter_ids: list[str], windows: Windows
) -> dict[str, np.ndarray]:
    """Meter id → hourly values aligned to ``windows.hours`` (missing hours are 0), in the
    carrier's canonical unit [MWh for electricity]."""
    if not meter_ids:
        return {}
    first = int((windows.hours[0] - _EPOCH) // pd.Timedelta(seconds=1))
    n = len(windows.hours)
    con.register("_zcp_boundary", pd.DataFrame({"meter_id": pd.Series(meter_ids, dtype=object)}))
    try:
        with one_thread(con):
            rows = con.execute(
                f"""
                SELECT meter_id, CAST((epoch(hour) - {first}) // 3600 AS BIGINT) AS h,
                       sum(value) AS v
                FROM hourly WHERE meter_id IN (SELECT meter_id FROM _zcp_boundary)
                GROUP BY ALL ORDER BY ALL
                """
            ).fetchnumpy()
    finally:
        con.unregister("_zcp_boundary")
    out = {m: np.zeros(n) for m in meter_ids}
    ok = (rows["h"] >= 0) & (rows["h"] < n)
    for meter_id, h, v in zip(rows["meter_id"][ok], rows["h"][ok], rows["v"][ok], strict=True):
        out[str(meter_id)][h] += v
    return out


def meter_bucket_sums(
    con: duckdb.DuckDBPyConnection, windows: Windows, r: np.ndarray, meter_ids: list[str]
) -> pd.DataFrame:
    """Per meter × bucket: quantity and r-weighted quantity [the carrier's unit], hours
    present and imputed hours [h]; ``r``: each hour's matched share [fraction].

    Only ``meter_ids`` are read — the meters whose flows enter the accounts. Sub-meters
    behind a tenant's meter feed no figure, and in a large park they are most of the data.
    """
    hours = pd.DataFrame(
        {
            "hour": windows.hours,
            "bucket": windows.bucket_of_hour.astype("int32"),
            "r": np.asarray(r, dtype=float),
        }
    )
    con.register("_zcp_hours", hours)
    con.register("_zcp_meters", pd.DataFrame({"meter_id": pd.Series(meter_ids, dtype=object)}))
    try:
        with one_thread(con):
            out = con.execute(
                """
                SELECT meter_id, bucket, sum(value) AS quantity, sum(value * r) AS r_sum,
                       count(*) AS hours, sum(CAST(imputed AS INTEGER)) AS imputed_hours
                FROM hourly JOIN _zcp_hours USING (hour)
                WHERE meter_id IN (SELECT meter_id FROM _zcp_meters)
                GROUP BY meter_id, bucket ORDER BY meter_id, bucket
                """
            ).df()
    finally:
        con.unregister("_zcp_hours")
        con.unregister("_zcp_meters")
    out["meter_id"] = out["meter_id"].astype(str)
    out["imputed_hours"] = out["imputed_hours"].fillna(0).astype("int64")
    return out
