"""Fuels in the units ledgers use, steam in tonnes by its enthalpy, user factors with provenance.

Expected numbers are written out: density × litres, GJ ÷ NCV, and the IAPWS-IF97 paper's own
verification enthalpies (Table 5: region 1 at 300 K, 3 MPa = 115.331273 kJ/kg; Table 15:
region 2 at 300 K, 0.0035 MPa = 2549.91145 kJ/kg) — not the library's output.
"""

from __future__ import annotations

import pytest

from tests.ledger.test_inventory_defects import GRID_ONLY
from zcp.errors import InputError
from zcp.ledger import Ledger, run_ledger

DIESEL_CO2 = 3.0959  # tCO2/t (NDRC guideline default)
DIESEL_TCE = 1.4571  # tce/t (GB/T 2589)


def _activity(body: str) -> str:
    return "kind: activity\nschema_version: 1\n" + body


def _scope1(write_park, body: str, **kw) -> float:
    return run_ledger(write_park(GRID_ONLY, activity=_activity(body)), **kw).totals["scope1_t"]


def test_diesel_in_litres_through_the_library_density(write_park):
    body = "mobile_combustion:\n  - {entity: a, carrier: diesel, quantity: 441590 L}\n"
    folder = write_park(GRID_ONLY, activity=_activity(body))
    result = run_ledger(folder)
    tonnes = 441590 * 0.8275 / 1000  # GB 19147 range midpoint 0.8275 kg/L
    assert result.totals["scope1_t"] == pytest.approx(tonnes * DIESEL_CO2, abs=0.01)
    line = result.lines[result.lines["category"] == "mobile_combustion"].iloc[0]
    assert line["activity"] == pytest.approx(tonnes) and line["activity_unit"] == "t"
    assert "density.diesel" in line["conversion"] and "GB 19147" in line["conversion"]
    energy = result.energy[result.energy["carrier"] == "diesel"]
    assert energy["tce"].sum() == pytest.approx(tonnes * DIESEL_TCE, abs=0.01)


@pytest.mark.parametrize(
    ("quantity", "extra", "tonnes"),
    [
        ("1000 L", ", density: 0.84 kg/L", 1000 * 0.84 / 1000),
        ("840 kg", "", 0.84),
        ("2 t", "", 2.0),
        ("100 GJ", "", 100 / 42.652),  # GB/T 2589 NCV of diesel
        ("100000 MJ", ", ncv: 43 GJ/t", 100 / 43),
        ("27777.78 kWh", ", ncv: 43 GJ/t", 27777.78 * 0.0036 / 43),
        ("1.2 m3", ", density: 0.84 kg/L", 1.2 * 0.84),
        ("5 吨", "", 5.0),
    ],
)
def test_diesel_in_each_accepted_unit(write_park, quantity, extra, tonnes):
    body = (
        f"stationary_combustion:\n  - {{entity: a, carrier: diesel, quantity: {quantity}{extra}}}\n"
    )
    assert _scope1(write_park, body) == pytest.approx(tonnes * DIESEL_CO2, rel=1e-6)


def test_natural_gas_by_heat_and_in_nm3(write_park):
    body = (
        "stationary_combustion:\n"
        "  - {entity: a, carrier: natural_gas, quantity: 389.31 GJ}\n"  # = 10,000 m3 at the NCV
        "  - {entity: b, carrier: natural_gas, quantity: 5000 Nm3}\n"
    )
    assert _scope1(write_park, body) == pytest.approx(15000 * 0.002162, rel=1e-6)


