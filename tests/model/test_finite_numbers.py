"""Every number read from a park file is finite and plausible, or a located exit-2 error
(#12 item 1 and 6: ``inf``/``1e400``/``1.7e308`` once went through with exit 0, and a
400-digit value added raised OverflowError)."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from tests.conftest import EXAMPLES, MINIMAL_PARK
from zcp.cli import main

ORDOS = EXAMPLES / "ordos-design"


def _run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert isinstance(result.exception, SystemExit | None), result.exception
    return result


def _ordos(tmp_path, file: str, old: str, new: str):
    folder = tmp_path / "ordos"
    shutil.copytree(ORDOS, folder)
    text = (folder / file).read_text(encoding="utf-8")
    assert old in text, old
    (folder / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (".inf", "finite number"),
        ("Infinity", "finite number"),
        ("1e400", "'1e400' is not a finite number"),
        ("1e400 GWh", "'1e400' is not a finite number"),
        (".nan", "finite number"),
        ("1.7e308", "beyond any park"),
        ("1e30 GWh", "beyond any park"),
    ],
)
def test_flow_estimate_must_be_finite_and_plausible(tmp_path, written, message):
    folder = _ordos(
        tmp_path, "park.yaml", "annual_estimate: 473 GWh", f"annual_estimate: {written}"
    )
    result = _run("validate", str(folder))
    assert result.exit_code == 2
    assert "park.yaml:143:" in result.output and "flows[1].annual_estimate" in result.output
    assert message in result.output


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (".inf", "finite number"),
        ("1e400", "finite number"),
        ("1.7e308", "less than or equal to 10000000"),
        ("0", "greater than 0"),
    ],
)
def test_meter_multiplier_must_be_finite_and_plausible(write_park, written, message):
    text = MINIMAL_PARK.replace(
        "{id: m-t1, flow: f-t1, carrier: electricity, unit: kWh, level: tenant}",
        f"{{id: m-t1, flow: f-t1, carrier: electricity, unit: kWh, level: tenant, "
        f"multiplier: {written}}}",
    )
    assert text != MINIMAL_PARK
    result = _run("validate", str(write_park(text)))
    assert result.exit_code == 2
    assert "meters[2].multiplier" in result.output and message in result.output


@pytest.mark.parametrize("digits", [400, 5000])
def test_a_huge_integer_is_an_error_not_an_overflow(tmp_path, digits):
    folder = _ordos(
        tmp_path,
        "park.yaml",
        "industrial_value_added: 3200000",
        f"industrial_value_added: {'9' * digits}",
    )
    result = _run("validate", str(folder))
    assert result.exit_code == 2
    assert "park.yaml:25:" in result.output
    assert "too large" in result.output or "too many digits" in result.output
    assert len(result.output) < 1000  # the number is not echoed whole


@pytest.mark.parametrize(
    ("file", "old", "new", "where"),
    [
        ("instruments.yaml", "mwh: 290000", "mwh: .inf", "certificates[0].mwh"),
        ("instruments.yaml", "mwh: 290000", "mwh: 1e400", "certificates[0].mwh"),
        ("instruments.yaml", "tonnes: 5500", "tonnes: 1.7e308", "credits[0].tonnes"),
        ("activity.yaml", "quantity: 120 t", "quantity: 1e400 t", "mobile_combustion[0].quantity"),
        ("activity.yaml", "quantity: 120 t", "quantity: 1.7e308", "mobile_combustion[0].quantity"),
        ("activity.yaml", "quantity: 120 t", "quantity: 3 GWh", "mobile_combustion[0].quantity"),
        ("activity.yaml", "amount: 12000 t", "amount: 1e400 t", "scope3[0].amount"),
        ("activity.yaml", "charge: 2.4 t", "charge: 1e400 t", "fugitive[0]"),
        ("activity.yaml", "leak_rate: 0.005", "leak_rate: .nan", "fugitive[0].leak_rate"),
    ],
)
def test_instruments_and_activity_numbers(tmp_path, file, old, new, where):
    folder = _ordos(tmp_path, file, old, new)
    result = _run("emissions", str(folder))
    assert result.exit_code == 2, result.output
    assert f"{file}:" in result.output and where in result.output
