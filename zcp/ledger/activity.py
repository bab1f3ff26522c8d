"""Accounting inputs the park model has no place for (``activity.yaml``, ``kind: activity``).

Mobile combustion, fuels burnt outside the metered flows, refrigerant and SF6 charges,
process CO2, scope-3 categories with the user's own factors, and green-power contracts
(an entity's share of a generator's output, allocated before the pro-rata rule). Licensed LCA data
(ecoinvent, GaBi) is never bundled: scope-3 factors come from this file, with their source.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from zcp.errors import InputError, Problem
from zcp.ledger.activity_tables import TableSpec, column_of, read_activity_table
from zcp.ledger.factor_choice import StatedFactor
from zcp.ledger.supplier_disclosures import (
    DataQuality,
    SupplierDisclosure,
    data_quality_of,
    find_disclosed,
)
from zcp.ledger.supplier_files import load_disclosures
from zcp.model.common import Fraction, Identifier, Strict
from zcp.model.steam import SteamState
from zcp.tables import Table
from zcp.units import parse_quantity, registry
from zcp.yamlio import Document, load_yaml, parse_yaml, validate_document

ACTIVITY_FILE = "activity.yaml"


class FuelUse(Strict):
    """Fuel burnt: a number in the carrier's unit, or a quantity such as '441590 L' in one of
    the fuel units (L, m3, Nm3, kg, t, GJ, MJ, kWh; see :mod:`zcp.ledger.fuel_units`)."""

    entity: Identifier
    carrier: Identifier
    quantity: float | str
    density: str | None = Field(None, description="supplier's density, e.g. '0.84 kg/L'")
    ncv: str | None = Field(None, description="supplier's net calorific value, e.g. '42.7 GJ/t'")
    factor: StatedFactor | None = Field(None, description="this line's own CO2 factor")
    estimated: bool = Field(False, description="the quantity is an estimate, not a measurement")
    note: str | None = None


class CondensateReturn(Strict):
    """Condensate sent back to the supplier: its heat is subtracted from the steam's."""

    quantity: str | float = Field(description="mass returned, e.g. '800 t' [t]")
    temperature: str | float = Field(description="e.g. '80 degC' [°C]")
    pressure: str | float = Field("0.101325 MPa", description="absolute [MPa]")


class PurchasedEnergy(Strict):
    """Heat, steam, hot water or cooling bought from outside (scope 2).

    Steam in tonnes needs its ``steam`` conditions (enthalpy from IAPWS-IF97, minus any
    ``condensate_return``); heat may be given in GJ directly. Cooling has no library factor:
    give its ``factor``.
    """

    entity: Identifier
    carrier: Literal["heat", "steam", "hot_water", "cooling"]
    quantity: str | float = Field(description="e.g. '12000 t' (steam) or '5400 GJ' [GJ]")
    steam: SteamState | None = None
    condensate_return: CondensateReturn | None = None
    factor: StatedFactor | None = None
    supplier: str | None = None
    estimated: bool = False


class Fugitive(Strict):
    """Refrigerant or SF6: top-up (what was refilled), or charge × annual leak rate."""

    entity: Identifier
    gas: str = Field(description="gas id in the GWP set, e.g. hfc-134a, r-410a, sf6")
    top_up: str | float | None = Field(None, description="mass refilled, e.g. '12 kg' [t]")
    charge: str | float | None = Field(None, description="installed charge [t]")
    leak_rate: Fraction | None = None
    equipment: str | None = None

    @model_validator(mode="after")
    def _one_method(self) -> Fugitive:
        if self.top_up is None and (self.charge is None or self.leak_rate is None):
            raise ValueError("give top_up, or charge with leak_rate")
        return self

    def mass_t(self) -> float:
        """Mass released [t] (GHG Protocol: top-up, else charge × leak rate)."""
        if self.top_up is not None:
            return parse_quantity(self.top_up, "t")
        return parse_quantity(self.charge, "t") * float(self.leak_rate or 0.0)


class ProcessEmission(Strict):
    entity: Identifier
    description: str
    co2: str | float = Field(description="process CO2 [t], e.g. '1200 t'")


