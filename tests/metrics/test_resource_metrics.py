"""Resource metrics from the tenants' figures in park.yaml (no accounting needed)."""

from __future__ import annotations

import pytest

from tests.conftest import MINIMAL_PARK
from zcp.metrics import EvaluationContext
from zcp.model import load_park
from zcp.rules.run import park_context

TENANTS = """\
tenants:
  - {id: t1, name: 电池厂, industry: batteries,
     water: {withdrawn: 1000 m3, reused: 3000 m3},
     solid_waste: {generated: 100 t, utilised: 70 t, drawn_from_storage: 20 t},
     waste_heat: {recoverable: 500 GJ, recovered: 200 GJ},
     products: [{name: cell, output: 10, unit: GWh, energy_per_unit: 90,
                 quota_standard: GB 00000-2099, quota_grade2: 100}]}
  - {id: t2, name: 机加工, industry: machining,
     water: {withdrawn: 500 m3, reused: 500 m3},
     products: [{name: part, output: 5, unit: t, energy_per_unit: 55,
                 quota_standard: GB 00001-2099, quota_grade2: 50}]}
"""


def _ctx(write_park, text: str) -> EvaluationContext:
    start = MINIMAL_PARK.index("tenants:")
    end = MINIMAL_PARK.index("assets:")
    park = MINIMAL_PARK[:start] + text + MINIMAL_PARK[end:]
    return park_context(load_park(write_park(park)))


def test_rates_sum_over_tenants(write_park):
    ctx = _ctx(write_park, TENANTS)
    water = ctx.value("industrial_water_reuse_rate")
    assert water.value == pytest.approx((3000 + 500) / (3000 + 1000 + 500 + 500))
    assert ctx.value("solid_waste_utilisation_rate").value == pytest.approx(70 / (100 + 20))
    heat = ctx.value("waste_heat_utilisation_rate")
    assert heat.value == pytest.approx(200 / 500)
    assert heat.trace["tenants_without_data"] == ["t2"]
    quota = ctx.value("product_energy_quota_ratio")
    assert quota.value == pytest.approx(55 / 50)  # the worse of 0.9 and 1.1
    assert quota.trace["worst"] == "t2:part"
    assert ctx.value("tenant_water_reused", "t2").value == 500


def test_no_figures_means_undetermined_not_zero(write_park):
    ctx = _ctx(
        write_park,
        "tenants:\n  - {id: t1, name: 甲, industry: x}\n  - {id: t2, name: 乙, industry: y}\n",
    )
    value = ctx.value("industrial_water_reuse_rate")
    assert value.value is None and "no tenant" in value.reason
    assert ctx.value("tenant_water_reused", "t1").value is None
