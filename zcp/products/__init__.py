"""Products and suppliers: what a park's tenants buy and make, footprint by footprint.

A stage after the ledger (it reads a ``LedgerResult``, never the reverse):

* :mod:`zcp.ledger.supplier_disclosures` — suppliers' carbon disclosures (``kind: supplier_disclosure``);
* :mod:`zcp.products.catalogue` — a park's products file (``kind: products``): declared
  units, output, bill of materials, transport, the allocation rule of each tenant;
* :mod:`zcp.products.footprint` — cradle-to-gate product carbon footprints (ISO 14067:2018,
  GHG Protocol Product Standard) with a breakdown by stage and the share of primary data;
* :mod:`zcp.products.pact` — footprints in the PACT (WBCSD Pathfinder) data model;
* :mod:`zcp.products.label` — the one-page label with its QR "green code", and its check;
* :mod:`zcp.products.exports` — the inventory mapped to climate-disclosure frameworks.
"""

from zcp.ledger.supplier_disclosures import SupplierDisclosure
from zcp.ledger.supplier_files import load_disclosure
from zcp.products.catalogue import PRODUCTS_FILE, ProductCatalogue, load_products
from zcp.products.footprint import Footprint, product_footprints

__all__ = [
    "PRODUCTS_FILE",
    "Footprint",
    "ProductCatalogue",
    "SupplierDisclosure",
    "load_disclosure",
    "load_products",
    "product_footprints",
]
