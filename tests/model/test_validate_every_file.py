"""``zcp validate`` reads every file of the folder, as an assessment would (#12 item 10)."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from tests.conftest import EXAMPLES
from zcp.cli import main


def _ordos(tmp_path, file: str, old: str, new: str):
    folder = tmp_path / "ordos"
    shutil.copytree(EXAMPLES / "ordos-design", folder)
    text = (folder / file).read_text(encoding="utf-8")
    assert old in text, old
    (folder / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("instruments.yaml", "mwh: 290000", "mwh: lots", "instruments.yaml:13:5: certificates[0].mwh"),
        ("instruments.yaml", "beneficiary: ordos-zcp-design", "beneficiary: nobody",
         "instruments.yaml"),
        ("activity.yaml", "{entity: services, carrier: diesel", "{entity: servics, carrier: diesel",
         "activity.yaml:8:"),
        ("activity.yaml", "carrier: diesel", "carrier: deisel", "unknown carrier 'deisel'"),
        ("assessment.yaml", "answers:", "answerz:", "assessment.yaml"),
        ("park.yaml", "solid_waste: {generated: 18000 t, utilised: 16500 t}",
         "solid_waste: {generated: 18000 t, utilised: 18500 t}",
         "utilised waste (18500 t) exceeds what was generated and drawn from storage (18000 t)"),
    ],
)  # fmt: skip
def test_validate_reports_problems_in_every_file(tmp_path, file, old, new, expected):
    result = CliRunner().invoke(main, ["validate", str(_ordos(tmp_path, file, old, new))])
    assert result.exit_code == 2, result.output
    assert expected in result.output
    assert "Traceback" not in result.output


def test_waste_drawn_from_storage_may_be_utilised(tmp_path):
    folder = _ordos(
        tmp_path, "park.yaml",
        "solid_waste: {generated: 18000 t, utilised: 16500 t}",
        "solid_waste: {generated: 18000 t, utilised: 18500 t, drawn_from_storage: 600 t}",
    )  # fmt: skip
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
