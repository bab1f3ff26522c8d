"""Several readings files merged meter by meter, so the reading pass sees each meter's
readings as one block.

Meter systems often export one file per month, each listing the meters in the same
order. Read one after the other, every meter would come back twelve times; merged — like
the merge step of a merge sort, over blocks rather than rows — each meter's blocks from
every file are handed over together, in the order the park lists the files (so "the
first in file order" still holds). Two common orders are recognised: the park's own meter
list and ascending meter id. Files in neither end the merge with
:class:`~zcp.metering.runs.Unordered`, and the caller tries the next way. Readings of ids
the park lacks are only counted, so they are passed on wherever they turn up.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from typing import Any

import pyarrow as pa

from zcp.metering.batch import Batch, plain_ids
from zcp.metering.file_reader import BATCH_ROWS
from zcp.metering.runs import Unordered

#: Rows [lo, hi) of a batch: one meter's block.
Block = tuple[Batch, int, int]


class _Blocks:
    """One file's batches as a sequence of blocks of one meter each."""

    def __init__(self, batches: Iterator[Batch], by_id: bool):
        self._batches, self._by_id = batches, by_id
        self._last: Any = None  # order keys: meter ids (str) or codes (int)
        self.strays: list[Block] = []  # blocks of ids the park lacks, not yet passed on
        self._next_batch()

    def _next_batch(self) -> None:
        self._batch = next(self._batches, None)
        if self._batch is None:
            return
        self._starts, self._ends = self._batch.meter_runs()
        self._codes = self._batch.codes[self._batch.index[self._starts]]
        self._keys = (
            plain_ids(self._batch.ids.take(pa.array(self._starts))).to_pylist()
            if self._by_id
            else self._codes.tolist()
        )
        self._at = 0
        self._skip_strays()

    def _advance(self) -> Block:
        assert self._batch is not None  # callers check head() first
        block = (self._batch, int(self._starts[self._at]), int(self._ends[self._at]))
        self._at += 1
        if self._at == len(self._starts):
            self._next_batch()
        return block

    def _skip_strays(self) -> None:
        while self._batch is not None and self._codes[self._at] < 0:
            self.strays.append(self._advance())

    def head(self) -> Any:
        """The order key of the next meter's block; None when the file is done."""
        return None if self._batch is None else self._keys[self._at]

    def take(self) -> list[Block]:
        """Every block of the head meter (a block may go on in the next batch)."""
        key = self.head()
        if self._last is not None and key <= self._last:
            raise Unordered  # this file does not list its meters in that order
        self._last = key
        pieces = []
        while self._batch is not None and self._keys[self._at] == key:
            pieces.append(self._advance())
            self._skip_strays()
        return pieces


def merged_by_meter(files: list[Iterator[Batch]], n_meters: int, *, by_id: bool) -> Iterator[Batch]:
    """Batches of whole meters from files that each list their meters in the park's
    meter order (``by_id=False``) or by ascending id."""
    blocks = [_Blocks(batches, by_id) for batches in files]
    heap = [(b.head(), i) for i, b in enumerate(blocks) if b.head() is not None]
    heapq.heapify(heap)
    pieces: list[Block] = []
    rows = 0
    while True:
        for b in blocks:
            pieces += b.strays
            rows += sum(hi - lo for _, lo, hi in b.strays)
            b.strays = []
        if rows >= BATCH_ROWS or (not heap and pieces):
            yield Batch.gather(pieces, n_meters)
            pieces, rows = [], 0
        if not heap:
            return
        key = heap[0][0]
        while heap and heap[0][0] == key:  # equal keys come off in file order
            _, i = heapq.heappop(heap)
            taken = blocks[i].take()
            pieces += taken
            rows += sum(hi - lo for _, lo, hi in taken)
            if blocks[i].head() is not None:
                heapq.heappush(heap, (blocks[i].head(), i))
