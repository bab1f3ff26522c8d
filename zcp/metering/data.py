"""``load_readings``: a park's readings as an hourly DuckDB view, with quality, per-node
hours and balance.

The files are read once (:mod:`zcp.metering.runs`). The ``hourly`` view is what
accounting aggregates with SQL: clean hourly meters are read from the files on every
query (Parquet stays on disk, so memory stays bounded whatever the park size); the hours
of clean sub-hourly meters and registers, and of repaired meters, come from Arrow tables
in memory (one row per meter-hour).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
import zoneinfo
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from zcp.errors import Problem, ReadingsError
from zcp.metering.balance import BalanceReport, compute_balance
from zcp.metering.file_reader import (
    Batch,
    Unplaceable,
    one_after_another,
    reading_memory_pool,
    sorted_copy_batches,
    source_batches,
)
from zcp.metering.merge import merged_by_meter
from zcp.metering.meter_table import PeriodBounds, register_meters
from zcp.metering.nodes import NodeHours
from zcp.metering.progress import steps
from zcp.metering.quality import QualityReport, build_per_meter, metered_share
from zcp.metering.raw_rows import Source
from zcp.metering.repair_chunks import Repairs
from zcp.metering.resample import Hours
from zcp.metering.runs import MeterKinds, PassResult, ReadingPass, Unordered
from zcp.metering.sources import register_raw
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
    #: hourly inflow of every tenant and bus, and outflow of every bus
    nodes: NodeHours
    #: wall time of each loading step [s], for benchmarks and diagnosis
    timings: dict[str, float] = field(default_factory=dict)
    #: where DuckDB spills beyond its memory limit; removed with this object
    scratch: tempfile.TemporaryDirectory | None = field(default=None, repr=False)

    def hourly_frame(self, meter_ids: list[str] | None = None) -> pd.DataFrame:
        """The hourly table as a DataFrame, ``value`` [the carrier's canonical unit] (for one
        or a few meters; the whole table of a large park does not fit in memory — aggregate
        with SQL on ``con`` instead)."""
        sql = "SELECT * FROM hourly"
        if meter_ids is not None:
            sql += " WHERE meter_id IN (SELECT unnest(?::VARCHAR[]))"
            return self.con.execute(sql + " ORDER BY meter_id, hour", [meter_ids]).df()
        return self.con.execute(sql + " ORDER BY meter_id, hour").df()

    def period_totals(self, freq: str = "month") -> pd.DataFrame:
        """Per meter and local calendar period (``month``, ``day``, ``year`` or ``total``):
        meter_id, flow_id, carrier, period, ``value`` [the carrier's canonical unit],
        ``hours`` and ``imputed_hours`` [h]."""
        if freq == "total":
            period = "'total'"
        elif freq in _FREQ:
            period = f"strftime({_local_hour(self.bounds)}, '{_FREQ[freq]}')"
        else:
            raise ValueError(f"freq must be one of total, {', '.join(_FREQ)}; got {freq!r}")
        with one_thread(self.con):
            return self.con.execute(
                f"""
            SELECT meter_id, flow_id, carrier, {period} AS period, sum(value) AS value,
                   count(*) AS hours, count(*) FILTER (WHERE imputed) AS imputed_hours
            FROM hourly GROUP BY ALL ORDER BY meter_id, period
            """
            ).df()


@contextlib.contextmanager
def one_thread(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run the queries inside on one DuckDB thread, for sums that are the same to the last
    bit on every run: threads add their partial sums in whatever order they finish, and
    floating-point addition is not associative (seven figures of the Lingang report once
    differed in the last digit between runs)."""
    (threads,) = con.execute("SELECT current_setting('threads')").fetchall()[0]
    con.execute("SET threads = 1")
    try:
        yield con
    finally:
        con.execute(f"SET threads = {int(threads)}")


def _local_hour(bounds: PeriodBounds) -> str:
    """SQL for the local wall-clock time of ``hour``: a fixed offset where the zone has
    one over the period (cheap arithmetic), the zone's rules otherwise."""
    zone = zoneinfo.ZoneInfo(bounds.timezone)
    offsets: set[dt.timedelta | None] = {
        (bounds.start + dt.timedelta(days=d)).astimezone(zone).utcoffset()
        for d in range(0, (bounds.end - bounds.start).days + 1, 7)
    } | {(bounds.end - dt.timedelta(seconds=1)).astimezone(zone).utcoffset()}
    only = next(iter(offsets))
    if len(offsets) == 1 and only is not None:
        seconds = int(only.total_seconds())
        return f"(hour::TIMESTAMP + INTERVAL {seconds} SECOND)"
    return f"timezone('{bounds.timezone}', hour)"


def load_readings(folder: ParkFolder, *, progress: bool | None = None) -> MeterData | None:
    """Load, check and repair a park's readings; None when the park names no readings."""
    if not folder.park.readings:
        return None
    con = duckdb.connect()
    # DuckDB spills into a folder of our own (not ./.tmp), which goes with the MeterData.
    scratch = tempfile.TemporaryDirectory(prefix="zcp-readings-")
    spill = str(Path(scratch.name) / "duckdb").replace("'", "''")
    # DuckDB's own progress bar writes to stdout; ours goes to stderr (see progress.py).
    con.execute(
        f"SET TimeZone = 'UTC'; SET memory_limit = '{MEMORY_LIMIT}'; "
        f"SET temp_directory = '{spill}'; SET enable_progress_bar = false"
    )
    bounds = PeriodBounds.of(folder)
    with steps(5, progress) as step:
        meters = register_meters(con, folder)
        sources = register_raw(con, folder, Path(scratch.name))
        step.advance("reading every meter")
        nodes, read, repairs = _read(con, folder, meters, sources, bounds, Path(scratch.name))
        step.advance("repairing meters")
        hours, rejected = repairs.finish()
        counts = _repair_counts(read, repairs, meters["meter_id"])
        _register_hours(con, "hourly_repaired", meters, hours, bounds)
        _register_hours(con, "hourly_computed", meters, read.computed, bounds)
        del read.computed
        _create_hourly_view(con, meters, read.clean)
        step.advance("data quality")
        quality = _quality(folder, meters, read, counts, hours, bounds, sources)
        quality.rejected = rejected
        step.advance("per-bus balance")
        balance = compute_balance(folder, nodes, pd.Timestamp(bounds.start))
        step.advance("done")
    units = {c: folder.carriers[c].unit for c in meters["carrier"].unique()}
    return MeterData(con, quality, balance, meters, bounds, units, nodes, step.timings, scratch)


def _read(
    con: duckdb.DuckDBPyConnection,
    folder: ParkFolder,
    meters: pd.DataFrame,
    sources: list[Source],
    bounds: PeriodBounds,
    scratch: Path,
) -> tuple[NodeHours, PassResult, Repairs]:
    """One pass over the files; if a meter's readings are not one block that way, one
    pass over a sorted copy (in ``scratch``) instead: slower, same result."""
    ids = meters["meter_id"]

    def merged(by_id: bool) -> Callable[[], Iterator[Batch]]:
        def way() -> Iterator[Batch]:
            files = source_batches(con, sources, ids, bounds, for_merging=True)
            return merged_by_meter(files, len(meters), by_id=by_id)

        return way

    def in_turn() -> Iterator[Batch]:
        return one_after_another(source_batches(con, sources, ids, bounds))

    # Several files (monthly exports, say) are merged meter by meter if each lists its
    # meters in the park's order or by id; read in turn if not (each meter in one file,
    # say); failing all, a sorted copy.
    ways = [merged(False), merged(True), in_turn] if len(sources) > 1 else [in_turn]
    try:
        for way in ways:
            try:
                return _one_pass(folder, meters, bounds, way())
            except Unordered:
                continue
        copy = scratch / "sorted.parquet"
        try:
            return _one_pass(folder, meters, bounds, sorted_copy_batches(con, copy, ids))
        finally:
            copy.unlink(missing_ok=True)
    except Unplaceable:
        _refuse_unplaceable_rows(con, sources)
        raise


def _one_pass(
    folder: ParkFolder, meters: pd.DataFrame, bounds: PeriodBounds, batches: Iterator[Batch]
) -> tuple[NodeHours, PassResult, Repairs]:
    nodes = NodeHours(folder, meters, bounds.hours)
    repairs = Repairs(meters, bounds, nodes)
    kinds = MeterKinds.of(meters, bounds.hours)
    reading = ReadingPass(kinds, bounds.start_us, bounds.hours, nodes, repairs)
    # closing(): a pass given up frees DuckDB's open result
    with reading_memory_pool(), contextlib.closing(batches):  # type: ignore[type-var]  # generators
        for batch in batches:
            reading.feed(batch)
    return nodes, reading.finish(), repairs


def _repair_counts(read: PassResult, repairs: Repairs, ids: pd.Series) -> pd.DataFrame:
    """Counts per repaired meter, and the rollovers of clean registers."""
    dirty = np.flatnonzero((read.readings > 0) & ~read.clean)
    frame = pd.DataFrame({"meter_id": ids.to_numpy()[dirty]})
    for name, values in repairs.counts.items():
        frame[name] = values[dirty]
    rolled = np.flatnonzero(read.rollovers)
    rolled_frame = pd.DataFrame(
        {"meter_id": ids.to_numpy()[rolled], "rollovers": read.rollovers[rolled]}
    )
    return pd.concat([frame, rolled_frame], ignore_index=True)


def _register_hours(
    con: duckdb.DuckDBPyConnection,
    name: str,
    meters: pd.DataFrame,
    hours: Hours,
    bounds: PeriodBounds,
) -> None:
    """Hours held in memory as a DuckDB view with the columns of ``hourly``, over an
    Arrow table (registered, not copied: DuckDB reads it in place). The hour is kept as
    its index and made a timestamp in the view (as fast to query, a fifth of the memory)."""
    codes = pa.array(hours.code.astype(np.int32, copy=False))
    table = pa.table(
        {
            column: pa.DictionaryArray.from_arrays(codes, pa.array(meters[column]))
            for column in ("meter_id", "flow_id", "carrier")
        }
        | {
            "hour_index": pa.array(hours.hour.astype(np.int32, copy=False)),
            "value": pa.array(hours.value, pa.float64()),
            "imputed": pa.array(hours.imputed, pa.bool_()),
        }
    )
    con.register(f"{name}_arrow", table)
    con.execute(
        f"CREATE TEMP VIEW {name} AS SELECT meter_id::VARCHAR AS meter_id, "
        "flow_id::VARCHAR AS flow_id, carrier::VARCHAR AS carrier, "
        f"make_timestamptz({bounds.start_us} + hour_index::BIGINT * 3600000000) AS hour, "
        f"value, imputed FROM {name}_arrow"
    )


def _create_hourly_view(
    con: duckdb.DuckDBPyConnection, meters: pd.DataFrame, clean: np.ndarray
) -> None:
    """Clean hourly meters straight from the files (their readings are their hours);
    the clean sub-hourly meters and registers, and the repaired meters, from memory."""
    hourly = clean & (meters["interval_s"].to_numpy() == 3600)
    hourly &= (meters["register"] == "interval").to_numpy()
    con.register("clean_frame", meters.loc[hourly, ["meter_id", "flow_id", "carrier", "factor"]])
    con.execute("CREATE TEMP TABLE clean AS SELECT * FROM clean_frame")
    con.unregister("clean_frame")
    con.execute(
        """
        CREATE TEMP VIEW hourly AS
        SELECT r.meter_id, c.flow_id, c.carrier, r.ts AS hour, r.value * c.factor AS value,
               false AS imputed
        FROM raw r JOIN clean c USING (meter_id)
        UNION ALL
        SELECT * FROM hourly_computed
        UNION ALL
        SELECT * FROM hourly_repaired
        """
    )


def _refuse_unplaceable_rows(con: duckdb.DuckDBPyConnection, sources: list[Source]) -> None:
    """A reading without a meter id or a timestamp cannot be counted against anything:
    the file is malformed (exit 2), and the first rows are named."""
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
    read: PassResult,
    counts: pd.DataFrame,
    hours: Hours,
    bounds: PeriodBounds,
    sources: list[Source],
) -> QualityReport:
    per_meter = build_per_meter(meters, read.readings, counts, read.clean, bounds.hours)
    totals = read.totals.copy()  # clean meters; the repaired ones from their hours
    repaired = np.bincount(hours.code, weights=hours.value, minlength=len(meters))
    has_hours = np.bincount(hours.code, minlength=len(meters)) > 0
    totals[has_hours] = repaired[has_hours]
    kinds = {t.id: "tenant" for t in folder.park.tenants} | {
        a.id: a.type for a in folder.park.assets
    }
    return QualityReport(
        period_start=bounds.start,
        period_end=bounds.end,
        hours_expected=bounds.hours,
        per_meter=per_meter,
        unknown_meters=dict(sorted(read.unknown.items())),
        metered_share=metered_share(meters, totals, kinds),
        sources=[s.display for s in sources],
    )
