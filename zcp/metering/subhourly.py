"""Clean sub-hourly meters summed into UTC hours, in numpy.

Their readings arrive with the meters to repair (:mod:`zcp.metering.extract`, one pass
over the files), sorted by meter and time; a clean meter has exactly its intervals, so
its hours are the sums of consecutive readings with the same UTC hour, times the meter's
factor — nothing is imputed. Hours are UTC hours since the epoch, as DuckDB's
``epoch_ms(ts) // 3600000`` gives them, so a zone whose offset is not whole hours still
gets hours that start on the UTC hour.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from zcp.metering.extract import Extract

HOUR_MS = 3_600_000


@dataclass
class SubHours:
    """One value per clean sub-hourly meter code and UTC hour, sorted by code and hour."""

    code: np.ndarray  # int64
    hour_ms: np.ndarray  # int64, ms since the epoch of the hour's start
    value: np.ndarray  # float64, reading unit x factor

    def table(self, meters: pd.DataFrame) -> pa.Table:
        """Columns of the ``hourly`` view, meter attributes dictionary-encoded."""
        codes = pa.array(self.code.astype(np.int32))
        return pa.table(
            {
                name: pa.DictionaryArray.from_arrays(codes, pa.array(meters[name]))
                for name in ("meter_id", "flow_id", "carrier")
            }
            | {
                "hour": pa.array(self.hour_ms * 1000, pa.timestamp("us", "UTC")),
                "value": pa.array(self.value, pa.float64()),
                "imputed": pa.array(np.zeros(len(self.code), dtype=bool), pa.bool_()),
            }
        )


def subhourly_sums(data: Extract, factor: np.ndarray) -> SubHours:
    """Hourly sums of sorted readings of clean meters (see the module docstring)."""
    if not len(data):
        empty = np.empty(0, dtype=np.int64)
        return SubHours(empty, empty.copy(), np.empty(0, dtype=np.float64))
    hour = data.ts_ms // HOUR_MS
    new = np.empty(len(data), dtype=bool)
    new[0] = True
    np.not_equal(data.code[1:], data.code[:-1], out=new[1:])
    new[1:] |= hour[1:] != hour[:-1]
    starts = np.flatnonzero(new)
    code = data.code[starts].astype(np.int64)
    sums = np.add.reduceat(data.value, starts)
    return SubHours(code, hour[starts] * HOUR_MS, sums * factor[code])
