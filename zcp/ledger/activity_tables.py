"""Fuel, purchased-energy and scope-3 lines from a spreadsheet: ``activity.yaml`` ``tables:``.

Sites keep their fuel and heat ledgers (燃料/能源台账) in Excel or WPS and export CSV, often
in GBK, and procurement lists for spend-based scope 3. ``activity.yaml`` names those tables;
each row becomes one combustion, purchased-energy or scope-3 line, exactly as if written in
YAML, and is then checked and priced by
the same code (:mod:`zcp.ledger.activity_checks`). Reading is :mod:`zcp.tables`: CSV in
UTF-8/BOM/GB18030 or ``.xlsx``, every error located by file, sheet, row and column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from zcp.errors import InputError, Problem, did_you_mean
from zcp.model.carriers import Carriers
from zcp.model.common import Strict
from zcp.tables import (
    Column,
    Table,
    TableRow,
    flag,
    is_number,
    quantity_text,
    read_table,
    write_template,
)

#: The sheet the template writes and the reader looks for first.
ACTIVITY_SHEET = "activity"

#: Rows may name their section in English or Chinese.
SECTIONS = {
    "stationary_combustion": "stationary_combustion", "固定燃烧": "stationary_combustion",
    "固定源燃烧": "stationary_combustion",
    "mobile_combustion": "mobile_combustion", "移动燃烧": "mobile_combustion",
    "移动源燃烧": "mobile_combustion",
    "purchased_energy": "purchased_energy", "外购热力": "purchased_energy",
    "外购能源": "purchased_energy", "外购热": "purchased_energy",
    "scope3": "scope3", "范围三": "scope3", "范围3": "scope3",
}  # fmt: skip

ACTIVITY_COLUMNS: tuple[Column, ...] = (
    Column("section", "类别", "stationary_combustion, mobile_combustion, purchased_energy "
           "(steam, heat, hot water, cooling bought in) or scope3 (with your own factor)",
           "固定燃烧 / 移动燃烧 / 外购热力（外购蒸汽、热水、冷量）/ 范围三（用户因子）",
           example="mobile_combustion", required=True),
    Column("entity", "主体", "tenant id (or the park id) the line belongs to",
           "所属主体（租户代码或园区代码）", example="suzhou", required=True),
    Column("carrier", "能源品种", "carrier id or Chinese name: diesel 柴油, gasoline 汽油, "
           "natural_gas 天然气, coal 原煤 …; purchased: steam, heat, hot_water, cooling "
           "(not for scope3)", "能源品种代码或中文名（范围三行不填）", example="diesel"),
    Column("scope3_category", "范围三类别", "scope3 lines: GHG Protocol category 1–15",
           "范围三行：温室气体核算体系类别 1–15"),
    Column("quantity", "数量", "the amount (a point for decimals, no thousands separators)",
           "消耗量（小数用点，不用千位分隔符）", example="441590", required=True),
    Column("unit", "单位", "unit of the quantity: L, m3, Nm3, kg, t, GJ, MJ, kWh; steam t or GJ",
           "计量单位：L、m3、Nm3、kg、t、GJ、MJ、kWh；蒸汽 t 或 GJ", example="L", required=True),
    Column("density", "密度", "supplier's density (optional; else the factor library's)",
           "供应商密度（可选，缺省用因子库值）", unit="kg/L", example="0.835"),
    Column("ncv", "低位发热量", "supplier's net calorific value (optional)",
           "供应商低位发热量（可选）", unit="GJ/t"),
    Column("steam_pressure", "蒸汽压力", "steam in t: absolute pressure", "蒸汽（按吨）：绝对压力",
           unit="MPa"),
    Column("steam_temperature", "蒸汽温度", "steam in t: temperature", "蒸汽（按吨）：温度",
           unit="degC"),
    Column("condensate_return", "凝结水回收量", "condensate returned to the supplier (optional)",
           "返回供应方的凝结水量（可选）", unit="t"),
    Column("condensate_temperature", "凝结水温度", "temperature of the condensate returned",
           "返回凝结水温度", unit="degC"),
    Column("factor_value", "排放因子", "this line's own CO2 factor (optional; with unit and "
           "source)", "本行自有排放因子（可选，须填单位与来源）"),
    Column("factor_unit", "因子单位", "unit of the factor, e.g. kgCO2/L, tCO2/GJ",
           "因子单位，如 kgCO2/L、tCO2/GJ"),
    Column("factor_source", "因子来源", "document (and clause) the factor comes from",
           "因子来源文件及条款"),
    Column("factor_year", "因子年份", "data year of the factor", "因子数据年份"),
    Column("supplier", "供应商", "who supplied the steam or heat (purchased energy only)",
           "热力/蒸汽供应方（仅外购热力）"),
    Column("estimated", "是否估算", "yes if the quantity is an estimate, not a measurement",
           "数量为估算值时填“是”", example="否"),
    Column("supplier_product", "供应商产品", "scope3 lines: SUPPLIER/PRODUCT of a disclosure, "
           "instead of a factor", "范围三行：供应商披露中的 供应商/产品，代替因子"),
    Column("note", "备注", "free text; for scope3 lines the description (required)",
           "备注；范围三行为必填的说明", example="fuel cards 2025"),
)  # fmt: skip

_FUEL_FIELDS = {"entity", "carrier", "quantity", "density", "ncv", "factor", "estimated", "note"}
_ENERGY_FIELDS = {"entity", "carrier", "quantity", "steam", "condensate_return", "factor",
                  "supplier", "estimated"}  # fmt: skip
#: column key → the line's field it feeds (the rest feed the field of their own name).
COLUMN_FIELDS = {
    "unit": "quantity", "steam_pressure": "steam", "steam_temperature": "steam",
    "condensate_return": "condensate_return", "condensate_temperature": "condensate_return",
    "factor_value": "factor", "factor_unit": "factor", "factor_source": "factor",
    "factor_year": "factor",
}  # fmt: skip
#: (line field, sub-field) → column key, for errors found after the line is built.
FIELD_COLUMNS = {
    ("steam", "pressure"): "steam_pressure", ("steam", "temperature"): "steam_temperature",
    ("steam",): "steam_pressure",
    ("condensate_return", "quantity"): "condensate_return",
    ("condensate_return", "temperature"): "condensate_temperature",
    ("condensate_return",): "condensate_return",
    ("factor", "value"): "factor_value", ("factor", "unit"): "factor_unit",
    ("factor", "source"): "factor_source", ("factor", "year"): "factor_year",
    ("factor",): "factor_value",
}  # fmt: skip
_SCOPE3_FIELDS = {"entity", "category", "description", "amount", "factor", "supplier_product",
                  "estimated"}  # fmt: skip
#: scope-3 lines name some fields otherwise (factor_year: a scope-3 factor has no year).
SCOPE3_COLUMN_FIELDS = {
    **COLUMN_FIELDS, "quantity": "amount", "unit": "amount", "note": "description",
    "scope3_category": "category", "factor_year": "factor year",
}  # fmt: skip
FIELD_COLUMNS.update({("category",): "scope3_category", ("description",): "note",
                      ("amount",): "quantity", ("supplier_product",): "supplier_product"})  # fmt: skip
_UNITS = {c.key: c.unit for c in ACTIVITY_COLUMNS}


class TableSpec(Strict):
    """One table ``activity.yaml`` lists: a path in the park folder and, for a workbook with
    several sheets, the sheet."""

    path: str = Field(description=".csv or .xlsx, relative to the park folder")
    sheet: str | None = None


def column_of(field: tuple[str | int, ...]) -> str:
    """The table column a line's field (e.g. ``("steam", "pressure")``) was read from."""
    parts = tuple(str(p) for p in field)
    for n in range(len(parts), 0, -1):
        if parts[:n] in FIELD_COLUMNS:
            return FIELD_COLUMNS[parts[:n]]
    return parts[0] if parts else ""


