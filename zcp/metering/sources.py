"""Readings files → one DuckDB view ``raw`` of (meter_id, ts, value, flag, dst, source, row).

Parquet files with zoned (or UTC) timestamps are read in place by DuckDB — the fast path,
nothing is copied. CSV files are streamed into DuckDB tables a block at a time
(:mod:`zcp.metering.csv_source`), every bad row named (``path: row N: what is wrong``) and
every DST problem counted; Parquet files whose naive timestamps fall in a zone with
daylight-saving time are converted likewise and handed to DuckDB as Arrow tables. ``row``
is the CSV line number (header = 1) or the 0-based Parquet row; ``source`` is the index of
the file in ``park.yaml readings:``; the table's shape and the DST handling both readers
share are :mod:`zcp.metering.raw_rows`.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from zcp.errors import Problem, ReadingsError
from zcp.metering.csv_source import stream_csv
from zcp.metering.raw_rows import OPTIONAL, REQUIRED, Source, local_to_utc, raw_table
from zcp.model.folder import ParkFolder


def sources(folder: ParkFolder) -> list[Source]:
    """The readings files named in park.yaml, resolved inside the folder and present."""
    park = folder.park
    found = []
    for i, entry in enumerate(park.readings):
        try:
            path = folder.resolve(entry.path)
        except ValueError as exc:
            raise ReadingsError(folder.problem("readings", i, "path", str(exc))) from None
        if not path.is_file():
            raise ReadingsError(
                folder.problem("readings", i, "path", f"readings file {entry.path!r} not found")
            )
        fmt = entry.format or path.suffix.lower().lstrip(".")
        if fmt not in ("csv", "parquet"):
            raise ReadingsError(
                folder.problem(
                    "readings",
                    i,
                    "format",
                    f"cannot tell the format of {entry.path!r}",
                    hint="name it .csv or .parquet, or set format:",
                )
            )
        found.append(Source(i, path, entry.path, fmt, entry.timezone or park.location.timezone))
    return found


def has_dst(timezone: str, start: dt.date, end: dt.date) -> bool:
    """Whether the zone's UTC offset changes within the period (so local times can be
    ambiguous or missing)."""
    zone = zoneinfo.ZoneInfo(timezone)
    offsets = {
        dt.datetime.combine(start + dt.timedelta(days=d), dt.time(12), zone).utcoffset()
        for d in range(0, (end - start).days + 2, 7)
    }
    return len(offsets) > 1


def register_raw(con: duckdb.DuckDBPyConnection, folder: ParkFolder, scratch: Path) -> list[Source]:
    """Create the view ``raw`` over every readings file; returns the sources used. CSV
    files are converted into Parquet files in ``scratch`` (a folder the caller removes)."""
    found = sources(folder)
    period = folder.park.reporting_period
    selects = []
    for src in found:
        name = f"src_{src.index}"
        if src.format == "parquet":
            naive, has_flag = _parquet_columns(src)
            src.has_flags, src.naive_times = has_flag, naive
            if naive and has_dst(src.timezone, period.start, period.end):
                src.has_dst = True
                con.register(f"{name}_arrow", _parquet_with_dst(src))
                con.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
                con.unregister(f"{name}_arrow")
            else:
                ts = (
                    f"timezone('{src.timezone}', \"timestamp\")"
                    if naive
                    else '"timestamp"::TIMESTAMPTZ'
                )
                flag = "quality::VARCHAR" if has_flag else "NULL::VARCHAR"
                path = str(src.path).replace("'", "''")
                con.execute(
                    f"CREATE TEMP VIEW {name} AS SELECT meter_id::VARCHAR AS meter_id, "
                    f"{ts} AS ts, value::DOUBLE AS value, {flag} AS flag, "
                    f"NULL::VARCHAR AS dst, {src.index} AS source, file_row_number AS row "
                    f"FROM read_parquet('{path}', file_row_number = true)"
                )
        else:
            src.has_flags, src.has_dst = stream_csv(con, src, name, scratch)
        selects.append(f"SELECT * FROM {name}")
    con.execute("CREATE TEMP VIEW raw AS " + " UNION ALL ".join(selects))
    return found


def _parquet_columns(src: Source) -> tuple[bool, bool]:
    """(timestamps are naive, file has a quality column); refuses a wrong schema."""
    try:
        schema = pq.read_schema(src.path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise ReadingsError(
            Problem(f"not a readable Parquet file: {exc}", path=src.display)
        ) from None
    missing = [c for c in REQUIRED if c not in schema.names]
    if missing:
        raise ReadingsError(
            Problem(
                f"missing column(s) {', '.join(missing)}",
                path=src.display,
                hint=f"readings need {', '.join(REQUIRED)} (and optionally quality)",
            )
        )
    ts_type = schema.field("timestamp").type
    if not pa.types.is_timestamp(ts_type):
        raise ReadingsError(
            Problem(f"column timestamp is {ts_type}, not a timestamp", path=src.display)
        )
    value_type = schema.field("value").type
    if not (pa.types.is_floating(value_type) or pa.types.is_integer(value_type)):
        raise ReadingsError(
            Problem(f"column value is {value_type}, not a number", path=src.display)
        )
    return ts_type.tz is None, "quality" in schema.names


def _parquet_with_dst(src: Source) -> pa.Table:
    names = pq.read_schema(src.path).names
    try:
        table = pq.read_table(src.path, columns=[c for c in (*REQUIRED, *OPTIONAL) if c in names])
    except (OSError, pa.ArrowException) as exc:
        raise ReadingsError(Problem(f"cannot be read: {exc}", path=src.display)) from None
    frame = table.to_pandas()
    naive = pd.Series(pd.DatetimeIndex(frame["timestamp"]).as_unit("us"))
    flag = frame["quality"].astype("string") if "quality" in frame else None
    meter = frame["meter_id"].astype(str).to_numpy(dtype=object)
    utc, dst = local_to_utc(meter, naive, src.timezone)
    return raw_table(
        src, meter, utc, dst, frame["value"].to_numpy(dtype=float), flag, np.arange(len(frame))
    )
