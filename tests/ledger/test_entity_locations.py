"""Sites with their own location: each entity priced by its own grid or its stated factor,
certificates judged against the market of their scheme, overrides shown in the factor list."""

from __future__ import annotations

import pytest

from zcp.errors import InputError
from zcp.ledger import Ledger, run_ledger

GROUP = """\
kind: park
schema_version: 1
id: grp
name: Three grids and one site abroad
location: {province: Jiangsu, grid_region: east}
reporting_period: {start: 2023-01-01, end: 2023-12-31}
stage: design
tenants:
  - {id: east-plant, name: Suzhou plant, industry: parts}
  - {id: nw-plant, name: Yinchuan plant, industry: parts,
     location: {province: Ningxia, grid_region: northwest}}
  - {id: south-plant, name: Foshan plant, industry: parts,
     location: {country: CN, province: Guangdong, grid_region: south}}
  - {id: de-plant, name: Stuttgart plant, industry: parts,
     location: {country: DE, city: Stuttgart},
     grid_factors: {location: {value: 380, unit: gCO2/kWh, source: UBA 2023 Strommix, year: 2023},
                    residual: {value: 0.61, unit: tCO2/MWh, source: AIB European Residual Mixes 2023,
                               year: 2023, confidence: verified}}}
assets:
  - {id: grid, type: grid_connection, carrier: electricity}
  - {id: bus, type: bus, carrier: electricity}
flows:
  - {id: f-imp, from: grid, to: bus, carrier: electricity, annual_estimate: 10000 MWh}
  - {id: f-e, from: bus, to: east-plant, carrier: electricity, annual_estimate: 4000 MWh}
  - {id: f-nw, from: bus, to: nw-plant, carrier: electricity, annual_estimate: 3000 MWh}
  - {id: f-s, from: bus, to: south-plant, carrier: electricity, annual_estimate: 2000 MWh}
  - {id: f-de, from: bus, to: de-plant, carrier: electricity, annual_estimate: 1000 MWh}
"""

INSTRUMENTS = """\
kind: instruments
schema_version: 1
certificates:
  - {id: go-de, type: GO, mwh: 400, vintage: {start: 2023-01-01, end: 2023-12-31},
     generator: {country: NO}, retired: true, beneficiary: de-plant}
  - {id: gec-for-de, type: GEC, mwh: 100, vintage: {start: 2023-01-01, end: 2023-12-31},
     retired: true, beneficiary: de-plant}
  - {id: go-for-nw, type: GO, mwh: 100, vintage: {start: 2023-01-01, end: 2023-12-31},
     generator: {country: DE}, retired: true, beneficiary: nw-plant}
  - {id: gec-nw, type: GEC, mwh: 500, vintage: {start: 2023-01-01, end: 2023-12-31},
     retired: true, beneficiary: nw-plant}
"""

EAST, NORTHWEST, SOUTH = 0.5500, 0.5543, 0.4042  # MEE grid averages 2023
RESIDUAL_CN = 0.6096  # national excl. market-traded non-fossil 2023 (GHG profile residual)


def test_each_entity_priced_by_its_own_grid(write_park):
    result = run_ledger(write_park(GROUP, INSTRUMENTS), profile="ghg-protocol-corporate")
    tenants = result.by_tenant().set_index("entity")
    loc = tenants["scope2_location_t"]
    assert loc["east-plant"] == pytest.approx(4000 * EAST, abs=0.01)
    assert loc["nw-plant"] == pytest.approx(3000 * NORTHWEST, abs=0.01)
    assert loc["south-plant"] == pytest.approx(2000 * SOUTH, abs=0.01)
    assert loc["de-plant"] == pytest.approx(1000 * 0.380, abs=0.01)  # 380 g/kWh = 0.38 t/MWh
    mkt = tenants["scope2_market_t"]
    assert mkt["de-plant"] == pytest.approx((1000 - 400) * 0.61, abs=0.01)
    assert mkt["nw-plant"] == pytest.approx((3000 - 500) * RESIDUAL_CN, abs=0.01)
    excluded = {e["id"]: e["reason"] for e in result.instruments_excluded}
    assert set(excluded) == {"gec-for-de", "go-for-nw"}
    assert "DE" in excluded["gec-for-de"] and "GO" in excluded["go-for-nw"]
    factors = {f["id"]: f for f in result.to_json()["factors"]}
    de = factors["user.grid.de-plant.location"]
    assert de["value"] == pytest.approx(0.38) and "UBA" in de["source"]["document"]
    assert "stated" in de["rule"] and "380 gCO2/kWh" in de["note"]
    assert factors["user.grid.de-plant.residual"]["confidence"] == "verified"


