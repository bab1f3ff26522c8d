"""A seeded, reproducible hourly wind year for a design-stage wind generator.

No offline wind resource is bundled, so a design park's wind generator gets a modelled
year instead of a flat profile (a flat profile would make its hourly matching with the load
unrealistically good):

1. hub-height wind speed: a Gaussian AR(1) (hour-to-hour persistence) mapped through the
   normal and Weibull CDFs onto a Weibull marginal of shape k, times a mild seasonal and
   diurnal modulation (the usual way to simulate a wind-speed series with a given marginal
   and autocorrelation, e.g. Brown, Katz & Murphy 1984, J. Clim. Appl. Meteorol. 23);
2. a generic IEC-class power curve (cubic from cut-in to rated, flat to cut-out, zero
   beyond);
3. the Weibull scale is chosen (bisection) so the curve's mean output equals the capacity
   factor the annual figure implies, so no hour exceeds capacity where that figure is
   reachable; the series is then scaled to that figure exactly.

Every default below is illustrative, not site data. The random stream is numpy's PCG64,
seeded from a SHA-256 of the park and generator ids, so the same design gives the same
series in every process (Python's ``hash()`` is salted per process and is not used).
"""

from __future__ import annotations

import functools
import hashlib
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Weibull shape k of hourly hub-height wind speed (k ≈ 2, the Rayleigh case, is the usual
#: onshore assumption). Illustrative default, not site data.
WEIBULL_SHAPE = 2.0
#: Lag-1 autocorrelation of the hourly Gaussian behind the wind speed (weather systems
#: last a day or two). Illustrative default, not site data.
HOURLY_PERSISTENCE = 0.95
#: Relative amplitude of the seasonal swing of wind speed, peaking in spring as in northern
#: China. Illustrative default, not site data.
SEASONAL_AMPLITUDE = 0.10
#: Day of the year of the seasonal peak (about 10 April). Illustrative default.
SEASONAL_PEAK_DAY = 100.0
#: Relative amplitude of the daily swing at hub height, peaking at night (nocturnal
#: low-level jet). Illustrative default, not site data.
DIURNAL_AMPLITUDE = 0.06
#: Local hour of the daily peak. Illustrative default.
DIURNAL_PEAK_HOUR = 1.0
#: Generic IEC-class power curve [m/s]: no output below cut-in, cubic rise to rated power,
#: rated power up to cut-out, shut down at and above it. Illustrative defaults, not a
#: particular turbine.
CUT_IN_SPEED = 3.0
RATED_SPEED = 12.0
CUT_OUT_SPEED = 25.0
#: Range of mean hub-height wind speed [m/s] searched for the Weibull scale; a capacity
#: factor beyond what the curve gives at the top of it is reached by scaling alone.
MEAN_SPEED_RANGE = (3.0, 12.0)
#: The method in words, for the ``how`` of a figure and the ledger's shape label.
METHOD = (
    f"seeded wind series (Weibull k {WEIBULL_SHAPE:g}, hourly persistence "
    f"{HOURLY_PERSISTENCE:g}) through a generic power curve (cut-in {CUT_IN_SPEED:g}, rated "
    f"{RATED_SPEED:g}, cut-out {CUT_OUT_SPEED:g} m/s)"
)

_BISECTIONS = 60


@dataclass(frozen=True)
class WindYear:
    """Hourly output of one MW of wind [MWh/MW per hour] and the mean speed behind it."""

    per_mw: np.ndarray  #: read-only; mean equals the capacity factor asked for
    mean_speed: float  #: mean hub-height wind speed of the series [m/s]
    reached: bool  #: False if the capacity factor needed scaling beyond the curve


def series_seed(park_id: str, generator_id: str) -> int:
    """A 128-bit seed from the park and generator ids (stable across processes)."""
    digest = hashlib.sha256(f"zcp-wind-series/{park_id}/{generator_id}".encode()).digest()
    return int.from_bytes(digest[:16], "big")


def power_curve(speed: np.ndarray) -> np.ndarray:
    """Output as a fraction of rated power [-] at hub-height wind ``speed`` [m/s]."""
    speed = np.asarray(speed, dtype=float)
    cubic = (speed**3 - CUT_IN_SPEED**3) / (RATED_SPEED**3 - CUT_IN_SPEED**3)
    out = np.where(speed >= RATED_SPEED, 1.0, np.clip(cubic, 0.0, 1.0))
    out[(speed < CUT_IN_SPEED) | (speed >= CUT_OUT_SPEED)] = 0.0
    return out


@functools.lru_cache(maxsize=32)
def unit_speeds(seed: int, start: pd.Timestamp, hours: int) -> np.ndarray:
    """Wind speed of Weibull scale 1 [-] for ``hours`` hours from ``start`` (tz-aware; its
    zone gives the local hour and day of the diurnal and seasonal swing). Read-only."""
    rng = np.random.Generator(np.random.PCG64(seed))
    shocks = rng.standard_normal(hours)
    gauss = np.empty(hours)
    level = shocks[0] if hours else 0.0  # start in the stationary N(0, 1)
    spread = math.sqrt(1.0 - HOURLY_PERSISTENCE**2)
    for h in range(hours):
        if h:
            level = HOURLY_PERSISTENCE * level + spread * shocks[h]
        gauss[h] = level
    # N(0, 1) → uniform → Weibull(k, scale 1); 1 − Φ(z) = erfc(z/√2)/2 keeps the upper tail
    upper = 0.5 * np.array([math.erfc(z / math.sqrt(2.0)) for z in gauss])
    weibull = (-np.log(np.clip(upper, 1e-300, 1.0))) ** (1.0 / WEIBULL_SHAPE)
    stamps = pd.date_range(start, periods=hours, freq="h")
    day = stamps.day_of_year.to_numpy(dtype=float)
    hour = stamps.hour.to_numpy(dtype=float) + 0.5
    swing = (
        1.0
        + SEASONAL_AMPLITUDE * np.cos(2 * np.pi * (day - SEASONAL_PEAK_DAY) / 365.25)
        + DIURNAL_AMPLITUDE * np.cos(2 * np.pi * (hour - DIURNAL_PEAK_HOUR) / 24.0)
    )
    speeds: np.ndarray = weibull * swing
    speeds.setflags(write=False)
    return speeds


@functools.lru_cache(maxsize=64)
def wind_year(seed: int, start: pd.Timestamp, hours: int, capacity_factor: float) -> WindYear:
    """Output per MW [MWh/MW per hour] over ``hours`` hours from ``start`` whose mean is
    ``capacity_factor`` [-]: the Weibull scale found so the power curve gives it, then the
    small rest by scaling."""
    if not (math.isfinite(capacity_factor) and capacity_factor >= 0):
        raise ValueError(f"capacity factor must be finite and ≥ 0, got {capacity_factor!r}")
    unit = unit_speeds(seed, start, hours)
    unit_mean = float(unit.mean()) if hours else 1.0
    low, high = (s / unit_mean for s in MEAN_SPEED_RANGE)
    reached = capacity_factor <= float(power_curve(high * unit).mean())
    if reached:
        for _ in range(_BISECTIONS):
            mid = 0.5 * (low + high)
            low, high = (
                (mid, high) if power_curve(mid * unit).mean() < capacity_factor else (low, mid)
            )
    scale = 0.5 * (low + high) if reached else high
    raw = power_curve(scale * unit)
    raw_mean = float(raw.mean()) if hours else 0.0
    per_mw = raw * (capacity_factor / raw_mean) if raw_mean > 0 else np.zeros(hours)
    per_mw.setflags(write=False)
    return WindYear(per_mw, scale * unit_mean, reached)
