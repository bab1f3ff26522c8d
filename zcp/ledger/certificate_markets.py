"""Market boundaries of certificate schemes, read from ``zcp/data/certificate_markets.yaml``.

An instrument counts only in the market it belongs to (GHG Protocol Scope 2 Guidance,
quality criterion 5): a GO for a site in Germany, a GEC for a site in China, an I-REC where
generator and consumer share a country. The boundary is per scheme and judged against the
consuming entity's own country, not one boundary per park.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Literal

from pydantic import Field

from zcp.model.common import Strict
from zcp.yamlio import load_yaml, validate_document

MARKETS_FILE = Path(__file__).resolve().parent.parent / "data" / "certificate_markets.yaml"


class Validity(Strict):
    """How long a scheme's certificates may be used, counted from the production month."""

    months_from_production: int = Field(gt=0)
    produced_before: dt.date | None = Field(None, description="older production follows ...")
    then_valid_until: dt.date | None = Field(None, description="... this fixed end date")
    source: str
    confidence: Literal["verified", "provisional"]
    note: str | None = None

    def expires(self, production_start: dt.date) -> dt.date:
        """Last day a certificate produced in ``production_start``'s month may be used."""
        if self.produced_before and production_start < self.produced_before:
            return self.then_valid_until or production_start
        month = production_start.month - 1 + self.months_from_production
        first_after = dt.date(production_start.year + month // 12, month % 12 + 1, 1)
        return first_after - dt.timedelta(days=1)


class SchemeMarket(Strict):
    scheme: str
    countries: list[str] | Literal["same_country"] = Field(
        description="ISO codes of the market, or 'same_country' (each country its own market)"
    )
    source: str
    confidence: Literal["verified", "provisional"]
    note: str | None = None
    validity: Validity | None = None


class MarketsFile(Strict):
    kind: Literal["certificate_markets"]
    schema_version: Literal[1]
    schemes: list[SchemeMarket]


@functools.cache
def scheme_markets() -> dict[str, SchemeMarket]:
    data = validate_document(load_yaml(MARKETS_FILE), MarketsFile, "certificate_markets")
    return {s.scheme: s for s in data.schemes}


def market_exclusion(scheme: str, generator_country: str, consumer_country: str) -> str | None:
    """Why an instrument of ``scheme`` from ``generator_country`` cannot cover consumption
    in ``consumer_country``, or None when both sit inside the scheme's market."""
    market = scheme_markets().get(scheme)
    if market is None:
        return f"no market boundary is known for scheme {scheme}"
    if market.countries == "same_country":
        if generator_country != consumer_country:
            return (
                f"{scheme} generator in {generator_country}, consumption in {consumer_country}: "
                f"each country is its own {scheme} market"
            )
        return None
    if consumer_country not in market.countries:
        return (
            f"{scheme} cannot cover consumption in {consumer_country}: outside the market "
            f"boundary of {scheme}"
        )
    if generator_country not in market.countries:
        return f"generator in {generator_country}, outside the market boundary of {scheme}"
    return None
