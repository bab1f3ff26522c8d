"""The park model: identity, period, stage, tenants, assets, flows and meters.

Everything a park *is* lives here as pydantic v2 models; ``zcp schema park`` prints their
JSON Schema so editors can autocomplete ``park.yaml``. Cross-references (a flow's ends, a
meter's flow, carrier ids) are checked by :mod:`zcp.model.references` once the whole folder
is read; the energy-flow checks live with the graph.
"""

from __future__ import annotations

import calendar
import datetime as dt
import zoneinfo
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from zcp.errors import InputError
from zcp.limits import ANY_QUANTITY_CEILING, MAX_METER_MULTIPLIER
from zcp.model.carriers import Carrier
from zcp.model.common import (
    GJ,
    MW,
    Area,
    CountryCode,
    CubicMetres,
    Fraction,
    Identifier,
    MWh,
    Period,
    RatedPower,
    Strict,
    Tonnes,
    ValueAdded,
)
from zcp.model.stated import StatedFigure
from zcp.model.steam import CondensateShare, SteamState
from zcp.units import conversion_factor

GridRegion = Literal["north", "northeast", "east", "central", "northwest", "south", "southwest"]


class Location(Strict):
    province: str
    city: str | None = None
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    timezone: str = "Asia/Shanghai"
    grid_region: GridRegion = Field(
        description="regional grid the park draws from (MEE factor regions)"
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, zone: str) -> str:
        try:
            zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {zone!r} (use an IANA name such as 'Asia/Shanghai')"
            ) from None
        return zone


class StatedGridFactor(Strict):
    """A grid factor the user brings, with its provenance (for a site outside China's grids,
    or to replace the library's): value, unit, source, year, confidence."""

    value: float = Field(ge=0, allow_inf_nan=False, description="[unit]")
    unit: str = Field("tCO2/MWh", description="e.g. tCO2/MWh, kgCO2/kWh")
    source: str = Field(min_length=1, description="document (and clause) the value comes from")
    year: int | None = Field(None, ge=1990, le=2100, description="data year")
    confidence: Literal["verified", "provisional"] = "provisional"

    @field_validator("unit")
    @classmethod
    def _per_energy(cls, unit: str) -> str:
        try:
            conversion_factor(unit, "tCO2/MWh")
        except InputError as exc:
            problem = exc.problems[0]
            raise ValueError(
                f"{problem.message} — a mass of CO2 per unit of electricity, e.g. tCO2/MWh, "
                "kgCO2/kWh, gCO2/kWh"
            ) from None
        return unit


class HourlyGridFactors(Strict):
    """An hourly location-based grid factor series the user brings (a CSV in the park
    folder, one row per local hour of one calendar year: ``time,factor``), with its
    provenance. Read by accounting profiles that price location-based scope 2 hour by hour
    (China Electricity Council accounting spec: time- and location-specific factors)."""

    file: str = Field(min_length=1, description="CSV relative to the park folder")
    unit: str = Field("tCO2/MWh", description="unit of the factor column, e.g. kgCO2/kWh")
    source: str = Field(min_length=1, description="who publishes the series (document, URL)")
    year: int = Field(ge=1990, le=2100, description="the calendar year the rows cover")
    confidence: Literal["verified", "provisional"] = "provisional"

    @field_validator("unit")
    @classmethod
    def _per_energy(cls, unit: str) -> str:
        return StatedGridFactor._per_energy(unit)


class GridFactorOverrides(Strict):
    """Factor overrides for electricity: location-based (grid average) and market-based
    residual. Either may be left out; the library then chooses as the profile says."""

    location: StatedGridFactor | None = None
    residual: StatedGridFactor | None = Field(
        None, description="residual mix for market-based scope 2"
    )
    location_hourly: HourlyGridFactors | None = Field(
        None,
        description="hourly location-based factors (park level only), for profiles that "
        "price location-based scope 2 hour by hour",
    )


class EntityLocation(Strict):
    """Where a site is, when it is not where the park is: country, province, grid region."""

    country: CountryCode = "CN"
    province: str | None = None
    city: str | None = None
    grid_region: GridRegion | None = Field(
        None, description="China's regional grid (MEE factor regions); sites in China only"
    )

    @model_validator(mode="after")
    def _grid_region_in_china(self) -> EntityLocation:
        if self.country != "CN" and self.grid_region is not None:
            raise ValueError(
                f"grid_region {self.grid_region!r} is one of China's grids, but the site is in "
                f"{self.country}: give its grid factor under grid_factors instead"
            )
        return self


class Economics(Strict):
    industrial_value_added: ValueAdded | None = None
    area: Area | None = None
    employees: int | None = Field(None, ge=0)


# --- tenants ---------------------------------------------------------------------------


