"""Hourly location-based grid factors: a user-supplied series, priced hour by hour.

The China Electricity Council's park accounting spec (《零碳园区碳核算技术规范》, 2025) lets
grid electricity be priced with time- and location-specific factors where they are
published. zcp bundles no such series (none it could source); a park brings one in
``park.yaml`` — ``grid_factors.location_hourly: {file, unit, source, year}`` — as a CSV of
one calendar year, one row per local hour (``time,factor``; 8,760 or 8,784 rows), and an
accounting profile with ``electricity.location_factor_resolution: hourly`` uses it.

Ledger hours map to the series by local month, day and hour, so a series for one year can
price a reporting period in another (the result states the series' year); a period that
reaches 29 February needs a leap-year series.

Location-based scope 2 is then Σ_h grid_h × f_h [tCO2] for the park. Lines stay per entity
× month: each month's factor is the average of f_h weighted by the park's hourly grid need
(load not met by hourly-matched clean supply or own fuel-fired generation), so the park's
total is the hour-by-hour sum; each tenant's grid power within a month is taken to follow
the park's hourly profile (tenant × hour is never held), which the result says.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from zcp.errors import InputError, Problem
from zcp.factors import Factor, Source
from zcp.ledger.electricity import GridFactors
from zcp.ledger.factor_choice import ChosenFactor
from zcp.ledger.profile import AccountingProfile
from zcp.ledger.topology import PARK_ENTITY
from zcp.ledger.windows import Windows
from zcp.limits import ANY_QUANTITY_CEILING
from zcp.model import ParkFolder
from zcp.model.folder import contained_path
from zcp.model.park import HourlyGridFactors
from zcp.textfiles import read_csv_text
from zcp.units import conversion_factor

HOURLY_RULE = "hourly series stated by the user (location-based scope 2 priced hour by hour)"
FACTOR_ID = "user.grid.park.location_hourly"
WHERE = "grid_factors.location_hourly"
HEADER = ("time", "factor")
_FILE = ("grid_factors", "location_hourly", "file")


@dataclass(frozen=True)
class HourlySeries:
    """One calendar year of hourly factors [tCO2/MWh], keyed by local (month, day, hour)."""

    values: dict[tuple[int, int, int], float]
    spec: HourlyGridFactors
    path: Path

    def on(self, hours: pd.DatetimeIndex, timezone: str) -> np.ndarray:
        """The factor of each ledger hour (UTC starts) [tCO2/MWh]."""
        local = hours.tz_convert(timezone)
        keys = zip(local.month, local.day, local.hour, strict=True)
        try:
            return np.array([self.values[k] for k in keys], dtype=float)
        except KeyError as missing:
            month, day, hour = missing.args[0]
            raise InputError(
                Problem(
                    f"the reporting period reaches {month:02d}-{day:02d} {hour:02d}:00, which "
                    f"the {self.spec.year} series has no row for",
                    path=str(self.path),
                    hint="a period that includes 29 February needs a leap-year series",
                )
            ) from None


def load_hourly_series(folder: ParkFolder, spec: HourlyGridFactors) -> HourlySeries:
    """Read and check the series file: every row a consecutive local hour of ``spec.year``
    from 1 January 00:00, every factor a finite number ≥ 0 in ``spec.unit``."""
    try:
        path = contained_path(folder.root, spec.file)
    except ValueError as exc:
        raise InputError(folder.document.problem(str(exc), _FILE)) from None
    if not path.is_file():
        raise InputError(folder.document.problem(
            f"hourly factor file {spec.file!r} not found", _FILE,
            "a CSV in the park folder with columns time,factor",
        ))  # fmt: skip
    scale = conversion_factor(spec.unit, "tCO2/MWh")
    rows = list(csv.reader(io.StringIO(read_csv_text(path))))
    where = str(path)
    if not rows or tuple(c.strip().lower() for c in rows[0]) != HEADER:
        got = ",".join(rows[0]) if rows else "an empty file"
        raise InputError(Problem(f"header must be 'time,factor' (got {got!r})", path=where, line=1))
    body = [(i + 2, row) for i, row in enumerate(rows[1:]) if any(c.strip() for c in row)]
    first = dt.datetime(spec.year, 1, 1)
    expected = (dt.datetime(spec.year + 1, 1, 1) - first).days * 24
    if len(body) != expected:
        raise InputError(
            Problem(
                f"{len(body):,} hourly rows; a series for {spec.year} has {expected:,} "
                "(one per local hour from 1 January 00:00)",
                path=where,
                hint="8,760 rows for a common year, 8,784 for a leap year",
            )
        )
    problems: list[Problem] = []
    values: dict[tuple[int, int, int], float] = {}
    for n, (line, row) in enumerate(body):
        want = first + dt.timedelta(hours=n)
        if len(row) != 2:
            problems.append(Problem(f"expected 2 columns, got {len(row)}", path=where, line=line))
            continue
        time_text, factor_text = (c.strip() for c in row)
        try:
            stamp = dt.datetime.fromisoformat(time_text)
        except ValueError:
            problems.append(Problem(f"time {time_text!r} is not a date and hour", path=where,
                                    line=line, field="time", hint=f"e.g. {want:%Y-%m-%dT%H:%M}"))  # fmt: skip
            continue
        if stamp.tzinfo is not None or stamp != want:
            problems.append(Problem(f"time {time_text!r}: expected {want:%Y-%m-%dT%H:%M} (local "
                                    "time, no offset, one row per hour in order)", path=where,
                                    line=line, field="time"))  # fmt: skip
        try:
            factor = float(factor_text)
        except ValueError:
            factor = math.nan
        if not math.isfinite(factor) or not 0 <= factor <= ANY_QUANTITY_CEILING:
            problems.append(Problem(f"factor {factor_text!r} is not a finite number ≥ 0",
                                    path=where, line=line, field="factor"))  # fmt: skip
            continue
        values[(want.month, want.day, want.hour)] = factor * scale
        if len(problems) >= 20:
            break
    if problems:
        raise InputError(problems)
    return HourlySeries(values, spec, path)


def hourly_series_read(folder: ParkFolder, profile: AccountingProfile) -> Path | None:
    """The hourly factor file :func:`with_hourly_location` reads for this profile, or None
    (the profile prices location-based scope 2 with annual factors, or the park names none)."""
    spec = folder.park.grid_factors.location_hourly if folder.park.grid_factors else None
    if spec is None or profile.electricity.location_factor_resolution == "annual":
        return None
    return contained_path(folder.root, spec.file)


def with_hourly_location(
    factors: dict[str, GridFactors],
    folder: ParkFolder,
    profile: AccountingProfile,
    windows: Windows,
) -> tuple[dict[str, GridFactors], list[str]]:
    """The entities' grid factors with the park's hourly series attached where the profile
    prices location-based scope 2 hour by hour, and notes for the result."""
    park = folder.park
    for i, tenant in enumerate(park.tenants):
        if tenant.grid_factors is not None and tenant.grid_factors.location_hourly is not None:
            raise InputError(folder.problem(
                "tenants", i, "grid_factors", "an hourly factor series (location_hourly) is "
                "read for the park only", hint="give it under the park's grid_factors",
            ))  # fmt: skip
    spec = park.grid_factors.location_hourly if park.grid_factors else None
    if profile.electricity.location_factor_resolution == "annual":
        notes = [] if spec is None else [
            f"the hourly factor series {spec.file} is not used: profile {profile.id} prices "
            "location-based scope 2 with annual factors"
        ]  # fmt: skip
        return factors, notes
    if spec is None:
        raise InputError(folder.document.problem(
            f"profile {profile.id} prices location-based scope 2 hour by hour, and the park "
            "names no hourly factor series",
            ("grid_factors",) if park.grid_factors else (),
            f"{WHERE}: {{file: hourly_factors.csv, source: ..., year: ...}} — zcp ships no "
            "hourly grid factors",
        ))  # fmt: skip
    series = load_hourly_series(folder, spec)
    hourly = series.on(windows.hours, windows.timezone)
    mean = float(hourly.mean()) if len(hourly) else 0.0
    factor = Factor(
        id=FACTOR_ID,
        quantity="co2",
        carrier="electricity",
        value=mean,
        unit="tCO2/MWh",
        year=spec.year,
        source=Source(document=spec.source, clause=f"hourly series {spec.file}"),
        confidence=spec.confidence,
        note="value: the plain mean over the accounted hours; lines use each month's "
        "grid-weighted mean of the hourly factors",
    )
    chosen = ChosenFactor(factor, HOURLY_RULE)
    out = dict(factors)
    for entity in _park_grid_entities(folder, factors):
        out[entity] = replace(factors[entity], location=chosen, location_hourly=hourly)
    notes = [
        f"location-based scope 2 priced hour by hour with the {spec.year} series {spec.file} "
        f"({spec.source}); tenants' grid power in a month follows the park's hourly profile"
    ]
    return out, notes


def _park_grid_entities(folder: ParkFolder, factors: dict[str, GridFactors]) -> list[str]:
    """The park and the tenants on its grid (no site elsewhere, no factor of their own)."""
    entities = [PARK_ENTITY]
    for tenant in folder.park.tenants:
        own = tenant.grid_factors
        site = tenant.location
        elsewhere = site is not None and (
            site.country != "CN" or site.grid_region not in (None, folder.park.location.grid_region)
        )
        if tenant.id in factors and not elsewhere and (own is None or own.location is None):
            entities.append(tenant.id)
    return entities
