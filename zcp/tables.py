"""Tables people keep in spreadsheets — CSV or an Excel workbook — read into located rows.

Staff of Chinese organisations export from Excel or WPS: CSV in UTF-8 (with or without a
BOM) or in GBK/GB18030 (:mod:`zcp.textfiles` tells which), or an ``.xlsx`` workbook
(python-calamine reads it). Whichever it is, a table becomes the same thing — the columns it
has and text cells with the row (and sheet) each came from — so one set of checks follows
and every error names file, sheet, row and column.

Conventions (written into every template's notes):

- The header is the first row that is neither empty nor a comment; a row whose first cell
  starts with ``#`` is a comment (the templates' example row is one).
- A header cell names its column by the English key or the Chinese name, or both
  (``数量 quantity``); case, spacing and a bracketed unit (``[t]``, ``（吨）``) are ignored.
  A header zcp does not know is an error with a did-you-mean: a column is never ignored.
- Workbook numbers become text as written (``150000``, not ``150000.0``), dates ISO.
- A number with a comma (decimal comma or thousands separator) is refused, not guessed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from zcp.errors import InputError, Problem, did_you_mean
from zcp.textfiles import read_csv_text

TABLE_SUFFIXES = (".csv", ".xlsx")
_BRACKETED = re.compile(r"[\[(（【][^\])）】]*[\])）】]")
_NUMBER = re.compile(r"^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$")
_TRUE = {"true", "yes", "y", "1", "是", "对"}
_FALSE = {"false", "no", "n", "0", "否", "不是"}


@dataclass(frozen=True)
class Column:
    """One column a table may have: its key, Chinese name, meaning, and default unit."""

    key: str
    zh: str
    meaning: str  # English, for the template's notes
    meaning_zh: str = ""
    unit: str | None = None  # unit of a bare number in this column
    example: str = ""
    required: bool = False
    aliases: tuple[str, ...] = ()

    def header(self) -> str:
        """The header the templates write: Chinese name, key, unit."""
        unit = {"degC": "°C"}.get(self.unit or "", self.unit)
        return f"{self.zh} {self.key}" + (f" [{unit}]" if unit else "")

    def names(self) -> set[str]:
        return {_norm(n) for n in (self.key, self.zh, *self.aliases)}


@dataclass(frozen=True)
class TableRow:
    """One data row: its 1-based number in the file or sheet and its non-empty cells."""

    number: int
    cells: dict[str, str]  # column key → text


@dataclass
class Table:
    """A table as read: where it came from, its columns and its data rows."""

    path: Path
    sheet: str | None
    headers: dict[str, tuple[int, str]]  # column key → (1-based column, header as written)
    rows: list[TableRow]
    comment_rows: list[int] = field(default_factory=list)  # rows skipped as comments (#)

    def summary(self) -> dict[str, object]:
        """What was read, for ``zcp validate``: file, sheet, data rows, comment rows skipped."""
        return {"path": self.path.name, "sheet": self.sheet, "rows": len(self.rows),
                "comment_rows": self.comment_rows}  # fmt: skip

    def problem(
        self,
        message: str,
        row: int | None = None,
        key: str | None = None,
        hint: str | None = None,
        severity: str = "error",
    ) -> Problem:
        """A problem located at ``row`` and the column of ``key`` (either may be None)."""
        col, header = self.headers.get(key or "", (None, key))
        return located(self.path, self.sheet, message, row, col, header, hint, severity)


def located(
    path: Path,
    sheet: str | None,
    message: str,
    row: int | None = None,
    col: int | None = None,
    header: str | None = None,
    hint: str | None = None,
    severity: str = "error",
) -> Problem:
    """``path:row:col: sheet 'S', row R, column 'H': message`` as a Problem."""
    where = [f"sheet {sheet!r}"] if sheet else []
    if row is not None:
        where.append(f"row {row}")
    if header:
        where.append(f"column {header!r}")
    return Problem(message, path=str(path), line=row, col=col, field=", ".join(where) or None,
                   hint=hint, severity=severity)  # fmt: skip


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", _BRACKETED.sub(" ", text)).strip(" *").lower()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


def _workbook_rows(path: Path, sheet: str | None, default_sheet: str | None) -> tuple[str, list]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
    except Exception as exc:  # noqa: BLE001 — calamine raises its own error kinds
        raise InputError(Problem(f"not a readable .xlsx workbook: {exc}", path=str(path))) from None
    if sheet is not None and sheet not in names:
        raise InputError(Problem(f"no sheet {sheet!r} (sheets: {', '.join(names)})",
                                 path=str(path), hint=did_you_mean(sheet, names)))  # fmt: skip
    chosen = sheet or (default_sheet if default_sheet in names else None)
    if chosen is None:
        if len(names) != 1:
            raise InputError(Problem(
                f"which sheet holds the table? the workbook has {', '.join(map(repr, names))}",
                path=str(path), hint=f"name the data sheet {default_sheet!r}" if default_sheet
                else "keep the table on the first and only sheet"))  # fmt: skip
        chosen = names[0]
    try:
        rows = book.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except Exception as exc:  # noqa: BLE001
        raise InputError(
            Problem(f"sheet {chosen!r} cannot be read: {exc}", path=str(path))
        ) from None
    return chosen, [[_cell_text(v) for v in row] for row in rows]


def _csv_rows(path: Path) -> list[list[str]]:
    text = read_csv_text(path)
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count) if first else ","
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text, newline=""),
                                                            delimiter=delimiter)]  # fmt: skip


def read_table(
    path: Path,
    columns: Sequence[Column],
    *,
    sheet: str | None = None,
    default_sheet: str | None = None,
) -> Table:
    """Read a CSV or .xlsx table whose header names some of ``columns`` (see the module
    docstring); ``InputError`` listing every located problem of the header."""
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise InputError(Problem(f"a table must be .csv or .xlsx, not {suffix or 'no suffix'!r}",
                                 path=str(path), hint="save it from Excel/WPS as .xlsx or CSV"))  # fmt: skip
    if suffix == ".xlsx":
        chosen, raw = _workbook_rows(path, sheet, default_sheet)
    else:
        chosen, raw = None, _csv_rows(path)
    numbered = [(n, row) for n, row in enumerate(raw, start=1) if any(row) and not _comment(row)]
    empty = Table(path, chosen, {}, [])
    if not numbered:
        raise InputError(
            empty.problem("the table has no header row", hint="start from `zcp template`")
        )
    header_row, header = numbered[0]
    filled = [cell for cell in header if cell]
    if len(filled) == 1 and len(columns) > 1 and _norm(filled[0]) not in _all_names(columns):
        raise InputError(located(path, chosen, f"row {header_row} ({filled[0]!r}) is not a "
                                 "header row", header_row, header.index(filled[0]) + 1,
                                 hint="the column names must come first; start a title row "
                                 "with #"))  # fmt: skip
    known = {name: c for c in columns for name in c.names()}
    headers: dict[str, tuple[int, str]] = {}
    problems = []
    for index, text in enumerate(header, start=1):
        if not text:
            continue
        norm = _norm(text)
        column = known.get(norm) or _by_token(norm, columns)
        if column is None:
            hint = did_you_mean(norm, [c.key for c in columns]) or "columns: " + ", ".join(
                c.key for c in columns
            )
            problems.append(located(path, chosen, f"unknown column {text!r}", header_row, index,
                                    hint=hint))  # fmt: skip
        elif column.key in headers:
            problems.append(located(path, chosen, f"column {column.key!r} appears twice "
                                    f"({headers[column.key][1]!r} and {text!r})", header_row,
                                    index))  # fmt: skip
        else:
            headers[column.key] = (index, text)
    for column in columns:
        if column.required and column.key not in headers:
            problems.append(located(path, chosen, f"no column {column.key!r} ({column.header()})",
                                    header_row))  # fmt: skip
    if problems:
        raise InputError(problems)
    comments = [n for n, row in enumerate(raw, start=1) if any(row) and _comment(row)]
    table = Table(path, chosen, headers, [], comments)
    by_index = {index - 1: key for key, (index, _) in headers.items()}
    for number, row in numbered[1:]:
        stray = [i for i, cell in enumerate(row) if cell and i not in by_index]
        if stray:
            problems.append(located(path, chosen, f"a value ({row[stray[0]]!r}) in a column "
                                    "with no header", number, stray[0] + 1))  # fmt: skip
            continue
        cells = {by_index[i]: cell for i, cell in enumerate(row) if cell and i in by_index}
        table.rows.append(TableRow(number, cells))
    if problems:
        raise InputError(problems)
    return table


#: What Excel writes into a cell whose formula failed: data, not a comment.
_EXCEL_ERROR = re.compile(r"#(N/A|VALUE!|REF!|DIV/0!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA)")


def _comment(row: list[str]) -> bool:
    """A row whose first cell starts with ``#`` (an Excel error such as ``#N/A`` is not)."""
    return row[0].startswith("#") and not _EXCEL_ERROR.fullmatch(row[0].strip())


