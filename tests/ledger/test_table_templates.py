"""``zcp template activity|meters``: the blank tables, filled in as a user would, load.

Each template is filled in with openpyxl (xlsx) or as text re-saved in GBK (what Excel/WPS
in a Chinese locale writes), below the commented example rows it ships with; the park then
loads and prices those rows — expected tonnes by plain arithmetic.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tests.conftest import MINIMAL_PARK
from tests.ledger.test_fuel_and_steam_units import DIESEL_CO2
from tests.ledger.test_inventory_defects import GRID_ONLY
from zcp.cli import main
from zcp.ledger import run_ledger
from zcp.model import load_park


def _template(tmp_path, kind, name):
    out = tmp_path / name
    result = CliRunner().invoke(main, ["template", kind, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _fill_xlsx(path, values_by_key):
    """Append one row under the template's header, each value in the column its key names."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book.worksheets[0]
    keys = [str(c.value).split(" ")[1] for c in sheet[1]]
    sheet.append([values_by_key.get(k) for k in keys])
    book.save(path)


def test_activity_xlsx_template_filled_in_loads(write_park, tmp_path):
    folder = write_park(GRID_ONLY, activity="kind: activity\nschema_version: 1\ntables: [a.xlsx]\n")
    path = _template(tmp_path, "activity", "a.xlsx")
    _fill_xlsx(path, {"section": "移动燃烧", "entity": "b", "carrier": "柴油", "quantity": 2000,
                      "unit": "L", "density": 0.84, "estimated": "是"})  # fmt: skip
    result = run_ledger(folder)
    assert result.totals["scope1_t"] == pytest.approx(2000 * 0.84 / 1000 * DIESEL_CO2, rel=1e-9)


def test_activity_csv_template_resaved_in_gbk_loads(write_park, tmp_path):
    folder = write_park(GRID_ONLY, activity="kind: activity\nschema_version: 1\ntables: [a.csv]\n")
    path = _template(tmp_path, "activity", "a.csv")
    text = path.read_text(encoding="utf-8-sig")
    header = text.splitlines()[0].split(",")
    row = {"section": "固定燃烧", "entity": "a", "carrier": "diesel", "quantity": "3", "unit": "t"}
    text += ",".join(row.get(h.split(" ")[1], "") for h in header) + "\n"
    path.write_bytes(text.encode("gb18030"))
    assert run_ledger(folder).totals["scope1_t"] == pytest.approx(3 * DIESEL_CO2, rel=1e-9)


@pytest.mark.parametrize("name", ["m.xlsx", "m.csv"])
def test_meter_template_filled_in_loads(tmp_path, name):
    folder = tmp_path / "park"
    folder.mkdir()
    (folder / "park.yaml").write_text(
        MINIMAL_PARK.split("meters:\n")[0] + f"meters_file: {name}\n", encoding="utf-8"
    )
    _template(folder, "meters", name)
    values = {"id": "m-grid", "flow": "f-grid", "carrier": "electricity", "unit": "kWh",
              "level": "park_boundary", "multiplier": "50"}  # fmt: skip
    if name.endswith(".xlsx"):
        _fill_xlsx(folder / name, values)
    else:
        text = (folder / name).read_text(encoding="utf-8-sig")
        keys = [h.split(" ")[1] for h in text.splitlines()[0].split(",")]
        text += ",".join(values.get(k, "") for k in keys) + "\n"
        (folder / name).write_text(text, encoding="gb18030")
    meters = load_park(folder).park.meters
    assert [(m.id, m.flow, m.multiplier) for m in meters] == [("m-grid", "f-grid", 50.0)]


def test_template_typos_and_wrong_suffixes_exit_2(tmp_path):
    runner = CliRunner()
    typo = runner.invoke(main, ["template", "activty", "--out", str(tmp_path / "a.xlsx")])
    assert typo.exit_code == 2 and "did you mean 'activity'?" in typo.output
    plural = runner.invoke(main, ["template", "meter", "--out", str(tmp_path / "m.xlsx")])
    assert plural.exit_code == 2 and "did you mean 'meters'?" in plural.output
    suffix = runner.invoke(main, ["template", "meters", "--out", str(tmp_path / "m.txt")])
    assert suffix.exit_code == 2 and "FILE.xlsx or FILE.csv" in suffix.output
    assert "Traceback" not in typo.output + plural.output + suffix.output
    assert not list(tmp_path.iterdir())


def test_the_notes_sheet_explains_every_column(tmp_path):
    from python_calamine import CalamineWorkbook

    from zcp.ledger.activity_tables import ACTIVITY_COLUMNS

    book = CalamineWorkbook.from_path(str(_template(tmp_path, "activity", "a.xlsx")))
    assert book.sheet_names == ["activity", "说明 README"]
    notes = book.get_sheet_by_name("说明 README").to_python()
    explained = {row[0]: row for row in notes if row and row[0]}
    for column in ACTIVITY_COLUMNS:
        row = explained[column.header()]
        assert row[3] and row[4], column.key  # a meaning in Chinese and in English


def test_a_filled_in_file_is_not_overwritten_without_force(tmp_path):
    path = _template(tmp_path, "activity", "a.xlsx")
    _fill_xlsx(path, {"section": "移动燃烧", "entity": "a", "carrier": "diesel", "quantity": 5,
                      "unit": "L"})  # fmt: skip
    filled = path.read_bytes()
    again = CliRunner().invoke(main, ["template", "activity", "--out", str(path)])
    assert again.exit_code == 2 and "exists" in again.output and "--force" in again.output
    assert path.read_bytes() == filled
    forced = CliRunner().invoke(main, ["template", "activity", "--out", str(path), "--force"])
    assert forced.exit_code == 0 and path.read_bytes() != filled
