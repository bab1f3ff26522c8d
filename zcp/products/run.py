"""Footprints of a park folder in one call: the ledger run, the products file, the factors."""

from __future__ import annotations

from pathlib import Path

from zcp.errors import InputError, Problem
from zcp.factors import default_library
from zcp.ledger import LedgerResult, run_ledger
from zcp.model import load_park
from zcp.products.catalogue import PRODUCTS_FILE, load_products
from zcp.products.footprint import Footprint, product_footprints

#: Product footprints count every greenhouse gas (CO2e), so the corporate GHG profile.
FOOTPRINT_PROFILE = "ghg-protocol-corporate"


def park_footprints(
    park_dir: str | Path, product_ids: list[str] | None = None, profile: str | None = None
) -> tuple[list[Footprint], LedgerResult]:
    """Every product's footprint (or only ``product_ids``) and the ledger run they rest on."""
    folder = load_park(park_dir)
    catalogue = load_products(folder.root, [t.id for t in folder.park.tenants])
    if catalogue is None:
        raise InputError(Problem(
            f"{folder.root / PRODUCTS_FILE} not found: the park lists no products",
            hint="write a products.yaml (kind: products); see assessments/ordos-design"))  # fmt: skip
    result = run_ledger(park_dir, profile=profile or FOOTPRINT_PROFILE)
    return product_footprints(result, folder, catalogue, default_library(), product_ids), result
