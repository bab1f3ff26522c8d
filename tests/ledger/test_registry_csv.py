"""Registry statements as CSV: the GEC platform export (GBK, Chinese headers, 32-digit
codes) and an I-REC / GO cancellation statement (UTF-8 with BOM, English headers)."""

from __future__ import annotations

import pytest

from tests.ledger.test_inventory_defects import GRID_ONLY
from zcp.errors import InputError
from zcp.ledger import Ledger, run_ledger

CODE = "10000511234567890" + "2023030000000"  # 30 digits; two more make each code
GEC_EXPORT = (
    "项目名称,项目代码,起始编号,终止编号,数量,生产年月,状态,核销时间\n"
    f"某水电站,10000511234567890,{CODE}01,{CODE}99,99,2023年3月,已核销,2023-12-20\n"
    f"某水电站,10000511234567890,{CODE}A1,{CODE}A1,1,2023-03,未核销,\n"
)
HEAD = "kind: instruments\nschema_version: 1\n"


def _write(folder, name: str, text: str, encoding: str) -> None:
    (folder.root / name).write_bytes(text.encode(encoding))


def test_gbk_gec_export_is_read_row_by_row(write_park):
    folder = write_park(
        GRID_ONLY, HEAD + "imports:\n  - {path: gec.csv, scheme: GEC, beneficiary: a}\n"
    )
    _write(folder, "gec.csv", GEC_EXPORT, "gbk")
    result = run_ledger(folder)
    assert [u["id"] for u in result.instruments_used] == ["gec-row2"]
    excluded = {e["id"]: e["reason"] for e in result.instruments_excluded}
    assert "retired" in excluded["gec-row3"]
    assert result.energy_summary["green_electricity_mwh"] == pytest.approx(99)


def test_bad_rows_are_named_by_row_and_column(write_park):
    bad = GEC_EXPORT.replace(",99,2023年3月", ',"9,9",2023年3月')
    folder = write_park(
        GRID_ONLY, HEAD + "imports:\n  - {path: gec.csv, scheme: GEC, beneficiary: a}\n"
    )
    _write(folder, "gec.csv", bad, "gb18030")
    with pytest.raises(InputError) as err:
        Ledger(folder)
    text = str(err.value)
    assert "gec.csv:2:5" in text and "数量" in text and "decimal commas" in text


def test_irec_statement_with_bom_and_a_double_claim_with_the_yaml(write_park):
    statement = (
        (
            "Certificate Number From,Certificate Number To,Volume (MWh),Production Period Start,"
            "Production Period End,Country,Device Name,Status,Redemption Date\n"
            "0000-0001-0000-0001,0000-0001-0000-0500,500,2023-01-01,2023-06-30,VN,Solar 1,"
            "Redeemed,2023-09-01\n"
        )
        .replace("Certificate Number From", "From")
        .replace("Certificate Number To", "To")
    )
    instruments = HEAD + (
        "imports:\n  - {path: irec.csv, scheme: I-REC, beneficiary: a}\n"
        "certificates:\n"
        "  - {id: irec-yaml, type: I-REC, serials: {first: '000100000400', last: '000100000600'},\n"
        "     mwh: 201, vintage: {start: 2023-01-01, end: 2023-06-30},\n"
        "     generator: {country: VN}, retired: true, beneficiary: b}\n"
    )
    folder = write_park(GRID_ONLY, instruments)
    _write(folder, "irec.csv", "\ufeff" + statement, "utf-8")
    with pytest.raises(InputError) as err:
        Ledger(folder)
    text = str(err.value)
    assert "claimed twice" in text and "irec.csv:row 2" in text and "instruments.yaml:6" in text


def test_missing_column_names_what_was_looked_for(write_park):
    folder = write_park(
        GRID_ONLY, HEAD + "imports:\n  - {path: go.csv, scheme: GO, beneficiary: a}\n"
    )
    _write(folder, "go.csv", "Serial,Amount\nX1,5\n", "utf-8")
    with pytest.raises(InputError, match="no column for mwh, production"):
        Ledger(folder)


def test_template_filled_in_excel_is_imported(write_park, tmp_path):
    from click.testing import CliRunner
    from openpyxl import load_workbook

    from zcp.cli import main

    folder = write_park(
        GRID_ONLY, HEAD + "imports:\n  - {path: gec.xlsx, scheme: GEC, beneficiary: b}\n"
    )
    out = CliRunner().invoke(main, ["template", "registry", "--out", str(folder.root / "gec.xlsx")])
    assert out.exit_code == 0, out.output
    book = load_workbook(folder.root / "gec.xlsx")
    assert "README" in book.sheetnames
    sheet = book["certificates"]
    row = [f"{CODE}01", f"{CODE}40", 40, "2023-03", "某水电站", "10000511234567890",
           "CN", "hydro", "已核销", "2023-12-20"]  # fmt: skip
    for column, value in enumerate(row, start=1):
        sheet.cell(row=2, column=column, value=value)
    book.save(folder.root / "gec.xlsx")
    result = run_ledger(folder)
    assert result.energy_summary["green_electricity_mwh"] == pytest.approx(40)
    for column, value in enumerate([1.0000511234567890e31, f"{CODE}99", 1, "2023-03"], start=1):
        sheet.cell(row=3, column=column, value=value)  # a code Excel turned into a number
    book.save(folder.root / "gec.xlsx")
    with pytest.raises(InputError) as err:
        Ledger(folder)
    assert "gec.xlsx:3:1" in str(err.value) and "lost digits" in str(err.value)
    bad = CliRunner().invoke(main, ["template", "registry", "--out", str(tmp_path / "x.csv")])
    assert bad.exit_code == 2 and "xlsx" in bad.output