def _line_data(row: TableRow, section: str, chinese: dict[str, str]) -> dict[str, Any]:
    """The YAML-shaped dict of one row (ValueError with the column key as its second arg)."""
    cells = row.cells
    allowed, fields = {
        "purchased_energy": (_ENERGY_FIELDS, COLUMN_FIELDS),
        "scope3": (_SCOPE3_FIELDS, SCOPE3_COLUMN_FIELDS),
    }.get(section, (_FUEL_FIELDS, COLUMN_FIELDS))
    for key in cells:
        if key != "section" and fields.get(key, key) not in allowed:
            raise ValueError(f"does not apply to a {section} line", key)
    quantity = _written_quantity(cells)
    if section == "scope3":
        return _scope3_data(cells, quantity)
    data: dict[str, Any] = {"entity": cells.get("entity"), "quantity": quantity,
                            "carrier": chinese.get(cells.get("carrier", ""), cells.get("carrier"))}  # fmt: skip
    for key, target in (("density", "density"), ("ncv", "ncv")):
        if key in cells:
            data[target] = _quantity(cells, key)
    if "steam_pressure" in cells or "steam_temperature" in cells:
        data["steam"] = {"pressure": _quantity(cells, "steam_pressure"),
                         "temperature": _quantity(cells, "steam_temperature")}  # fmt: skip
    if "condensate_return" in cells or "condensate_temperature" in cells:
        data["condensate_return"] = {"quantity": _quantity(cells, "condensate_return"),
                                     "temperature": _quantity(cells, "condensate_temperature")}  # fmt: skip
    if any(k.startswith("factor_") for k in cells):
        factor = {"value": cells.get("factor_value"), "unit": cells.get("factor_unit"),
                  "source": cells.get("factor_source"), "year": cells.get("factor_year")}  # fmt: skip
        data["factor"] = {k: v for k, v in factor.items() if v is not None}
    for key in ("supplier", "note"):
        if key in cells:
            data[key] = cells[key]
    return data | _estimated(cells)


