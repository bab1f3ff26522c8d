"""Choosing factors from the library: which series, which region, which data year.

Year rule (stated in every result): the latest data year published not after the reporting
period's end, unless the profile or ``--factors SET@YEAR`` fixes a year. A regional series
missing for that year falls back to the national one, and the result says so.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from zcp.errors import InputError, Problem
from zcp.factors import Factor, FactorLibrary, Source, load_factor_set
from zcp.ledger.profile import FactorChoice
from zcp.model.common import Strict
from zcp.units import parse_unit

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


class StatedFactor(Strict):
    """A factor the user brings (park, entity or line level) with its provenance.

    It replaces the library's factor where it is given and is shown in every trace like one:
    value, unit, source, year and confidence, as the user stated them.
    """

    value: float = Field(ge=0, description="[unit]")
    unit: str = Field(description="e.g. tCO2/MWh, kgCO2/L, tCO2/GJ")
    source: str = Field(min_length=1, description="document (and clause) the value comes from")
    year: int | None = Field(None, ge=1990, le=2100, description="data year")
    confidence: Literal["verified", "provisional"] = "provisional"

    @field_validator("value")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("must be a finite number")
        return value

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, unit: str) -> str:
        try:
            parse_unit(unit)
        except InputError as exc:
            raise ValueError(exc.problems[0].message) from None
        return unit

    def as_factor(self, factor_id: str, quantity: str = "co2", **attrs: str | None) -> Factor:
        """The override as a library ``Factor`` (id ``user.*``) so traces treat it alike."""
        return Factor(
            id=factor_id,
            quantity=quantity,
            value=self.value,
            unit=self.unit,
            year=self.year,
            source=Source(document=self.source, clause="stated by the user"),
            confidence=self.confidence,
            **attrs,
        )


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
    """The electricity CO2 factor for ``choice`` by the year rule (or the fixed year)
    [tCO2/MWh in the shipped library; the factor states its unit]."""
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
    """The CO2 factor for burning a fuel or buying heat [tCO2 per the carrier's unit, e.g.
    tCO2/t, tCO2/GJ; the factor states it]; None when the library has none."""
    found = library.find("co2", carrier=carrier, method=None, region=None)
    return found[-1] if found else None


def gwp(library: FactorLibrary, gas: str, basis: str) -> Factor:
    """The global warming potential of ``gas`` in assessment report ``basis`` (AR5, AR6 …)
    [tCO2e/t]."""
    return library.get(f"gwp.{basis.lower()}.{gas.lower()}")