class WaterUse(Strict):
    """Industrial water; reuse rate = reused / (reused + withdrawn)."""

    withdrawn: CubicMetres
    reused: CubicMetres


class SolidWaste(Strict):
    """General industrial solid waste; utilisation = utilised / (generated + drawn from store)."""

    generated: Tonnes
    utilised: Tonnes
    drawn_from_storage: Tonnes = 0.0

    @model_validator(mode="after")
    def _not_more_than_available(self) -> SolidWaste:
        available = self.generated + self.drawn_from_storage
        if self.utilised > available:
            raise ValueError(
                f"utilised waste ({self.utilised:g} t) exceeds what was generated and drawn "
                f"from storage ({available:g} t)"
            )
        return self


class WasteHeat(Strict):
    """Waste heat, cold and pressure: what was recoverable and what was put to use."""

    recoverable: GJ
    recovered: GJ

    @model_validator(mode="after")
    def _not_more_than_available(self) -> WasteHeat:
        if self.recovered > self.recoverable:
            raise ValueError("recovered waste heat exceeds what was recoverable")
        return self


class Product(Strict):
    """A product line with its specific energy use and the national quota it is held to."""

    name: str
    output: float = Field(ge=0, le=ANY_QUANTITY_CEILING)
    unit: str = Field(description="unit of output, e.g. t, GWh (battery cells), pieces")
    energy_per_unit: float | None = Field(
        None, ge=0, description="specific energy use [kgce per unit]"
    )
    quota_standard: str | None = Field(
        None, description="GB 单位产品能源消耗限额 standard, e.g. 'GB 21256-2013'"
    )
    quota_grade1: float | None = Field(
        None, ge=0, description="grade-1 (advanced) value [kgce per unit]"
    )
    quota_grade2: float | None = Field(None, ge=0, description="grade-2 value [kgce per unit]")


class Tenant(Strict):
    id: Identifier
    name: str
    name_en: str | None = None
    industry: str = Field(description="what it makes, in words")
    industry_code: str | None = Field(None, description="GB/T 4754 code, e.g. C3841")
    in_boundary: bool = Field(True, description="inside the park's accounting boundary")
    reporting_period: Period | None = Field(None, description="only if it differs from the park's")
    location: EntityLocation | None = Field(
        None, description="only if the site is not where the park is (another grid, abroad)"
    )
    grid_factors: GridFactorOverrides | None = Field(
        None, description="this entity's own grid factors (required for a site abroad)"
    )
    stated_figures: list[StatedFigure] = Field(
        default_factory=list, description="figures already reported, to reconcile against"
    )
    water: WaterUse | None = None
    solid_waste: SolidWaste | None = None
    waste_heat: WasteHeat | None = None
    products: list[Product] = Field(default_factory=list)


# --- assets ----------------------------------------------------------------------------


class _Asset(Strict):
    id: Identifier
    name: str | None = None
    tenant: Identifier | None = Field(None, description="tenant that owns or operates it")
    commissioned: dt.date | None = None


class Generator(_Asset):
    type: Literal["generator"]
    technology: Literal["wind", "pv", "hydro", "biomass", "chp", "gas_turbine", "diesel_genset"]
    capacity: MW
    site: Literal["on_site", "off_site"] = "on_site"
    fuel: Identifier | None = Field(None, description="carrier burnt (biomass, CHP, gensets)")
    capacity_factor: Fraction | None = Field(
        None, description="design-stage annual capacity factor"
    )
    annual_output: MWh | None = Field(None, description="design-stage annual estimate")


class Storage(_Asset):
    type: Literal["storage"]
    technology: Literal["battery", "thermal", "hydrogen"]
    carrier: Identifier
    energy_capacity: MWh
    power: MW
    round_trip_efficiency: Fraction = 0.9


class Converter(_Asset):
    type: Literal["converter"]
    technology: Literal["electrolyser", "heat_pump", "boiler", "chiller", "chp"]
    inputs: list[Identifier] = Field(min_length=1, description="carriers consumed")
    outputs: list[Identifier] = Field(min_length=1, description="carriers produced")
    rated_power: MW | None = None
    efficiency: float | None = Field(
        None, gt=0, le=10, description="output/input (a COP may exceed 1)"
    )


class GridConnection(_Asset):
    type: Literal["grid_connection"]
    carrier: Identifier = "electricity"
    direction: Literal["import", "export", "both"] = "both"
    voltage_kv: float | None = Field(None, gt=0)
    capacity: MW | None = None
    supplier: str | None = None


class FuelSupply(_Asset):
    type: Literal["fuel_supply"]
    carrier: Identifier
    supplier: str | None = None


class Bus(_Asset):
    type: Literal["bus"]
    carrier: Identifier = "electricity"
    bus_type: Literal["bus", "substation", "pipe_network"] = "bus"
    voltage_kv: float | None = Field(None, gt=0)


