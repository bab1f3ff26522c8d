"""Cradle-to-gate product carbon footprints (ISO 14067:2018; GHG Protocol Product Standard).

Per declared unit of a product [kgCO2e/unit]:

    materials    Σ quantity per unit × the supplier's disclosed footprint (or the user's factor)
    production   the tenant's own emissions × the product's allocation share ÷ output
    transport    Σ t·km (or other activity) per unit × the user's factor

The tenant's own emissions are its counted scope-1 lines and its purchased energy, taken
market-based as the ledger accounted it (instruments and green supply at zero, supplier
rates as given), except that grid electricity is priced with the *electricity carbon-
footprint factor* series (MEE/NBS/NEA), which is meant for product footprints — never with
the scope-2 grid factor. Every part keeps its source and its place in the data-quality
hierarchy, so the share of primary data is stated, not assumed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from zcp.errors import InputError, Problem
from zcp.factors import Factor, FactorLibrary
from zcp.ledger import LedgerResult
from zcp.model import ParkFolder
from zcp.products.catalogue import Product, ProductCatalogue
from zcp.units import registry

#: The factor library's quantity name of the electricity carbon-footprint series.
FOOTPRINT_QUANTITY = "electricity_carbon_footprint"
#: Grid-factor lines of the ledger are the ones priced by a factor of this family.
GRID_FACTOR_PREFIX = "co2.electricity."

BATTERY_NOTE = (
    "Regulation (EU) 2023/1542 Art. 7 and Annex II: footprint per kWh of the total energy a "
    "battery provides over its expected service life (rated energy × full-equivalent cycles "
    "as stated by the manufacturer). The delegated act fixing the calculation rules is not "
    "applied here; distribution and end-of-life stages are outside a cradle-to-gate "
    "footprint and are not computed. Provisional."
)


@dataclass
class FootprintLine:
    """One contribution to a product's footprint [kgCO2e per declared unit]."""

    stage: str  # materials | production | transport
    item: str
    quantity: float | None
    unit: str | None
    factor_value: float | None
    factor_unit: str | None
    source: str
    data_quality: str  # supplier_specific | hybrid | average_data | spend_based | own_activity
    kg_per_unit: float

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Footprint:
    """A product's cradle-to-gate footprint with everything it was built from."""

    product: Product
    tenant_name: str
    tenant_name_en: str | None
    park_id: str
    period: tuple[str, str]
    basis: str  # metered | modelled: how the tenant's own energy was known
    output: float  # [declared units] in the period
    lines: list[FootprintLine]
    allocation: dict[str, Any]
    electricity: dict[str, Any]
    inputs_sha256: str
    battery: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def kg_per_unit(self) -> float:
        """The footprint [kgCO2e per declared unit]."""
        return float(sum(line.kg_per_unit for line in self.lines))

    def stages(self) -> dict[str, float]:
        """[kgCO2e per declared unit] by life-cycle stage."""
        out = {"materials": 0.0, "production": 0.0, "transport": 0.0}
        for line in self.lines:
            out[line.stage] += line.kg_per_unit
        return out

    def data_quality_shares(self) -> dict[str, float]:
        """Share of the footprint by data-quality class [fraction] (summing to 1)."""
        total = self.kg_per_unit
        out: dict[str, float] = {}
        for line in self.lines:
            out[line.data_quality] = out.get(line.data_quality, 0.0) + line.kg_per_unit
        return {k: (v / total if total else 0.0) for k, v in sorted(out.items())}

    @property
    def primary_data_share(self) -> float:
        """Share from supplier-specific data and the tenant's own metered activity [fraction]."""
        shares = self.data_quality_shares()
        return shares.get("supplier_specific", 0.0) + shares.get("own_activity_metered", 0.0)

    def as_dict(self) -> dict[str, Any]:
        p = self.product
        return {
            "product": p.id,
            "tenant": p.tenant,
            "tenant_name": self.tenant_name,
            "tenant_name_en": self.tenant_name_en,
            "name": p.name,
            "name_en": p.name_en,
            "declared_unit": p.declared_unit,
            "output": self.output,
            "park": self.park_id,
            "period": {"start": self.period[0], "end": self.period[1]},
            "basis": self.basis,
            "kg_co2e_per_unit": self.kg_per_unit,
            "stages_kg_per_unit": self.stages(),
            "data_quality_shares": self.data_quality_shares(),
            "primary_data_share": self.primary_data_share,
            "allocation": self.allocation,
            "electricity": self.electricity,
            "lines": [line.as_dict() for line in self.lines],
            "battery": self.battery,
            "notes": self.notes,
            "inputs_sha256": self.inputs_sha256,
        }