def test_site_abroad_without_a_location_factor_is_an_error(write_park):
    text = GROUP.replace(
        """     grid_factors: {location: {value: 380, unit: gCO2/kWh, source: UBA 2023 Strommix, year: 2023},
                    residual: {value: 0.61, unit: tCO2/MWh, source: AIB European Residual Mixes 2023,
                               year: 2023, confidence: verified}}}""",
        "}",
    )
    assert "UBA" not in text
    with pytest.raises(InputError) as err:
        Ledger(write_park(text))
    message = str(err.value)
    assert "park.yaml" in message and "tenants[3]" in message and "outside China" in message


def test_site_abroad_without_residual_uses_its_location_factor_and_says_so(write_park):
    text = GROUP.replace(
        """,
                    residual: {value: 0.61, unit: tCO2/MWh, source: AIB European Residual Mixes 2023,
                               year: 2023, confidence: verified}}}""",
        "}}",
    )
    result = run_ledger(write_park(text), profile="ghg-protocol-corporate")
    de = result.by_tenant().set_index("entity").loc["de-plant"]
    assert de["scope2_market_t"] == pytest.approx(1000 * 0.38, abs=0.01)
    notes = [f["note"] or "" for f in result.to_json()["factors"]]
    assert any("no residual mix stated" in n for n in notes)


def test_park_and_entity_overrides_with_provenance(write_park):
    text = GROUP.replace(
        "stage: design\n",
        "stage: design\ngrid_factors: {residual: {value: 0.70, unit: tCO2/MWh, "
        "source: provincial residual study, year: 2023}}\n",
    ).replace(
        "location: {province: Ningxia, grid_region: northwest}}",
        "location: {province: Ningxia, grid_region: northwest},\n"
        "     grid_factors: {location: {value: 0.6, unit: tCO2/MWh, source: Ningxia 2023 "
        "provincial factor, year: 2023}}}",
    )
    result = run_ledger(write_park(text), profile="ghg-protocol-corporate")
    tenants = result.by_tenant().set_index("entity")
    assert tenants.loc["nw-plant", "scope2_location_t"] == pytest.approx(3000 * 0.6, abs=0.01)
    assert tenants.loc["nw-plant", "scope2_market_t"] == pytest.approx(3000 * 0.70, abs=0.01)
    assert tenants.loc["east-plant", "scope2_market_t"] == pytest.approx(4000 * 0.70, abs=0.01)
    assert tenants.loc["east-plant", "scope2_location_t"] == pytest.approx(4000 * EAST, abs=0.01)
    factors = {f["id"]: f for f in result.to_json()["factors"]}
    assert "replaces" in factors["user.grid.park.residual"]["note"]
    lines = result.lines
    nw = lines[(lines["entity"] == "nw-plant") & (lines["basis"] == "location")]
    assert set(nw["factor_id"].dropna()) == {"user.grid.nw-plant.location"}


def test_grid_region_abroad_is_refused(write_park):
    text = GROUP.replace("location: {country: DE, city: Stuttgart}",
                         "location: {country: DE, grid_region: east}")  # fmt: skip
    with pytest.raises(InputError, match="one of China's grids"):
        Ledger(write_park(text))