class Equipment(_Asset):
    type: Literal["equipment"]
    carrier: Identifier = "electricity"
    rated_power: RatedPower


Asset = Annotated[
    Generator | Storage | Converter | GridConnection | FuelSupply | Bus | Equipment,
    Field(discriminator="type"),
]


# --- flows and meters ------------------------------------------------------------------


class Flow(Strict):
    """Energy moving from one node to another in one carrier."""

    id: Identifier
    from_: Identifier = Field(alias="from")
    to: Identifier
    carrier: Identifier
    dedicated_line: bool = Field(False, description="off-site green power over a dedicated line")
    loss_fraction: Fraction = Field(0.0, description="stated losses on this flow")
    annual_estimate: float | str | None = Field(
        None,
        description="design-stage annual quantity, e.g. '120 GWh' or a number in the carrier's unit",
    )
    steam: SteamState | None = Field(
        None, description="a steam flow in mass [t]: its conditions, to price it by its heat"
    )
    condensate_return: CondensateShare | None = Field(
        None, description="share of the steam's mass returned as condensate, and its conditions"
    )

    model_config = Strict.model_config | {"populate_by_name": True}


class Meter(Strict):
    model_config = Strict.model_config | {"populate_by_name": True}

    id: Identifier
    flow: Identifier
    carrier: Identifier
    unit: str = Field(description="unit of the readings, e.g. kWh")
    level: Literal["park_boundary", "tenant", "equipment"]
    register_kind: Literal["interval", "cumulative"] = Field(
        "interval", alias="register", description="interval values, or a cumulative register"
    )
    interval_minutes: int = Field(60, gt=0, le=1440)
    upload_interval_minutes: int | None = Field(None, gt=0)
    resolution: float | None = Field(None, gt=0)
    rollover: float | None = Field(
        None, gt=0, le=ANY_QUANTITY_CEILING, description="cumulative register wraps at this value"
    )
    multiplier: float = Field(
        1.0, gt=0, le=MAX_METER_MULTIPLIER, description="CT/PT ratio applied to readings"
    )
    accuracy_class: str | None = None
    installation_class: Literal["I", "II", "III", "IV", "V"] | None = Field(
        None,
        description="electricity metering-installation class (电能计量装置类别); GB 17167 sets "
        "an electricity meter's accuracy by it",
    )
    weighing: Literal["static", "dynamic"] | None = Field(
        None, description="for a fuel scale: static or dynamic weighing (GB 17167 accuracy)"
    )
    nominal_diameter_mm: int | None = Field(
        None, gt=0, description="pipe size (DN) of a flow meter [mm] (GB 17167 water accuracy)"
    )
    calibrated_on: dt.date | None = None
    calibration_interval_months: int | None = Field(None, gt=0)

    def calibration_due(self) -> dt.date | None:
        """The calibration date plus the interval in calendar months; a day the due month
        lacks (30 March + 11 months) falls on that month's last day (28 February)."""
        if self.calibrated_on is None or self.calibration_interval_months is None:
            return None
        months = self.calibrated_on.month - 1 + self.calibration_interval_months
        year, month = self.calibrated_on.year + months // 12, months % 12 + 1
        last_day = calendar.monthrange(year, month)[1]
        return dt.date(year, month, min(self.calibrated_on.day, last_day))


class ReadingsFile(Strict):
    path: str = Field(description="relative to the park folder")
    format: Literal["csv", "parquet"] | None = Field(None, description="by suffix if omitted")
    timezone: str | None = Field(None, description="zone of naive timestamps (default: the park's)")


class Park(Strict):
    kind: Literal["park"]
    schema_version: Literal[1]
    id: Identifier
    name: str
    name_en: str | None = None
    location: Location
    reporting_period: Period
    stage: Literal["design", "operation"]
    economics: Economics = Field(default_factory=Economics)
    carriers: list[Carrier] = Field(
        default_factory=list, description="extra carriers for this park"
    )
    tenants: list[Tenant] = Field(default_factory=list)
    assets: list[Asset] = Field(default_factory=list)
    flows: list[Flow] = Field(default_factory=list)
    meters: list[Meter] = Field(default_factory=list)
    meters_file: str | None = Field(
        None, description="CSV of meters (one row per meter) for large parks"
    )
    readings: list[ReadingsFile] = Field(default_factory=list)
    instruments_file: str = "instruments.yaml"
    assessment_file: str = "assessment.yaml"
    grid_factors: GridFactorOverrides | None = Field(
        None, description="park-wide grid factor overrides (an entity's own take precedence)"
    )
    stated_figures: list[StatedFigure] = Field(
        default_factory=list, description="group totals already reported (inside the boundary)"
    )

    def node_ids(self) -> list[str]:
        return [t.id for t in self.tenants] + [a.id for a in self.assets]
