"""A footprint in the PACT data model (WBCSD Partnership for Carbon Transparency,
Technical Specifications 2.x, ``ProductFootprint``), the format buyers exchange.

Decimals are written as strings, as the specification asks. What the specification requires
and a calculation cannot know (carbon content, exempted emissions, packaging) comes from the
product's ``pact:`` block; without it the export is refused, never filled in.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import uuid
from importlib import resources
from typing import Any

from zcp.errors import InputError, Problem
from zcp.products.footprint import Footprint
from zcp.units import registry

SPEC_VERSION = "2.3.0"
SCHEMA_FILE = "pact-product-footprint-2.3.schema.json"
#: PACT declared units by pint dimensionality (a footprint is converted to the PACT unit).
_PACT_UNITS = {
    "liter": "liter",
    "kilogram": "kilogram",
    "meter ** 3": "cubic meter",
    "kilowatt_hour": "kilowatt hour",
    "megajoule": "megajoule",
    "metric_ton * kilometer": "ton kilometer",
    "meter ** 2": "square meter",
}
_NAMESPACE = uuid.UUID("5d1c5f3e-8f4b-4c1e-9a52-1f6f3c0a7e10")  # zcp's own, for stable ids


@functools.cache
def pact_schema() -> dict[str, Any]:
    """The JSON Schema zcp checks its PACT output against (written from the public spec)."""
    text = resources.files("zcp.schemas").joinpath("external", SCHEMA_FILE).read_text("utf-8")
    return json.loads(text)


def _decimal(x: float, digits: int = 6) -> str:
    text = f"{x:.{digits}f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def _pact_unit(declared: str) -> tuple[str, float]:
    """(PACT declared unit, how many of them one of ``declared`` is)."""
    reg = registry()
    q = reg.Quantity(1, declared)
    for pint_unit, name in _PACT_UNITS.items():
        try:
            return name, float(q.to(pint_unit).magnitude)
        except Exception:  # noqa: BLE001 — pint's DimensionalityError and friends
            continue
    raise InputError(Problem(
        f"declared unit {declared!r} has no PACT equivalent",
        hint="PACT declared units: " + ", ".join(_PACT_UNITS.values())))  # fmt: skip


def to_pact(fp: Footprint, *, company_name: str, gwp_basis: str, created: dt.datetime,
            country: str = "CN") -> dict[str, Any]:  # fmt: skip
    """The footprint as one PACT ``ProductFootprint`` object."""
    p = fp.product
    if p.pact is None:
        raise InputError(Problem(
            f"product {p.id!r} has no `pact:` block: PACT requires the fossil and biogenic "
            "carbon content, exempted emissions and whether packaging is included",
            path="products.yaml", field=f"products[{p.id}].pact"))  # fmt: skip
    if not p.cpc_code:
        raise InputError(Problem(f"product {p.id!r} has no cpc_code: PACT requires the UN CPC category",
                                 path="products.yaml", field=f"products[{p.id}].cpc_code"))  # fmt: skip
    if gwp_basis not in ("AR5", "AR6"):
        raise InputError(
            Problem(f"PACT needs IPCC AR5 or AR6 characterisation, the profile uses {gwp_basis!r}")
        )
    reg = registry()
    unit, per_declared = _pact_unit(p.declared_unit)
    # one product unit: a battery's rated energy, else one declared unit
    amount = (float(reg.Quantity(p.battery.rated_energy).to(p.declared_unit).magnitude)
              if p.battery else 1.0) * per_declared  # fmt: skip
    kg_per_pact_unit = fp.kg_per_unit / per_declared
    carbon = {k: float(reg.Quantity(getattr(p.pact, k)).to("kg").magnitude) / per_declared
              for k in ("fossil_carbon_content", "biogenic_carbon_content")}  # fmt: skip
    start, end = fp.period
    stages = fp.stages()
    return {
        "id": str(uuid.uuid5(_NAMESPACE, f"{fp.park_id}/{p.id}/{fp.inputs_sha256}")),
        "specVersion": SPEC_VERSION,
        "version": 1,
        "created": created.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "status": "Active",
        "companyName": company_name,
        "companyIds": p.pact.company_ids
        or [f"urn:pathfinder:company:customcode:vendor-assigned:{fp.park_id}.{p.tenant}"],
        "productDescription": p.name_en or p.name,
        "productIds": p.product_ids
        or [f"urn:pathfinder:product:customcode:vendor-assigned:{fp.park_id}.{p.id}"],
        "productCategoryCpc": p.cpc_code or "",
        "productNameCompany": p.name,
        "comment": (
            f"Computed by zcp from park {fp.park_id} (inputs sha256 {fp.inputs_sha256}). "
            + " ".join(fp.notes)
        ).strip(),  # fmt: skip
        "pcf": {
            "declaredUnit": unit,
            "unitaryProductAmount": _decimal(amount),
            "pCfExcludingBiogenic": _decimal(kg_per_pact_unit),
            "fossilGhgEmissions": _decimal(kg_per_pact_unit),
            "fossilCarbonContent": _decimal(carbon["fossil_carbon_content"]),
            "biogenicCarbonContent": _decimal(carbon["biogenic_carbon_content"]),
            "characterizationFactors": gwp_basis,
            "ipccCharacterizationFactorsSources": [gwp_basis],
            "crossSectoralStandardsUsed": ["GHG Protocol Product standard", "ISO Standard 14067"],
            "boundaryProcessesDescription": (
                "Cradle to gate: materials as disclosed by suppliers or priced with stated "
                f"factors ({stages['materials']:.3f} kgCO2e/{p.declared_unit}), inbound transport "
                f"({stages['transport']:.3f}), the maker's own scope 1 and purchased energy "
                f"allocated to the product ({stages['production']:.3f})."
            ),  # fmt: skip
            "referencePeriodStart": f"{start}T00:00:00Z",
            "referencePeriodEnd": f"{(dt.date.fromisoformat(end) + dt.timedelta(days=1))}T00:00:00Z",
            "geographyCountry": country,
            "exemptedEmissionsPercent": p.pact.exempted_emissions_percent,
            "exemptedEmissionsDescription": p.pact.exempted_emissions_description,
            "packagingEmissionsIncluded": p.pact.packaging_emissions_included,
            "allocationRulesDescription": _allocation_text(fp),
            "primaryDataShare": round(100.0 * fp.primary_data_share, 1),
            "assurance": {"assurance": False},
        },
    }


def _allocation_text(fp: Footprint) -> str:
    a = fp.allocation
    if a["rule"] == "whole_tenant":
        return "No allocation: the site makes only this product."
    keys = ", ".join(f"{k}: {v}" for k, v in a["keys"].items())
    return f"{a['rule'].capitalize()} allocation of the site's emissions ({keys}); share {a['share']:.4f}."


def validate_pact(document: dict[str, Any]) -> list[str]:
    """Every way ``document`` breaks the PACT schema (empty when it conforms)."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(pact_schema())
    return [f"{'/'.join(map(str, e.path)) or '(top)'}: {e.message}"
            for e in sorted(validator.iter_errors(document), key=lambda e: list(e.path))]  # fmt: skip
