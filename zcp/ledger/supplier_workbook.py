"""Supplier disclosures as Excel workbooks: the blank request a park sends its tenants'
suppliers (openpyxl writes it) and the filled-in answer read back (python-calamine reads it).

The workbook has three sheets: ``说明 README`` (what each column means, in Chinese and
English), ``supplier`` (one value per row) and ``products`` (one product per row). Errors name
the file, sheet, row and column, as the YAML loader names file, line and field.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from zcp.errors import InputError, Problem
from zcp.ledger.supplier_disclosures import DisclosedProduct, Supplier, SupplierDisclosure

SUPPLIER_ROWS = [
    ("id", "供应商代码（字母、数字、-_.）", "supplier code (letters, digits, - _ .)"),
    ("name", "供应商名称", "supplier name"),
    ("country", "国家（ISO 3166 两位代码，如 CN）", "country, ISO 3166 alpha-2 (e.g. CN)"),
    ("contact", "联系人（可选）", "contact (optional)"),
    ("disclosed_on", "披露日期 YYYY-MM-DD", "date of this disclosure, YYYY-MM-DD"),
]
PRODUCT_COLUMNS = [
    ("id", "产品代码", "product code"),
    ("name", "产品名称", "product name"),
    ("declared_unit", "声明单位，如 kg、t、kWh", "declared unit, e.g. kg, t, kWh"),
    ("footprint_value", "每声明单位碳足迹数值", "footprint per declared unit (number)"),
    ("footprint_unit", "碳足迹单位，如 kgCO2e/kg", "footprint unit, e.g. kgCO2e/kg"),
    ("method", "核算方法，如 ISO 14067:2018", "method, e.g. ISO 14067:2018"),
    ("boundary", "系统边界：cradle_to_gate / cradle_to_grave / gate_to_gate", "system boundary"),
    ("reference_period_start", "基准期开始 YYYY-MM-DD", "reference period start"),
    ("reference_period_end", "基准期结束 YYYY-MM-DD", "reference period end"),
    (
        "verification_status",
        "核查：not_verified / self_declared / third_party_verified",
        "verification status",
    ),
    ("verifier", "核查机构（第三方核查时必填）", "verifier (required if third-party verified)"),
    (
        "verification_statement",
        "核查声明编号（可选）",
        "verification statement reference (optional)",
    ),
    ("green_power_share", "绿色电力占比 0–1（可选）", "green-power share 0–1 (optional)"),
    ("primary_data_share", "初级数据占比 0–1（可选）", "primary-data share 0–1 (optional)"),
    ("note", "备注（可选）", "note (optional)"),
]


def write_template(path: Path) -> None:
    """Write the blank, documented supplier-disclosure workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    readme = wb.active
    readme.title = "说明 README"
    readme.append(["供应商碳足迹披露表 / Supplier carbon-footprint disclosure"])
    readme.append(["请在 supplier 与 products 两页填写；每行一个产品。 Fill in the 'supplier' and "
                   "'products' sheets; one product per row."])  # fmt: skip
    readme.append([])
    readme.append(["sheet", "field", "中文", "English"])
    for key, zh, en in SUPPLIER_ROWS:
        readme.append(["supplier", key, zh, en])
    for key, zh, en in PRODUCT_COLUMNS:
        readme.append(["products", key, zh, en])
    readme["A1"].font = Font(bold=True)
    supplier = wb.create_sheet("supplier")
    supplier.append(["field", "value", "说明 / meaning"])
    for key, zh, en in SUPPLIER_ROWS:
        supplier.append([key, None, f"{zh} / {en}"])
    products = wb.create_sheet("products")
    products.append([key for key, _, _ in PRODUCT_COLUMNS])
    for cell in products[1]:
        cell.font = Font(bold=True)
    for sheet in (readme, supplier, products):
        for column in sheet.columns:
            sheet.column_dimensions[column[0].column_letter].width = 24
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def _text(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip() or None
    return value


def read_workbook(path: Path) -> SupplierDisclosure:
    """A filled-in disclosure workbook as a ``SupplierDisclosure`` (located errors)."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}
    except Exception as exc:  # noqa: BLE001 — calamine raises its own error types for bad files
        raise InputError(Problem(f"not a readable .xlsx workbook: {exc}", path=str(path))) from None
    problems: list[Problem] = []
    for needed in ("supplier", "products"):
        if needed not in sheets:
            problems.append(Problem(f"no sheet {needed!r}", path=str(path),
                                    hint="start from `zcp template supplier_disclosure`"))  # fmt: skip
    if problems:
        raise InputError(problems)
    fields = {str(r[0]).strip(): _text(r[1]) for r in sheets["supplier"][1:] if r and r[0]}
    supplier_data = {
        k: fields.get(k) for k in ("id", "name", "country", "contact") if fields.get(k) is not None
    }
    try:
        supplier = Supplier.model_validate(supplier_data)
    except ValidationError as exc:
        for err in exc.errors():
            key = str(err["loc"][0]) if err["loc"] else "?"
            row = next((i + 1 for i, r in enumerate(sheets["supplier"]) if r and r[0] == key), None)
            problems.append(Problem(err["msg"], path=str(path), line=row,
                                    field=f"sheet supplier, field {key}"))  # fmt: skip
        supplier = None
    header = [str(c).strip() for c in sheets["products"][0]] if sheets["products"] else []
    col = {name: i for i, name in enumerate(header)}
    products = []
    for r, values in enumerate(sheets["products"][1:], start=2):
        if not any(v not in (None, "") for v in values):
            continue
        cell = {name: _text(values[i]) if i < len(values) else None for name, i in col.items()}
        data = {
            "id": cell.get("id"), "name": cell.get("name"), "declared_unit": cell.get("declared_unit"),
            "footprint": {"value": cell.get("footprint_value"), "unit": cell.get("footprint_unit")},
            "method": cell.get("method"), "boundary": cell.get("boundary") or "cradle_to_gate",
            "reference_period": {"start": cell.get("reference_period_start"),
                                 "end": cell.get("reference_period_end")},
            "verification": {k: v for k, v in {"status": cell.get("verification_status"),
                                                "verifier": cell.get("verifier"),
                                                "statement": cell.get("verification_statement")}.items()
                             if v is not None},
            "green_power_share": cell.get("green_power_share"),
            "primary_data_share": cell.get("primary_data_share"), "note": cell.get("note"),
        }  # fmt: skip
        try:
            products.append(DisclosedProduct.model_validate(data))
        except ValidationError as exc:
            for err in exc.errors():
                key = "_".join(str(p) for p in err["loc"][:2] if isinstance(p, str)) or "?"
                column = key if key in col else str(err["loc"][0]) if err["loc"] else "?"
                problems.append(Problem(err["msg"], path=str(path), line=r,
                                        field=f"sheet products, row {r}, column {column}"))  # fmt: skip
    if problems:
        raise InputError(problems)
    try:
        return SupplierDisclosure(kind="supplier_disclosure", schema_version=1, supplier=supplier,
                                  disclosed_on=fields.get("disclosed_on"), products=products)  # fmt: skip
    except ValidationError as exc:
        raise InputError([Problem(e["msg"], path=str(path), field="sheet products")
                          for e in exc.errors()]) from None  # fmt: skip
