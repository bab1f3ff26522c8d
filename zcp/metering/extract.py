"""The readings of the meters to repair, as plain arrays sorted by meter and time.

Meter ids are integer codes (the row of the meter in the ``meters`` table); timestamps are
milliseconds since the epoch. Readings with the same meter and time stay in file order,
so "the first one is kept" means the first in the files.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: A reading without a time: a local time that daylight-saving time skipped.
NO_TIME = np.iinfo(np.int64).min
#: Sort key layout: meter code in the high bits, milliseconds from the period start
#: (offset by 2^39, about 17 years either way) in the low 40 bits.
_TIME_BITS = 40
_TIME_OFFSET = 1 << 39
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
        """One sortable int64 per reading: meter code, then time since ``start_ms``
        [ms since the epoch]."""
        offset = np.where(self.ts_ms == NO_TIME, -_TIME_OFFSET, self.ts_ms - start_ms)
        offset = np.clip(offset + _TIME_OFFSET, 0, (1 << _TIME_BITS) - 1)
        return (self.code.astype(np.int64) << _TIME_BITS) | offset

    def take(self, index: np.ndarray | slice) -> Extract:
        return Extract(*(getattr(self, f)[index] for f in self.__dataclass_fields__))

    @classmethod
    def concat(cls, parts: list[Extract]) -> Extract:
        """One meter per part (a run): parts are joined in meter order."""
        parts = sorted(parts, key=lambda p: int(p.code[0]))
        if not parts:
            empty = (np.int32, np.int64, np.float64, np.int8, np.int8, np.int64)
            return cls(*(np.empty(0, dtype=t) for t in empty))
        fields = cls.__dataclass_fields__
        return cls(*(np.concatenate([getattr(p, f) for p in parts]) for f in fields))


def sort_by_meter_and_time(data: Extract, start_ms: int) -> Extract:
    """Sorted by (meter, time), ties in their current (file) order; rows already in order
    (the usual case) are not touched. ``start_ms``: period start [ms since the epoch]."""
    if not _breaks(data, 0).size:
        return data
    # Rows are sorted runs (a meter's readings, mostly in time order); a stable merge
    # sort (timsort) joins runs in near-linear time.
    return data.take(np.argsort(data.key(start_ms), kind="stable"))


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
