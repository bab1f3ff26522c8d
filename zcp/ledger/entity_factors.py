"""Grid factors per entity: each site priced by its own grid, or by the factor it states.

A group's sites sit in different regional grids, some abroad. Location-based scope 2 uses
each entity's own grid (its ``location.grid_region``, else the park's) by the profile's year
rule; a site outside China takes its location factor from the user (value, unit, source,
year — zcp bundles no foreign factor it cannot source) and its residual mix likewise, or the
location factor with a note when no residual is published (GHG Protocol Scope 2 Guidance
§6.11: without a residual mix, the location factor stands in and the result says so).
Stated factors at entity or park level replace the library's and carry their provenance.
"""

from __future__ import annotations

from collections.abc import Mapping

from zcp.errors import InputError, Problem
from zcp.factors import Factor, FactorLibrary, Source
from zcp.ledger.electricity import GridFactors
from zcp.ledger.factor_choice import ChosenFactor, FactorOverride, grid_factor
from zcp.ledger.profile import AccountingProfile
from zcp.ledger.topology import PARK_ENTITY
from zcp.model import ParkFolder
from zcp.model.common import Period
from zcp.model.park import GridFactorOverrides, StatedGridFactor, Tenant
from zcp.units import conversion_factor

HOME_COUNTRY = "CN"
STATED_RULE = "stated by the user (replaces the library's factor)"


def entity_country(folder: ParkFolder, entity: str) -> str:
    """ISO country of an entity's site (the park's sites are in China)."""
    tenant = _tenant(folder, entity)
    if tenant is not None and tenant.location is not None:
        return tenant.location.country
    return HOME_COUNTRY


def _tenant(folder: ParkFolder, entity: str) -> Tenant | None:
    return folder.tenant(entity)


def stated_factor(stated: StatedGridFactor, factor_id: str, where: str) -> Factor:
    """A stated grid factor as a library ``Factor`` [tCO2/MWh] (the unit scope 2 uses)."""
    try:
        scale = conversion_factor(stated.unit, "tCO2/MWh")
    except InputError as exc:
        raise InputError(
            Problem(f"{where}.unit: {exc.problems[0].message}", hint="e.g. tCO2/MWh, kgCO2/kWh")
        ) from None
    note = None if stated.unit == "tCO2/MWh" else f"stated as {stated.value:g} {stated.unit}"
    return Factor(
        id=factor_id,
        quantity="co2",
        carrier="electricity",
        value=stated.value * scale,
        unit="tCO2/MWh",
        year=stated.year,
        source=Source(document=stated.source, clause="stated by the user"),
        confidence=stated.confidence,
        note=note,
    )


def entity_grid_factors(
    folder: ParkFolder,
    library: FactorLibrary,
    profile: AccountingProfile,
    periods: Mapping[str, Period],
    override: FactorOverride,
) -> dict[str, GridFactors]:
    """Entity → its location-based factor and its market-based residual factor [tCO2/MWh]."""
    park = folder.park
    fixed = profile.factor_year if isinstance(profile.factor_year, int) else None
    out: dict[str, GridFactors] = {}
    problems: list[Problem] = []
    chosen: dict[tuple[str | None, int], tuple[ChosenFactor, ChosenFactor]] = {}
    for entity, period in periods.items():
        tenant = _tenant(folder, entity) if entity != PARK_ENTITY else None
        own = tenant.grid_factors if tenant is not None else None
        country = entity_country(folder, entity)
        prefix = f"user.grid.{entity.removeprefix('_')}"
        if country != HOME_COUNTRY:
            index = folder.tenant_position(entity) or 0
            if own is None or own.location is None:
                problems.append(
                    folder.problem(
                        "tenants",
                        index,
                        "grid_factors",
                        f"entity {entity!r} is in {country}, outside China's grids: its location "
                        "factor must be stated",
                        hint="grid_factors: {location: {value, unit, source, year}} — zcp ships "
                        "no foreign grid factors",
                    )  # fmt: skip
                )
                continue
            where = f"tenants[{index}].grid_factors"
            location = ChosenFactor(
                stated_factor(own.location, f"{prefix}.location", where), STATED_RULE
            )
            if own.residual is not None:
                market = ChosenFactor(
                    stated_factor(own.residual, f"{prefix}.residual", where), STATED_RULE
                )
            else:
                market = ChosenFactor(
                    location.factor,
                    STATED_RULE,
                    f"no residual mix stated for {entity!r} ({country}): its location factor "
                    "prices market-based scope 2 too",
                )
            out[entity] = GridFactors(location, market)
            continue
        region = park.location.grid_region
        if tenant is not None and tenant.location is not None and tenant.location.grid_region:
            region = tenant.location.grid_region
        key = (region, period.end.year)
        if key not in chosen:  # the same for every entity of a region and year
            location_choice = profile.electricity.location_factor
            market_choice = profile.electricity.market_factor
            chosen[key] = (
                grid_factor(library, location_choice, park_region=region,
                            period_end_year=period.end.year, fixed_year=fixed, override=override),
                grid_factor(library, market_choice, park_region=region,
                            period_end_year=period.end.year, fixed_year=fixed, override=override),
            )  # fmt: skip
        location, market = chosen[key]
        location, market = _apply_overrides(location, market, own, park.grid_factors, prefix)
        out[entity] = GridFactors(location, market)
    if problems:
        raise InputError(problems)
    return out


def _apply_overrides(
    location: ChosenFactor,
    market: ChosenFactor,
    own: GridFactorOverrides | None,
    park_wide: GridFactorOverrides | None,
    prefix: str,
) -> tuple[ChosenFactor, ChosenFactor]:
    """An entity's stated factors first, then the park's, else the library's choice."""
    for level, stated in (("entity", own), ("park", park_wide)):
        if stated is None:
            continue
        ident = prefix if level == "entity" else "user.grid.park"
        if stated.location is not None and location.rule != STATED_RULE:
            location = ChosenFactor(
                stated_factor(stated.location, f"{ident}.location", f"{level} grid_factors"),
                STATED_RULE,
                f"replaces {location.factor.id}",
            )
        if stated.residual is not None and market.rule != STATED_RULE:
            market = ChosenFactor(
                stated_factor(stated.residual, f"{ident}.residual", f"{level} grid_factors"),
                STATED_RULE,
                f"replaces {market.factor.id}",
            )
    return location, market