class UserFactor(Strict):
    value: float = Field(ge=0)
    unit: str = Field(description="e.g. tCO2e/t, kgCO2e/CNY")
    source: str


class Scope3Item(Strict):
    """One scope-3 line: activity or spend × the user's factor, or × a supplier's disclosed
    footprint (``supplier_product: SUPPLIER/PRODUCT``, supplier-specific data)."""

    category: int = Field(ge=1, le=15)
    entity: Identifier | None = None
    description: str
    amount: str | float = Field(description="activity or spend with its unit, e.g. '800 t'")
    factor: UserFactor | None = None
    supplier_product: str | None = Field(
        None, description="SUPPLIER_ID/PRODUCT_ID of a disclosure listed in supplier_disclosures"
    )
    data_quality: DataQuality | None = Field(
        None, description="GHG Protocol scope-3 data-quality class; derived when not given"
    )
    estimated: bool = False

    @model_validator(mode="after")
    def _one_price(self) -> Scope3Item:
        if (self.factor is None) == (self.supplier_product is None):
            raise ValueError("give either factor or supplier_product")
        return self

    def quality(self) -> str:
        """The line's data-quality class (stated, else derived from how it is priced)."""
        return self.data_quality or data_quality_of(
            self.supplier_product, self.factor.unit if self.factor else None
        )

    def tonnes(self, disclosures: dict[str, SupplierDisclosure] | None = None) -> float:
        """Emissions [tCO2e]; units must multiply out to a mass."""
        reg = registry()
        amount = self.amount if isinstance(self.amount, str) else f"{self.amount} dimensionless"
        qty: Any = reg.Quantity(amount)
        if self.supplier_product is not None:
            found = find_disclosed(disclosures or {}, self.supplier_product)
            if isinstance(found, str):
                raise ValueError(found)
            return float(qty.magnitude) * found[0].kg_per_unit(str(qty.units)) / 1000.0
        assert self.factor is not None
        try:
            return float(
                (qty * reg.Quantity(self.factor.value, self.factor.unit)).to("tCO2e").magnitude
            )
        except Exception:
            raise ValueError(
                f"{self.amount!r} × {self.factor.unit} is not a mass of CO2e"
            ) from None


class Scope3Exclusion(Strict):
    category: int = Field(ge=1, le=15)
    reason: Literal["not_available", "not_relevant", "not_significant", "other"]
    explanation: str | None = None


class GreenPowerContract(Strict):
    """An entity's contracted share of one on-site or dedicated-line generator's output."""

    entity: Identifier
    generator: Identifier
    share: Fraction = Field(gt=0)


class ActivityFile(Strict):
    kind: Literal["activity"]
    schema_version: Literal[1]
    stationary_combustion: list[FuelUse] = Field(default_factory=list)
    mobile_combustion: list[FuelUse] = Field(default_factory=list)
    purchased_energy: list[PurchasedEnergy] = Field(default_factory=list)
    fugitive: list[Fugitive] = Field(default_factory=list)
    process: list[ProcessEmission] = Field(default_factory=list)
    supplier_disclosures: list[str] = Field(
        default_factory=list,
        description="suppliers' disclosure files (.yaml or .xlsx) in the park folder",
    )
    scope3: list[Scope3Item] = Field(default_factory=list)
    scope3_excluded: list[Scope3Exclusion] = Field(default_factory=list)
    green_power_contracts: list[GreenPowerContract] = Field(default_factory=list)
    tables: list[str | TableSpec] = Field(
        default_factory=list,
        description="fuel and purchased-energy tables (.csv or .xlsx) in the park folder; "
        "each row is one line of its section",
    )


