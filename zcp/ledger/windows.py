"""The time frame of an inventory: hours, and the period buckets figures are summed over.

Figures are kept per *bucket*: calendar months in the park's time zone, split further
wherever a tenant's own reporting period starts or ends, so each entity's figures can be
taken over its own period without mixing (GHG Protocol: entities may report different
periods, and the inventory must say so).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from zcp.ledger.topology import PARK_ENTITY
from zcp.model import ParkFolder
from zcp.model.common import Period


@dataclass(frozen=True)
class Windows:
    hours: pd.DatetimeIndex  #: UTC starts of every hour in any entity's period
    bucket_of_hour: np.ndarray  #: bucket index of each hour
    buckets: pd.DataFrame  #: bucket, start, end (local dates, inclusive), month, hours
    periods: dict[str, Period]  #: entity → its reporting period
    timezone: str
    starts: np.ndarray  #: bucket start dates (local)

    def entity_mask(self, entity: str) -> np.ndarray:
        """Which buckets fall inside ``entity``'s reporting period."""
        period = self.periods[entity]
        return (self.starts >= period.start) & (self.starts <= period.end)

    def bucket_hours(self) -> np.ndarray:
        """Hours in each time bucket [h]."""
        hours: np.ndarray = self.buckets["hours"].to_numpy()
        return hours

    def other_periods(self) -> dict[str, Period]:
        park = self.periods[PARK_ENTITY]
        return {e: p for e, p in self.periods.items() if p != park}


def entity_periods(folder: ParkFolder) -> dict[str, Period]:
    park = folder.park.reporting_period
    out = {t.id: t.reporting_period or park for t in folder.park.tenants}
    out[PARK_ENTITY] = park
    return out


def make_windows(folder: ParkFolder) -> Windows:
    periods = entity_periods(folder)
    first = min(p.start for p in periods.values())
    last = max(p.end for p in periods.values()) + dt.timedelta(days=1)
    cuts = {first, last}
    day = dt.date(first.year, first.month, 1)
    while day < last:
        if day > first:
            cuts.add(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    for p in periods.values():
        cuts.update({p.start, p.end + dt.timedelta(days=1)})
    edges = sorted(c for c in cuts if first <= c <= last)
    tz = folder.park.location.timezone
    local_edges = pd.DatetimeIndex([pd.Timestamp(d) for d in edges]).tz_localize(tz)
    utc_edges = local_edges.tz_convert("UTC")
    hours = pd.date_range(utc_edges[0], utc_edges[-1], freq="h", inclusive="left")
    bucket_of_hour = np.searchsorted(utc_edges.asi8, hours.asi8, side="right") - 1
    counts = np.bincount(bucket_of_hour, minlength=len(edges) - 1)
    buckets = pd.DataFrame(
        {
            "bucket": np.arange(len(edges) - 1),
            "start": edges[:-1],
            "end": [e - dt.timedelta(days=1) for e in edges[1:]],
            "month": [f"{d.year:04d}-{d.month:02d}" for d in edges[:-1]],
            "hours": counts,
        }
    )
    starts = np.array(edges[:-1], dtype=object)
    return Windows(hours, bucket_of_hour, buckets, periods, tz, starts)


def per_bucket(hourly: np.ndarray, windows: Windows) -> np.ndarray:
    """Sum an hourly array into buckets (in the array's unit, e.g. [MWh])."""
    return np.bincount(windows.bucket_of_hour, weights=hourly, minlength=len(windows.buckets))


def annual_rate(folder: ParkFolder) -> float:
    """Hours [h] that an 'annual' design estimate spreads over.

    A reporting period of one calendar year length takes its own hours, so a park's totals
    equal its estimates exactly; any other period takes 8,760 h per year.
    """
    period = folder.park.reporting_period
    return float(period.days * 24) if period.days in (365, 366) else 8760.0