def _all_names(columns: Sequence[Column]) -> set[str]:
    return {name for c in columns for name in c.names()}


def _by_token(norm: str, columns: Sequence[Column]) -> Column | None:
    tokens = set(norm.split(" "))
    found = [c for c in columns if tokens & c.names()]
    return found[0] if len(found) == 1 else None


def is_number(text: str) -> bool:
    """A bare number such as ``441590`` or ``0.835`` (no unit, no comma)."""
    return bool(_NUMBER.match(text.strip()))


def quantity_text(text: str, unit: str | None) -> str:
    """A cell as a quantity: a bare number gets ``unit``; a comma is refused (ValueError)."""
    if "," in text or "，" in text:
        raise ValueError(f"{text!r}: decimal commas and thousands separators are not read "
                         "(write 1234.5)")  # fmt: skip
    if unit and _NUMBER.match(text):
        return f"{text} {unit}"
    return text


def flag(text: str) -> bool:
    """A yes/no cell (true/false, yes/no, 是/否, 1/0); ValueError otherwise."""
    norm = text.strip().lower()
    if norm in _TRUE:
        return True
    if norm in _FALSE:
        return False
    raise ValueError(f"{text!r} is not yes/no (true/false, 是/否, 1/0)")


def write_template(
    path: Path,
    columns: Sequence[Column],
    *,
    sheet: str,
    title: str,
    notes: Sequence[str] = (),
    examples: Sequence[dict[str, str]] = (),
) -> None:
    """A blank table: the header (Chinese, key, unit) and commented example rows; as .xlsx
    also a ``说明 README`` sheet explaining each column, as CSV (UTF-8 with BOM, so Excel
    shows the Chinese) the notes as comment rows at the end."""
    header = [c.header() for c in columns]
    rows = [[e.get(c.key, "") for c in columns] for e in examples] or [[c.example for c in columns]]
    for row in rows:
        row[0] = "#" + row[0]
    if path.suffix.lower() == ".csv":
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(rows)
            for note in (title, *notes):
                writer.writerow(["# " + note])
        return
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    data = book.active
    data.title = sheet
    data.append(header)
    for row in rows:
        data.append([_typed(cell) for cell in row])
    for cell in data[1]:
        cell.font = Font(bold=True)
    for number in range(2, 2 + len(rows)):
        for cell in data[number]:
            cell.font = Font(italic=True, color="808080")
    data.freeze_panes = "A2"
    for cell in data[1]:
        data.column_dimensions[cell.column_letter].width = max(14, len(str(cell.value)) + 4)
    readme = book.create_sheet("说明 README")
    readme.append([title])
    readme["A1"].font = Font(bold=True)
    for note in notes:
        readme.append([note])
    readme.append([])
    readme.append(["列 column", "单位 unit", "必填 required", "说明", "meaning", "示例 example"])
    for cell in readme[readme.max_row]:
        cell.font = Font(bold=True)
    for c in columns:
        readme.append([c.header(), c.unit or "", "是 yes" if c.required else "",
                       c.meaning_zh, c.meaning, c.example])  # fmt: skip
    for letter, width in zip("ABCDEF", (28, 10, 12, 44, 60, 18), strict=True):
        readme.column_dimensions[letter].width = width
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def _typed(text: str) -> str | float | None:
    """A template cell as Excel should hold it: numbers as numbers, blanks empty."""
    if not text:
        return None
    return float(text) if is_number(text) else text
