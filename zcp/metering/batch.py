"""A batch of readings: the unit the reading pass works on (:mod:`zcp.metering.runs`).

Columns are numpy arrays, one value per reading, in file order; meter ids stay
dictionary-encoded (see :class:`Batch`). :mod:`zcp.metering.file_reader` reads files into
batches; :mod:`zcp.metering.merge` gathers them across files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import numpy as np
import pyarrow as pa


@dataclass(frozen=True)
class OrderBlocks:
    """File order of a batch made of blocks of consecutive rows: the block starting at
    row ``start[k]`` begins at order ``first[k]`` (worked out only for the rows asked)."""

    start: np.ndarray
    first: np.ndarray

    def between(self, lo: int, hi: int) -> np.ndarray:
        rows = np.arange(lo, hi, dtype=np.int64)
        k = np.searchsorted(self.start, rows, side="right") - 1
        return self.first[k] + (rows - self.start[k])


@dataclass
class Batch:
    """Readings in file order. Meter ids stay dictionary-encoded: ``index`` points into
    the batch's dictionary and ``codes`` maps each dictionary entry to a meter code, so
    finding where one meter's readings end compares small integers and no per-reading
    lookup is made."""

    index: np.ndarray  # int32, per reading
    codes: np.ndarray  # int32, per dictionary entry: meter code, -1 if not a park meter
    ts_us: np.ndarray  # int64, NO_TIME where the reading has no time
    value: np.ndarray  # float64, NaN where empty
    flag: np.ndarray | None  # int8: 0 measured, 1 estimated, 2 invalid; None: all 0
    dst: np.ndarray | None  # int8: 0 none, 1 nonexistent local time, 2 ambiguous
    #: source << 40 | row, per reading — or that of the first one, the rest following it,
    #: or per block of consecutive rows
    order: np.ndarray | int | OrderBlocks
    ids: pa.Array  # the meter ids as read, to name ids the park does not have

    def __len__(self) -> int:
        return len(self.index)

    def code_at(self, row: int) -> int:
        return int(self.codes[self.index[row]])

    def meter_runs(self) -> tuple[np.ndarray, np.ndarray]:
        """[starts, ends) of the blocks of consecutive readings of one meter (ids the park
        lacks all count as one meter here)."""
        cut = np.flatnonzero(self.index[1:] != self.index[:-1]) + 1
        starts = np.r_[0, cut]
        code = self.codes[self.index[starts]]
        if len(code) > 1 and (code[1:] == code[:-1]).any():  # two entries, one meter
            starts = starts[np.r_[True, code[1:] != code[:-1]]]
        return starts, np.r_[starts[1:], len(self)]

    def orders(self, lo: int, hi: int) -> np.ndarray:
        if isinstance(self.order, np.ndarray):
            return self.order[lo:hi]
        if isinstance(self.order, OrderBlocks):
            return self.order.between(lo, hi)
        return self.order + np.arange(lo, hi, dtype=np.int64)

    def slice(self, lo: int, hi: int) -> Batch:
        """Rows [lo, hi), as views."""
        columns = {name: getattr(self, name) for name in _ROW_COLUMNS}
        out = {k: (v[lo:hi] if v is not None else None) for k, v in columns.items()}
        order: np.ndarray | int | OrderBlocks
        if isinstance(self.order, np.ndarray):
            order = self.order[lo:hi]
        elif isinstance(self.order, OrderBlocks):
            order = OrderBlocks(self.order.start - lo, self.order.first)
        else:
            order = self.order + lo
        return Batch(**out, codes=self.codes, order=order, ids=self.ids.slice(lo, hi - lo))  # type: ignore[arg-type]  # columns by name

    def copy(self) -> Batch:
        """Own copies of the per-reading columns (a slice keeps its whole batch alive)."""
        columns = {name: getattr(self, name) for name in _ROW_COLUMNS}
        out = {k: (v.copy() if v is not None else None) for k, v in columns.items()}
        order = self.order.copy() if isinstance(self.order, np.ndarray) else self.order
        return Batch(**out, codes=self.codes, order=order, ids=self.ids)  # type: ignore[arg-type]  # columns by name

    @classmethod
    def gather(cls, blocks: list[tuple[Batch, int, int]], n_meters: int) -> Batch:
        """One batch of blocks (batch, lo, hi) of one meter each, from any batches (whose
        dictionaries may differ: the result is indexed by meter code + 1) — built column
        by column, without a batch object per block."""
        lengths = np.array([hi - lo for _, lo, hi in blocks], dtype=np.int64)
        codes = np.array([b.codes[b.index[lo]] for b, lo, _ in blocks], dtype=np.int32)
        out: dict = {"index": np.repeat(codes + 1, lengths).astype(np.int32)}
        for name in ("ts_us", "value", "flag", "dst"):
            columns = [getattr(b, name) for b, _, _ in blocks]
            if all(c is None for c in columns):
                out[name] = None
                continue
            out[name] = np.concatenate(
                [c[lo:hi] if c is not None else np.zeros(hi - lo, np.int8)
                 for c, (_, lo, hi) in zip(columns, blocks, strict=True)]
            )  # fmt: skip
        if all(isinstance(b.order, int) for b, _, _ in blocks):  # consecutive rows each
            first = np.array([cast(int, b.order) + lo for b, lo, _ in blocks], dtype=np.int64)
            order: np.ndarray | OrderBlocks = OrderBlocks(np.cumsum(lengths) - lengths, first)
        else:
            order = np.concatenate([b.orders(lo, hi) for b, lo, hi in blocks])
        if (codes < 0).any():  # ids the park lacks: keep them, to name them
            ids = pa.chunked_array(
                [plain_ids(b.ids.slice(lo, hi - lo)) for b, lo, hi in blocks], type=pa.string()
            ).combine_chunks()
        else:
            ids = pa.nulls(int(lengths.sum()), pa.string())
        return cls(**out, codes=np.arange(-1, n_meters, dtype=np.int32), order=order, ids=ids)


_ROW_COLUMNS = ("index", "ts_us", "value", "flag", "dst")


def plain_ids(ids: pa.Array) -> pa.Array:
    return ids.dictionary_decode() if pa.types.is_dictionary(ids.type) else ids.cast(pa.string())
