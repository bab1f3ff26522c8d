"""Clean sub-hourly meters summed into UTC hours, in numpy, while the extract streams.

Their readings come in the same pass over the files as those of the meters to repair
(:mod:`zcp.metering.extract`), but they are never stored nor sorted: each batch is added
into a (meter, hour) grid with ``np.bincount``. A clean meter has exactly its intervals of
the period, once each, so its hours are the sums of its readings in each UTC hour, times
the meter's factor — nothing is imputed. Hours are UTC hours, as DuckDB's
``epoch_ms(ts) // 3600000`` gives them, so a zone whose offset is not whole hours still
gets hours that start on the UTC hour (the grid has one hour more for that).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

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


class HourSums:
    """Per-hour sums of the readings of the meters in the per-code mask ``members``,
    added batch by batch in any order (see the module docstring)."""

    def __init__(self, members: np.ndarray, factor: np.ndarray, start_ms: int, n_hours: int):
        self.members = members
        self.codes = np.flatnonzero(members)
        self.slot = np.full(len(members), -1, dtype=np.int64)
        self.slot[self.codes] = np.arange(len(self.codes))
        self.factor = factor
        self.base = start_ms // HOUR_MS
        self.width = n_hours + 1
        size = len(self.codes) * self.width
        self.sums = np.zeros(size)
        self.counts = np.zeros(size, dtype=np.int64)

    def add(self, code: np.ndarray, ts_ms: np.ndarray, value: np.ndarray) -> None:
        hour = ts_ms // HOUR_MS - self.base
        if len(hour) and (hour.min() < 0 or hour.max() >= self.width):
            raise RuntimeError("readings changed while being read")  # not clean after all
        at = self.slot[code] * self.width + hour
        self.sums += np.bincount(at, weights=value, minlength=len(self.sums))
        self.counts += np.bincount(at, minlength=len(self.counts))

    def result(self) -> SubHours:
        filled = np.flatnonzero(self.counts)
        code = self.codes[filled // self.width]
        hour_ms = (filled % self.width + self.base) * HOUR_MS
        return SubHours(code, hour_ms, self.sums[filled] * self.factor[code])
