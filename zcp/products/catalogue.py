"""A park's products file (``products.yaml``, ``kind: products``): what its tenants make.

Per product: the declared unit its footprint is given in, the output in the period, the
materials per declared unit (each priced by a supplier's disclosure or by the user's own
factor, with its source), transport per declared unit, and — for battery products — the
quantities the EU Battery Regulation's footprint declaration rests on. Per tenant: how its
own emissions are shared between its products (the allocation rule, ISO 14067:2018 §6.4.6:
physical relationship, mass or economic value), with one key per product and one for
anything else the tenant makes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from zcp.errors import InputError, Problem, did_you_mean
from zcp.ledger.supplier_disclosures import (
    DataQuality,
    SupplierDisclosure,
    find_disclosed,
)
from zcp.ledger.supplier_files import load_disclosures
from zcp.model.common import Identifier, Strict
from zcp.units import registry
from zcp.yamlio import Document, load_yaml, validate_document

PRODUCTS_FILE = "products.yaml"


class OwnFactor(Strict):
    """The user's own factor [CO2e per unit of the line's quantity], with its source."""

    value: float = Field(ge=0)
    unit: str = Field(description="e.g. kgCO2e/kg, kgCO2e/(t*km)")
    source: str
    year: int | None = None
    data_quality: DataQuality = "average_data"


class Material(Strict):
    """An input per declared unit of the product, priced by a disclosure or a factor."""

    name: str
    quantity: str = Field(description="per declared unit, with its unit, e.g. '2.1 kg'")
    supplier_product: str | None = Field(
        None, description="SUPPLIER_ID/PRODUCT_ID of a supplier disclosure"
    )
    factor: OwnFactor | None = None

    @model_validator(mode="after")
    def _one_price(self) -> Material:
        if (self.supplier_product is None) == (self.factor is None):
            raise ValueError("give either supplier_product or factor")
        return self


class Transport(Strict):
    description: str
    quantity: str = Field(description="per declared unit, e.g. '0.8 t*km'")
    factor: OwnFactor


class Battery(Strict):
    """What a battery's footprint declaration needs beyond the footprint itself
    (Regulation (EU) 2023/1542, Art. 7 and Annex II)."""

    category: Literal["ev", "industrial", "lmt"]
    model: str
    rated_energy: str = Field(description="energy of one battery, e.g. '0.896 kWh'")
    full_equivalent_cycles: float = Field(gt=0, description="expected over the service life")
    declaration_of_conformity: str | None = None
    manufacturing_site: str | None = None


class PactFields(Strict):
    """What the PACT data model requires that a footprint calculation cannot know:
    stated by the manufacturer per declared unit."""

    fossil_carbon_content: str = Field(description="carbon in the product, e.g. '0.9 kg' [kg C]")
    biogenic_carbon_content: str = Field(description="e.g. '0 kg' [kg C]")
    exempted_emissions_percent: float = Field(ge=0, le=5)
    exempted_emissions_description: str
    packaging_emissions_included: bool
    company_ids: list[str] = Field(default_factory=list, description="URNs of the maker")


class Product(Strict):
    id: Identifier
    tenant: Identifier
    name: str
    name_en: str | None = None
    declared_unit: str = Field(description="kg, kWh, t, m3, MJ … (PACT declared units)")
    output: str = Field(description="made in the reporting period, e.g. '14 GWh'")
    product_ids: list[str] = Field(default_factory=list, description="URNs, e.g. urn:gtin:…")
    cpc_code: str | None = Field(None, description="UN CPC category of the product")
    materials: list[Material] = Field(default_factory=list)
    transport: list[Transport] = Field(default_factory=list)
    battery: Battery | None = None
    pact: PactFields | None = None


class Allocation(Strict):
    """How a tenant's own emissions are shared between its products."""

    tenant: Identifier
    rule: Literal["physical", "mass", "economic"]
    keys: dict[str, str] = Field(
        description="product id (or 'other' for the rest of the tenant's output) → key quantity"
    )
    note: str | None = None


class ProductsFile(Strict):
    kind: Literal["products"]
    schema_version: Literal[1]
    supplier_disclosures: list[str] = Field(
        default_factory=list,
        description="supplier disclosure files (.yaml, or .xlsx from the template), relative to the park folder",
    )
    products: list[Product] = Field(min_length=1)
    allocation: list[Allocation] = Field(default_factory=list)


@dataclass
class ProductCatalogue:
    data: ProductsFile
    document: Document
    disclosures: dict[str, SupplierDisclosure]  # by supplier id

    def product(self, product_id: str) -> Product:
        for p in self.data.products:
            if p.id == product_id:
                return p
        ids = [p.id for p in self.data.products]
        raise InputError(Problem(f"no product {product_id!r}", path=str(self.document.path),
                                 hint=did_you_mean(product_id, ids)))  # fmt: skip

    def disclosed(self, ref: str):
        """The disclosed product ``SUPPLIER/PRODUCT`` (checked to exist when loading)."""
        found = find_disclosed(self.disclosures, ref)
        assert not isinstance(found, str), found  # references are checked when loading
        return found