def _scope3_data(cells: dict[str, str], amount: str) -> dict[str, Any]:
    """A scope-3 row as ``Scope3Item`` fields: the quantity is its amount, the note its
    description, the factor the user's (value, unit, source)."""
    data: dict[str, Any] = {"category": cells.get("scope3_category"), "entity": cells.get("entity"),
                            "description": cells.get("note"), "amount": amount}  # fmt: skip
    if any(k.startswith("factor_") for k in cells):
        factor = {"value": cells.get("factor_value"), "unit": cells.get("factor_unit"),
                  "source": cells.get("factor_source")}  # fmt: skip
        data["factor"] = {k: v for k, v in factor.items() if v is not None}
    if "supplier_product" in cells:
        data["supplier_product"] = cells["supplier_product"]
    return data | _estimated(cells)


def _estimated(cells: dict[str, str]) -> dict[str, bool]:
    if "estimated" not in cells:
        return {}
    try:
        return {"estimated": flag(cells["estimated"])}
    except ValueError as exc:
        raise ValueError(str(exc), "estimated") from None


def _written_quantity(cells: dict[str, str]) -> str:
    """The quantity with its unit, from the quantity and unit columns (ValueError located)."""
    try:
        quantity = quantity_text(cells.get("quantity", ""), None)
    except ValueError as exc:
        raise ValueError(str(exc), "quantity") from None
    unit = cells.get("unit")
    if not quantity:
        raise ValueError("no quantity", "quantity")
    if not unit and is_number(quantity):
        raise ValueError(f"{quantity} in which unit?", "unit")
    if unit and not is_number(quantity):
        raise ValueError(f"{quantity!r} has a unit of its own and the unit column says {unit!r}",
                         "quantity")  # fmt: skip
    return f"{quantity} {unit}" if unit else quantity


def _quantity(cells: dict[str, str], key: str) -> str | None:
    if key not in cells:
        return None
    try:
        return quantity_text(cells[key], _UNITS[key])
    except ValueError as exc:
        raise ValueError(str(exc), key) from None


def _section_hint(written: str) -> str:
    starting = {SECTIONS[s] for s in SECTIONS if written and s.startswith(written.lower())}
    if len(starting) == 1:
        return f"did you mean {starting.pop()!r}?"
    return did_you_mean(written, SECTIONS) or "固定燃烧 / 移动燃烧 / 外购热力 / 范围三 are read too"


def _error_column(loc: tuple[int | str, ...]) -> str | None:
    """The column of a field a validation error names; None for the row as a whole."""
    return column_of(loc) if loc else None


