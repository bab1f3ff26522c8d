"""The least-cost plan section (zcp assess --plan): measures in natural units, costs to
the nearest 10,000 CNY a year, the engine's check, and what blocks a level — both languages."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.report.language import foreign_runs
from tests.report.sample import sample_report
from zcp.plan import Blocker, LevelPlan, PlannedLever, PlanResult, StrictestThreshold
from zcp.report.html import render_html
from zcp.report.plan_section import plan_views, yuan


def _plan() -> PlanResult:
    planned = LevelPlan(
        "hourly_b", "planned",
        [PlannedLever("extra_wind", "MW", 21.3, 21.3 * 612_345.0, "sourced"),
         PlannedLever("green_certificates", "MWh", 76_193.0, 76_193.0 * 29.0, "illustrative")],
        21.3 * 612_345.0 + 76_193.0 * 29.0, ["hourly_grade_b"], "confirmed by the engine",
        engine_runs=2, lp_rows=8_763, lp_columns=17_523,
    )  # fmt: skip
    blocked = LevelPlan(
        "hourly_a", "unreachable", why="x",
        blockers=[Blocker("instrument_retirement", "needs_evidence", "no assessor answer yet",
                          "not_decided")],
    )  # fmt: skip
    return PlanResult("p", "green_power_application", "2022-zcp", None, "hourly_b", planned,
                      [planned, blocked], [], ["wind"])  # fmt: skip


def _section(html: str) -> str:
    match = re.search(r'<section id="plans">.*?</section>', html, re.DOTALL)
    assert match, "no plan section"
    return match.group(0)


def test_yuan_to_the_nearest_ten_thousand():
    assert yuan(21.3 * 612_345.0) == "13,040,000"  # 13,042,948.5
    assert yuan(4_999.0) == "0"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plan_section_in_each_language(lang):
    data = sample_report()
    evaluation = SimpleNamespace(selected=[])  # the rule set's titles are optional
    blocked = _plan()
    blocked.target, blocked.plan = "hourly_a", blocked.cost_curve[1]
    data.plans = plan_views([_plan(), blocked], evaluation, None)  # type: ignore[arg-type]
    html = render_html(data, lang)
    assert '<a href="#plans">' in html
    section = _section(html)
    # amounts at the plan's precision, costs to 10,000: 21.3 × 612,345 + 76,193 × 29
    assert "21.3 MW" in section and "76,193 MWh" in section
    assert "13,040,000" in section and "2,210,000" in section  # 2,209,597
    assert "15,250,000" in section  # 15,252,545.5 in all
    assert "instrument_retirement" in section and "hourly_grade_b" in section  # blocker, binding
    assert "8,763" in section and "17,523" in section
    page = '<html lang="{}"><body>{}</body></html>'.format(
        "zh-CN" if lang == "zh" else lang, section
    )
    assert foreign_runs(page, lang) == []  # every word in the report's language
    if lang == "zh":
        assert "最低成本达标方案" in section and "引擎核验" in section and "风电" in section
        assert "Verified by the engine" not in section
    else:
        assert "Least-cost plan" in section and "Verified by the engine" in section
        assert "引擎核验" not in section


def test_no_plan_no_section():
    html = render_html(sample_report(), "en")
    assert '<section id="plans">' not in html and '<a href="#plans">' not in html


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_plan_with_storage_is_confirmed_and_says_why_it_needs_it(lang):
    plan = _plan()
    plan.plan.levers.append(
        PlannedLever("storage_power", "MW", 1.3, 1.3 * 40_000.0, "illustrative")
    )
    data = sample_report()
    data.plans = plan_views([plan], SimpleNamespace(selected=[]), None)  # type: ignore[arg-type]
    section = _section(render_html(data, lang))
    assert "1.3 MW" in section
    if lang == "zh":
        assert "建设储能功率" in section and "引擎核验" in section
        assert "不配储能无法达到该等级" in section and "逐小时贪心调度" in section
    else:
        assert "storage power" in section and "Verified by the engine" in section
        assert "cannot be reached without storage" in section
        assert "dispatched greedily hour by hour" in section
    assert "not confirmed" not in section and "尚不能" not in section


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_rule_planned_to_the_strictest_public_value_says_so(lang):
    plan = _plan()
    # sources give 10 % or 35 % for the rule: planned to 35 %
    plan.plan.strictest = [StrictestThreshold("physical_non_fossil_electricity", 0.35,
                                              [0.10, 0.35], "fraction")]  # fmt: skip
    data = sample_report()
    data.plans = plan_views([plan], SimpleNamespace(selected=[]), None)  # type: ignore[arg-type]
    section = _section(render_html(data, lang))
    assert '<span class="mono">physical_non_fossil_electricity</span>' in section
    if lang == "zh":
        assert "阈值说法不一（10%、35%）" in section and "最严格的 35% 规划" in section
    else:
        assert "different thresholds for" in section and "(10%, 35%)" in section
        assert "to the strictest, 35%, which passes whichever source is right" in section


def test_the_assumptions_state_the_levers_capacity_factors():
    from zcp.metrics.ledger_metrics import PV_CAPACITY_FACTOR
    from zcp.model.design_figures import WIND_CAPACITY_FACTOR

    data = sample_report()
    data.plans = plan_views([_plan()], SimpleNamespace(selected=[]), None)  # type: ignore[arg-type]
    section = _section(render_html(data, "en"))
    assert f"new PV at capacity factor {PV_CAPACITY_FACTOR:g} " in section
    assert f"new wind at capacity factor {WIND_CAPACITY_FACTOR:g} on the park" in section
    assert "modelled wind year" in section
    assert "flat" not in section


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    ("example", "target", "named"),
    [("ordos-design", "zero_carbon_park:core_met", None),  # reached: nothing built
     ("lingang-operation", "national_zero_carbon_factory:basic", {"en": "PV, wind",
                                                                 "zh": "光伏、风电"})],
)  # fmt: skip
def test_the_plan_section_names_illustrative_costs_only_for_what_is_built(
    lang, example, target, named
):
    from zcp.plan import plan_evaluation
    from zcp.rules.run import evaluate_park

    evaluation = evaluate_park(Path(__file__).resolve().parents[2] / "assessments" / example)
    plan = plan_evaluation(evaluation, target)
    data = sample_report()
    data.plans = plan_views([plan], evaluation, None)
    section = _section(render_html(data, lang))
    note = {"en": "Illustrative (unsourced) default costs", "zh": "示意性默认值"}[lang]
    if named is None:
        assert plan.plan.status == "reached" and note not in section
    else:
        # the tenant's basic level buys PV and wind at illustrative defaults, and
        # certificates at a reported price (not named)
        assert plan.plan.status == "planned"
        assert {x.lever for x in plan.plan.levers} == {"extra_pv", "extra_wind",
                                                        "green_certificates"}  # fmt: skip
        assert note in section and f"{named[lang]}" in section
