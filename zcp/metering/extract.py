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

#: Sort key layout: meter code in the high bits, milliseconds from the period start
#: (offset by 2^39, about 17 years either way) in the low 40 bits.
_TIME_BITS = 40
_TIME_OFFSET = 1 << 39
NO_TIME = np.iinfo(np.int64).min


@dataclass
class Extract:
    """Readings sorted by (meter code, time), ties in file order. ``flag``: 0 measured,
    1 estimated, 2 invalid; ``dst``: 0 none, 1 nonexistent local time, 2 ambiguous."""

    code: np.ndarray  # int32
    ts_ms: np.ndarray  # int64, NO_TIME where the reading has no time
    value: np.ndarray  # float64, NaN where empty
    flag: np.ndarray  # int8
    dst: np.ndarray  # int8

    def __len__(self) -> int:
        return len(self.code)

    def key(self, start_ms: int) -> np.ndarray:
        offset = np.where(self.ts_ms == NO_TIME, -_TIME_OFFSET, self.ts_ms - start_ms)
        offset = np.clip(offset + _TIME_OFFSET, 0, (1 << _TIME_BITS) - 1)
        return (self.code.astype(np.int64) << _TIME_BITS) | offset

    def take(self, index: np.ndarray) -> Extract:
        return Extract(*(getattr(self, f)[index] for f in self.__dataclass_fields__))


def extract(
    con: duckdb.DuckDBPyConnection,
    codes: np.ndarray,
    meter_ids: pd.Series,
    start_ms: int,
    *,
    flags: bool,
    dst: bool,
) -> Extract:
    """Readings of the meters with the given codes, sorted (see the module docstring).

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
    arrays = con.execute(
        f"SELECT {', '.join(columns)} FROM raw r "
        "JOIN selected_frame s ON r.meter_id = s.meter_id::VARCHAR"
    ).fetchnumpy()
    # DuckDB keeps its copy of a result until the connection's next query: free it now.
    con.execute("SELECT 1").fetchall()
    con.unregister("selected_frame")
    n = len(arrays["code"])
    data = Extract(
        code=np.asarray(arrays.pop("code"), dtype=np.int32),
        ts_ms=np.asarray(arrays.pop("ts_ms"), dtype=np.int64),
        value=np.asarray(arrays.pop("value"), dtype=np.float64),
        flag=np.asarray(arrays.pop("flag"), dtype=np.int8) if flags else np.zeros(n, np.int8),
        dst=np.asarray(arrays.pop("dst"), dtype=np.int8) if dst else np.zeros(n, np.int8),
    )
    key = data.key(start_ms)
    if n > 1 and not (key[1:] >= key[:-1]).all():
        data = data.take(np.argsort(key, kind="stable"))
    return data