def load_products(
    root: Path, tenants: list[str], *, name: str = PRODUCTS_FILE
) -> ProductCatalogue | None:
    """Read ``products.yaml`` of a park folder and the disclosures it names; ``None`` when
    the park has no products file. Every reference is checked (did-you-mean)."""
    path = root / name
    if not path.is_file():
        return None
    doc = load_yaml(path)
    data = validate_document(doc, ProductsFile, "products")
    disclosures, problems = load_disclosures(root, data.supplier_disclosures, doc)
    problems += _check_references(doc, data, tenants, disclosures)
    if problems:
        raise InputError(problems)
    return ProductCatalogue(data, doc, disclosures)


def _check_references(doc, data: ProductsFile, tenants, disclosures) -> list[Problem]:
    reg = registry()
    problems: list[Problem] = []
    ids = [p.id for p in data.products]
    seen: set[str] = set()
    for i, p in enumerate(data.products):
        loc = ("products", i)
        if p.id in seen:
            problems.append(doc.problem(f"product id {p.id!r} appears twice", (*loc, "id")))
        seen.add(p.id)
        if p.tenant not in tenants:
            problems.append(doc.problem(f"unknown tenant {p.tenant!r}", (*loc, "tenant"),
                                        hint=did_you_mean(p.tenant, tenants)))  # fmt: skip
        for field, text, want in (("output", p.output, p.declared_unit),):
            try:
                reg.Quantity(text).to(want)
            except Exception:
                problems.append(doc.problem(f"{text!r} is not an amount in {want}", (*loc, field)))
        for j, m in enumerate(p.materials):
            mloc = (*loc, "materials", j)
            if m.supplier_product is not None:
                found = find_disclosed(disclosures, m.supplier_product)
                if isinstance(found, str):
                    problems.append(doc.problem(found, (*mloc, "supplier_product")))
                    continue
                disclosed = found[0]
                try:
                    disclosed.kg_per_unit(str(reg.Quantity(m.quantity).units))
                except Exception as exc:
                    problems.append(doc.problem(str(exc), (*mloc, "quantity")))
            elif m.factor is not None:
                problems += _priced(doc, m.quantity, m.factor.unit, (*mloc, "factor", "unit"))
        for j, t in enumerate(p.transport):
            problems += _priced(
                doc, t.quantity, t.factor.unit, (*loc, "transport", j, "factor", "unit")
            )
        if p.battery is not None:
            try:
                reg.Quantity(p.battery.rated_energy).to("kWh")
            except Exception:
                problems.append(doc.problem("rated_energy must be an energy, e.g. '0.896 kWh'",
                                            (*loc, "battery", "rated_energy")))  # fmt: skip
    allocated: dict[str, int] = {}
    for i, a in enumerate(data.allocation):
        loc = ("allocation", i)
        if a.tenant in allocated:
            problems.append(
                doc.problem(f"tenant {a.tenant!r} has two allocation rules", (*loc, "tenant"))
            )
        allocated[a.tenant] = i
        units = set()
        for key, text in a.keys.items():
            if key != "other" and key not in ids:
                problems.append(doc.problem(f"unknown product {key!r}", (*loc, "keys", key),
                                            hint=did_you_mean(key, ids + ["other"])))  # fmt: skip
            elif (
                key != "other" and next(p for p in data.products if p.id == key).tenant != a.tenant
            ):
                problems.append(
                    doc.problem(f"product {key!r} is not made by {a.tenant!r}", (*loc, "keys", key))
                )
            try:
                q: Any = reg.Quantity(text)
                if q.magnitude < 0 or q.magnitude != q.magnitude:
                    raise ValueError
                units.add(str(q.dimensionality))
            except Exception:
                problems.append(doc.problem(f"{text!r} is not a quantity ≥ 0", (*loc, "keys", key)))
        if a.rule == "mass" and units and units != {"[mass]"}:
            problems.append(
                doc.problem("a mass allocation takes masses for every key", (*loc, "keys"))
            )
        if a.rule == "economic" and units and units != {"[currency]"}:
            problems.append(doc.problem("an economic allocation takes amounts of money (CNY) for every key",
                                        (*loc, "keys")))  # fmt: skip
        if len(units) > 1:
            problems.append(
                doc.problem(
                    "allocation keys of one tenant must share one dimension", (*loc, "keys")
                )
            )
    for i, p in enumerate(data.products):
        if p.tenant not in allocated:
            makers = [q.id for q in data.products if q.tenant == p.tenant]
            if len(makers) > 1:
                problems.append(doc.problem(
                    f"tenant {p.tenant!r} makes {len(makers)} products but has no allocation rule",
                    ("products", i, "tenant"),
                    hint="add an `allocation:` entry with a key per product (and 'other')"))  # fmt: skip
        elif p.id not in data.allocation[allocated[p.tenant]].keys:
            problems.append(doc.problem(f"product {p.id!r} has no key in its tenant's allocation",
                                        ("allocation", allocated[p.tenant], "keys")))  # fmt: skip
    return problems


def _priced(doc, quantity: str, factor_unit: str, loc) -> list[Problem]:
    reg = registry()
    try:
        (reg.Quantity(quantity) * reg.Quantity(1, factor_unit)).to("kgCO2e")
    except Exception:
        return [doc.problem(f"{quantity!r} × {factor_unit} is not a mass of CO2e", loc)]
    return []
