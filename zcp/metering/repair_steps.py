"""Reading-by-reading repair of the meters that are not clean: the rules, in numpy.

Steps (each counted per meter; :mod:`zcp.metering` states the rules in words):

1. classify every reading: rejected as ``dst_nonexistent``, ``empty``, ``non_finite``,
   ``flagged``, ``outside_period``, ``misaligned``, ``negative`` or ``duplicate`` (the
   first in file order is kept), or accepted (``estimated`` flags are accepted but marked
   imputed);
2. turn readings into interval energies: interval meters as they are; cumulative registers
   as differences of consecutive accepted readings, with rollovers added back and resets
   dropped; a difference spanning missing readings covers all the intervals it spans;
3. reject intervals above the meter's physical ceiling (``implausible``, whatever the
   meter's reading count), then spikes: an interval above SPIKE_FACTOR x the 99th
   percentile of the meter's positive intervals (meters with at least SPIKE_MIN_POSITIVE
   of them).

:mod:`zcp.metering.resample` then makes hours of the intervals. Arrays arrive sorted by
meter and time (:mod:`zcp.metering.extract`), so every per-meter step is a run over a
contiguous slice — no sorting, no Python loop over readings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zcp.metering.extract import NO_TIME, Extract
from zcp.metering.thresholds import ROLLOVER_BAND, SPIKE_FACTOR, SPIKE_MIN_POSITIVE, SPIKE_QUANTILE

#: Rejection codes, in the order the rules are tried (first match wins).
REASONS = (
    "dst_nonexistent", "empty", "non_finite", "flagged", "outside_period", "misaligned",
    "negatives", "duplicates",
)  # fmt: skip
_CODE = {name: i + 1 for i, name in enumerate(REASONS)}


@dataclass
class MeterRules:
    """Per meter code: what the rules need to know."""

    cumulative: np.ndarray  # bool
    interval_ms: np.ndarray  # int64
    rollover: np.ndarray  # float64, NaN without rollover


@dataclass
class Intervals:
    """Interval energies [reading unit] of accepted readings, sorted by meter and time:
    ``energy`` covers ``slots`` native intervals from ``start_ms``."""

    code: np.ndarray
    start_ms: np.ndarray
    slots: np.ndarray
    energy: np.ndarray
    estimated: np.ndarray  # bool


def classify(data: Extract, rules: MeterRules, start_ms: int, end_ms: int) -> np.ndarray:
    """The rejection code of every reading (0 = accepted); ``start_ms`` and ``end_ms`` bound
    the reporting period [ms since the epoch]."""
    code = data.code
    reason = np.zeros(len(data), dtype=np.int8)

    def reject(name: str, mask: np.ndarray) -> None:
        reason[(reason == 0) & mask] = _CODE[name]

    ts = data.ts_ms
    reject("dst_nonexistent", data.dst == 1)
    reject("empty", np.isnan(data.value))
    reject("non_finite", np.isinf(data.value))
    reject("flagged", data.flag == 2)
    cumulative = rules.cumulative[code]
    outside = (ts < start_ms) | (ts > end_ms) | ((ts == end_ms) & ~cumulative)
    reject("outside_period", outside | (ts == NO_TIME))
    reject("misaligned", (ts - start_ms) % rules.interval_ms[code] != 0)
    reject("negatives", data.value < 0)
    kept = np.flatnonzero(reason == 0)
    same = (code[kept][1:] == code[kept][:-1]) & (ts[kept][1:] == ts[kept][:-1])
    reason[kept[1:][same]] = _CODE["duplicates"]
    return reason


def rejected_rows(data: Extract, reason: np.ndarray) -> dict[str, np.ndarray]:
    """The rejected readings themselves: code, ts_ms [ms since the epoch], value [reading
    unit] and the rule's name."""
    at = np.flatnonzero(reason > 0)
    names = np.array(("",) + REASONS, dtype=object)
    return {
        "code": data.code[at],
        "ts_ms": data.ts_ms[at],
        "value": data.value[at],
        "rule": names[reason[at]],
    }


def count_reasons(data: Extract, reason: np.ndarray, n_meters: int) -> dict[str, np.ndarray]:
    counts = {
        name: np.bincount(data.code[reason == i + 1], minlength=n_meters)
        for i, name in enumerate(REASONS)
    }
    counts["readings"] = np.bincount(data.code, minlength=n_meters)
    counts["accepted"] = np.bincount(data.code[reason == 0], minlength=n_meters)
    estimated = (reason == 0) & (data.flag == 1)
    counts["estimated"] = np.bincount(data.code[estimated], minlength=n_meters)
    counts["dst_ambiguous"] = np.bincount(data.code[data.dst == 2], minlength=n_meters)
    return counts


