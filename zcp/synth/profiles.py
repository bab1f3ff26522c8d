"""Hourly shapes for synthetic parks: clear-sky PV, gusty wind, shifts, holidays, storage.

Every function returns one value per hour of ``times`` (local, tz-aware) as a fraction of
rated output or demand, so the park layout scales them by capacities it chooses. Shapes
are plausible, not forecasts: they exist so the metering code meets data with the rhythm
of real parks (nights, weekends, Spring Festival, a battery that cycles daily).
"""

from __future__ import annotations

import datetime as dt
import functools
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from zcp.yamlio import expect_kind, load_yaml

HOLIDAY_FILE = Path(__file__).with_name("holidays_cn.yaml")

#: Share of peak demand a shift pattern draws in working hours; outside them the base load
#: (lighting, HVAC, standby) remains. Three shifts run around the clock.
SHIFT_HOURS = {"one": (8, 17), "two": (6, 22), "three": (0, 24)}


def local_hours(start: dt.date, hours: int, timezone: str) -> pd.DatetimeIndex:
    """``hours`` consecutive hour starts from local midnight of ``start``."""
    first = pd.Timestamp(start).tz_localize(timezone)
    return pd.date_range(first, periods=hours, freq="h")


@functools.cache
def _holiday_table() -> tuple[tuple[str, ...], dict[int, frozenset[dt.date]]]:
    doc = load_yaml(HOLIDAY_FILE)
    expect_kind(doc, ["holidays"], {"holidays": [1]})
    years = {}
    for year, spans in doc.data["years"].items():
        days: set[dt.date] = set()
        for span in spans:
            day = span["start"]
            while day <= span["end"]:
                days.add(day)
                day += dt.timedelta(days=1)
        years[int(year)] = frozenset(days)
    return tuple(doc.data["fixed_dates"]), years


def off_days(times: pd.DatetimeIndex) -> np.ndarray:
    """True for hours on Saturdays, Sundays and public holidays (Chinese calendar)."""
    fixed, years = _holiday_table()
    dates = times.date
    holiday = np.array(
        [d in years[d.year] if d.year in years else d.strftime("%m-%d") in fixed for d in dates]
    )
    return holiday | (times.day_of_week.to_numpy() >= 5)


def pv_shape(
    times: pd.DatetimeIndex, latitude: float, longitude: float, rng: np.random.Generator
) -> np.ndarray:
    """PV output per kW of capacity [kWh/kW per hour]: pvlib clear-sky GHI times a daily
    cloudiness draw and a performance ratio of 0.8."""
    from pvlib.location import Location

    tz = str(times.tz)
    with warnings.catch_warnings():
        # pvlib still calls pandas' deprecated ``dayofyear``; not ours to fix here.
        warnings.filterwarnings("ignore", message=".*dayofyear is deprecated")
        clear = Location(latitude, longitude, tz=tz).get_clearsky(times + pd.Timedelta(minutes=30))
    ghi = clear["ghi"].to_numpy() / 1000.0
    days = (np.arange(len(times)) // 24).astype(int)
    cloud = np.clip(rng.beta(5, 1.6, size=days.max() + 1), 0.05, 1.0)
    return np.round(0.8 * ghi * cloud[days], 6)


def wind_shape(hours: int, rng: np.random.Generator) -> np.ndarray:
    """Wind output as a fraction of capacity: an AR(1) wind speed [m/s] through a generic
    power curve (cut-in 3, rated 12, cut-out 25 m/s)."""
    noise = rng.normal(0.0, 1.0, hours)
    speed = np.empty(hours)
    level = 7.0
    for h in range(hours):
        level = 7.0 + 0.95 * (level - 7.0) + 1.1 * noise[h]
        speed[h] = level
    speed = np.clip(speed, 0.0, None)
    curve = np.clip((speed**3 - 27.0) / (12.0**3 - 27.0), 0.0, 1.0)
    curve[speed >= 25.0] = 0.0
    return curve


def demand_shape(
    times: pd.DatetimeIndex, shift: str, off: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """A tenant's demand as a fraction of its peak: full in shift hours, a base load of
    15–35 % otherwise, 30 % of the working level on weekends and holidays, ±5 % noise."""
    first, last = SHIFT_HOURS[shift]
    hour = times.hour.to_numpy()
    working = (hour >= first) & (hour < last)
    base = rng.uniform(0.15, 0.35)
    level = np.where(working, 1.0, base)
    level = np.where(off, np.maximum(base, 0.3 * level), level)
    return level * rng.uniform(0.95, 1.05, len(times))


def dispatch_storage(
    surplus: np.ndarray, power: float, energy: float, efficiency: float
) -> tuple[np.ndarray, np.ndarray]:
    """Charge from surplus, discharge into deficit [kWh per hour], within power [kW] and
    energy capacity [kWh]; losses are taken on charging (round-trip efficiency)."""
    charge = np.zeros_like(surplus)
    discharge = np.zeros_like(surplus)
    stored = 0.5 * energy
    for h, s in enumerate(surplus):
        if s > 0:
            take = min(s, power, (energy - stored) / efficiency)
            charge[h] = take
            stored += take * efficiency
        elif s < 0:
            give = min(-s, power, stored)
            discharge[h] = give
            stored -= give
    return charge, discharge
