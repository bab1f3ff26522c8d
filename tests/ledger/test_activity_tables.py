"""Fuel and purchased-energy lines from spreadsheets (``activity.yaml`` ``tables:``).

The same rows as an .xlsx written with openpyxl, as a GBK CSV and as a UTF-8 CSV with BOM
give the same inventory; expected tonnes are plain arithmetic (litres × density × factor,
IF97's own verification enthalpy); every wrong cell is an error naming file, sheet, row and
column.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.ledger.test_fuel_and_steam_units import DIESEL_CO2, H_STEAM
from tests.ledger.test_inventory_defects import GRID_ONLY
from zcp.cli import main
from zcp.errors import InputError, ZcpError
from zcp.ledger import Ledger, run_ledger
from zcp.model import load_park

HEADER = ["类别 section", "主体 entity", "能源品种 carrier", "数量 quantity", "单位 unit",
          "密度 density [kg/L]", "蒸汽压力 steam_pressure [MPa]", "蒸汽温度 steam_temperature [°C]",
          "排放因子 factor_value", "因子单位 factor_unit", "因子来源 factor_source", "备注 note"]  # fmt: skip
ROWS = [
    ["#mobile_combustion", "a", "diesel", "1", "L", "", "", "", "", "", "", "example row"],
    ["移动燃烧", "a", "柴油", "441590", "L", "0.835", "", "", "", "", "", "fuel cards"],
    ["stationary_combustion", "b", "coal", "120", "t", "", "", "", "1.9", "tCO2/t",
     "supplier test certificate 2023", ""],
    ["purchased_energy", "a", "steam", "1000", "t", "", "0.0035", "26.85", "", "", "", ""],
]  # fmt: skip
ACTIVITY = "kind: activity\nschema_version: 1\ntables: [{name}]\n"
GRID_T = 15000 * 0.8273  # the park's grid electricity, market-based [tCO2]
HEAT_FACTOR = 0.11  # tCO2/GJ, the library's purchased-heat default


def _xlsx(path, rows, header=HEADER, sheet="activity"):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = sheet
    book.active.append(header)
    for row in rows:
        book.active.append([float(c) if c.replace(".", "", 1).isdigit() else c or None
                            for c in row])  # fmt: skip
    book.save(path)


def _csv(path, rows, encoding, header=HEADER):
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    path.write_bytes(out.getvalue().encode(encoding))


def _folder(write_park, tmp_path, name, rows, encoding=None):
    if name.endswith(".xlsx"):
        _xlsx(tmp_path / name, rows)
    else:
        _csv(tmp_path / name, rows, encoding)
    return write_park(GRID_ONLY, activity=ACTIVITY.format(name=name))


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("fuel.xlsx", None), ("fuel.csv", "gb18030"), ("fuel.csv", "utf-8-sig"), ("f.csv", "utf-8")],
)
def test_rows_price_like_yaml_lines(write_park, tmp_path, name, encoding):
    result = run_ledger(_folder(write_park, tmp_path, name, ROWS, encoding))
    diesel = 441590 * 0.835 / 1000 * DIESEL_CO2
    coal = 120 * 1.9
    assert result.totals["scope1_t"] == pytest.approx(diesel + coal, rel=1e-9)
    assert result.totals["scope2_market_t"] - GRID_T == pytest.approx(
        H_STEAM * HEAT_FACTOR, rel=1e-6
    )
    lines = result.lines
    assert len(lines[lines["category"].isin(["mobile_combustion", "stationary_combustion"])]) == 2


def test_xlsx_errors_name_sheet_row_and_column(write_park, tmp_path):
    bad = [
        ["移动燃烧", "aa", "柴油", "441590", "L", "", "", "", "", "", "", ""],
        ["stationary_combustion", "b", "diesl", "12", "t", "", "", "", "", "", "", ""],
        ["mobile_combustion", "b", "diesel", "12", "gallon", "", "", "", "", "", "", ""],
        ["purchased_energy", "a", "steam", "10", "t", "", "1", "2000", "", "", "", ""],
    ]
    folder = _folder(write_park, tmp_path, "fuel.xlsx", bad)
    with pytest.raises(InputError) as err:
        Ledger(folder)
    text = str(err.value)
    assert (
        "fuel.xlsx:2:2: sheet 'activity', row 2, column '主体 entity': unknown entity 'aa'" in text
    )
    assert (
        "row 3, column '能源品种 carrier': unknown carrier 'diesl' — did you mean 'diesel'" in text
    )
    assert "fuel.xlsx:4:4: sheet 'activity', row 4" in text and "'gallon'" in text
    assert "fuel.xlsx:5:7: sheet 'activity', row 5, column '蒸汽压力 steam_pressure [MPa]'" in text


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (["mobile_combustion", "a", "diesel", "441,590", "L"], "fuel.csv:2:4: row 2, column "
         "'数量 quantity': '441,590': decimal commas and thousands separators are not read"),
        (["mobile_combustion", "a", "diesel", "", "L"], "fuel.csv:2:4: row 2, column "
         "'数量 quantity': no quantity"),
        (["mobile_combustion", "a", "diesel", "5", ""], "fuel.csv:2:5: row 2, column '单位 unit'"),
        (["mobile", "a", "diesel", "5", "L"], "did you mean 'mobile_combustion'"),
        (["mobile_combustion", "a", "diesel", "5", "L", "", "", "", "", "", "", "", "extra"],
         "fuel.csv:2:13: row 2: a value ('extra') in a column with no header"),
        (["purchased_energy", "a", "heat", "5", "GJ", "", "", "", "", "", "", "note"],
         "column '备注 note': does not apply to a purchased_energy line"),
    ],
)  # fmt: skip
def test_csv_row_errors_are_located(write_park, tmp_path, row, expected):
    folder = _folder(write_park, tmp_path, "fuel.csv", [row], "gb18030")
    result = CliRunner().invoke(main, ["validate", str(folder.root)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert expected in result.output, result.output


def test_unknown_header_and_missing_column(write_park, tmp_path):
    header = ["类别 section", "主体 entity", "carrier", "quantitty", "单位 unit"]
    _csv(tmp_path / "fuel.csv", [["mobile_combustion", "a", "diesel", "5", "L"]], "utf-8", header)
    folder = write_park(GRID_ONLY, activity=ACTIVITY.format(name="fuel.csv"))
    with pytest.raises(InputError) as err:
        Ledger(folder)
    text = str(err.value)
    assert "fuel.csv:1:4: row 1: unknown column 'quantitty' — did you mean 'quantity'?" in text
    assert "no column 'quantity'" in text


def test_a_workbook_of_several_sheets_names_them(write_park, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Sheet1"
    book.create_sheet("Sheet2")
    book.save(tmp_path / "fuel.xlsx")
    folder = write_park(GRID_ONLY, activity=ACTIVITY.format(name="fuel.xlsx"))
    with pytest.raises(InputError, match="the workbook has 'Sheet1', 'Sheet2'"):
        Ledger(folder)
    (tmp_path / "activity.yaml").write_text(
        ACTIVITY.format(name="{path: fuel.xlsx, sheet: Sheet3}"), encoding="utf-8"
    )
    with pytest.raises(InputError, match="no sheet 'Sheet3'.*did you mean"):
        Ledger(folder)


def test_a_table_outside_the_folder_is_refused(write_park, tmp_path):
    folder = write_park(GRID_ONLY, activity=ACTIVITY.format(name="../fuel.csv"))
    with pytest.raises(InputError, match="activity.yaml:3.*no table '../fuel.csv' inside"):
        Ledger(folder)


def test_a_title_row_above_the_header_is_named(write_park, tmp_path):
    _xlsx(tmp_path / "fuel.xlsx", ROWS[1:], header=["2023年燃料台账"])
    folder = write_park(GRID_ONLY, activity=ACTIVITY.format(name="fuel.xlsx"))
    with pytest.raises(InputError, match=r"fuel.xlsx:1:1: sheet 'activity', row 1: row 1 "
                       r"\('2023年燃料台账'\) is not a header row — .*start a title row with #"):  # fmt: skip
        Ledger(folder)


def test_an_excel_error_in_the_first_column_is_data_not_a_comment(write_park, tmp_path):
    row = ["#N/A", "a", "diesel", "5", "L", "", "", "", "", "", "", ""]
    folder = _folder(write_park, tmp_path, "fuel.csv", [row], "utf-8")
    with pytest.raises(
        InputError, match="fuel.csv:2:1: row 2, column '类别 section': section '#N/A'"
    ):
        Ledger(folder)


CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["441590", "0.835", "1,5", "1e400", "-3", "nan", "inf", "0", "是", "#x",
                     "#N/A", " ", "t", "L", "GJ", "MPa", "kg/L", "diesel", "steam", "a", "b"]),
)  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(section=st.sampled_from(["移动燃烧", "purchased_energy", "固定燃烧", ""]),
       cells=st.lists(CELLS, min_size=11, max_size=13))  # fmt: skip
def test_any_cells_give_a_result_or_located_errors(tmp_path_factory, section, cells):
    """Whatever a row holds, the ledger runs or every problem names file and row."""
    root = tmp_path_factory.mktemp("cells")
    (root / "park.yaml").write_text(GRID_ONLY, "utf-8")
    (root / "activity.yaml").write_text(ACTIVITY.format(name="f.csv"), "utf-8")
    _csv(root / "f.csv", [[section, *cells]], "gb18030")
    try:
        Ledger(load_park(root)).result()
    except ZcpError as exc:
        assert all(p.path and p.path.endswith(("f.csv", "activity.yaml")) for p in exc.problems)
        assert all(p.line for p in exc.problems if p.path.endswith("f.csv")), exc


def test_validate_accounts_for_every_row(write_park, tmp_path):
    folder = _folder(write_park, tmp_path, "fuel.csv", ROWS, "gb18030")
    out = CliRunner().invoke(main, ["validate", str(folder.root)])
    assert out.exit_code == 0, out.output
    assert "activity table fuel.csv: 3 rows, 1 comment row (#) skipped" in out.output
    as_json = CliRunner().invoke(main, ["validate", str(folder.root), "--json"])
    table = json.loads(as_json.stdout)["tables"][0]
    assert table == {"for": "activity", "path": "fuel.csv", "sheet": None, "rows": 3,
                     "comment_rows": [2], "lines": 3}  # fmt: skip


def test_a_table_in_no_known_encoding_is_refused_by_name(write_park, tmp_path):
    (tmp_path / "fuel.csv").write_bytes(",".join(HEADER[:5]).encode("utf-16"))
    folder = write_park(GRID_ONLY, activity=ACTIVITY.format(name="fuel.csv"))
    out = CliRunner().invoke(main, ["validate", str(folder.root)])
    assert out.exit_code == 2 and "Traceback" not in out.output
    assert "fuel.csv: neither UTF-8 nor GB18030/GBK text" in out.output


SCOPE3_HEADER = ["类别 section", "主体 entity", "范围三类别 scope3_category", "数量 quantity",
                 "单位 unit", "排放因子 factor_value", "因子单位 factor_unit",
                 "因子来源 factor_source", "备注 note"]  # fmt: skip
FREIGHT = ["范围三", "a", "4", "2500000", "CNY", "0.35", "kgCO2e/CNY", "freight spend factor",
           "inbound freight"]  # fmt: skip


def test_scope3_rows_from_a_procurement_list(write_park, tmp_path):
    _csv(tmp_path / "spend.csv", [FREIGHT], "gb18030", header=SCOPE3_HEADER)
    result = run_ledger(write_park(GRID_ONLY, activity=ACTIVITY.format(name="spend.csv")))
    assert result.totals["scope3_t"] == pytest.approx(2_500_000 * 0.35 / 1000, rel=1e-9)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({2: "16"}, "spend.csv:2:3: row 2, column '范围三类别 scope3_category': Input should be less than or equal to 15"),
        ({1: "aa"}, "spend.csv:2:2: row 2, column '主体 entity': unknown entity 'aa'"),
        ({4: "t"}, "spend.csv:2:7: row 2, column '因子单位 factor_unit'"),
        ({8: ""}, "spend.csv:2:9: row 2, column '备注 note'"),
    ],
)  # fmt: skip
def test_scope3_row_errors_are_located(write_park, tmp_path, change, expected):
    row = [change.get(i, cell) for i, cell in enumerate(FREIGHT)]
    _csv(tmp_path / "spend.csv", [row], "gb18030", header=SCOPE3_HEADER)
    folder = write_park(GRID_ONLY, activity=ACTIVITY.format(name="spend.csv"))
    with pytest.raises(InputError) as err:
        Ledger(folder)
    assert expected in str(err.value), str(err.value)
