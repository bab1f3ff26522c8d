"""The one pass over every reading: meters whose readings are exactly right are taken as
they are, the others are set aside for repair.

Readings arrive in batches (:mod:`zcp.metering.file_reader`). Each meter's readings are
expected as one contiguous block — a *run* — as meter systems and ``zcp synth`` write
them; a run is judged as soon as it ends:

* **clean**: the meter is an interval meter whose interval divides the hour, or a
  register read at such an interval; it has exactly one reading at every point of its
  grid over the period (a register also at the period's end), in time order, with values
  present, finite and non-negative (a register falls only where it rolls over), none
  above the meter's physical ceiling, no quality flag, no DST mark, and no interval the
  spike rule would reject. Its hours come straight from its readings and go
  into the per-node sums (:class:`~zcp.metering.nodes.NodeHours`); hourly meters'
  readings are their hours, so those are not even kept.
* otherwise **dirty**: the run's readings go (as :class:`Extract` arrays) to the
  rule-by-rule repair (:class:`~zcp.metering.repair_chunks.Repairs`).

A clean meter put through the repair comes out the same, so the split decides only the
cost. A meter met in a second run breaks the one-block assumption: the pass stops with
:class:`Unordered` and the caller feeds a sorted copy instead.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from zcp.metering.batch import Batch, plain_ids
from zcp.metering.extract import NO_TIME, Extract
from zcp.metering.nodes import NodeHours
from zcp.metering.repair_chunks import Repairs
from zcp.metering.repair_steps import may_spike
from zcp.metering.resample import Hours
from zcp.metering.thresholds import ROLLOVER_BAND, SPIKE_FACTOR, SPIKE_QUANTILE

HOURLY, SUBHOURLY, REGISTER, OTHER = range(4)
HOUR_US = 3_600_000_000


class Unordered(Exception):
    """A meter's readings are not one contiguous block in the files."""


@dataclass
class MeterKinds:
    """Per meter code: which clean shape applies, its interval and how many readings a
    clean meter has over the period."""

    kind: np.ndarray  # int8: HOURLY, SUBHOURLY, REGISTER or OTHER (always repaired)
    interval_us: np.ndarray  # int64
    expected: np.ndarray  # int64
    factor: np.ndarray  # float64, reading unit → carrier unit (multiplier included)
    rollover: np.ndarray  # float64, a register's range; NaN without
    ceiling: np.ndarray  # float64, the most one interval can read [reading unit]

    @classmethod
    def of(cls, meters: pd.DataFrame, n_hours: int) -> MeterKinds:
        interval = meters["interval_s"].to_numpy(dtype=np.int64)
        cumulative = (meters["register"] == "cumulative").to_numpy()
        divides = 3600 % interval == 0
        kind = np.where(cumulative, REGISTER, np.where(interval == 3600, HOURLY, SUBHOURLY))
        kind = np.where(divides, kind, OTHER).astype(np.int8)
        expected = n_hours * 3600 // interval + cumulative
        factor = meters["factor"].to_numpy(dtype=float)
        rollover = meters["rollover"].to_numpy(dtype=float)
        ceiling = meters["ceiling"].to_numpy(dtype=float)
        return cls(kind, interval * 1_000_000, expected, factor, rollover, ceiling)


@dataclass
class PassResult:
    readings: np.ndarray  # int64 per code: readings found in the files
    clean: np.ndarray  # bool per code
    totals: np.ndarray  # float64 per code: a clean meter's energy [carrier unit]
    rollovers: np.ndarray  # int64 per code: a clean register's rollovers
    #: hours of the clean sub-hourly meters and registers (clean hourly meters' hours are
    #: their readings, read from the files when asked for)
    computed: Hours
    unknown: dict[str, int]  # readings per meter id the park does not have


def spiky(per_slot: np.ndarray, total: float, peak: float) -> bool:
    """Whether the spike rule rejects any of a meter's non-negative interval values
    (``total`` and ``peak`` are their sum and maximum [reading unit]) — the same verdict as
    :func:`zcp.metering.repair_steps.spikes`, mostly without looking at the values again.

    The bound of :func:`~zcp.metering.repair_steps.may_spike` only weakens as the count of
    positive values grows, so the run's length can stand in for it first; only when that
    cannot rule a spike out are the positive values counted and, if need be, sorted.
    """
    for count in (len, np.count_nonzero):
        if not may_spike(total, peak, count(per_slot)):
            return False
    values = np.sort(per_slot[per_slot > 0])
    p99 = values[int(np.ceil(SPIKE_QUANTILE * len(values))) - 1]
    return bool(peak > SPIKE_FACTOR * p99)


