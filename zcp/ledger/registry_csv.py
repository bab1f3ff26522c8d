"""Registry statements as CSV or Excel: the GEC platform's export and I-REC / GO
cancellation statements, read into certificates.

Registries export one row per certificate or per batch. Columns are recognised by their
header (Chinese or English, case and spacing ignored — the aliases below); a column zcp
needs but cannot find is an error naming the headers it looked for. CSV files may be UTF-8
(with or without BOM) or GB18030/GBK, as Chinese platforms export them; ``.xlsx`` workbooks
are read with python-calamine (first sheet), and a code Excel stored as a number (which
keeps only 15–17 digits of a 32-digit GEC code) is refused. Decimal commas and
thousands separators are refused, not guessed. Every error names the file, row and column.

Layouts were written from the registries' documented fields, not from a sample export: a
real export whose headers differ needs its headers added to ``_ALIASES``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from zcp.errors import InputError, Problem
from zcp.ledger.profile import InstrumentType
from zcp.model.common import Identifier, Strict
from zcp.textfiles import read_csv_text

_ALIASES: dict[str, tuple[str, ...]] = {
    "serial": ("绿证编号", "证书编号", "绿证代码", "gec code", "certificate number",
               "certificate id", "serial", "serial number", "certificate code"),
    "first": ("起始编号", "起始证书编号", "first serial", "from", "start certificate number",
              "serial from", "range start"),
    "last": ("终止编号", "结束编号", "终止证书编号", "last serial", "to", "end certificate number",
             "serial to", "range end"),
    "mwh": ("数量", "张数", "证书数量", "绿证数量", "quantity", "volume", "volume (mwh)", "mwh",
            "number of certificates", "certificates"),
    "production": ("生产年月", "电量生产年月", "电量生产时间", "production month",
                   "production period", "vintage", "production date"),
    "production_start": ("生产开始日期", "production start", "production period start"),
    "production_end": ("生产结束日期", "production end", "production period end"),
    "project": ("项目名称", "电站名称", "project name", "device", "device name", "generator",
                "production device"),
    "project_code": ("项目代码", "项目编号", "project code", "device code", "device id"),
    "country": ("国家", "country", "country of production"),
    "technology": ("发电类型", "能源类型", "technology", "fuel", "energy source"),
    "retired_on": ("核销时间", "核销日期", "使用时间", "注销时间", "cancellation date",
                   "redemption date", "retired on", "retirement date"),
    "status": ("状态", "核销状态", "status"),
}  # fmt: skip
_RETIRED = {"已核销", "已使用", "已注销", "核销", "cancelled", "canceled", "redeemed", "retired"}
_MONTH = re.compile(r"^\s*(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))\s*$")


class RegistryImport(Strict):
    """``instruments.yaml`` ``imports:`` — one registry statement to read."""

    path: str = Field(description="CSV or .xlsx file, relative to the park folder")
    scheme: InstrumentType
    beneficiary: Identifier = Field(description="tenant id, or the park id")
    country: str | None = Field(None, description="generator country if the file has none")


def _columns(header: list[str], path: Path) -> dict[str, int]:
    norm = [re.sub(r"\s+", " ", h).strip().lower() for h in header]
    found = {}
    for key, names in _ALIASES.items():
        for name in names:
            if name.lower() in norm:
                found[key] = norm.index(name.lower())
                break
    has_serials = "serial" in found or ("first" in found and "last" in found)
    has_period = "production" in found or "production_start" in found
    missing = [k for k, ok in (("serial or first/last", has_serials), ("mwh", "mwh" in found),
                                ("production", has_period)) if not ok]  # fmt: skip
    if missing:
        looked = "; ".join(f"{m}: {', '.join(_ALIASES[m.split(' ')[0]][:4])} …" for m in missing)
        raise InputError(
            Problem(
                f"no column for {', '.join(missing)}",
                path=str(path),
                line=1,
                hint=f"headers looked for — {looked}",
            )  # fmt: skip
        )
    return found


def _month(text: str) -> tuple[dt.date, dt.date]:
    text = text.strip()
    try:
        day = dt.date.fromisoformat(text)
        return day, day
    except ValueError:
        pass
    match = _MONTH.match(text)
    if not match:
        raise ValueError(f"production month {text!r} is not YYYY-MM, YYYY年M月 or YYYYMM")
    year, month = int(match.group(1)), int(match.group(2) or match.group(3))
    start = dt.date(year, month, 1)
    end = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def _number(text: str) -> float:
    text = text.strip()
    if "," in text or "，" in text:
        raise ValueError(f"{text!r}: decimal commas and thousands separators are not read")
    value = float(text)
    if not value == value or value in (float("inf"), float("-inf")) or value <= 0:
        raise ValueError(f"{text!r} is not a positive, finite number of certificates")
    return value


def _workbook_rows(path: Path) -> list[list[str]]:
    """The first sheet as text cells; numbers in serial columns are refused later."""
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    except Exception as exc:  # noqa: BLE001 — calamine raises its own error kinds
        raise InputError(Problem(f"cannot read the workbook: {exc}", path=str(path))) from None
    rows = []
    for r, row in enumerate(sheet, start=1):
        cells = []
        for c, value in enumerate(row, start=1):
            if isinstance(value, float):
                if r > 1 and abs(value) >= 1e15:
                    raise InputError(
                        Problem("a code stored as a number has lost digits", path=str(path),
                                line=r, col=c, hint="format the column as text and re-enter it")
                    )  # fmt: skip
                value = str(int(value)) if value.is_integer() else repr(value)
            elif isinstance(value, (dt.date, dt.datetime)):
                value = value.isoformat()
            cells.append("" if value is None else str(value))
        rows.append(cells)
    return rows


def read_registry_csv(path: Path, spec: RegistryImport, stem: str) -> list[dict[str, Any]]:
    """Certificates (as ``Certificate`` fields) from one statement, located row by row."""
    if path.suffix.lower() == ".xlsx":
        rows = _workbook_rows(path)
    else:
        rows = list(csv.reader(io.StringIO(read_csv_text(path))))
    if not rows:
        raise InputError(Problem("empty registry statement", path=str(path)))
    col = _columns(rows[0], path)
    out, problems = [], []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(key: str, row: list[str] = row) -> str | None:
            i = col.get(key)
            return row[i].strip() if i is not None and i < len(row) and row[i].strip() else None

        field = None
        try:
            field = "mwh"
            mwh = _number(cell("mwh") or "")
            field = "production"
            if cell("production_start"):
                start, _ = _month(cell("production_start") or "")
                _, end = _month(cell("production_end") or cell("production_start") or "")
            else:
                start, end = _month(cell("production") or "")
            field = "serial"
            first = cell("first") or cell("serial")
            last = cell("last") or cell("serial")
            if first is None or last is None:
                raise ValueError("no serial")
            field = "retired_on"
            retired_text = cell("retired_on")
            retired_on = dt.date.fromisoformat(retired_text[:10]) if retired_text else None
            status = (cell("status") or "").lower()
            retired = status in _RETIRED or (not status and retired_on is not None)
            field = "country"
            home = "CN" if spec.scheme in ("GEC", "green_power_trading") else None
            country = cell("country") or spec.country or home
            if country is None:
                raise ValueError("no country of production: add a Country column or set "
                                 "country: on the import")  # fmt: skip
            out.append({
                "id": f"{stem}-row{number}", "type": spec.scheme,
                "serials": {"first": first, "last": last}, "mwh": mwh,
                "vintage": {"start": start, "end": end},
                "generator": {"name": cell("project"), "technology": cell("technology"),
                              "project_code": cell("project_code"),
                              "country": country},
                "retired": retired, "retired_on": retired_on, "beneficiary": spec.beneficiary,
                "_row": number,
            })  # fmt: skip
        except (ValueError, ValidationError) as exc:
            column = col.get(field or "", None)
            header = rows[0][column] if column is not None else field
            problems.append(Problem(str(exc), path=str(path), line=number,
                                    col=None if column is None else column + 1,
                                    field=header))  # fmt: skip
    if problems:
        raise InputError(problems)
    return out


#: Columns of the blank statement ``zcp template registry`` writes: (header, what it holds).
TEMPLATE_COLUMNS = (
    ("first serial", "first certificate code of the batch (GEC: 32 digits) — as text"),
    ("last serial", "last certificate code of the batch — as text"),
    ("quantity", "number of certificates (1 certificate = 1 MWh); a point for decimals"),
    ("production month", "YYYY-MM, or use production start / production end"),
    ("project name", "generator or project as the registry names it"),
    ("project code", "registry project code (GEC: the code's first 17 digits)"),
    ("country", "ISO code of the generator's country (CN, DE, NO ...)"),
    ("technology", "wind, pv, hydro ..."),
    ("status", "retired / 已核销 when cancelled for the beneficiary"),
    ("retired on", "cancellation date, YYYY-MM-DD"),
)


def write_registry_template(path: Path) -> None:
    """A blank, documented workbook for a registry statement (openpyxl)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "certificates"
    sheet.append([header for header, _ in TEMPLATE_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.number_format = "@"
    for column in ("A", "B", "F"):  # codes as text: Excel keeps only 15 digits of numbers
        sheet.column_dimensions[column].number_format = "@"
        sheet.column_dimensions[column].width = 36
    notes = book.create_sheet("README")
    notes.append(["column", "what it holds", "other headers zcp recognises"])
    keys = ("first", "last", "mwh", "production", "project", "project_code", "country",
            "technology", "status", "retired_on")  # fmt: skip
    for (header, meaning), key in zip(TEMPLATE_COLUMNS, keys, strict=True):
        notes.append([header, meaning, ", ".join(_ALIASES[key])])
    notes.append([])
    notes.append(["Name the file in instruments.yaml: imports: [{path: FILE.xlsx, scheme: GEC, "
                  "beneficiary: TENANT}]"])  # fmt: skip
    book.save(path)