def test_line_factor_overrides_the_library_and_is_traced(write_park):
    body = (
        "mobile_combustion:\n"
        "  - {entity: a, carrier: diesel, quantity: 1000 L,\n"
        "     factor: {value: 2.68, unit: kgCO2/L, source: DEFRA 2023 diesel (average biofuel blend),\n"
        "              year: 2023, confidence: verified}}\n"
    )
    result = run_ledger(write_park(GRID_ONLY, activity=_activity(body)))
    assert result.totals["scope1_t"] == pytest.approx(1000 * 2.68 / 1000, rel=1e-9)
    used = {f["id"]: f for f in result.to_json()["factors"]}
    mine = used["user.mobile_combustion.0"]
    assert mine["value"] == 2.68 and mine["unit"] == "kgCO2/L" and mine["year"] == 2023
    assert "DEFRA" in mine["source"]["document"] and mine["confidence"] == "verified"


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("441590 gallons", "not a fuel unit"),
        ("10 L", "density"),  # LPG has no shipped density
        ("-5 t", "non-negative"),
        ("12 kWh/t", "not a fuel unit"),
        ("lots", "cannot read"),
    ],
)
def test_fuel_quantities_that_cannot_be_priced_are_located(write_park, quantity, message):
    body = f"stationary_combustion:\n  - {{entity: a, carrier: lpg, quantity: '{quantity}'}}\n"
    with pytest.raises(InputError) as err:
        Ledger(write_park(GRID_ONLY, activity=_activity(body)))
    text = str(err.value)
    assert "activity.yaml:4" in text and "stationary_combustion[0].quantity" in text
    assert message in text
    if message != "non-negative":
        assert "L, m3, Nm3, kg, t, GJ, MJ, kWh" in text


H_STEAM = 2549.91145  # kJ/kg, IF97 Table 15: 300 K, 0.0035 MPa (region 2)
H_WATER = 115.331273  # kJ/kg, IF97 Table 5: 300 K, 3 MPa (region 1)


def test_steam_in_tonnes_by_enthalpy_minus_condensate(write_park):
    body = (
        "purchased_energy:\n"
        "  - {entity: a, carrier: steam, quantity: 1000 t,\n"
        "     steam: {pressure: 0.0035 MPa, temperature: 26.85 degC},\n"
        "     condensate_return: {quantity: 400 t, temperature: 26.85 degC, pressure: 3 MPa}}\n"
    )
    result = run_ledger(write_park(GRID_ONLY, activity=_activity(body)))
    gj = (1000 * H_STEAM - 400 * H_WATER) / 1000
    heat = result.lines[result.lines["category"] == "heat"]
    assert heat["activity"].sum() == pytest.approx(gj, rel=1e-6)
    assert result.totals["scope2_market_t"] - 15000 * 0.8273 == pytest.approx(gj * 0.11, rel=1e-6)
    assert "IAPWS-IF97" in heat.iloc[0]["conversion"]


def test_heat_in_gj_and_cooling_with_its_own_factor(write_park):
    body = (
        "purchased_energy:\n"
        "  - {entity: a, carrier: heat, quantity: 5400 GJ}\n"
        "  - {entity: b, carrier: cooling, quantity: 1000 GJ,\n"
        "     factor: {value: 0.05, unit: tCO2/GJ, source: district cooling supplier 2023}}\n"
    )
    result = run_ledger(write_park(GRID_ONLY, activity=_activity(body)))
    extra = result.totals["scope2_location_t"] - 15000 * 0.5500
    assert extra == pytest.approx(5400 * 0.11 + 1000 * 0.05, rel=1e-6)


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ("{entity: a, carrier: steam, quantity: 1000 t}", "purchased_energy[0].steam"),
        (
            "{entity: a, carrier: steam, quantity: 10 t, steam: {pressure: 1 MPa, "
            "temperature: 2000 degC}}",
            "purchased_energy[0].steam",
        ),
        (
            "{entity: a, carrier: steam, quantity: 10 t, steam: {pressure: 1 MPa, "
            "temperature: 250 degC}, condensate_return: {quantity: 20 t, temperature: 80 degC}}",
            "purchased_energy[0].condensate_return.quantity",
        ),
    ],
)
def test_steam_errors_are_located(write_park, entry, field):
    with pytest.raises(InputError) as err:
        Ledger(write_park(GRID_ONLY, activity=_activity(f"purchased_energy:\n  - {entry}\n")))
    assert field in str(err.value) and "activity.yaml:4" in str(err.value)