@dataclass
class Activity:
    data: ActivityFile
    document: Document | None = None
    disclosures: dict[str, SupplierDisclosure] = dataclass_field(default_factory=dict)
    #: (section, index) → the table and row a line was read from
    origins: dict[tuple[str, int], tuple[Table, int]] = dataclass_field(default_factory=dict)
    #: the tables ``tables:`` named, as read
    read_tables: list[Table] = dataclass_field(default_factory=list)
    #: the supplier disclosure files ``supplier_disclosures:`` named, as read
    disclosure_files: list[Path] = dataclass_field(default_factory=list)

    def files(self) -> list[Path]:
        """Every file this activity was read from: activity.yaml, its tables, the
        supplier disclosures it lists (none when there is no activity.yaml)."""
        if self.document is None:
            return []
        return (
            [self.document.path] + [t.path for t in self.read_tables] + list(self.disclosure_files)
        )

    def tables(self) -> list[dict[str, object]]:
        """Each table read (see :meth:`zcp.tables.Table.summary`), with the lines it gave."""
        lines = [
            sum(1 for t, _ in self.origins.values() if t is table) for table in self.read_tables
        ]
        return [{**t.summary(), "lines": n} for t, n in zip(self.read_tables, lines, strict=True)]

    def problem(self, message: str, loc: tuple[str | int, ...], hint: str | None = None) -> Problem:
        """A problem with the part ``loc`` = (section, index, field…) of a line, located in
        the table row it came from or in activity.yaml."""
        origin = self.origins.get((str(loc[0]), int(loc[1]))) if len(loc) >= 2 else None
        if origin is not None:
            table, row = origin
            return table.problem(message, row, column_of(tuple(loc[2:])) or None, hint=hint)
        if self.document is None:
            return Problem(message, field=".".join(str(p) for p in loc), hint=hint)
        return self.document.problem(message, loc, hint=hint)


EMPTY = ActivityFile(kind="activity", schema_version=1)


def load_activity(path: Path) -> Activity:
    """Read ``activity.yaml``; a missing file means no extra activity data."""
    if not path.is_file():
        return Activity(EMPTY.model_copy(), None)
    return _validate(load_yaml(path), path.parent)


def parse_activity(text: str, name: str = ACTIVITY_FILE, root: Path | None = None) -> Activity:
    return _validate(parse_yaml(text, name), root or Path("."))


def _validate(doc: Document, root: Path) -> Activity:
    data = validate_document(doc, ActivityFile, "activity")
    disclosure_files: list[Path] = []
    disclosures, problems = load_disclosures(
        root, data.supplier_disclosures, doc, read=disclosure_files
    )
    origins, read = _read_tables(data, doc, root, problems)
    activity = Activity(data, doc, disclosures, origins, read, disclosure_files)
    for i, item in enumerate(data.scope3):
        try:
            item.tonnes(disclosures)
        except Exception as exc:  # pint raises several kinds
            field = "supplier_product" if item.supplier_product else "factor"
            loc = ("scope3", i, field) + (("unit",) if field == "factor" else ())
            problems.append(activity.problem(str(exc), loc))
    for i, item in enumerate(data.fugitive):
        try:
            item.mass_t()
        except ValueError as exc:
            problems.append(doc.problem(str(exc), ("fugitive", i)))
    if problems:
        raise InputError(problems)
    return activity


def _read_tables(
    data: ActivityFile, doc: Document, root: Path, problems: list[Problem]
) -> tuple[dict[tuple[str, int], tuple[Table, int]], list[Table]]:
    """Append each listed table's rows to their sections; where each line came from, and
    the tables read."""
    models: dict[str, Any] = {"stationary_combustion": FuelUse, "mobile_combustion": FuelUse,
                              "purchased_energy": PurchasedEnergy, "scope3": Scope3Item}  # fmt: skip
    origins: dict[tuple[str, int], tuple[Table, int]] = {}
    read: list[Table] = []
    base = root.resolve()
    for i, entry in enumerate(data.tables):
        spec = TableSpec(path=entry) if isinstance(entry, str) else entry
        resolved = (root / spec.path).resolve()
        if (
            Path(spec.path).is_absolute()
            or not resolved.is_relative_to(base)
            or not resolved.is_file()
        ):
            problems.append(doc.problem(f"no table {spec.path!r} inside the park folder",
                                        ("tables", i)))  # fmt: skip
            continue
        try:
            table, lines = read_activity_table(resolved, spec.sheet, models)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        read.append(table)
        for section, row, line in lines:
            lines_of = getattr(data, section)
            origins[(section, len(lines_of))] = (table, row.number)
            lines_of.append(line)
    return origins, read
