"""Reading the supplier disclosures a park file lists: YAML files or workbooks made from the
template, always inside the park folder."""

from __future__ import annotations

from pathlib import Path

from zcp.errors import Problem
from zcp.ledger.supplier_disclosures import SupplierDisclosure
from zcp.ledger.supplier_workbook import read_workbook
from zcp.yamlio import Document, load_yaml, validate_document


def load_disclosure(path: Path) -> SupplierDisclosure:
    """Read and check one supplier disclosure, YAML or a workbook from the template
    (located errors, exit 2 on the CLI)."""
    if path.suffix.lower() == ".xlsx":
        return read_workbook(path)
    disclosure: SupplierDisclosure = validate_document(
        load_yaml(path), SupplierDisclosure, "supplier_disclosure"
    )
    return disclosure


def load_disclosures(
    root: Path,
    files: list[str],
    doc: Document | None,
    section: str = "supplier_disclosures",
    read: list[Path] | None = None,
) -> tuple[dict[str, SupplierDisclosure], list[Problem]]:
    """The disclosures a park file lists (paths relative to the park folder, never outside
    it), by supplier id, with the problems found. ``read`` collects each file opened."""
    out: dict[str, SupplierDisclosure] = {}
    problems: list[Problem] = []
    base = root.resolve()
    for i, rel in enumerate(files):
        candidate = Path(rel)
        resolved = (root / candidate).resolve()
        if candidate.is_absolute() or not resolved.is_relative_to(base) or not resolved.is_file():
            message = f"no supplier disclosure file {rel!r} inside the park folder"
            problems.append(
                doc.problem(message, (section, i)) if doc else Problem(message, field=section)
            )
            continue
        if read is not None:
            read.append(resolved)
        disclosure = load_disclosure(resolved)
        if disclosure.supplier.id in out:
            message = f"supplier {disclosure.supplier.id!r} disclosed twice"
            problems.append(
                doc.problem(message, (section, i)) if doc else Problem(message, field=section)
            )
        out[disclosure.supplier.id] = disclosure
    return out, problems
