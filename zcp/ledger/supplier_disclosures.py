"""A supplier's carbon disclosure (``kind: supplier_disclosure``): the footprints of the
products it sells to a park's tenants, per declared unit, with how they were made.

This is the request a park sends its tenants' key suppliers. The fields follow what the
GHG Protocol Scope 3 Standard (ch. 7, data quality) and ISO 14067:2018 ask a footprint to
state: method, system boundary, reference period, verification, and — because buyers of
park products ask for it — the supplier's green-power share. A disclosed footprint is
supplier-specific data in the scope-3 data-quality hierarchy.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from zcp.errors import did_you_mean
from zcp.model.common import Fraction, Identifier, Period, Strict
from zcp.units import registry

#: The scope-3 data-quality hierarchy (GHG Protocol Scope 3 Calculation Guidance, ch. 1:
#: supplier-specific, hybrid, average-data and spend-based methods), best first.
DATA_QUALITY = ("supplier_specific", "hybrid", "average_data", "spend_based")
DataQuality = Literal["supplier_specific", "hybrid", "average_data", "spend_based"]

Boundary = Literal["cradle_to_gate", "cradle_to_grave", "gate_to_gate"]


class Verification(Strict):
    """Who checked the footprint: nobody, the supplier itself, or a third party."""

    status: Literal["not_verified", "self_declared", "third_party_verified"]
    verifier: str | None = None
    statement: str | None = Field(None, description="document reference of the verification")

    @model_validator(mode="after")
    def _verifier_named(self) -> Verification:
        if self.status == "third_party_verified" and not self.verifier:
            raise ValueError("a third-party verification names its verifier")
        return self


class DisclosedFootprint(Strict):
    """Carbon footprint per declared unit [kgCO2e per declared unit] (or any CO2e mass
    per unit that pint converts, e.g. tCO2e/t)."""

    value: float = Field(ge=0)
    unit: str = Field(description="e.g. kgCO2e/kg, tCO2e/t, kgCO2e/kWh")


class DisclosedProduct(Strict):
    id: Identifier
    name: str
    declared_unit: str = Field(description="the unit the footprint refers to, e.g. kg, kWh, piece")
    footprint: DisclosedFootprint
    method: str = Field(
        description="e.g. 'ISO 14067:2018', 'GHG Protocol Product Standard', 'PACT 2.0'"
    )
    boundary: Boundary = "cradle_to_gate"
    reference_period: Period
    verification: Verification
    green_power_share: Fraction | None = Field(
        None,
        description="share of the supplier's electricity that is green (instrument-backed or own)",
    )
    primary_data_share: Fraction | None = Field(
        None, description="share of the footprint from the supplier's own measured data"
    )
    note: str | None = None

    def kg_per_unit(self, unit: str) -> float:
        """The footprint [kgCO2e per ``unit``] (``unit`` of the buyer's quantity)."""
        reg = registry()
        per = reg.Quantity(self.footprint.value, self.footprint.unit)
        declared = reg.Quantity(1, self.declared_unit)
        try:
            total = (per * declared).to("kgCO2e")
            return float(total.magnitude / reg.Quantity(1, self.declared_unit).to(unit).magnitude)
        except Exception:
            raise ValueError(
                f"footprint in {self.footprint.unit} per {self.declared_unit} cannot be "
                f"expressed per {unit}"
            ) from None


class Supplier(Strict):
    id: Identifier
    name: str
    country: str = Field(description="ISO 3166 alpha-2 code, e.g. CN")
    contact: str | None = None


class SupplierDisclosure(Strict):
    kind: Literal["supplier_disclosure"]
    schema_version: Literal[1]
    supplier: Supplier
    disclosed_on: str | None = Field(None, description="date the supplier signed the disclosure")
    products: list[DisclosedProduct] = Field(min_length=1)

    @model_validator(mode="after")
    def _units_make_sense(self) -> SupplierDisclosure:
        reg = registry()
        ids = set()
        for p in self.products:
            if p.id in ids:
                raise ValueError(f"product id {p.id!r} appears twice")
            ids.add(p.id)
            try:
                (reg.Quantity(1, p.footprint.unit) * reg.Quantity(1, p.declared_unit)).to("kgCO2e")
            except Exception:
                raise ValueError(
                    f"product {p.id!r}: footprint {p.footprint.unit} × 1 {p.declared_unit} "
                    "is not a mass of CO2e (give it per declared unit, e.g. kgCO2e/kg)"
                ) from None
        return self


def find_disclosed(
    disclosures: dict[str, SupplierDisclosure], ref: str
) -> tuple[DisclosedProduct, SupplierDisclosure] | str:
    """The product ``SUPPLIER/PRODUCT`` and its disclosure, or what is wrong with ``ref``."""
    supplier, _, product = ref.partition("/")
    if supplier not in disclosures:
        hint = did_you_mean(supplier, disclosures)
        return f"no disclosure from supplier {supplier!r}" + (f" — {hint}" if hint else "")
    disclosure = disclosures[supplier]
    offered = [p.id for p in disclosure.products]
    if product not in offered:
        hint = did_you_mean(product, offered)
        return f"supplier {supplier!r} disclosed no product {product!r}" + (
            f" — {hint}" if hint else ""
        )
    return next(p for p in disclosure.products if p.id == product), disclosure


def data_quality_of(supplier_product: str | None, factor_unit: str | None) -> str:
    """Where a scope-3 line sits in the data-quality hierarchy when the user does not say:
    supplier-specific with a disclosure, spend-based with a factor per amount of money,
    average-data otherwise."""
    if supplier_product:
        return "supplier_specific"
    if factor_unit:
        try:
            if "[currency]" in str(registry().Quantity(1, factor_unit).dimensionality):
                return "spend_based"
        except Exception:  # noqa: BLE001 — an unparsable unit is reported by the line's own check
            pass
    return "average_data"
