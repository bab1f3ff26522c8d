"""The rule set's electricity → tce method and conflicting public values, on given values."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.rules.conftest import src
from zcp.metrics import GivenValuesContext
from zcp.rules.evaluate import evaluate_rule_set

DAY = dt.date(2026, 6, 30)

METHOD_BODY = """
parameters:
  electricity_to_tce: {description: calorific method, unit: tce/MWh, values: [%s]}
  electricity_to_tce_other_method: {description: equivalent method, unit: tce/MWh, values: [%s]}
  core_max: {description: core, unit: tCO2/tce, values: [%s]}
rules:
  - {id: core, kind: prerequisite, title: {zh: 核心, en: Core}, clause: "1",
     metric: carbon_per_unit_energy, op: le, threshold: core_max}
"""

# A park: 1 000 t CO2; energy 12 290 tce under the profile's 0.1229 tce/MWh, of which
# 100 000 MWh of electricity (12 290 tce) — an all-electric park.
PARK = {
    "park_co2_emissions": 1000,
    "park_energy_consumption": 12290,
    "park_electricity_in_energy": 100000,
    "park_electricity_to_tce_profile": 0.1229,
}


def _run(make, registry, other: str, given: dict):
    rs = make(METHOD_BODY % (src(0.1229), other, src(0.1)))
    ctx = GivenValuesContext(given, registry=registry, as_of=DAY)
    return evaluate_rule_set(rs, ctx, as_of=DAY)


def test_result_states_the_method_and_the_other_methods_indicator(make, registry):
    result = _run(make, registry, src(0.3), PARK)
    method = result.energy_method
    assert method is not None and method.coefficient.value == pytest.approx(0.1229)
    # 1 000 t / (100 000 MWh × 0.1229) and / (100 000 MWh × 0.3)
    assert method.carbon_per_unit_energy == pytest.approx(1000 / 12290)
    assert method.other_carbon_per_unit_energy == pytest.approx(1000 / 30000)
    core = result.rule("core")
    assert core.status == "pass" and core.actual == pytest.approx(1000 / 12290)
    assert "under equivalent method: 0.03333 tCO2/tce" in core.why


def test_rule_set_coefficient_reprices_energy_the_profile_counted_otherwise(make, registry):
    # the profile priced electricity at 0.3; the rule set says 0.1229: 2 000 tce of other
    # energy stays, 100 000 MWh are re-priced → 1 000 / (2 000 + 12 290)
    given = {**PARK, "park_energy_consumption": 2000 + 30000,
             "park_electricity_to_tce_profile": 0.3}  # fmt: skip
    result = _run(make, registry, src(0.3), given)
    assert result.energy_method.carbon_per_unit_energy == pytest.approx(1000 / 14290)
    assert result.energy_method.other_carbon_per_unit_energy == pytest.approx(1000 / 32000)


def test_unknown_other_coefficient_is_said_not_guessed(make, registry):
    unknown = (
        "{value: null, valid_from: 2025-01-01, confidence: provisional, "
        "source: {document: Test standard, clause: '4.3'}, note: not public}"
    )
    result = _run(make, registry, unknown, PARK)
    assert result.energy_method.other_carbon_per_unit_energy is None
    assert "not public" in result.energy_method.other_reason
    assert "not computable" in result.rule("core").why


def test_given_core_indicator_is_taken_as_already_under_the_method(make, registry):
    result = _run(make, registry, src(0.3), {"carbon_per_unit_energy": 0.05})
    assert result.rule("core").actual == pytest.approx(0.05)
    assert result.energy_method.other_carbon_per_unit_energy is None


def _run_with(make, registry, body: str):
    """``body`` (METHOD_BODY plus rules) at 0.1229 / 0.3 tce/MWh on the all-electric park."""
    rs = make(body % (src(0.1229), src(0.3), src(0.1)))
    ctx = GivenValuesContext(PARK, registry=registry, as_of=DAY)
    return evaluate_rule_set(rs, ctx, as_of=DAY)


def test_the_other_methods_indicator_is_a_field_of_the_rule_result(make, registry):
    body = (
        METHOD_BODY
        + """\
  - {id: size, kind: indicator, title: {zh: 规模, en: Size}, clause: "2",
     metric: park_energy_consumption, op: ge, threshold: 0, unit: tce}
"""
    )
    result = _run_with(make, registry, body)
    core = result.rule("core").other_method
    # 100 000 MWh × 0.3 tce/MWh = 30 000 tce; 1 000 t / 30 000 tce
    assert core is not None and core.value == pytest.approx(1000 / 30000)
    assert (core.unit, core.method, core.reason) == ("tCO2/tce", "equivalent method", None)
    assert core.coefficient is not None and core.coefficient.value == pytest.approx(0.3)
    size = result.rule("size").other_method
    assert size is not None and (size.value, size.unit) == (pytest.approx(30000), "tce")
    assert result.rule("core").actual == pytest.approx(1000 / 12290)  # verdict: this method


def test_an_unknown_other_coefficient_leaves_the_field_empty_with_its_reason(make, registry):
    unknown = (
        "{value: null, valid_from: 2025-01-01, confidence: provisional, "
        "source: {document: Test standard, clause: '4.3'}, note: not public}"
    )
    core = _run(make, registry, unknown, PARK).rule("core").other_method
    assert core is not None and core.value is None
    assert core.reason == "its coefficient is unknown (electricity_to_tce_other_method)"


def test_no_other_method_value_on_a_rule_that_is_not_re_priced(make, registry):
    body = (
        METHOD_BODY
        + """\
  - {id: co2, kind: indicator, title: {zh: 排放, en: CO2}, clause: "3",
     metric: park_co2_emissions, op: le, threshold: 5000, unit: t}
"""
    )
    result = _run_with(make, registry, body)
    assert result.rule("co2").other_method is None


CONFLICT_BODY = """
parameters:
  floor:
    description: floor
    unit: percent
    values:
      - value: 10
        valid_from: 2025-01-01
        confidence: provisional
        source: {document: Report A, clause: "1"}
        conflicting:
          - {value: 35, source: {document: Report B, clause: "2"}}
rules:
  - {id: r, kind: indicator, title: {zh: 比例, en: Share}, clause: "1",
     metric: share, op: ge, threshold: floor}
"""


@pytest.mark.parametrize(
    ("share", "status"),
    [(0.099, "fail"), (0.10, "undetermined"), (0.349, "undetermined"), (0.35, "pass")],
)
def test_a_conflict_that_decides_the_verdict_leaves_it_undetermined(make, registry, share, status):
    rs = make(CONFLICT_BODY)
    got = evaluate_rule_set(rs, GivenValuesContext({"share": share}, registry=registry, as_of=DAY))
    assert got.rule("r").status == status
    if status == "undetermined":
        assert "10% vs 35%" in got.rule("r").why
    assert got.rule("r").parameters[0].conflicting == [35.0]


def test_conflicting_values_cannot_be_verified(make):
    from zcp.errors import InputError

    with pytest.raises(InputError):
        make(CONFLICT_BODY.replace("confidence: provisional", "confidence: verified"))