def _none_inside(positions: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Per range [lo, hi): whether no (sorted) position falls in it."""
    return np.searchsorted(positions, hi) == np.searchsorted(positions, lo)


class ReadingPass:
    """Feed batches in file order, then :meth:`finish`."""

    def __init__(
        self, kinds: MeterKinds, start_us: int, n_hours: int, nodes: NodeHours, repairs: Repairs
    ):
        n = len(kinds.kind)
        self.kinds, self.start_us, self.n_hours, self.nodes = kinds, start_us, n_hours, nodes
        self.readings = np.zeros(n, dtype=np.int64)
        self.clean = np.zeros(n, dtype=bool)
        self.totals = np.full(n, np.nan)
        self.rollovers = np.zeros(n, dtype=np.int64)
        self._seen = np.zeros(n, dtype=bool)
        self._hour_grid = start_us + HOUR_US * np.arange(n_hours, dtype=np.int64)
        self._carry: Batch | None = None
        self.repairs = repairs
        # Hours of clean sub-hourly meters and registers, one row each, in the order taken.
        self._computed_codes: list[int] = []
        self._computed = np.empty((np.isin(kinds.kind, (SUBHOURLY, REGISTER)).sum(), n_hours))
        self._unknown: Counter[str] = Counter()

    def feed(self, batch: Batch) -> None:
        if not len(batch):
            return
        starts, ends = batch.meter_runs()
        if self._carry is not None:
            carry, self._carry = self._carry, None
            if carry.code_at(0) == batch.code_at(0):  # the carried run goes on
                blocks = [(carry, 0, len(carry)), (batch, 0, int(ends[0]))]
                head = Batch.gather(blocks, len(self.clean))
                if len(starts) == 1:
                    self._carry = head
                    return
                self._judge(head, np.array([0]), np.array([len(head)]))
                starts, ends = starts[1:], ends[1:]
            else:
                self._judge(carry, np.array([0]), np.array([len(carry)]))
        if batch.code_at(int(starts[-1])) < 0:  # ids the park lacks are only counted
            self._judge(batch, starts, ends)
            return
        # The last run may go on in the next batch.
        self._carry = batch.slice(int(starts[-1]), int(ends[-1])).copy()
        self._judge(batch, starts[:-1], ends[:-1])

    def finish(self) -> PassResult:
        if self._carry is not None:
            self._judge(self._carry, np.array([0]), np.array([len(self._carry)]))
            self._carry = None
        n_hours, codes = self.n_hours, np.array(self._computed_codes, dtype=np.int32)
        computed = Hours(
            np.repeat(codes, n_hours),
            np.tile(np.arange(n_hours, dtype=np.int32), len(codes)),
            self._computed[: len(codes)].ravel(),  # a view: no copy
            np.zeros(len(codes) * n_hours, dtype=bool),
        )
        return PassResult(
            self.readings, self.clean, self.totals, self.rollovers, computed, dict(self._unknown)
        )

    def _judge(self, b: Batch, starts: np.ndarray, ends: np.ndarray) -> None:
        """Judge complete runs [starts, ends) of a batch."""
        if not len(starts):
            return
        code = b.codes[b.index[starts]]
        unknown = code < 0
        if unknown.any():
            for lo, hi in zip(starts[unknown], ends[unknown], strict=True):
                counts = pc.value_counts(plain_ids(b.ids.slice(int(lo), int(hi - lo))))
                for item in counts.to_pylist():
                    self._unknown[item["values"]] += item["counts"]
            code, starts, ends = code[~unknown], starts[~unknown], ends[~unknown]
            if not len(code):
                return
        if self._seen[code].any() or np.unique(code).size < code.size:
            raise Unordered
        self._seen[code] = True
        self.readings[code] = ends - starts
        clean = self._clean_hourly(b, code, starts, ends)
        for i in np.flatnonzero(self.kinds.kind[code] != HOURLY):
            clean[i] = self._take_other(b, int(code[i]), int(starts[i]), int(ends[i]))
        for i in np.flatnonzero(~clean):
            self.repairs.add(_extract(b, int(code[i]), int(starts[i]), int(ends[i])))

    def _clean_hourly(self, b: Batch, code, starts, ends) -> np.ndarray:
        """Judge the hourly meters' runs and take the clean ones.

        Runs that lie back to back are judged together as one (runs x hours) view, so
        each check is one reduction over many meters; flags and DST marks (rare) are
        looked up once per batch."""
        h = self.n_hours
        ok = (self.kinds.kind[code] == HOURLY) & (ends - starts == h)
        ok &= b.ts_us[starts] == self.start_us
        for marks in (b.flag, b.dst):
            if marks is not None and ok.any():
                ok &= _none_inside(np.flatnonzero(marks), starts, ends)
        candidates = np.flatnonzero(ok)
        if not candidates.size:
            return ok
        apart = np.flatnonzero(starts[candidates[1:]] != ends[candidates[:-1]]) + 1
        for group in np.split(candidates, apart):
            lo, hi = starts[group[0]], ends[group[-1]]
            values = b.value[lo:hi].reshape(len(group), h)
            total, peak = values.sum(axis=1), values.max(axis=1)
            good = values.min(axis=1) >= 0  # False for NaN too
            good &= peak <= self.kinds.ceiling[code[group]]  # False for inf and NaN
            good &= (b.ts_us[lo:hi].reshape(len(group), h) == self._hour_grid).all(axis=1)
            for j in np.flatnonzero(good & may_spike(total, peak, h)):
                good[j] = not spiky(values[j], total[j], peak[j])
            ok[group] = good
            taken = group[good]
            self._take_many(code[taken], values[good], total[good])
        return ok

    def _take_other(self, b: Batch, code: int, lo: int, hi: int) -> bool:
        """Judge and, if clean, take a sub-hourly meter's or a register's run."""
        kind = self.kinds.kind[code]
        if kind == OTHER or hi - lo != self.kinds.expected[code]:
            return False
        ts = b.ts_us[lo:hi]
        if ts[0] != self.start_us or (np.diff(ts) != self.kinds.interval_us[code]).any():
            return False
        for marks in (b.flag, b.dst):
            if marks is not None and marks[lo:hi].any():
                return False
        values = b.value[lo:hi]
        if not (values >= 0).all():
            return False
        per_slot = values
        if kind == REGISTER:
            per_slot = np.diff(values)
            if not self._roll_over(code, values, per_slot):
                return False
        peak = per_slot.max()
        if not peak <= self.kinds.ceiling[code]:  # inf, NaN or physically impossible
            return False
        if spiky(per_slot, per_slot.sum(), peak):
            return False
        hours = per_slot.reshape(self.n_hours, -1).sum(axis=1)
        self._take(code, hours, hours.sum())
        return True

    def _roll_over(self, code: int, values: np.ndarray, deltas: np.ndarray) -> bool:
        """Add the range back where a register rolled over (in place); False if it fell
        any other way (a reset, for the repair)."""
        fall = np.flatnonzero(deltas < 0)
        if not fall.size:
            return True
        top = self.kinds.rollover[code]
        rolled = (values[fall] >= (1 - ROLLOVER_BAND) * top) & (
            values[fall + 1] <= ROLLOVER_BAND * top
        )
        if np.isnan(top) or not rolled.all():
            return False
        deltas[fall] += top
        self.rollovers[code] = fall.size
        return True

    def _take_many(self, codes: np.ndarray, hours: np.ndarray, totals: np.ndarray) -> None:
        """Clean hourly meters: ``hours`` [reading unit] (one row each) sum to ``totals``."""
        self.clean[codes] = True
        self.totals[codes] = totals * self.kinds.factor[codes]
        for j in np.flatnonzero(self.nodes.aggregates(codes)):
            self.nodes.add_full_meter(int(codes[j]), hours[j], self.kinds.factor[codes[j]])

    def _take(self, code: int, hours: np.ndarray, total: float) -> None:
        """A clean sub-hourly meter or register: ``hours`` [reading unit] sum to ``total``."""
        factor = self.kinds.factor[code]
        self.clean[code] = True
        self.totals[code] = total * factor
        self.nodes.add_full_meter(code, hours, factor)
        np.multiply(hours, factor, out=self._computed[len(self._computed_codes)])
        self._computed_codes.append(code)


def _extract(b: Batch, code: int, lo: int, hi: int) -> Extract:
    ts = b.ts_us[lo:hi]
    n = hi - lo
    return Extract(
        code=np.full(n, code, dtype=np.int32),
        ts_ms=np.where(ts == NO_TIME, NO_TIME, ts // 1000),
        value=b.value[lo:hi].copy(),
        flag=b.flag[lo:hi].copy() if b.flag is not None else np.zeros(n, dtype=np.int8),
        dst=b.dst[lo:hi].copy() if b.dst is not None else np.zeros(n, dtype=np.int8),
        order=b.orders(lo, hi).copy(),
    )
