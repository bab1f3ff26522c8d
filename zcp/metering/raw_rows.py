"""The rows every readings reader produces, and what they share.

A readings file named in ``park.yaml readings:`` (:class:`Source`) is read — by DuckDB in
place (:mod:`zcp.metering.sources`) or a block at a time (:mod:`zcp.metering.csv_source`)
— into one table shape: (meter_id, ts [UTC], value, flag, dst, source, row). ``source`` is
the file's index in ``readings:``; ``row`` its CSV line (header = 1) or 0-based Parquet
row. Naive local times are put into UTC here, the same way for every reader, with
daylight-saving time made explicit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

#: Columns a readings file must have, and the one it may have.
REQUIRED = ("meter_id", "timestamp", "value")
OPTIONAL = ("quality",)


@dataclass
class Source:
    """One readings file as ``park.yaml readings:`` names it: its place in that list,
    where it is, how it is shown in messages, its format and the zone of naive times."""

    index: int
    path: Path
    display: str
    format: str
    timezone: str
    #: whether its rows can carry a quality flag / a DST mark (set when registered)
    has_flags: bool = False
    has_dst: bool = False
    #: whether its timestamps carry no zone (local to ``timezone``)
    naive_times: bool = False


def local_to_utc(
    meter: np.ndarray,
    naive: pd.Series,
    zone: str,
    seen: set[tuple[str, np.datetime64]] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Naive local times to UTC [µs, naive UTC], with daylight-saving time made explicit.

    A local time that does not exist (clocks jumped forward) becomes NaT, marked
    ``nonexistent``, and is rejected. One that occurs twice (clocks went back) is marked
    ``ambiguous``: per meter, its first occurrence in the file takes the summer-time
    offset and the next the standard offset (any further one is then a duplicate).
    ``seen`` carries the (meter, local time) pairs of ambiguous times met in earlier
    blocks of the same file (updated in place).
    """
    naive = naive.reset_index(drop=True)
    strict = naive.dt.tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
    standard = naive.dt.tz_localize(zone, ambiguous=False, nonexistent="NaT")
    gone = standard.isna().to_numpy()
    twice = (strict.isna() & standard.notna()).to_numpy()
    first = pd.DataFrame({"m": meter, "t": naive}).groupby(["m", "t"]).cumcount().to_numpy() == 0
    if seen is not None and twice.any():
        at = np.flatnonzero(twice)
        pairs = list(zip(meter[at], naive.to_numpy()[at], strict=True))
        first[at] &= np.array([pair not in seen for pair in pairs])
        seen.update(pairs)
    chosen = naive.dt.tz_localize(zone, ambiguous=first, nonexistent="NaT")
    utc = chosen.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy().astype("M8[us]")
    dst = np.full(len(naive), None, dtype=object)
    dst[gone] = "nonexistent"
    dst[twice] = "ambiguous"
    return utc, dst


def raw_table(
    src: Source,
    meter: np.ndarray,
    utc: np.ndarray,
    dst: np.ndarray,
    value: np.ndarray,
    flag: pd.Series | None,
    rows: np.ndarray,
) -> pa.Table:
    """The readings of ``src`` as the raw table every reader produces (``utc`` naive UTC
    [µs], ``value`` in the meter's own unit, ``rows`` the places in the file)."""
    n = len(value)
    flags = flag.to_numpy(dtype=object, na_value=None) if flag is not None else [None] * n
    return pa.table(
        {
            "meter_id": pa.array(meter, type=pa.string()),
            "ts": pa.array(utc, type=pa.timestamp("us", tz="UTC")),
            "value": pa.array(value, type=pa.float64(), from_pandas=True),
            "flag": pa.array(flags, type=pa.string()),
            "dst": pa.array(dst, type=pa.string()),
            "source": pa.array(np.full(n, src.index, dtype=np.int64)),
            "row": pa.array(rows.astype(np.int64)),
        }
    )
