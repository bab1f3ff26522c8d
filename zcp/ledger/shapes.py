"""Modelled hourly shapes for design-stage parks (every figure they feed is labelled modelled).

PV follows clear-sky global horizontal irradiance at the park (pvlib, offline), which gives
the day/night and seasonal shape — an upper bound on how well PV matches load hourly,
since clouds are ignored. Wind, other generation, loads and storage are taken flat: no
offline wind resource is bundled, so their hourly match is stated as a flat assumption.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pandas as pd

from zcp.model import ParkFolder

PV_SHAPE = "pv: pvlib clear-sky GHI at the park's latitude/longitude (no clouds)"
FLAT_SHAPE = "flat: the annual estimate spread evenly over the hours"


def pv_shape(folder: ParkFolder, hours: pd.DatetimeIndex) -> np.ndarray | None:
    """Clear-sky GHI per hour, scaled to mean 1 over ``hours`` [dimensionless]; None without
    a location.
    Read-only: the same shape serves every what-if at a site (gap analysis asks hundreds
    of times; pvlib took ~30 ms each)."""
    loc = folder.park.location
    if loc.latitude is None or loc.longitude is None:
        return None
    stamps = hours.tz_convert("UTC").as_unit("ns").asi8
    if len(stamps) > 1 and not (np.diff(stamps) == _HOUR_NS).all():
        return _clear_sky(loc.latitude, loc.longitude, hours)
    first = int(stamps[0]) if len(stamps) else 0
    return _clear_sky_hourly(loc.latitude, loc.longitude, first, len(stamps))


_HOUR_NS = 3_600_000_000_000


@functools.lru_cache(maxsize=16)
def _clear_sky_hourly(
    latitude: float, longitude: float, first_ns: int, n: int
) -> np.ndarray | None:
    hours = pd.date_range(pd.Timestamp(first_ns, tz="UTC"), periods=n, freq="h")
    return _clear_sky(latitude, longitude, hours)


def _clear_sky(latitude: float, longitude: float, hours: pd.DatetimeIndex) -> np.ndarray | None:
    import pvlib

    site = pvlib.location.Location(latitude, longitude, tz="UTC")
    # irradiance at the middle of each hour, so the hour's energy is centred correctly
    with warnings.catch_warnings():  # pvlib's own pandas deprecations are not ours to fix
        warnings.filterwarnings("ignore", module="pvlib")
        ghi = site.get_clearsky(hours + pd.Timedelta(minutes=30), model="ineichen")["ghi"]
    values: np.ndarray = np.clip(ghi.to_numpy(dtype=float), 0.0, None)
    mean = values.mean()
    if not mean > 0:
        return None
    shape: np.ndarray = values / mean
    shape.setflags(write=False)
    return shape


def flat_shape(hours: pd.DatetimeIndex) -> np.ndarray:
    """A constant shape, 1 in every hour [dimensionless]: an estimate with no known profile."""
    return np.ones(len(hours))
