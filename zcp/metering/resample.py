"""Interval energies → UTC hours, then gaps inside a meter's data filled by interpolation.

Rules (see :mod:`zcp.metering`): native intervals are summed into the hour they start
in; an hour with only some of its intervals is scaled up to the full hour (imputed); an
interval longer than an hour — or a register difference spanning missing readings — is
spread evenly over what it covers (imputed); hours missing between a meter's first and
last hour with data are filled by linear interpolation (imputed); hours outside that
span stay missing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zcp.metering.repair_steps import Intervals, MeterRules

HOUR_MS = 3_600_000


@dataclass
class Hours:
    """One value per meter code and hour index (hours since the period start), sorted by
    code then hour. ``value`` is in the carrier's canonical unit."""

    code: np.ndarray
    hour: np.ndarray
    value: np.ndarray
    imputed: np.ndarray

    @classmethod
    def empty(cls) -> Hours:
        return cls(*(np.empty(0, dtype=t) for t in (np.int64, np.int64, np.float64, bool)))

    @classmethod
    def concat(cls, parts: list[Hours]) -> Hours:
        if not parts:
            return cls.empty()
        fields = cls.__dataclass_fields__
        return cls(*(np.concatenate([getattr(p, f) for p in parts]) for f in fields))


def _expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For items repeated ``counts`` times: (item index, position within its repeats)."""
    item = np.repeat(np.arange(len(counts)), counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    return item, np.arange(len(item)) - first


def to_hours(
    iv: Intervals, rules: MeterRules, factor: np.ndarray, start_ms: int, n_hours: int
) -> Hours:
    """Interval energies [reading unit] summed into the period's UTC hours and scaled by
    each meter's ``factor`` [carrier unit per reading unit]; ``start_ms`` [ms since the
    epoch], ``n_hours`` [h]. Partial hours are scaled up, longer intervals spread, gaps
    between a meter's first and last hour interpolated (all marked imputed)."""
    interval = rules.interval_ms[iv.code]
    start, energy = iv.start_ms, iv.energy / iv.slots
    spread = iv.estimated | (iv.slots > 1)
    code = iv.code
    if (iv.slots > 1).any():
        item, k = _expand(iv.slots)
        code, energy, spread = code[item], energy[item], spread[item]
        interval = interval[item]
        start = start[item] + k * interval
    per_slot = np.maximum(interval // HOUR_MS, 1)
    if (per_slot > 1).any():
        item, k = _expand(per_slot)
        code, spread = code[item], spread[item] | True
        energy = energy[item] / per_slot[item]
        start = start[item] + k * HOUR_MS
        interval = np.full(len(item), HOUR_MS)
    hour = (start - start_ms) // HOUR_MS
    del start
    inside = (hour >= 0) & (hour < n_hours)
    if not inside.all():
        code, hour, energy = code[inside], hour[inside], energy[inside]
        spread, interval = spread[inside], interval[inside]
    del inside
    if not len(code):
        return Hours.empty()

    # Rows are sorted by meter and time, so each (meter, hour) is one run.
    new = np.empty(len(code), dtype=bool)
    new[0] = True
    np.not_equal(code[1:], code[:-1], out=new[1:])
    new[1:] |= hour[1:] != hour[:-1]
    starts = np.flatnonzero(new)
    del new
    sums = np.add.reduceat(energy, starts)
    counts = np.diff(np.r_[starts, len(code)])
    any_spread = np.maximum.reduceat(spread.view(np.int8), starts).astype(bool)
    per_hour = np.maximum(HOUR_MS // interval[starts], 1)
    partial = counts < per_hour
    values = np.where(partial, sums * per_hour / counts, sums)
    hours = Hours(code[starts], hour[starts], values, any_spread | partial)
    filled = _fill_gaps(hours)
    filled.value = filled.value * factor[filled.code]
    return filled


def _fill_gaps(h: Hours) -> Hours:
    """Linear interpolation over hours missing between a meter's first and last hour."""
    bounds = np.flatnonzero(np.r_[True, h.code[1:] != h.code[:-1], True])
    parts: list[Hours] = []
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        hour = h.hour[lo:hi]
        span = hour[-1] - hour[0] + 1
        if span == hi - lo:
            parts.append(Hours(h.code[lo:hi], hour, h.value[lo:hi], h.imputed[lo:hi]))
            continue
        full = np.arange(hour[0], hour[-1] + 1)
        imputed = np.ones(span, dtype=bool)
        imputed[hour - hour[0]] = h.imputed[lo:hi]
        values = np.interp(full, hour, h.value[lo:hi])
        parts.append(Hours(np.full(span, h.code[lo]), full, values, imputed))
    return Hours.concat(parts)