def gap_runs(data: Extract, reason: np.ndarray, rules: MeterRules, n_meters: int) -> np.ndarray:
    """Per meter: how many times consecutive readings that exist (accepted, or rejected
    only for their value) lie more than one interval apart."""
    present = (reason == 0) | np.isin(
        reason, [_CODE["empty"], _CODE["non_finite"], _CODE["flagged"], _CODE["negatives"]]
    )
    idx = np.flatnonzero(present)
    code, ts = data.code[idx], data.ts_ms[idx]
    jump = (code[1:] == code[:-1]) & (ts[1:] - ts[:-1] > rules.interval_ms[code[1:]])
    return np.bincount(code[1:][jump], minlength=n_meters)


def intervals(
    accepted: Extract, rules: MeterRules, n_meters: int
) -> tuple[Intervals, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Interval energies [reading unit] of accepted readings; also resets and rollovers per
    meter [count], and
    the reset readings (as :func:`rejected_rows` lists them).

    Works on whole columns (no gathers: falls, the only rows needing a closer look, are
    rare): each interval sits where its (closing) reading is, so the result stays sorted
    by meter and time."""
    code, ts, value = accepted.code, accepted.ts_ms, accepted.value
    n = len(code)
    cumulative = rules.cumulative[code]
    # Registers: the difference to the previous accepted reading of the same meter.
    follows = np.zeros(n, dtype=bool)
    follows[1:] = cumulative[1:] & (code[1:] == code[:-1])
    delta = np.zeros(n)
    np.subtract(value[1:], value[:-1], out=delta[1:])
    fall = np.flatnonzero(follows & (delta < 0))
    rollover = rules.rollover[code[fall]]
    rolled = (
        ~np.isnan(rollover)
        & (value[fall - 1] >= (1 - ROLLOVER_BAND) * rollover)
        & (value[fall] <= ROLLOVER_BAND * rollover)
    )
    delta[fall[rolled]] += rollover[rolled]
    reset = fall[~rolled]
    resets = np.bincount(code[reset], minlength=n_meters)
    rollovers = np.bincount(code[fall[rolled]], minlength=n_meters)
    dropped = {
        "code": code[reset],
        "ts_ms": ts[reset],
        "value": value[reset],
        "rule": np.full(len(reset), "resets", dtype=object),
    }
    follows[reset] = False
    prev_ts = np.empty(n, dtype=np.int64)
    prev_ts[:1] = ts[:1]
    prev_ts[1:] = ts[:-1]
    slots = np.where(follows, (ts - prev_ts) // rules.interval_ms[code], 1).astype(np.int32)
    estimated = accepted.flag == 1
    estimated[1:] |= follows[1:] & estimated[:-1]
    start = np.where(follows, prev_ts, ts)
    energy = np.where(follows, delta, value)
    del delta, prev_ts
    is_interval = ~cumulative | follows
    if is_interval.all():
        return Intervals(code, start, slots, energy, estimated), resets, rollovers, dropped
    at = np.flatnonzero(is_interval)
    merged = Intervals(code[at], start[at], slots[at], energy[at], estimated[at])
    return merged, resets, rollovers, dropped


def may_spike(total, peak, n):
    """Whether a meter with ``n`` positive interval values summing to ``total``, the
    largest ``peak`` (both [reading unit]), may hold a spike (scalars or per-meter arrays). At most
    a = ceil(1 % of n) + 1 of them lie above their 99th percentile, so
    p99 >= (total - a x peak) / (n - a); a peak within SPIKE_FACTOR x that bound, or fewer
    than SPIKE_MIN_POSITIVE values, rules a spike out without sorting anything."""
    above = np.ceil((1 - SPIKE_QUANTILE) * n) + 1
    with np.errstate(over="ignore", invalid="ignore"):  # inf readings: judged elsewhere
        bound = (total - above * peak) / np.maximum(n - above, 1)
    return (n >= SPIKE_MIN_POSITIVE) & (peak > SPIKE_FACTOR * np.maximum(bound, 0))


def spikes(iv: Intervals, n_meters: int) -> np.ndarray:
    """Mask of spike intervals. Only meters whose maximum could exceed SPIKE_FACTOR x
    their 99th percentile (judged from sums first, exactly after) are looked at closely."""
    per_slot = iv.energy / iv.slots
    positive = per_slot > 0
    n_pos = np.bincount(iv.code[positive], minlength=n_meters)
    total = np.bincount(iv.code[positive], weights=per_slot[positive], minlength=n_meters)
    peak = np.zeros(n_meters)
    np.maximum.at(peak, iv.code[positive], per_slot[positive])
    suspects = np.flatnonzero(may_spike(total, peak, n_pos))
    mask = np.zeros(len(iv.code), dtype=bool)
    bounds = np.searchsorted(iv.code, np.stack([suspects, suspects + 1]))
    for lo, hi in zip(bounds[0], bounds[1], strict=True):
        values = per_slot[lo:hi]
        pos = np.sort(values[values > 0])
        p99 = pos[int(np.ceil(SPIKE_QUANTILE * len(pos))) - 1]
        mask[lo:hi] = values > SPIKE_FACTOR * p99
    return mask
