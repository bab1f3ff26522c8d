"""One pass that pulls the readings numpy works on: every reading of the meters to repair
and of the clean meters on bus flows (for the balance), as plain arrays sorted by meter
and time.

Meter ids become integer codes (the row of the meter in the ``meters`` table) inside
DuckDB, so no string reaches Python; timestamps become milliseconds since the epoch.
Files written in meter-then-time order (as meter systems and ``zcp synth`` write them)
need no sort; others are sorted here once.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from zcp.metering.rules import ESTIMATED_FLAGS, OK_FLAGS
from zcp.metering.subhourly import HourSums

#: Sort key layout: meter code in the high bits, milliseconds from the period start
#: (offset by 2^39, about 17 years either way) in the low 40 bits.
_TIME_BITS = 40
_TIME_OFFSET = 1 << 39
NO_TIME = np.iinfo(np.int64).min
BATCH_ROWS = 1 << 20


@dataclass
class Extract:
    """Readings sorted by (meter code, time), ties in file order. ``flag``: 0 measured,
    1 estimated, 2 invalid; ``dst``: 0 none, 1 nonexistent local time, 2 ambiguous."""

    code: np.ndarray  # int32
    ts_ms: np.ndarray  # int64, NO_TIME where the reading has no time
    value: np.ndarray  # float64, NaN where empty
    flag: np.ndarray  # int8
    dst: np.ndarray  # int8
    order: np.ndarray  # int64: source << 40 | row — file order, to settle duplicates

    def __len__(self) -> int:
        return len(self.code)

    def key(self, start_ms: int) -> np.ndarray:
        offset = np.where(self.ts_ms == NO_TIME, -_TIME_OFFSET, self.ts_ms - start_ms)
        offset = np.clip(offset + _TIME_OFFSET, 0, (1 << _TIME_BITS) - 1)
        return (self.code.astype(np.int64) << _TIME_BITS) | offset

    def take(self, index: np.ndarray | slice) -> Extract:
        return Extract(*(getattr(self, f)[index] for f in self.__dataclass_fields__))


def extract(
    con: duckdb.DuckDBPyConnection,
    codes: np.ndarray,
    meter_ids: pd.Series,
    start_ms: int,
    rows: int,
    *,
    flags: bool,
    dst: bool,
    sink: HourSums | None = None,
) -> Extract:
    """Readings of the meters with the given codes (``rows`` of them, as the scan
    counted, not counting those of ``sink``), sorted (see the module docstring).

    The readings of the meters in ``sink.members`` go to ``sink`` batch by batch instead
    (hourly sums need no order), so they are neither stored nor sorted.

    ``flags``/``dst``: whether any source has a quality column / naive DST-zone times;
    columns that are known to be empty are not fetched (fetching is the cost here).
    Readings with equal meter and time keep the order DuckDB reads them in (insertion
    order is preserved), which is file order.
    """
    selected = pd.DataFrame({"meter_id": meter_ids.iloc[codes].to_numpy(), "code": codes})
    con.register("selected_frame", selected)
    ok = ", ".join(f"'{f}'" for f in OK_FLAGS)
    estimated = ", ".join(f"'{f}'" for f in ESTIMATED_FLAGS)
    columns = [
        "s.code::INTEGER AS code",
        f"coalesce(epoch_ms(r.ts), {NO_TIME}) AS ts_ms",
        "coalesce(r.value, 'NaN'::DOUBLE) AS value",
        '(r.source::BIGINT << 40) | r.row::BIGINT AS "order"',
    ]
    if flags:
        columns.append(
            f"(CASE WHEN r.flag IS NULL OR lower(r.flag) IN ({ok}) THEN 0 "
            f"WHEN lower(r.flag) IN ({estimated}) THEN 1 ELSE 2 END)::TINYINT AS flag"
        )
    if dst:
        columns.append(
            "(CASE r.dst WHEN 'nonexistent' THEN 1 WHEN 'ambiguous' THEN 2 ELSE 0 END)"
            "::TINYINT AS dst"
        )
    # Streamed in batches into arrays sized from the scan's counts, so neither DuckDB nor
    # Arrow holds a second copy of the whole result.
    arrays = {
        "code": np.empty(rows, np.int32),
        "ts_ms": np.empty(rows, np.int64),
        "value": np.empty(rows, np.float64),
        "flag": np.zeros(rows, np.int8),
        "dst": np.zeros(rows, np.int8),
        "order": np.empty(rows, np.int64),
    }
    # Row order is restored below, so DuckDB may hand rows over as its threads finish
    # them (about twice as fast as keeping insertion order; an ORDER BY in DuckDB costs
    # more than the sort below).
    con.execute("SET preserve_insertion_order = false")
    filled = 0
    try:
        reader = con.sql(
            f"SELECT {', '.join(columns)} FROM raw r "
            "JOIN selected_frame s ON r.meter_id = s.meter_id::VARCHAR"
        ).to_arrow_reader(BATCH_ROWS)
        for batch in reader:
            cols = {name: batch.column(name).to_numpy() for name in batch.schema.names}
            if sink is not None:
                to_sink = sink.members[cols["code"]]
                if to_sink.any():
                    sink.add(*(cols[c][to_sink] for c in ("code", "ts_ms", "value")))
                    cols = {name: column[~to_sink] for name, column in cols.items()}
            n = len(cols["code"])
            if filled + n > rows:  # the scan counted fewer: a file changed under us
                raise RuntimeError("readings changed while being read")
            for name, column in cols.items():
                arrays[name][filled : filled + n] = column
            filled += n
    finally:
        con.execute("SET preserve_insertion_order = true")
        con.unregister("selected_frame")
    data = Extract(**{k: v[:filled] for k, v in arrays.items()})
    del arrays
    if _breaks(data, start_ms).size:
        # Rows arrive as sorted runs (pieces of row groups); a stable merge sort (timsort)
        # joins runs in near-linear time.
        data = data.take(np.argsort(data.key(start_ms), kind="stable"))
    _settle_ties(data)
    return data


def _breaks(data: Extract, start_ms: int) -> np.ndarray:
    """Positions where (meter, time) order breaks — found in slices of the two columns
    it needs, so temporaries stay small."""
    found = []
    for lo in range(0, max(len(data) - 1, 0), BATCH_ROWS):
        hi = min(lo + BATCH_ROWS + 1, len(data))
        code, ts = data.code[lo:hi], data.ts_ms[lo:hi]
        down = (code[1:] < code[:-1]) | ((code[1:] == code[:-1]) & (ts[1:] < ts[:-1]))
        found.append(lo + 1 + np.flatnonzero(down))
    return np.concatenate(found) if found else np.empty(0, dtype=np.int64)


def _settle_ties(data: Extract) -> None:
    """Readings with the same meter and time (duplicates, rare) put in file order, in
    place, so "the first one is kept" means the first in the files."""
    same = np.flatnonzero((data.code[1:] == data.code[:-1]) & (data.ts_ms[1:] == data.ts_ms[:-1]))
    if not same.size:
        return
    starts = same[np.r_[True, same[1:] != same[:-1] + 1]]
    ends = np.r_[same[np.r_[same[1:] != same[:-1] + 1, True]]] + 2
    for lo, hi in zip(starts, ends, strict=True):
        order = np.argsort(data.order[lo:hi], kind="stable") + lo
        for name in data.__dataclass_fields__:
            column = getattr(data, name)
            column[lo:hi] = column[order]