def inputs_digest(folder: ParkFolder) -> str:
    """One SHA-256 over every input file's path and hash: what a label points back to."""
    digest = hashlib.sha256()
    for path, sha in sorted(folder.input_hashes().items()):
        digest.update(f"{path}\0{sha}\n".encode())
    return digest.hexdigest()


def footprint_factor(library: FactorLibrary, period_end: dt.date) -> tuple[Factor, str | None]:
    """The electricity carbon-footprint factor [kgCO2e/kWh in the shipped library] for a
    period: the newest data year not after the period's year (these factors are published
    about two years late), with a note when it is older than the period."""
    series = library.find(FOOTPRINT_QUANTITY, carrier="electricity")
    if not series:
        raise InputError(Problem(
            "the factor library has no electricity carbon-footprint factor",
            hint=f"add a factor with quantity: {FOOTPRINT_QUANTITY} (kgCO2e/kWh) and its source",
        ))  # fmt: skip
    usable = [f for f in series if f.year is not None and f.year <= period_end.year]
    chosen = usable[-1] if usable else series[0]
    note = None
    if chosen.year != period_end.year:
        note = (f"no electricity carbon-footprint factor for {period_end.year}; the "
                f"{chosen.year} value ({chosen.id}) is used")  # fmt: skip
    return chosen, note


def product_footprints(
    result: LedgerResult,
    folder: ParkFolder,
    catalogue: ProductCatalogue,
    library: FactorLibrary,
    product_ids: list[str] | None = None,
) -> list[Footprint]:
    """Footprints of the catalogue's products (or only ``product_ids``) [kgCO2e per declared
    unit], from one ledger run."""
    period_end = dt.date.fromisoformat(result.period[1])
    factor, factor_note = footprint_factor(library, period_end)
    digest = inputs_digest(folder)
    names = {t.id: (t.name, t.name_en) for t in folder.park.tenants}
    wanted = (
        [catalogue.product(pid) for pid in product_ids] if product_ids else catalogue.data.products
    )
    energy = {t: _tenant_energy(result.lines, t, factor) for t in {p.tenant for p in wanted}}
    out = []
    for product in wanted:
        fp = _footprint(product, result, catalogue, energy[product.tenant], digest)
        fp.tenant_name, fp.tenant_name_en = names.get(product.tenant, (product.tenant, None))
        if factor_note:
            fp.notes.append(factor_note)
        out.append(fp)
    return out


def _tenant_energy(lines: pd.DataFrame, tenant: str, factor: Factor) -> dict[str, Any]:
    """The tenant's own emissions as a product footprint counts them [tCO2e]."""
    own = lines[(lines["entity"] == tenant) & lines["counted"].astype(bool)]
    scope1 = own[own["scope"] == "1"]
    s2 = own[(own["scope"] == "2") & own["basis"].isin(["market", "both"])]
    elec = s2[s2["category"] == "electricity"]
    grid = elec[elec["factor_id"].fillna("").str.startswith(GRID_FACTOR_PREFIX)]
    other_elec = elec.drop(grid.index)
    other_s2 = s2[s2["category"] != "electricity"]
    kg_per_kwh = factor.value * registry().Quantity(1, factor.unit).to("kgCO2e/kWh").magnitude
    grid_mwh = float(grid["activity"].sum())
    return {
        "scope1_t": float(scope1["tco2e"].sum()),
        "scope1_lines": scope1,
        "grid_mwh": grid_mwh,
        "grid_t": grid_mwh * kg_per_kwh,  # MWh × kg/kWh = t
        "other_electricity_mwh": float(other_elec["activity"].sum()),
        "other_electricity_t": float(other_elec["tco2e"].sum()),
        "other_scope2_t": float(other_s2["tco2e"].sum()),
        "factor": factor,
        "kg_per_kwh": kg_per_kwh,
    }


