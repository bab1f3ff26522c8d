"""Units: conversions per column, tce kept apart from energy, garbage text as a clear error."""

from __future__ import annotations

import pytest

from zcp.errors import InputError
from zcp.units import conversion_factor, parse_quantity, parse_unit


def test_conversions_the_field_uses():
    assert conversion_factor("kWh", "MWh") == pytest.approx(1e-3)
    assert conversion_factor("percent", "fraction") == pytest.approx(0.01)
    assert conversion_factor("万tce", "tce") == pytest.approx(1e4)
    assert conversion_factor("kgCO2/kWh", "tCO2/MWh") == pytest.approx(1.0)
    assert parse_quantity("473 GWh", "MWh") == pytest.approx(473_000)
    assert parse_quantity(12.5, "MW") == 12.5


def test_energy_never_converts_to_coal_equivalent_by_itself():
    with pytest.raises(InputError, match="cannot convert"):
        conversion_factor("MWh", "tce")


@pytest.mark.parametrize("text", ["kWhh", "f{raction", "((", "1/0", "", "__import__"])
def test_garbage_unit_text_is_an_input_error(text):
    with pytest.raises(InputError):
        parse_unit(text)
