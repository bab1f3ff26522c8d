"""The meter list (park.yaml ``meters_file:``) from an .xlsx or a GBK/GB18030 CSV.

The same meters written in park.yaml and read from a table must be the same meters; a
wrong cell is an exit-2 error naming file, sheet, row and column.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import MINIMAL_PARK
from zcp.cli import main
from zcp.errors import ParkError, ZcpError
from zcp.model import load_park
from zcp.model.meter_columns import METER_COLUMNS
from zcp.model.park import Meter

#: MINIMAL_PARK's meters, one row each, with Chinese-and-English headers.
HEADER = ["表计编号 id", "计量对象 flow", "能源品种 carrier", "读数单位 unit", "计量级别 level",
          "倍率 multiplier", "检定日期 calibrated_on"]  # fmt: skip
ROWS = [
    ["m-grid", "f-grid", "electricity", "kWh", "park_boundary", 100, "2025-07-03"],
    ["m-pv", "f-pv", "electricity", "kWh", "equipment", 1, None],
    ["m-t1", "f-t1", "electricity", "kWh", "tenant", 1, None],
    ["m-gas", "f-gas", "natural_gas", "m3", "park_boundary", 1, None],
]
PARK = MINIMAL_PARK.split("meters:\n")[0] + "meters_file: NAME\n"


def _xlsx(path, rows, sheet="meters"):
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    book.active.title = sheet
    book.active.append(HEADER)
    for row in rows:  # a date cell as Excel stores it, not as text
        book.active.append([dt.date.fromisoformat(c) if c and "-" in str(c)[4:5] else c
                            for c in row])  # fmt: skip
    book.save(path)


def _csv(path, rows, encoding):
    text = "\n".join(",".join("" if c is None else str(c) for c in r) for r in [HEADER, *rows])
    path.write_bytes((text + "\n").encode(encoding))


def test_meter_columns_are_the_meter_fields_both_ways():
    keys = {c.key for c in METER_COLUMNS}
    fields = {f.alias or name for name, f in Meter.model_fields.items()}
    assert keys == fields


@pytest.mark.parametrize(("name", "encoding"), [("m.xlsx", None), ("m.csv", "gb18030")])
def test_table_meters_equal_the_yaml_meters(write_park, name, encoding):
    folder = write_park(PARK.replace("NAME", name))
    if encoding is None:
        _xlsx(folder / name, ROWS)
    else:
        _csv(folder / name, ROWS, encoding)
    from_table = load_park(folder).park.meters
    from_yaml = load_park(write_park(MINIMAL_PARK, name="yaml")).park.meters
    assert [m.model_dump(exclude={"multiplier", "calibrated_on"}) for m in from_table] == [
        m.model_dump(exclude={"multiplier", "calibrated_on"}) for m in from_yaml
    ]
    assert from_table[0].multiplier == 100 and str(from_table[0].calibrated_on) == "2025-07-03"


def test_xlsx_meter_errors_name_sheet_row_and_column(write_park):
    folder = write_park(PARK.replace("NAME", "m.xlsx"))
    bad = [row[:] for row in ROWS]
    bad[1][4] = "plant"  # row 3: level
    bad[3][5] = -1  # row 5: multiplier
    _xlsx(folder / "m.xlsx", bad)
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "m.xlsx:3:5: sheet 'meters', row 3, column '计量级别 level'" in result.output
    assert "m.xlsx:5:6: sheet 'meters', row 5, column '倍率 multiplier'" in result.output


def test_a_later_check_names_the_meter_row_and_column(write_park):
    folder = write_park(PARK.replace("NAME", "m.csv"))
    bad = [row[:] for row in ROWS]
    bad[2][1] = "f-t9"  # a flow that does not exist
    _csv(folder / "m.csv", bad, "gb18030")
    with pytest.raises(ParkError) as err:
        load_park(folder)
    assert "m.csv:4:2: row 4, column '计量对象 flow'" in str(err.value)


CELLS = st.one_of(
    st.text(max_size=10),
    st.sampled_from(["m-x", "f-t1", "f-zz", "electricity", "kWh", "t", "tenant", "plant", "0",
                     "-1", "1e400", "nan", "60", "2025-13-01", "1,5", "#N/A", "I", "static"]),
)  # fmt: skip


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cells=st.lists(CELLS, min_size=7, max_size=8))
def test_any_meter_row_gives_meters_or_located_errors(tmp_path_factory, cells):
    folder = tmp_path_factory.mktemp("meters")
    (folder / "park.yaml").write_text(PARK.replace("NAME", "m.csv"), encoding="utf-8")
    _csv(folder / "m.csv", [ROWS[0], cells], "gb18030")
    try:
        load_park(folder)
    except ZcpError as exc:
        assert all(p.path for p in exc.problems), exc
        assert all(p.line for p in exc.problems if p.path.endswith("m.csv")), exc