def _num(x: Any) -> float | None:
    """A plain float, or ``None`` for a missing value (pandas gives NaN and numpy scalars)."""
    if x is None or pd.isna(x):
        return None
    return float(x)


def _share(product: Product, catalogue: ProductCatalogue) -> dict[str, Any]:
    reg = registry()
    rule = next((a for a in catalogue.data.allocation if a.tenant == product.tenant), None)
    if rule is None:
        return {"rule": "whole_tenant", "share": 1.0,
                "note": "the tenant makes only this product: all its emissions are allocated to it"}  # fmt: skip
    keys: dict[str, Any] = {k: reg.Quantity(v) for k, v in rule.keys.items()}
    base = next(iter(keys.values())).units
    values = {k: float(q.to(base).magnitude) for k, q in keys.items()}
    total = sum(values.values())
    if total <= 0:
        raise InputError(Problem(f"allocation keys of tenant {product.tenant!r} add up to zero",
                                 path="products.yaml", field="allocation"))  # fmt: skip
    return {"rule": rule.rule, "share": values[product.id] / total,
            "keys": {k: f"{v:g} {base:~}" for k, v in values.items()}, "note": rule.note}  # fmt: skip


def _footprint(product: Product, result, catalogue, energy, digest) -> Footprint:
    reg = registry()
    output = float(reg.Quantity(product.output).to(product.declared_unit).magnitude)
    if output <= 0:
        raise InputError(Problem(f"product {product.id!r} has no output in the period",
                                 path="products.yaml", field="output"))  # fmt: skip
    lines: list[FootprintLine] = []
    for m in product.materials:
        qty: Any = reg.Quantity(m.quantity)
        if m.supplier_product is not None:
            disclosed, disclosure = catalogue.disclosed(m.supplier_product)
            per = disclosed.kg_per_unit(str(qty.units))
            lines.append(FootprintLine(
                "materials", m.name, float(qty.magnitude), f"{qty.units:~}", per,
                f"kgCO2e/{qty.units:~}",
                f"{disclosure.supplier.name}: {disclosed.name} ({disclosed.method}, "
                f"{disclosed.verification.status})",
                "supplier_specific", float(qty.magnitude) * per))  # fmt: skip
        else:
            f = m.factor
            assert f is not None  # a material has a disclosure or a factor (checked on load)
            kg = float((qty * reg.Quantity(f.value, f.unit)).to("kgCO2e").magnitude)
            lines.append(FootprintLine("materials", m.name, float(qty.magnitude), f"{qty.units:~}",
                                       f.value, f.unit, f.source, f.data_quality, kg))  # fmt: skip
    for t in product.transport:
        qty = reg.Quantity(t.quantity)
        kg = float((qty * reg.Quantity(t.factor.value, t.factor.unit)).to("kgCO2e").magnitude)
        lines.append(FootprintLine("transport", t.description, float(qty.magnitude),
                                   f"{qty.units:~}", t.factor.value, t.factor.unit,
                                   t.factor.source, t.factor.data_quality, kg))  # fmt: skip
    allocation = _share(product, catalogue)
    share = allocation["share"]
    own = f"own_activity_{result.basis}"  # metered, or modelled (design estimates)
    per_unit = 1000.0 * share / output  # t of the tenant → kg per declared unit
    for _, row in energy["scope1_lines"].groupby(["category", "carrier"], dropna=False):
        first = row.iloc[0]
        lines.append(FootprintLine(
            "production", f"scope 1: {first['category']} ({first['carrier']})",
            float(row["activity"].sum()), first["activity_unit"], _num(first["factor_value"]),
            first["factor_unit"], str(first["factor_source"] or ""), own,
            float(row["tco2e"].sum()) * per_unit))  # fmt: skip
    fac: Factor = energy["factor"]
    lines.append(FootprintLine(
        "production", "grid electricity", energy["grid_mwh"], "MWh", fac.value, fac.unit,
        f"{fac.source.document}" + (f", {fac.source.clause}" if fac.source.clause else "")
        + f" ({fac.year})", own, energy["grid_t"] * per_unit))  # fmt: skip
    if energy["other_electricity_mwh"]:
        lines.append(FootprintLine(
            "production", "electricity with instruments, green supply or supplier rates",
            energy["other_electricity_mwh"], "MWh", None, None, "the ledger's market-based lines",
            own, energy["other_electricity_t"] * per_unit))  # fmt: skip
    if energy["other_scope2_t"]:
        lines.append(FootprintLine("production", "purchased heat and steam", None, None, None, None,
                                   "the ledger's market-based lines", own,
                                   energy["other_scope2_t"] * per_unit))  # fmt: skip
    electricity = {
        "grid_mwh": energy["grid_mwh"],
        "other_mwh": energy["other_electricity_mwh"],
        "factor_id": fac.id,
        "factor_value": fac.value,
        "factor_unit": fac.unit,
        "factor_year": fac.year,
        "factor_source": fac.source.document,
        "note": "grid electricity priced with the electricity carbon-footprint factor, not the scope-2 grid factor",
    }
    fp = Footprint(product, product.tenant, None, result.park_id, result.period, result.basis, output, lines,
                   allocation, electricity, digest)  # fmt: skip
    if result.basis == "modelled":
        fp.notes.append("the tenant's energy use is a design-stage estimate, not metered")
    if product.battery is not None:
        fp.battery = _battery(fp, product)
    return fp


