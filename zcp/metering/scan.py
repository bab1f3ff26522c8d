"""One pass over every reading: per-meter statistics that split clean meters from the rest.

A meter is *clean* when it is an interval meter (hourly, or an interval that divides the
hour) whose readings are exactly its intervals of the reporting period, once each, with
values present, non-negative, unflagged and without anything the spike rule could reject.
Clean hourly meters (nearly all of a healthy park) go to the ``hourly`` view straight
from the files, clean sub-hourly ones through one GROUP BY; every other meter is repaired
reading by reading (:mod:`zcp.metering.repair`). The pass costs about what a plain per-meter
aggregate costs, which is what keeps loading near the scan floor.

"Exactly its intervals, once each" is checked without sorting: the count must equal the
number of intervals, and the sum of a 64-bit hash of each timestamp must equal the same
sum over the meter's grid — a multiset checksum, so a gap hidden by a duplicate elsewhere still
makes the sums differ (a false match has a chance of about 2^-64).
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from zcp.metering.catalog import PeriodBounds
from zcp.metering.rules import OK_FLAGS, SPIKE_FACTOR, SPIKE_MIN_POSITIVE, SPIKE_QUANTILE


def scan(con: duckdb.DuckDBPyConnection, *, flags: bool = True, dst: bool = True) -> pd.DataFrame:
    """Per meter id found in the files: counts, value range and the timestamp checksum.

    Only what deciding cleanliness needs is computed (every aggregate costs a little on
    every reading); ``flags``/``dst`` say whether any source can carry them at all.
    """
    ok_flags = ", ".join(f"'{f}'" for f in OK_FLAGS)
    flagged = f"count(flag) FILTER (WHERE lower(flag) NOT IN ({ok_flags}))" if flags else "0"
    no_time = (
        "count(*) FILTER (WHERE ts IS NULL AND dst IS NULL)" if dst else "count(*) - count(ts)"
    )
    return con.execute(
        f"""
        SELECT meter_id,
               count(*) AS n,
               count(*) - count(value) AS n_empty,
               {flagged} AS n_flagged,
               {"count(dst)" if dst else "0"} AS n_dst,
               {no_time} AS n_no_time,
               sum(hash(ts))::VARCHAR AS ts_checksum,
               sum(value) AS value_sum,
               count(*) FILTER (WHERE value > 0) AS n_positive,
               min(value) AS value_min,
               max(value) AS value_max
        FROM raw GROUP BY meter_id
        """
    ).df()


def grid_checksums(
    con: duckdb.DuckDBPyConnection, bounds: PeriodBounds, intervals_s: list[int]
) -> dict[int, str]:
    """Checksum of the full reading grid over the period, per reading interval [s]."""
    out = {}
    for interval in intervals_s:
        rows = con.execute(
            f"""
            SELECT sum(hash(ts))::VARCHAR FROM (
                SELECT unnest(generate_series(?::TIMESTAMPTZ, ?::TIMESTAMPTZ,
                                              INTERVAL {int(interval)} SECOND)) AS ts
            )
            """,
            [bounds.start, bounds.end - pd.Timedelta(seconds=interval)],
        ).fetchall()
        out[interval] = str(rows[0][0])
    return out


def clean_meters(stats: pd.DataFrame, meters: pd.DataFrame, bounds: PeriodBounds, con) -> set:
    """Meter ids whose readings need no repair (see the module docstring): interval
    meters whose interval divides the hour."""
    joined = stats.merge(meters[["meter_id", "register", "interval_s"]], on="meter_id")
    eligible = (joined["register"] == "interval") & (3600 % joined["interval_s"] == 0)
    checksums = grid_checksums(con, bounds, sorted(set(joined.loc[eligible, "interval_s"])))
    expected_n = bounds.hours * 3600 // joined["interval_s"]
    expected_sum = joined["interval_s"].map(checksums)
    positive = joined["n_positive"].to_numpy(dtype=float)
    # At most ceil(1 % of them) + 1 positive values lie above their 99th percentile, so
    # (sum - that many x max) / (the others) bounds it from below (values are >= 0 here);
    # a meter whose maximum stays under SPIKE_FACTOR x the bound cannot have a spike.
    above = np.ceil((1 - SPIKE_QUANTILE) * positive) + 1
    bound = (joined["value_sum"] - above * joined["value_max"]) / np.maximum(positive - above, 1)
    no_spike = (
        (joined["value_max"] <= 0)
        | (positive < SPIKE_MIN_POSITIVE)
        | (joined["value_max"] <= SPIKE_FACTOR * bound.clip(lower=0))
    )
    ok = (
        eligible
        & (joined["n"] == expected_n)
        & (joined["ts_checksum"] == expected_sum)
        & (joined["n_empty"] == 0)
        & joined["value_sum"].notna()  # NaN readings make the sum NaN
        & (joined["n_flagged"] == 0)
        & (joined["n_dst"] == 0)
        & (joined["value_min"] >= 0)
        & no_spike
    )
    return set(joined.loc[ok, "meter_id"])
