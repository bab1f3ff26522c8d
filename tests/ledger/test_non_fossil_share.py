"""Non-fossil energy share never counts natural gas, even where the profile calls gas clean."""

from __future__ import annotations

import pytest

from zcp.ledger import run_ledger
from zcp.metrics import REGISTRY, EvaluationContext

PARK = """\
kind: park
schema_version: 1
id: nf
name: Non-fossil check
location: {province: Jiangsu, grid_region: east}
reporting_period: {start: 2023-01-01, end: 2023-12-31}
stage: design
tenants:
  - {id: a, name: Plant A, industry: parts}
assets:
  - {id: wind, type: generator, technology: wind, capacity: 1, site: on_site}
  - {id: bus, type: bus, carrier: electricity}
  - {id: gas, type: fuel_supply, carrier: natural_gas}
  - {id: boiler, type: converter, technology: boiler, inputs: [natural_gas], outputs: [steam],
     tenant: a}
flows:
  - {id: f-wind, from: wind, to: bus, carrier: electricity, annual_estimate: 1000 MWh}
  - {id: f-a, from: bus, to: a, carrier: electricity, annual_estimate: 1000 MWh}
  - {id: f-gas, from: gas, to: boiler, carrier: natural_gas, annual_estimate: 100000 m3}
  - {id: f-steam, from: boiler, to: a, carrier: steam, annual_estimate: 1000 t}
"""


def test_tenant_non_fossil_share_excludes_gas_under_the_national_profile(write_park):
    folder = write_park(PARK)
    result = run_ledger(folder, profile="national-zero-carbon-park")
    # by hand: wind electricity 1000 MWh x 0.1229 tce/MWh; gas 100,000 m3 x 0.0012143 tce/m3
    electricity_tce = 1000 * 0.1229
    gas_tce = 100_000 * 0.0012143
    energy = result.energy[result.energy["entity"] == "a"]
    assert float(energy["tce"].sum()) == pytest.approx(electricity_tce + gas_tce, rel=1e-6)
    # the national convention counts gas as clean energy ...
    assert float(energy["clean_tce"].sum()) == pytest.approx(electricity_tce + gas_tce, rel=1e-6)
    # ... but non-fossil is green electricity only
    assert float(energy["non_fossil_tce"].sum()) == pytest.approx(electricity_tce, rel=1e-6)
    ctx = EvaluationContext(
        registry=REGISTRY,
        inputs={"park_folder": folder, "accounting_profile": "national-zero-carbon-park"},
    )
    share = ctx.value("tenant_non_fossil_energy_share", "a")
    assert share.value == pytest.approx(electricity_tce / (electricity_tce + gas_tce), rel=1e-4)
