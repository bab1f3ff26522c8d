"""``load_readings``: a park's readings as an hourly DuckDB view, with quality and balance.

The ``hourly`` view is what accounting aggregates with SQL. Clean meters are read from
the files on every query (Parquet stays on disk: memory stays bounded whatever the park
size); repaired meters come from an Arrow table in memory (one row per repaired
meter-hour).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from zcp.errors import Problem, ReadingsError
from zcp.metering.balance import BalanceReport, bus_flows, clean_bus_sums, compute_balance
from zcp.metering.catalog import PeriodBounds, register_meters
from zcp.metering.extract import NO_TIME, extract
from zcp.metering.progress import steps
from zcp.metering.quality import QualityReport, build_per_meter, metered_share
from zcp.metering.repair import (
    Intervals,
    MeterRules,
    classify,
    count_reasons,
    gap_runs,
    intervals,
    rejected_rows,
    spikes,
)
from zcp.metering.resample import Hours, to_hours
from zcp.metering.scan import clean_meters, scan
from zcp.metering.sources import Source, register_raw
from zcp.metering.subhourly import HourSums, SubHours
from zcp.model.folder import ParkFolder

#: DuckDB's own memory cap; it spills to a temporary directory beyond it.
MEMORY_LIMIT = "512MB"
_FREQ = {"month": "%Y-%m", "day": "%Y-%m-%d", "year": "%Y"}


@dataclass
class MeterData:
    """Loaded readings. ``con`` holds the view ``hourly`` (meter_id, flow_id, carrier,
    hour [UTC hour start], value [carrier's canonical unit], imputed) and the table
    ``meters`` (meter_id, flow_id, carrier, level, from_node, to_node, tenant, register,
    interval_s, rollover, factor)."""

    con: duckdb.DuckDBPyConnection
    quality: QualityReport
    balance: BalanceReport
    meters: pd.DataFrame
    bounds: PeriodBounds
    #: carrier id → canonical unit of its values in ``hourly``
    units: dict[str, str]
    #: wall time of each loading step [s], for benchmarks and diagnosis
    timings: dict[str, float] = field(default_factory=dict)

    def hourly_frame(self, meter_ids: list[str] | None = None) -> pd.DataFrame:
        """The hourly table as a DataFrame (for one or a few meters; the whole table of a
        large park does not fit in memory — aggregate with SQL on ``con`` instead)."""
        sql = "SELECT * FROM hourly"
        if meter_ids is not None:
            sql += " WHERE meter_id IN (SELECT unnest(?::VARCHAR[]))"
            return self.con.execute(sql + " ORDER BY meter_id, hour", [meter_ids]).df()
        return self.con.execute(sql + " ORDER BY meter_id, hour").df()

    def period_totals(self, freq: str = "month") -> pd.DataFrame:
        """Per meter and local calendar period (``month``, ``day``, ``year`` or ``total``):
        [meter_id, flow_id, carrier, period, value, hours, imputed_hours]."""
        if freq == "total":
            period = "'total'"
        elif freq in _FREQ:
            period = f"strftime({_local_hour(self.bounds)}, '{_FREQ[freq]}')"
        else:
            raise ValueError(f"freq must be one of total, {', '.join(_FREQ)}; got {freq!r}")
        return self.con.execute(
            f"""
            SELECT meter_id, flow_id, carrier, {period} AS period, sum(value) AS value,
                   count(*) AS hours, count(*) FILTER (WHERE imputed) AS imputed_hours
            FROM hourly GROUP BY ALL ORDER BY meter_id, period
            """
        ).df()


def _local_hour(bounds: PeriodBounds) -> str:
    """SQL for the local wall-clock time of ``hour``: a fixed offset where the zone has
    one over the period (cheap arithmetic), the zone's rules otherwise."""
    zone = zoneinfo.ZoneInfo(bounds.timezone)
    offsets = {
        (bounds.start + dt.timedelta(days=d)).astimezone(zone).utcoffset()
        for d in range(0, (bounds.end - bounds.start).days + 1, 7)
    } | {(bounds.end - dt.timedelta(seconds=1)).astimezone(zone).utcoffset()}
    if len(offsets) == 1:
        seconds = int(next(iter(offsets)).total_seconds())
        return f"(hour::TIMESTAMP + INTERVAL {seconds} SECOND)"
    return f"timezone('{bounds.timezone}', hour)"


def load_readings(folder: ParkFolder, *, progress: bool | None = None) -> MeterData | None:
    """Load, check and repair a park's readings; None when the park names no readings."""
    if not folder.park.readings:
        return None
    con = duckdb.connect()
    # DuckDB's own progress bar writes to stdout; ours goes to stderr (see progress.py).
    con.execute(
        f"SET TimeZone = 'UTC'; SET memory_limit = '{MEMORY_LIMIT}'; "
        "SET enable_progress_bar = false"
    )
    bounds = PeriodBounds.of(folder)
    with steps(6, progress) as step:
        meters = register_meters(con, folder)
        sources = register_raw(con, folder)
        step.advance("scanning every reading")
        stats = scan(
            con,
            flags=any(s.has_flags for s in sources),
            dst=any(s.has_dst for s in sources),
        )
        _refuse_unplaceable_rows(con, stats, sources)
        clean = clean_meters(stats, meters, bounds, con)
        step.advance("repairing meters")
        dirty_hours, counts, rejected, sub = _repair(con, meters, stats, clean, bounds, sources)
        _store_repaired(con, meters, dirty_hours, bounds)
        _create_hourly_view(con, clean, meters, sub)
        step.advance("data quality")
        quality = _quality(folder, meters, stats, counts, dirty_hours, clean, bounds, sources)
        quality.rejected = rejected
        step.advance("per-bus balance")
        flows, _ = bus_flows(folder)
        start_ms = int(bounds.start.timestamp() * 1000)
        base = clean_bus_sums(con, flows, meters, clean, start_ms, bounds.hours)
        balance = compute_balance(
            folder, meters, base, dirty_hours, pd.Timestamp(bounds.start), bounds.hours
        )
        step.advance("done")
    units = {c: folder.carriers[c].unit for c in meters["carrier"].unique()}
    return MeterData(con, quality, balance, meters, bounds, units, step.timings)


def _repair(
    con: duckdb.DuckDBPyConnection,
    meters: pd.DataFrame,
    stats: pd.DataFrame,
    clean: set,
    bounds: PeriodBounds,
    sources: list[Source],
) -> tuple[Hours, pd.DataFrame, pd.DataFrame, SubHours]:
    """Repair the meters that are not clean: (their hours, their counts per meter, the
    rejected readings, the hours of the clean sub-hourly meters).

    Clean sub-hourly meters are read in the same pass as the meters to repair (one scan
    of the files instead of two) and only summed into hours (:class:`~zcp.metering.subhourly.HourSums`)."""
    n = len(meters)
    ids = meters["meter_id"]
    is_clean = ids.isin(clean).to_numpy()
    present = ids.isin(stats["meter_id"]).to_numpy()
    clean_sub = is_clean & (meters["interval_s"].to_numpy() < 3600)
    wanted = np.flatnonzero(present & (~is_clean | clean_sub))
    start_ms = int(bounds.start.timestamp() * 1000)
    end_ms = int(bounds.end.timestamp() * 1000)
    factor = meters["factor"].to_numpy(dtype=float)
    sink = HourSums(clean_sub & present, factor, start_ms, bounds.hours)
    to_repair = np.flatnonzero(present & ~is_clean)
    rows = int(stats.set_index("meter_id")["n"].reindex(ids.iloc[to_repair]).sum())
    data = extract(
        con,
        wanted,
        ids,
        start_ms,
        rows,
        flags=any(s.has_flags for s in sources),
        dst=any(s.has_dst for s in sources),
        sink=sink,
    )
    sub = sink.result()
    del sink
    rules = MeterRules(
        cumulative=(meters["register"] == "cumulative").to_numpy(),
        interval_ms=meters["interval_s"].to_numpy(dtype=np.int64) * 1000,
        rollover=meters["rollover"].to_numpy(dtype=float),
    )
    reason = classify(data, rules, start_ms, end_ms)
    counts = count_reasons(data, reason, n)
    counts["gap_runs"] = gap_runs(data, reason, rules, n)
    rejected = [rejected_rows(data, reason)]
    data = data.take(np.flatnonzero(reason == 0))  # accepted readings only, from here on
    del reason
    iv, counts["resets"], counts["rollovers"], resets = intervals(data, rules, n)
    rejected.append(resets)
    del data
    spike = spikes(iv, n)
    counts["spikes"] = np.bincount(iv.code[spike], minlength=n)
    rejected.append(
        {
            "code": iv.code[spike],
            "ts_ms": iv.start_ms[spike],
            "value": iv.energy[spike],
            "rule": np.full(int(spike.sum()), "spikes", dtype=object),
        }
    )
    keep = ~spike
    iv = Intervals(*(getattr(iv, f)[keep] for f in iv.__dataclass_fields__))
    hours = to_hours(iv, rules, factor, start_ms, bounds.hours)
    counts["hours_measured"] = np.bincount(hours.code[~hours.imputed], minlength=n)
    counts["hours_imputed"] = np.bincount(hours.code[hours.imputed], minlength=n)
    dirty = np.flatnonzero(present & ~is_clean)
    frame = pd.DataFrame({"meter_id": ids.to_numpy()[dirty]})
    for name, values in counts.items():
        frame[name] = values[dirty]
    return hours, frame, _rejected_frame(rejected, ids), sub


def _rejected_frame(parts: list[dict], ids: pd.Series) -> pd.DataFrame:
    code = np.concatenate([p["code"] for p in parts]).astype(np.int64)
    ts = np.concatenate([p["ts_ms"] for p in parts])
    stamps = pd.to_datetime(np.where(ts == NO_TIME, np.iinfo(np.int64).min, ts * 1000),
                            unit="us", utc=True)  # fmt: skip
    frame = pd.DataFrame(
        {
            "meter_id": ids.to_numpy()[code],
            "timestamp": stamps,
            "value": np.concatenate([p["value"] for p in parts]),
            "rule": np.concatenate([p["rule"] for p in parts]),
        }
    )
    return frame.sort_values(["meter_id", "timestamp"], kind="stable", ignore_index=True)


def _store_repaired(
    con: duckdb.DuckDBPyConnection, meters: pd.DataFrame, hours: Hours, bounds: PeriodBounds
) -> None:
    """The repaired hours as the DuckDB view ``hourly_repaired`` (same columns as
    ``hourly``) over an Arrow table."""
    codes = pa.array(hours.code.astype(np.int32))
    start_us = int(bounds.start.timestamp() * 1_000_000)
    table = pa.table(
        {
            "meter_id": pa.DictionaryArray.from_arrays(codes, pa.array(meters["meter_id"])),
            "flow_id": pa.DictionaryArray.from_arrays(codes, pa.array(meters["flow_id"])),
            "carrier": pa.DictionaryArray.from_arrays(codes, pa.array(meters["carrier"])),
            "hour": pa.array(start_us + hours.hour * 3_600_000_000, pa.timestamp("us", "UTC")),
            "value": pa.array(hours.value, pa.float64()),
            "imputed": pa.array(hours.imputed, pa.bool_()),
        }
    )
    # Registered, not copied: DuckDB reads the Arrow table in place.
    con.register("repaired_arrow", table)
    con.execute(
        "CREATE TEMP VIEW hourly_repaired AS SELECT meter_id::VARCHAR AS meter_id, "
        "flow_id::VARCHAR AS flow_id, carrier::VARCHAR AS carrier, hour::TIMESTAMPTZ AS hour, "
        "value, imputed FROM repaired_arrow"
    )


def _create_hourly_view(
    con: duckdb.DuckDBPyConnection, clean: set, meters: pd.DataFrame, sub: SubHours
) -> None:
    """Clean hourly meters straight from the files; clean sub-hourly meters summed into
    hours once (a small Arrow table); repaired ones from their Arrow table."""
    frame = pd.DataFrame({"meter_id": pd.Series(sorted(clean), dtype=object)})
    con.register("clean_frame", frame)
    con.execute(
        "CREATE TEMP TABLE clean AS SELECT m.meter_id, m.flow_id, m.carrier, m.factor, "
        "m.interval_s FROM meters m JOIN clean_frame c ON m.meter_id = c.meter_id::VARCHAR"
    )
    con.unregister("clean_frame")
    con.register("hourly_subhourly_arrow", sub.table(meters))
    con.execute(
        "CREATE TEMP VIEW hourly_subhourly AS SELECT meter_id::VARCHAR AS meter_id, "
        "flow_id::VARCHAR AS flow_id, carrier::VARCHAR AS carrier, "
        "hour::TIMESTAMPTZ AS hour, value, imputed FROM hourly_subhourly_arrow"
    )
    con.execute(
        """
        CREATE TEMP VIEW hourly AS
        SELECT r.meter_id, c.flow_id, c.carrier, r.ts AS hour, r.value * c.factor AS value,
               false AS imputed
        FROM raw r JOIN (SELECT * FROM clean WHERE interval_s = 3600) c USING (meter_id)
        UNION ALL
        SELECT * FROM hourly_subhourly
        UNION ALL
        SELECT meter_id, flow_id, carrier, hour, value, imputed FROM hourly_repaired
        """
    )


def _refuse_unplaceable_rows(
    con: duckdb.DuckDBPyConnection, stats: pd.DataFrame, sources: list[Source]
) -> None:
    """A reading without a meter id or a timestamp cannot be counted against anything:
    the file is malformed (exit 2), and the first rows are named."""
    if not (stats["meter_id"].isna().any() or (stats["n_no_time"] > 0).any()):
        return
    rows = con.execute(
        """
        SELECT source, row, CASE WHEN meter_id IS NULL THEN 'meter_id is empty'
                                 ELSE 'timestamp is empty' END
        FROM raw WHERE meter_id IS NULL OR (ts IS NULL AND dst IS NULL)
        ORDER BY source, row LIMIT 20
        """
    ).fetchall()
    by_index = {s.index: s for s in sources}
    raise ReadingsError(
        [Problem(message, path=by_index[s].display, line=int(r)) for s, r, message in rows]
    )


def _quality(
    folder: ParkFolder,
    meters: pd.DataFrame,
    stats: pd.DataFrame,
    counts: pd.DataFrame,
    hours: Hours,
    clean: set,
    bounds: PeriodBounds,
    sources: list[Source],
) -> QualityReport:
    known = set(meters["meter_id"])
    unknown = stats[~stats["meter_id"].isin(known)]
    per_meter = build_per_meter(meters, stats, counts, clean, bounds.hours)
    factor = meters.set_index("meter_id")["factor"]
    clean_stats = stats[stats["meter_id"].isin(clean)].set_index("meter_id")
    totals = clean_stats["value_sum"] * factor.reindex(clean_stats.index)
    repaired = np.bincount(hours.code, weights=hours.value, minlength=len(meters))
    has_hours = np.bincount(hours.code, minlength=len(meters)) > 0
    dirty_totals = pd.Series(repaired[has_hours], index=meters["meter_id"].to_numpy()[has_hours])
    totals = pd.concat([totals, dirty_totals])
    kinds = {t.id: "tenant" for t in folder.park.tenants} | {
        a.id: a.type for a in folder.park.assets
    }
    return QualityReport(
        period_start=bounds.start,
        period_end=bounds.end,
        hours_expected=bounds.hours,
        per_meter=per_meter,
        unknown_meters=dict(zip(unknown["meter_id"], unknown["n"].astype(int), strict=True)),
        metered_share=metered_share(meters, totals, kinds),
        sources=[s.display for s in sources],
    )
