"""Modelled hourly shapes for design-stage parks (every figure they feed is labelled modelled).

PV follows clear-sky global horizontal irradiance at the park (pvlib, offline), which gives
the day/night and seasonal shape — an upper bound on how well PV matches load hourly,
since clouds are ignored. Wind, other generation, loads and storage are taken flat: no
offline wind resource is bundled, so their hourly match is stated as a flat assumption.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from zcp.model import ParkFolder

PV_SHAPE = "pv: pvlib clear-sky GHI at the park's latitude/longitude (no clouds)"
FLAT_SHAPE = "flat: the annual estimate spread evenly over the hours"


def pv_shape(folder: ParkFolder, hours: pd.DatetimeIndex) -> np.ndarray | None:
    """Clear-sky GHI per hour, scaled to mean 1 over ``hours``; None without a location."""
    loc = folder.park.location
    if loc.latitude is None or loc.longitude is None:
        return None
    import pvlib

    site = pvlib.location.Location(loc.latitude, loc.longitude, tz="UTC")
    # irradiance at the middle of each hour, so the hour's energy is centred correctly
    with warnings.catch_warnings():  # pvlib's own pandas deprecations are not ours to fix
        warnings.filterwarnings("ignore", module="pvlib")
        ghi = site.get_clearsky(hours + pd.Timedelta(minutes=30), model="ineichen")["ghi"]
    values = np.clip(ghi.to_numpy(dtype=float), 0.0, None)
    mean = values.mean()
    return values / mean if mean > 0 else None


def flat_shape(hours: pd.DatetimeIndex) -> np.ndarray:
    return np.ones(len(hours))
