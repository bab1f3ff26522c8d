"""Accounting profiles: every method choice the ledger makes, written down as data.

The ledger never guesses a method. A profile (``zcp/data/profiles/*.yaml``, ``kind:
accounting_profile``) names the grid-factor series, the electricity-to-tce method, which
gases and which instruments count, and what "clean" means; the result prints it back. A rule
set may name the profile it needs, but the ledger never reads rule files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from zcp.errors import InputError, Problem, did_you_mean
from zcp.model.common import Strict
from zcp.yamlio import load_yaml, validate_document

PROFILE_DIR = Path(__file__).resolve().parent.parent / "data" / "profiles"

InstrumentType = Literal["GEC", "I-REC", "GO", "REGO", "green_power_trading", "PPA"]
CreditStandard = Literal["VCS", "GS", "CCER"]


class FactorChoice(Strict):
    """Which MEE series and region price grid electricity (see ``mee_electricity.yaml``)."""

    method: Literal["grid_average", "excl_market_nonfossil", "fossil_power"]
    region: str = Field(
        "national", description="'national', 'park' (the park's grid region) or a region id"
    )


class ElectricityRules(Strict):
    location_factor: FactorChoice
    market_factor: FactorChoice = Field(
        description="residual factor for grid electricity no instrument covers (market-based)"
    )
    zero_rated: list[Literal["on_site", "dedicated_line", "off_site_contract", "instruments"]] = [
        "on_site",
        "dedicated_line",
        "off_site_contract",
        "instruments",
    ]
    supplier_specific: bool = True
    to_tce: str = Field("tce.electricity.calorific", description="factor id, electricity → tce")
    location_factor_resolution: Literal["annual", "hourly"] = Field(
        "annual",
        description="'hourly': location-based scope 2 priced hour by hour with the park's "
        "hourly factor series (park.yaml grid_factors.location_hourly)",
    )


class VintageWindow(Strict):
    """Certificate production months allowed around the reporting period."""

    months_before: int = Field(ge=0)
    months_after: int = Field(ge=0)


class CertificateRules(Strict):
    types: list[InstrumentType]
    market: str = Field("CN", description="generator country that forms the market boundary")
    vintage_window: VintageWindow
    require_retired: bool = True


class CreditRules(Strict):
    standards: list[CreditStandard]
    vintage_years_before: int = Field(
        5, ge=0, description="oldest vintage, years before the period"
    )
    require_retired: bool = True


class AccountingProfile(Strict):
    """One complete set of accounting choices; ``provisional`` lists the unverified ones."""

    kind: Literal["accounting_profile"]
    schema_version: Literal[1]
    id: str
    title: dict[str, str]
    aliases: list[str] = Field(default_factory=list, description="other ids rule sets use")
    basis: str = Field(description="the standard or method this profile follows")
    gases: Literal["co2_only", "kyoto"]
    gwp_basis: Literal["AR5", "AR6"] = "AR5"
    process_co2: Literal["include", "exclude"]
    factor_year: Literal["latest_not_after_period"] | int = "latest_not_after_period"
    electricity: ElectricityRules
    certificates: CertificateRules
    credits: CreditRules
    clean_energy: list[Literal["non_fossil", "natural_gas", "green_electricity"]]
    direct_supply_denominator: Literal["electricity_consumed", "electricity_consumed_and_lost"]
    indicator_scope2: Literal["location", "market"] = Field(
        description="scope-2 basis of the carbon-per-energy indicator"
    )
    net_includes_scope3: bool = True
    dual_reporting: bool = True
    provisional: list[str] = Field(default_factory=list, description="choices still unverified")
    sources: list[str] = Field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """The profile as plain data, printed with every result."""
        return self.model_dump(mode="json", exclude={"kind", "schema_version"})


def profile_path(name: str) -> Path:
    return PROFILE_DIR / f"{name}.yaml"


def available_profiles() -> list[str]:
    return sorted(p.stem for p in PROFILE_DIR.glob("*.yaml"))


def load_profile(name_or_path: str | Path) -> AccountingProfile:
    """A shipped profile by name (``national-zero-carbon-park``) or a profile file path."""
    path = Path(name_or_path)
    if not path.suffix:
        name_or_path = canonical_profile_name(str(name_or_path))
        if str(name_or_path) not in available_profiles():
            raise InputError(
                Problem(
                    f"unknown accounting profile {str(name_or_path)!r}",
                    hint=did_you_mean(str(name_or_path), available_profiles())
                    or f"shipped: {', '.join(available_profiles())}",
                )
            )
        path = profile_path(str(name_or_path))
    profile: AccountingProfile = validate_document(
        load_yaml(path), AccountingProfile, "accounting_profile"
    )
    return profile


DEFAULT_PROFILE = "national-zero-carbon-park"


def canonical_profile_name(name: str) -> str:
    """A shipped profile's file name for ``name`` or one of its ``aliases``."""
    if name in available_profiles():
        return name
    for candidate in available_profiles():
        aliases = load_yaml(profile_path(candidate)).data.get("aliases") or []
        if name in aliases:
            return candidate
    return name
