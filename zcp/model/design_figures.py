"""What a design says each flow carries in a year, and how that figure was found.

Order of precedence for a flow's annual figure [carrier unit, e.g. MWh]:

1. the flow's own ``annual_estimate`` (stated);
2. its generator's ``annual_output`` (stated);
3. derived from the generator's capacity and site (derived, with the method in words):
   * any technology with a stated ``capacity_factor``: capacity × factor × hours;
   * PV without one: pvlib clear-sky GHI at the park's latitude/longitude (Ineichen, with
     pvlib's bundled Linke turbidity), summed over the year, times a clearness factor for
     clouds and a performance ratio — both stated defaults below, not site data;
   * wind without one: a regional capacity factor, a stated default.

A wind generator's hourly profile (whatever the basis of its annual figure) is modelled: a
seeded wind series through a generic power curve, scaled to the annual figure
(:mod:`zcp.model.wind_series`); the ``how`` of a derived wind figure says so.

So changing a generator's capacity moves every figure that rests on it, unless the user
states an estimate. Flows that are neither stated nor derivable have no figure (None): the
caller reports that; nothing becomes a silent number.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass

import numpy as np

from zcp.model import wind_series
from zcp.model.folder import ParkFolder
from zcp.model.park import Generator

#: Mean ratio of actual to clear-sky irradiance over a year (clouds, haze). Illustrative
#: default for northern China: no site data is bundled; state annual_output to override.
PV_CLEARNESS = 0.75
#: Performance ratio of a PV plant (inverter, temperature, soiling, wiring losses).
#: Illustrative default; state capacity_factor or annual_output to override.
PV_PERFORMANCE_RATIO = 0.80
#: Onshore wind capacity factor where none is stated. Illustrative default.
WIND_CAPACITY_FACTOR = 0.25
#: Hours in the design year.
YEAR_HOURS = 8760.0
#: How a wind generator's hourly profile is found, appended to a derived wind figure's how.
WIND_HOURLY = f"hourly profile modelled: {wind_series.METHOD}, scaled to this annual figure"


@dataclass(frozen=True)
class DesignFigure:
    """A flow's annual figure [carrier unit] and how it was found."""

    value: float
    basis: str  #: "stated" or "derived"
    how: str


def flow_figure(folder: ParkFolder, flow_id: str) -> DesignFigure | None:
    """The annual figure of ``flow_id`` [its carrier's unit per year], stated or derived;
    None if neither is possible."""
    if flow_id in folder.annual_estimates:
        return DesignFigure(folder.annual_estimates[flow_id], "stated", "annual_estimate")
    flow = next((f for f in folder.park.flows if f.id == flow_id), None)
    gen = next((a for a in folder.park.assets if flow and a.id == flow.from_), None)
    if not isinstance(gen, Generator):
        return None
    return generator_figure(folder, gen)


def generator_figure(folder: ParkFolder, gen: Generator) -> DesignFigure | None:
    """A generator's annual output [MWh], stated or derived from capacity and site."""
    if gen.annual_output is not None:
        return DesignFigure(gen.annual_output, "stated", f"{gen.id}.annual_output")
    if gen.capacity_factor is not None:
        value = gen.capacity * gen.capacity_factor * YEAR_HOURS
        hourly = f"; {WIND_HOURLY}" if gen.technology == "wind" else ""
        return DesignFigure(
            value,
            "derived",
            f"{gen.id}: {gen.capacity:g} MW × capacity factor {gen.capacity_factor:g} × "
            f"{YEAR_HOURS:,.0f} h{hourly}",
        )
    if gen.technology == "pv":
        loc = folder.park.location
        if loc.latitude is None or loc.longitude is None:
            return None
        per_mw = pv_yield(loc.latitude, loc.longitude)
        return DesignFigure(
            gen.capacity * per_mw,
            "derived",
            f"{gen.id}: {gen.capacity:g} MW × {per_mw:,.0f} MWh/MW (pvlib clear-sky GHI at "
            f"{loc.latitude:g}, {loc.longitude:g} × clearness {PV_CLEARNESS:g} × performance "
            f"ratio {PV_PERFORMANCE_RATIO:g}; modelled)",
        )
    if gen.technology == "wind":
        return DesignFigure(
            gen.capacity * WIND_CAPACITY_FACTOR * YEAR_HOURS,
            "derived",
            f"{gen.id}: {gen.capacity:g} MW × regional capacity factor "
            f"{WIND_CAPACITY_FACTOR:g} (default) × {YEAR_HOURS:,.0f} h; {WIND_HOURLY}",
        )
    return None


@functools.lru_cache(maxsize=32)
def pv_yield(latitude: float, longitude: float, year: int = 2026) -> float:
    """Annual output per MW of PV [MWh/MW] at a site: clear-sky GHI [kWh/m²] over a year,
    per 1 kW/m² (standard test irradiance), times clearness and performance ratio."""
    import pandas as pd
    import pvlib

    hours = pd.date_range(f"{year}-01-01", periods=int(YEAR_HOURS), freq="h", tz="UTC")
    site = pvlib.location.Location(latitude, longitude, tz="UTC")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", module="pvlib")
        ghi = site.get_clearsky(hours + pd.Timedelta(minutes=30), model="ineichen")["ghi"]
    peak_hours = float(np.clip(ghi.to_numpy(dtype=float), 0.0, None).sum()) / 1000.0
    return peak_hours * PV_CLEARNESS * PV_PERFORMANCE_RATIO
