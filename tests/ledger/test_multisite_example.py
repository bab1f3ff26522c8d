"""assessments/group-multisite: every total by plain arithmetic from the factors it states.

Factors: MEE 2023 grid averages (east 0.5500, south-west 0.2472, north-west 0.5543, south
0.4042 tCO2/MWh); China's residual under the GHG Protocol profile = national excluding
market-traded non-fossil 2023, 0.6096; Stuttgart's stated 380 g/kWh and 0.70 t/MWh residual;
diesel 3.0959 and gasoline 2.9251 tCO2/t, natural gas 2.162 kgCO2/m3 (NDRC defaults);
gasoline density 0.7475 kg/L (library), the Suzhou diesel's own 0.835 kg/L; purchased heat
0.11 tCO2/GJ; steam enthalpies from the steam tables (1.0 MPa, 250 °C: 2943.2 kJ/kg;
water at 80 °C: 335.0 kJ/kg; 0.8 MPa, 200 °C: 2839.7 kJ/kg; water at 70 °C: 293.07 kJ/kg).
Suzhou's diesel and Guangzhou's gasoline are read from a GBK CSV (fuel-ledger.csv); Xi'an's
steam is a park.yaml flow metered in tonnes, 30 % returned as condensate.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tests.conftest import EXAMPLES
from zcp.cli import main
from zcp.ledger import run_ledger

PARK = EXAMPLES / "group-multisite"
HEAT_T = (12000 * 2943.2 - 4000 * 335.0) / 1000 * 0.11  # Chengdu steam, scope 2 both methods
XIAN_STEAM_T = (3000 * 2839.7 - 0.3 * 3000 * 293.07) / 1000 * 0.11  # the metered steam flow
HEAT = {"chengdu": HEAT_T, "xian": XIAN_STEAM_T}
SCOPE1 = (
    441590 * 0.835 / 1000 * 3.0959  # Suzhou diesel in litres, supplier density
    + 20000 * 0.7475 / 1000 * 2.9251  # Guangzhou gasoline in litres, library density
    + 150000 * 0.002162  # Xi'an natural gas in Nm3
)
ELECTRICITY = {  # entity: (MWh, location factor, certificates MWh, residual factor)
    "suzhou": (20000, 0.5500, 0, 0.6096),
    "chengdu": (8000, 0.2472, 3000, 0.6096),
    "xian": (6000, 0.5543, 0, 0.6096),
    "guangzhou": (5000, 0.4042, 0, 0.6096),
    "stuttgart": (3000, 0.380, 1000, 0.70),
}


@pytest.fixture(scope="module")
def result():
    return run_ledger(PARK, profile="ghg-protocol-corporate")


def test_group_totals(result):
    location = sum(mwh * f for mwh, f, _, _ in ELECTRICITY.values()) + sum(HEAT.values())
    market = sum((mwh - certs) * r for mwh, _, certs, r in ELECTRICITY.values()) + sum(
        HEAT.values()
    )
    t = result.totals
    assert t["scope1_t"] == pytest.approx(SCOPE1, rel=1e-6)
    assert t["scope2_location_t"] == pytest.approx(location, rel=2e-4)  # IF97 vs table
    assert t["scope2_market_t"] == pytest.approx(market, rel=2e-4)
    assert t["scope3_t"] == pytest.approx(2_500_000 * 0.35 / 1000, rel=1e-9)
    share = result.indicators["green_electricity_share"].value
    assert share == pytest.approx((3000 + 1000) / 42000, rel=1e-9)


def test_per_entity_totals(result):
    tenants = result.by_tenant().set_index("entity")
    for entity, (mwh, factor, certs, residual) in ELECTRICITY.items():
        heat = HEAT.get(entity, 0.0)
        row = tenants.loc[entity]
        assert row["scope2_location_t"] == pytest.approx(mwh * factor + heat, rel=2e-4), entity
        assert row["scope2_market_t"] == pytest.approx((mwh - certs) * residual + heat,
                                                       rel=2e-4), entity  # fmt: skip
        assert row["green_electricity_share"] == pytest.approx(certs / mwh), entity
    assert tenants.loc["suzhou", "scope1_t"] == pytest.approx(441590 * 0.835 / 1000 * 3.0959)


def test_other_period_flagged_in_validate_and_json(result):
    doc = result.to_json()
    assert doc["entities_with_other_periods"] == [
        {"entity": "xian", "start": "2022-07-01", "end": "2023-06-30"}
    ]
    out = CliRunner().invoke(main, ["validate", str(PARK), "--json"])
    assert out.exit_code == 0, out.output
    summary = json.loads(out.stdout)
    assert [e["entity"] for e in summary["entities_with_other_periods"]] == ["xian"]


def test_reconciliation_names_the_causes(result):
    lines = {(r["entity"], r["figure"]): r for r in result.reconciliation["lines"]}
    chengdu = lines[("chengdu", "scope 2 location-based")]
    assert chengdu["likely_cause"] == "factor" and chengdu["material"]
    assert chengdu["difference_t"] == pytest.approx(8000 * (0.2472 - 0.5306), abs=1.0)
    guangzhou = lines[("guangzhou", "scope 2 location-based")]
    assert guangzhou["likely_cause"] == "period"
    assert lines[("suzhou", "scope 1")]["likely_cause"] == "rounding"
    assert not lines[("stuttgart", "scope 2 market-based")]["material"]
    excluded = result.instruments_excluded
    assert excluded == []  # the GO counts for Stuttgart, the GEC for Chengdu


def test_metered_steam_in_tonnes_states_its_conversion(result):
    steam = result.lines[result.lines["flow_id"] == "f-xa-steam"]
    assert set(steam["activity_unit"]) == {"GJ"} and steam["counted"].all()
    gj = 3000 * 2.8397 - 900 * 0.29307
    assert steam["activity"].sum() == pytest.approx(gj, rel=2e-4)
    first = steam.iloc[0]["conversion"]
    assert "t steam at 0.8 MPa, 200 °C: h = 2839.8 kJ/kg (IAPWS-IF97)" in first
    assert "condensate returned at 70 °C" in first and "(0.3 of the mass)" in first