def read_activity_table(
    path: Path, sheet: str | None, models: dict[str, type[BaseModel]]
) -> tuple[Table, list[tuple[str, TableRow, BaseModel]]]:
    """The lines of one table as ``(section, row, line)``; ``InputError`` with every
    located problem. ``models`` maps a section to its line model (FuelUse, PurchasedEnergy,
    Scope3Item)."""
    table = read_table(path, ACTIVITY_COLUMNS, sheet=sheet, default_sheet=ACTIVITY_SHEET)
    chinese = {c.name_zh: c.id for c in Carriers.shipped().by_id.values() if c.name_zh}
    lines: list[tuple[str, TableRow, BaseModel]] = []
    problems: list[Problem] = []
    for row in table.rows:
        section = SECTIONS.get(row.cells.get("section", "").strip().lower())
        if section is None:
            written = row.cells.get("section", "")
            problems.append(table.problem(
                f"section {written!r} is not one of stationary_combustion, mobile_combustion, "
                "purchased_energy, scope3" if written else "no section", row.number, "section",
                hint=_section_hint(written)))  # fmt: skip
            continue
        try:
            data = _line_data(row, section, chinese)
            line = models[section].model_validate(data)
        except ValueError as exc:
            if isinstance(exc, ValidationError):
                for err in exc.errors(include_url=False):
                    problems.append(table.problem(err["msg"], row.number,
                                                  _error_column(tuple(err["loc"]))))  # fmt: skip
            else:
                message, key = exc.args if len(exc.args) == 2 else (str(exc), None)
                problems.append(table.problem(str(message), row.number, key))
            continue
        lines.append((section, row, line))
    if problems:
        raise InputError(problems)
    return table, lines


#: The template's commented example rows: diesel in litres, steam in tonnes, freight spend.
TEMPLATE_EXAMPLES = (
    {"section": "mobile_combustion", "entity": "suzhou", "carrier": "diesel",
     "quantity": "441590", "unit": "L", "density": "0.835", "estimated": "否",
     "note": "fuel cards 2025"},
    {"section": "purchased_energy", "entity": "chengdu", "carrier": "steam", "quantity": "12000",
     "unit": "t", "steam_pressure": "1.0", "steam_temperature": "250",
     "condensate_return": "4000", "condensate_temperature": "80", "supplier": "Park heat plant"},
    {"section": "scope3", "entity": "suzhou", "scope3_category": "4", "quantity": "2500000",
     "unit": "CNY", "factor_value": "0.35", "factor_unit": "kgCO2e/CNY",
     "factor_source": "freight spend factor (name the source)", "note": "inbound freight"},
)  # fmt: skip
TEMPLATE_NOTES = (
    "每行一条燃烧、外购热力或范围三记录；在 activity.yaml 中写 tables: [本文件名] 后由 zcp 读取。"
    " One fuel, purchased-energy or scope-3 line per row; list the file in activity.yaml "
    "(tables: [FILE.xlsx]).",
    "以 # 开头的行是注释（示例行），不读取；把示例行的 # 去掉或在其下方填写。"
    " Rows whose first cell starts with # are comments (the example rows): overwrite them or "
    "fill in below.",
    "只填数字的列按表头方括号中的单位读取；也可写带单位的数值，如 0.84 kg/L。"
    " A bare number in a column with a [unit] in its header is read in that unit; a value "
    "with its own unit (0.84 kg/L) is read as written.",
    "小数用点，不用千位分隔符；CSV 可为 UTF-8 或 GBK/GB18030。"
    " A point for decimals, no thousands separators; CSV may be UTF-8 or GBK/GB18030.",
)


def write_activity_template(path: Path) -> None:
    """The blank activity table (.xlsx with notes, or .csv), columns in Chinese and English."""
    write_template(path, ACTIVITY_COLUMNS, sheet=ACTIVITY_SHEET,
                   title="燃料、外购热力与范围三台账 / Fuel, purchased-energy and scope-3 "
                   "ledger (zcp activity)",
                   notes=TEMPLATE_NOTES, examples=TEMPLATE_EXAMPLES)  # fmt: skip
