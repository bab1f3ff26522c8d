"""Modelled hourly shapes for design-stage parks (every figure they feed is labelled modelled).

PV follows clear-sky global horizontal irradiance at the park (pvlib, offline), which gives
the day/night and seasonal shape — an upper bound on how well PV matches load hourly,
since clouds are ignored. Wind follows a seeded typical wind year through a generic power
curve (:mod:`zcp.model.wind_series`): one year from the start of the park's reporting
period, repeated over any other hours (a tenant's own period), so every year-long window
carries the annual figure. New wind (a what-if, a gap lever, the planner) follows a wind
year of its own from the same model, seeded by the park and a fixed series id. Other
generation, loads and storage are taken flat, stated as a flat assumption.
"""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pandas as pd

from zcp.ledger.windows import annual_rate
from zcp.model import ParkFolder, wind_series
from zcp.model.park import Generator

PV_SHAPE = "pv: pvlib clear-sky GHI at the park's latitude/longitude (no clouds)"
FLAT_SHAPE = "flat: the annual estimate spread evenly over the hours"
WIND_SHAPE = (
    "wind: a seeded typical wind year through a generic power curve, scaled to the annual figure"
)


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


def wind_shape(
    folder: ParkFolder, gen: Generator, annual: float, hours: pd.DatetimeIndex
) -> np.ndarray:
    """A wind generator's hourly output as a multiple of its mean [dimensionless]: the
    seeded wind year for ``annual`` [MWh] from ``gen.capacity`` [MW], mean 1 over the
    year, repeated over ``hours`` (UTC hour starts) with the year's period."""
    if not annual > 0:
        return flat_shape(hours)  # nothing to shape: the series is zero in every hour
    # beyond a capacity factor of 1 (or without capacity) the curve's top shape is scaled
    year = annual_rate(folder)
    factor = min(annual / (gen.capacity * year), 1.0) if gen.capacity > 0 else 1.0
    return _wind_year_shape(folder, gen.id, factor, hours)


#: The series id of the wind a what-if, a gap lever or the planner adds at a park. It
#: holds spaces, which no asset id may (``zcp.model.common.Identifier``), so new wind never
#: takes a design generator's series: it is its own draw from the same modelled wind
#: climate, the same at a park in every run and process.
NEW_WIND_SERIES = "new wind at this park"
NEW_WIND_SHAPE = (
    "new wind: a seeded typical wind year of its own through the same generic power curve "
    "as design wind, scaled to capacity × capacity factor"
)


def new_wind_shape(
    folder: ParkFolder, capacity_factor: float, hours: pd.DatetimeIndex
) -> np.ndarray:
    """Hourly output of new wind at the park as a multiple of its mean [dimensionless]:
    the park's seeded new-wind year at ``capacity_factor`` [-], mean 1 over the year,
    repeated over ``hours`` as :func:`wind_shape` does (flat at a factor of 0)."""
    if not capacity_factor > 0:
        return flat_shape(hours)
    return _wind_year_shape(folder, NEW_WIND_SERIES, min(capacity_factor, 1.0), hours)


def _wind_year_shape(
    folder: ParkFolder, series_id: str, factor: float, hours: pd.DatetimeIndex
) -> np.ndarray:
    """Series ``series_id``'s wind year at capacity factor ``factor`` (in (0, 1]) over
    ``hours``, divided by ``factor`` so the year's mean is 1 [dimensionless]."""
    park = folder.park
    year = int(annual_rate(folder))
    start = pd.Timestamp(park.reporting_period.start).tz_localize(park.location.timezone)
    seed = wind_series.series_seed(park.id, series_id)
    per_mw = wind_series.wind_year(seed, start, year, factor).per_mw
    offset = (hours.tz_convert("UTC").as_unit("ns").asi8 - start.as_unit("ns").value) // _HOUR_NS
    shape: np.ndarray = per_mw[np.mod(offset, year)] / factor
    return shape
