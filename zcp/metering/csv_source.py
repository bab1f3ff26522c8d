"""A CSV readings file streamed into a Parquet file of the load's scratch folder, a block
at a time, in bounded memory.

pyarrow's streaming CSV reader hands over blocks of BLOCK_BYTES; each is checked and
converted (every bad row named ``path: row N``), its naive local times put into UTC with
daylight-saving time made explicit, and appended to a Parquet file that DuckDB then reads
as a view, a row group at a time. Neither the text nor the converted table is ever held
whole: on 10,000 meters x 8,760 h (3.5 GB of CSV) a DuckDB temporary table in its place
peaked at ~3 GB (it grows with the file), and a whole-file read at ~9x the file size.

The only state carried from block to block: the line number, how many bad rows were seen
(the first MAX_LISTED are named), and the (meter, local time) pairs already met at an
ambiguous DST hour — so a meter's first reading of the repeated hour takes summer time
even when its second falls into the next block.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from zcp.errors import InputError, Problem, ReadingsError
from zcp.metering.raw_rows import OPTIONAL, REQUIRED, Source, local_to_utc, raw_table
from zcp.textfiles import sniff_encoding

#: Bytes of CSV text parsed at a time (about 200,000 readings); smaller blocks lower the
#: peak memory (32 MiB blocks: +190 MB on a 9.2 M-reading file) at no cost in speed.
BLOCK_BYTES = 8 << 20
MAX_LISTED = 20
_ZONED = r"(?:Z|[+-]\d{2}:?\d{2})$"


@dataclass
class _Progress:
    """What one block hands the next."""

    next_line: int = 2  # the header is line 1
    problems: list[Problem] = field(default_factory=list)
    bad_rows: int = 0
    ambiguous_seen: set[tuple[str, np.datetime64]] = field(default_factory=set)
    has_flags: bool = False
    has_dst: bool = False


def stream_csv(
    con: duckdb.DuckDBPyConnection, src: Source, table: str, scratch: Path
) -> tuple[bool, bool]:
    """Create the view ``table`` over the CSV of ``src`` (a
    :class:`~zcp.metering.raw_rows.Source`) converted into ``scratch/<table>.parquet``;
    returns (any quality flag, any DST mark). Raises ``ReadingsError`` naming bad rows."""
    try:
        encoding = sniff_encoding(src.path)
    except InputError as exc:
        raise ReadingsError(Problem(exc.problems[0].message, path=src.display)) from None
    state = _Progress()
    try:
        reader = pacsv.open_csv(
            src.path,
            read_options=pacsv.ReadOptions(
                encoding="utf8" if encoding == "utf-8-sig" else encoding, block_size=BLOCK_BYTES
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=_all_text(src.path, encoding), strings_can_be_null=False
            ),
        )
        names = reader.schema.names
        missing = [c for c in REQUIRED if c not in names]
        if missing:
            raise ReadingsError(
                Problem(
                    f"missing column(s) {', '.join(missing)}",
                    path=src.display,
                    line=1,
                    hint=f"the header must name {', '.join(REQUIRED)} (quality optional)",
                )
            )
        target = scratch / f"{table}.parquet"
        writer: pq.ParquetWriter | None = None
        try:
            for block in reader:
                if not block.num_rows:
                    continue
                chunk = _convert(src, block, state)
                if chunk is None:  # bad rows: keep counting, stop storing
                    continue
                if writer is None:
                    writer = pq.ParquetWriter(target, chunk.schema)
                writer.write_table(chunk)
            if writer is None:  # a header and no rows
                empty = _empty(src)
                writer = pq.ParquetWriter(target, empty.schema)
                writer.write_table(empty)
        finally:
            if writer is not None:
                writer.close()
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise ReadingsError(Problem(f"cannot read CSV: {exc}", path=src.display)) from None
    if state.problems:
        shown = state.problems[:MAX_LISTED]
        if state.bad_rows > MAX_LISTED:
            shown.append(
                Problem(f"… and {state.bad_rows - MAX_LISTED} more bad rows", path=src.display)
            )
        raise ReadingsError(shown)
    path = str(target).replace("'", "''")
    con.execute(f"CREATE TEMP VIEW {table} AS SELECT * FROM read_parquet('{path}')")
    return state.has_flags, state.has_dst


def _empty(src: Source) -> pa.Table:
    """The raw table with no rows (a CSV that has a header only)."""
    empty = np.array([], dtype=object)
    return raw_table(src, empty, np.array([], "M8[us]"), empty, np.array([]), None,
                     np.array([], np.int64))  # fmt: skip


def _all_text(path, encoding: str) -> dict[str, pa.DataType]:
    """Every column read as text: the checks below name what does not parse."""
    with path.open(encoding=encoding) as fh:
        header = [c.strip() for c in fh.readline().rstrip("\r\n").split(",")]
    return dict.fromkeys(header, pa.string())


def _convert(src: Source, block: pa.RecordBatch, state: _Progress) -> pa.Table | None:
    """One block checked and converted; None if it (or an earlier block) had bad rows."""
    columns = [c for c in (*REQUIRED, *OPTIONAL) if c in block.schema.names]
    frame = pa.Table.from_batches([block]).select(columns).to_pandas()
    rows = np.arange(len(frame)) + state.next_line
    state.next_line += len(frame)
    found: list[Problem] = []

    meter = frame["meter_id"].astype("string").str.strip()
    for row in rows[(meter.isna() | (meter == "")).to_numpy()]:
        found.append(Problem("meter_id is empty", path=src.display, line=int(row)))

    text = frame["timestamp"].astype("string").str.strip()
    zoned = text.str.contains(_ZONED, regex=True).fillna(False).to_numpy(dtype=bool)
    utc = np.full(len(text), np.datetime64("NaT"), dtype="M8[us]")
    if zoned.any():
        parsed = pd.to_datetime(text[zoned], errors="coerce", format="ISO8601", utc=True)
        utc[zoned] = parsed.dt.tz_localize(None).to_numpy().astype("M8[us]")
    naive = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    if (~zoned).any():
        naive[~zoned] = pd.to_datetime(text[~zoned], errors="coerce", format="ISO8601")
    bad_ts = np.where(zoned, np.isnat(utc), naive.isna().to_numpy())
    for row, value in zip(rows[bad_ts], text[bad_ts], strict=True):
        found.append(
            Problem(
                f"cannot read timestamp {value!r}",
                path=src.display,
                line=int(row),
                hint="write ISO 8601, e.g. 2026-01-01T08:00:00+08:00",
            )
        )

    value_text = frame["value"].astype("string").str.strip()
    value = pd.to_numeric(value_text, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad_value = np.isnan(value) & (value_text.fillna("") != "").to_numpy(dtype=bool)
    bad_value &= ~value_text.str.lower().isin(["nan", "null", "na"]).to_numpy(dtype=bool)
    for row, text_value in zip(rows[bad_value], value_text[bad_value], strict=True):
        found.append(
            Problem(f"value {text_value!r} is not a number", path=src.display, line=int(row))
        )
    if found:
        found.sort(key=lambda p: p.line or 0)
        state.bad_rows += len(found)
        state.problems += found[: max(0, MAX_LISTED - len(state.problems))]
    if state.problems:
        return None
    meter_ids = meter.to_numpy(dtype=object)
    dst = np.full(len(text), None, dtype=object)
    if (~zoned).any():
        local_utc, local_dst = local_to_utc(
            meter_ids[~zoned], naive[~zoned], src.timezone, state.ambiguous_seen
        )
        utc[~zoned] = local_utc
        dst[~zoned] = local_dst
        state.has_dst |= bool((local_dst != None).any())  # noqa: E711 — object array
    flag = frame["quality"].astype("string") if "quality" in frame else None
    if flag is not None:
        state.has_flags |= bool(flag.notna().any())
    return raw_table(src, meter_ids, utc, dst, value, flag, rows)