def _battery(fp: Footprint, product: Product) -> dict[str, Any]:
    """The EU Battery Regulation declaration's figures, as far as zcp can state them."""
    reg = registry()
    b = product.battery
    assert b is not None
    rated_kwh = float(reg.Quantity(b.rated_energy).to("kWh").magnitude)
    try:
        units_per_battery = float(reg.Quantity(b.rated_energy).to(product.declared_unit).magnitude)
    except Exception:
        raise InputError(Problem(
            f"product {product.id!r}: battery figures need an energy declared unit (kWh)",
            path="products.yaml", field="battery")) from None  # fmt: skip
    lifetime_kwh = rated_kwh * b.full_equivalent_cycles
    per_battery = fp.kg_per_unit * units_per_battery
    stages = fp.stages()
    return {
        "category": b.category,
        "model": b.model,
        "manufacturing_site": b.manufacturing_site,
        "declaration_of_conformity": b.declaration_of_conformity,
        "kg_co2e_per_battery": per_battery,
        "lifetime_energy_kwh": lifetime_kwh,
        "kg_co2e_per_kwh_lifetime": per_battery / lifetime_kwh,
        "stages_kg_per_kwh_lifetime": {
            "raw_material_acquisition_and_pre_processing": (
                stages["materials"] + stages["transport"]
            )
            * units_per_battery
            / lifetime_kwh,
            "main_product_production": stages["production"] * units_per_battery / lifetime_kwh,
            "distribution": None,
            "end_of_life_and_recycling": None,
        },  # fmt: skip
        "not_computed": [
            "distribution",
            "end_of_life_and_recycling",
            "carbon footprint performance class",
        ],
        "provisional": True,
        "note": BATTERY_NOTE,
    }
