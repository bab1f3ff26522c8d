"""Choosing factors from the library: which series, which region, which data year.

Year rule (stated in every result): the latest data year published not after the reporting
period's end, unless the profile or ``--factors SET@YEAR`` fixes a year. A regional series
missing for that year falls back to the national one, and the result says so.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from zcp.errors import InputError, Problem
from zcp.factors import Factor, FactorLibrary, load_factor_set
from zcp.ledger.profile import FactorChoice

YEAR_RULE = "latest data year published not after the end of the reporting period"


@dataclass(frozen=True)
class FactorOverride:
    """``--factors SET@YEAR``: take grid factors from factor set ``set_id`` for ``year``."""

    set_id: str | None
    year: int | None

    @classmethod
    def parse(cls, text: str | None) -> FactorOverride:
        if not text:
            return cls(None, None)
        set_id, _, year = text.partition("@")
        try:
            return cls(set_id or None, int(year) if year else None)
        except ValueError:
            raise InputError(
                Problem(
                    f"--factors {text!r}: year must be a number", hint="e.g. mee_electricity@2022"
                )
            ) from None


@dataclass(frozen=True)
class ChosenFactor:
    factor: Factor
    rule: str
    note: str | None = None


def _set_of(library: FactorLibrary, factor: Factor) -> str:
    """The id of the factor set (file) a factor comes from."""
    return _set_ids(library.files[factor.id])[factor.id]


@functools.cache
def _set_ids(path: Path) -> dict[str, str]:
    fset = load_factor_set(path)
    return {f.id: fset.id for f in fset.factors}


def grid_factor(
    library: FactorLibrary,
    choice: FactorChoice,
    *,
    park_region: str,
    period_end_year: int,
    fixed_year: int | None = None,
    override: FactorOverride = FactorOverride(None, None),
) -> ChosenFactor:
    """The electricity CO2 factor for ``choice`` by the year rule (or the fixed year)."""
    region = park_region if choice.region == "park" else choice.region
    year = override.year or fixed_year
    note = None
    for attempt in (region, "national"):
        found = library.find("co2", carrier="electricity", method=choice.method, region=attempt)
        if override.set_id:
            found = [f for f in found if _set_of(library, f) == override.set_id]
        if year is not None:
            found = [f for f in found if f.year == year]
        else:
            found = [f for f in found if f.year is not None and f.year <= period_end_year]
        if found:
            chosen = max(found, key=lambda f: f.year or 0)
            if attempt != region:
                note = f"no {choice.method} factor for region {region!r}; national factor used"
            rule = f"data year {year} fixed" if year is not None else YEAR_RULE
            return ChosenFactor(chosen, rule, note)
        if attempt == "national":
            break
    wanted = f"year {year}" if year is not None else f"a year not after {period_end_year}"
    raise InputError(
        Problem(
            f"no {choice.method} electricity factor for {region!r} (or national) for {wanted}",
            hint="choose another year with --factors SET@YEAR, e.g. mee_electricity@2022",
        )
    )


def carrier_factor(library: FactorLibrary, carrier: str) -> Factor | None:
    """The CO2 factor for burning a fuel or buying heat; None when the library has none."""
    found = library.find("co2", carrier=carrier, method=None, region=None)
    return found[-1] if found else None


def gwp(library: FactorLibrary, gas: str, basis: str) -> Factor:
    return library.get(f"gwp.{basis.lower()}.{gas.lower()}")
