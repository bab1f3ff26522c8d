"""Gap analysis: lever amounts found by re-evaluation, checked against hand arithmetic."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zcp.metrics import GivenValuesContext, Lever, metric_lever
from zcp.rules import Catalogue
from zcp.rules.gaps import find_amount, gap_analysis

DAY = dt.date(2026, 6, 30)
NATIONAL = Catalogue().load("zero_carbon_park", "2025-trial")


def test_find_amount_brackets_a_step_function():
    edge = 3.7
    amount = find_amount(lambda a: a >= edge, 10.0)
    assert amount is not None and edge <= amount <= edge + 10.0 * 1e-6
    assert find_amount(lambda a: True, 10.0) == 0.0
    assert find_amount(lambda a: False, 10.0) is None


def test_find_amount_copes_with_a_passing_window():
    # passes only inside [6, 7): a bisection over [0, 10] alone would miss it
    amount = find_amount(lambda a: 6.0 <= a < 7.0, 10.0)
    assert amount is not None and 6.0 <= amount < 6.0 + 1e-5


def certificates_lever(emissions: float, energy: float, grid_factor: float) -> Lever:
    """MWh of certificates: each MWh moves grid_factor tCO2 out of the numerator."""

    def apply(ctx, mwh):
        return ctx.with_values(
            {"carbon_per_unit_energy": max(emissions - mwh * grid_factor, 0.0) / energy}
        )

    return Lever("certificates", "MWh", "green certificates bought", apply, max_amount=1e6)


def test_certificates_needed_to_pass_the_core_indicator():
    emissions, energy, factor = 150_000.0, 500_000.0, 0.8273  # tCO2, tce, tCO2/MWh
    ctx = GivenValuesContext(
        {"park_energy_consumption": energy, "carbon_per_unit_energy": emissions / energy}, as_of=DAY
    )
    gaps = gap_analysis(NATIONAL, ctx, [certificates_lever(emissions, energy, factor)])
    core = next(g for g in gaps if g.rule_id == "core_carbon_per_unit_energy")
    expected = (emissions - 0.2 * energy) / factor  # MWh that bring 0.3 down to 0.2
    lever = core.levers[0]
    assert core.status == "fail"
    assert lever.amount == pytest.approx(expected, rel=1e-5)
    assert lever.amount >= expected * (1 - 1e-9)  # never short of what passes
    assert lever.status_after == "pass"
    assert lever.level_after == "core_met"


def test_a_lever_that_cannot_pass_reports_none():
    ctx = GivenValuesContext(
        {"park_energy_consumption": 500_000.0, "carbon_per_unit_energy": 2.0}, as_of=DAY
    )
    small = certificates_lever(1_000_000.0, 500_000.0, 0.8273)
    small = Lever(small.name, small.unit, small.description, small.apply, max_amount=1000.0)
    core = gap_analysis(NATIONAL, ctx, [small])[0]
    assert core.levers[0].amount is None
    assert core.levers[0].status_after == "fail"


def test_banded_threshold_is_not_extrapolated():
    # Adding energy use (tce) moves a 900 000 tce park into the ≥ 100万 band, where the
    # threshold jumps from 0.2 to 0.3. The same emissions spread over more energy:
    # intensity = E / (900 000 + x). Passing needs x ≥ 100 000 (band) *and*
    # E / (900 000 + x) ≤ 0.3, i.e. x ≥ E / 0.3 − 900 000.
    emissions = 315_000.0

    def apply(ctx, tce):
        total = 900_000.0 + tce
        return ctx.with_values(
            {"park_energy_consumption": total, "carbon_per_unit_energy": emissions / total}
        )

    lever = Lever("extra_energy", "tce", "what-if: more energy use", apply, max_amount=500_000)
    ctx = apply(GivenValuesContext({}, as_of=DAY), 0.0)
    core = gap_analysis(NATIONAL, ctx, [lever])[0]
    expected = max(100_000.0, emissions / 0.3 - 900_000.0)  # 150 000 tce
    assert core.levers[0].amount == pytest.approx(expected, rel=1e-5)


def test_metric_lever_adds_percentage_points():
    ctx = GivenValuesContext(
        {"park_energy_consumption": 5e5, "carbon_per_unit_energy": 0.1, "clean_energy_share": 0.82},
        as_of=DAY,
    )
    lever = metric_lever(
        "more_clean_energy", "clean_energy_share", unit="percent", per_unit=0.01, max_amount=20
    )
    gaps = gap_analysis(NATIONAL, ctx, [lever])
    clean = next(g for g in gaps if g.rule_id == "clean_energy_share")
    assert clean.levers[0].amount == pytest.approx(90 - 82, abs=1e-4)
    # the original context is unchanged
    assert ctx.value("clean_energy_share").value == 0.82


@settings(max_examples=200, deadline=None)
@given(edge=st.floats(0.0, 1000.0), max_amount=st.floats(1.0, 1000.0), steps=st.integers(1, 64))
def test_find_amount_is_the_first_passing_amount(edge, max_amount, steps):
    amount = find_amount(lambda a: a >= edge, max_amount, steps=steps)
    if edge > max_amount:
        assert amount is None
    else:
        assert amount is not None
        assert edge <= amount <= edge + max_amount * 1e-6 + 1e-12
