"""The metric registry and evaluation contexts."""

from __future__ import annotations

import pytest

from zcp.errors import InputError
from zcp.metrics import EvaluationContext, GivenValuesContext, MetricRegistry, MetricValue


def test_declare_then_register_a_function():
    reg = MetricRegistry()
    reg.declare("output", unit="MWh", description="electricity out")
    assert (
        EvaluationContext(registry=reg).value("output").reason
        == "no function computes this metric yet"
    )

    @reg.metric("output", unit="MWh")
    def output(ctx, subject):
        return MetricValue(1500.0, "kWh")  # functions may answer in any compatible unit

    value = EvaluationContext(registry=reg).value("output")
    assert value.value == pytest.approx(1.5) and value.unit == "MWh"
    assert reg.get("output").description == "electricity out"
    with pytest.raises(ValueError, match="already has a function"):
        reg.metric("output", unit="MWh")(lambda ctx, subject: 1.0)
    with pytest.raises(ValueError, match="declared with unit"):
        reg.declare("output", unit="t", description="wrong")


def test_unknown_metric_and_unit_errors_carry_hints():
    reg = MetricRegistry()
    reg.declare("clean_energy_share", unit="fraction", description="share")
    with pytest.raises(InputError, match="did you mean 'clean_energy_share'"):
        reg.get("clean_energy_shar")
    with pytest.raises(InputError, match="unknown unit"):
        reg.declare("bad", unit="tCO3", description="no such unit")


def test_given_values_convert_to_the_metric_unit():
    ctx = GivenValuesContext(
        {
            "clean_energy_share": "85 %",
            "park_energy_consumption": "30 万tce",
            "carbon_per_unit_energy": None,
        }
    )
    assert ctx.value("clean_energy_share").value == pytest.approx(0.85)
    assert ctx.value("park_energy_consumption").value == pytest.approx(300_000)
    assert ctx.value("carbon_per_unit_energy").value is None
    assert ctx.value("direct_supply_share").reason == "no value given"
    with pytest.raises(InputError, match="cannot convert"):
        GivenValuesContext({"clean_energy_share": "5 kWh"})


def test_with_values_leaves_the_original_alone_and_memo_builds_once():
    calls = []
    reg = MetricRegistry()

    @reg.metric("emissions", unit="tCO2", description="test")
    def emissions(ctx, subject):
        return ctx.memo("ledger", lambda: calls.append(1) or {"total": 42.0})["total"]

    @reg.metric("emissions_twice", unit="tCO2", description="test")
    def twice(ctx, subject):
        return 2 * ctx.memo("ledger", lambda: calls.append(1) or {"total": 42.0})["total"]

    ctx = EvaluationContext(registry=reg)
    assert ctx.value("emissions").value == 42.0
    assert ctx.value("emissions_twice").value == 84.0
    assert calls == [1]  # one "accounting run" for both
    what_if = ctx.with_values({"emissions": 10.0})
    assert what_if.value("emissions").value == 10.0
    assert ctx.value("emissions").value == 42.0


def test_per_subject_given_values():
    ctx = GivenValuesContext({"tenant_water_reused": {"t1": 5.0}})
    assert ctx.value("tenant_water_reused", "t1").value == 5.0
    assert ctx.value("tenant_water_reused", "t2").value is None


def test_each_rule_set_sees_its_accounting_profile_and_shares_the_run():
    from zcp.metrics.context import PROFILE_KEY

    runs = []
    reg = MetricRegistry()

    @reg.metric("emissions", unit="tCO2", description="test")
    def emissions(ctx, subject):
        profile = ctx.inputs.get(PROFILE_KEY, "default")
        ledger = ctx.memo(
            f"ledger:{profile}",
            lambda: (
                runs.append(profile)
                or {"national_park": 10.0, "ghg_protocol": 20.0}.get(profile, 0.0)
            ),
        )
        return ledger

    ctx = EvaluationContext(registry=reg)
    national = ctx.for_profile("national_park")
    assert national.value("emissions").value == 10.0
    assert ctx.for_profile("ghg_protocol").value("emissions").value == 20.0
    assert ctx.for_profile("national_park") is national  # one view per profile
    assert national.with_values({}).value("emissions").value == 10.0
    assert runs == ["national_park", "ghg_protocol"]  # each accounted once
    assert ctx.value("emissions").value == 0.0  # the base is unchanged


def test_non_finite_values_are_missing_not_compared():
    reg = MetricRegistry()
    reg.metric("ratio", unit="fraction", description="x")(lambda ctx, subject: float("inf"))
    reg.metric("other", unit="fraction", description="x")(
        lambda ctx, subject: MetricValue(float("nan"), "fraction")
    )
    ctx = EvaluationContext(registry=reg)
    assert ctx.value("ratio").value is None and "not a finite number" in ctx.value("ratio").reason
    assert ctx.value("other").value is None
    with pytest.raises(InputError, match="not a finite number"):
        GivenValuesContext({"clean_energy_share": float("nan")})
