"""zcp plan: the least-cost mix by hand, cost annualisation by hand, engine-confirmed plans."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from zcp.cli import main
from zcp.errors import InputError
from zcp.plan.costs import capital_recovery_factor, load_costs
from zcp.plan.lp import HourlySystem, MetricTarget, Prices, solve

ROOT = Path(__file__).resolve().parents[2] / "assessments"
HOURS = 8760


def flat_system(load_mw: float, wind_cf: float) -> HourlySystem:
    load = np.full(HOURS, load_mw)
    return HourlySystem(load, np.zeros(HOURS), np.zeros(HOURS), np.full(HOURS, wind_cf))


def two_targets(total: float) -> list[MetricTarget]:
    # physical share (only clean power used counts) ≥ 30 %; green share (clean used or
    # certificates) ≥ 50 %; both per MWh of the year's use
    return [
        MetricTarget("physical", "physical_share", ">=", 0.30, 0.0, 1 / total, 0.0),
        MetricTarget("green", "green_share", ">=", 0.50, 0.0, 1 / total, 1 / total),
    ]


def test_least_cost_mix_of_two_linear_levers_by_hand():
    load_mw, cf = 2.0, 0.25
    total = load_mw * HOURS  # 17,520 MWh a year
    wind_price, cert_price = 400_000.0, 30.0  # [CNY/MW/a], [CNY/MWh]
    per_mw = cf * HOURS  # 2,190 MWh a year per MW of flat wind
    # wind costs 400,000 / 2,190 ≈ 182.6 CNY per MWh > 30: build only what the physical
    # rule needs, buy certificates for the rest of the green rule
    wind_mw = 0.30 * total / per_mw
    certificates = 0.50 * total - 0.30 * total
    cost = wind_mw * wind_price + certificates * cert_price
    got = solve(flat_system(load_mw, cf), two_targets(total),
                Prices(pv=1e9, wind=wind_price, certificates=cert_price))  # fmt: skip
    assert got.status == "optimal"
    assert got.wind_mw == pytest.approx(wind_mw, rel=1e-6)
    assert got.certificates_mwh == pytest.approx(certificates, rel=1e-6)
    assert got.pv_mw == pytest.approx(0.0, abs=1e-9)
    assert got.annual_cost == pytest.approx(cost, rel=1e-6)
    assert set(got.binding) == {"physical", "green"}
    # certificates dearer than wind's 182.6 CNY/MWh: wind covers the green rule alone
    got = solve(flat_system(load_mw, cf), two_targets(total),
                Prices(pv=1e9, wind=wind_price, certificates=500.0))  # fmt: skip
    assert got.wind_mw == pytest.approx(0.50 * total / per_mw, rel=1e-6)
    assert got.certificates_mwh == pytest.approx(0.0, abs=1e-6)


def test_clean_power_beyond_the_load_is_infeasible_and_named():
    total = 2.0 * HOURS
    share = [MetricTarget("physical", "physical_share", ">=", 1.2, 0.0, 1 / total, 0.0)]
    got = solve(flat_system(2.0, 0.25), share, Prices(1.0, 1.0, 1.0))
    assert got.status == "infeasible"
    assert "clean power used ≤ load" in got.infeasible


def test_annualised_cost_by_hand(tmp_path):
    r, n = 0.06, 25
    crf = r * (1 + r) ** n / ((1 + r) ** n - 1)
    assert capital_recovery_factor(r, n) == pytest.approx(crf)
    book = load_costs()
    pv = book.levers["pv"]
    assert book.annual_per_unit("pv") == pytest.approx(pv.capex * crf + pv.opex_per_year)
    assert book.levers["green_certificates"].confidence == "reported"
    (tmp_path / "costs.yaml").write_text(
        "kind: cost_parameters\nschema_version: 1\nlevers:\n  pv:\n    unit: MW\n"
        "    price: 100\n    confidence: estimated\n    source: our own quote\n"
    )
    assert load_costs(tmp_path).annual_per_unit("pv") == 100.0
    assert load_costs(tmp_path).levers["wind"].capex == book.levers["wind"].capex
    (tmp_path / "costs.yaml").write_text(
        "kind: cost_parameters\nschema_version: 1\nlevers:\n  pv:\n    unit: MW\n"
        "    capex: 100\n    confidence: estimated\n    source: x\n"
    )
    with pytest.raises(InputError, match="lifetime_years"):
        load_costs(tmp_path)


def test_a_threshold_sources_disagree_on_is_planned_to_the_strictest_and_confirmed():
    from zcp.metrics import registered_levers
    from zcp.model import load_park
    from zcp.plan import plan_park
    from zcp.rules.assessment import load_assessment
    from zcp.rules.evaluate import evaluate_rule_set
    from zcp.rules.ruleset_catalogue import Catalogue
    from zcp.rules.run import park_context

    folder = ROOT / "lingang-operation"
    # assessment.yaml rates tenant t001 under the factory rule set: no --subject needed
    result = plan_park(folder, "national_zero_carbon_factory:basic")
    assert result.subject == "t001"
    plan = result.plan
    # public sources give 10 % or 35 % for the physical non-fossil electricity floor and
    # t001's share lies between: planned to 35 %, where it passes under either
    assert plan.status == "planned"
    assert "physical_non_fossil_electricity planned to 35 %" in plan.why
    # apply the plan's amounts through the tenant's levers and evaluate for ourselves
    park = load_park(folder)
    assessment = load_assessment(folder / "assessment.yaml").model
    day = assessment.assessment_date or park.park.reporting_period.end
    loaded = Catalogue().load("national_zero_carbon_factory", "2026-provisional")
    ctx = park_context(park, as_of=day).for_profile(loaded.model.accounting_profile)
    levers = {lv.name: lv for lv in registered_levers()}
    for x in plan.levers:
        ctx = levers[x.lever].for_subject("t001").apply(ctx, x.amount)
    checked = evaluate_rule_set(loaded, ctx, subject="t001", as_of=day,
                                answers=assessment.answers_for(loaded.model.id))  # fmt: skip
    rule = checked.rule("physical_non_fossil_electricity")
    assert rule.status == "pass" and rule.actual >= 35 / 100
    assert next(lv for lv in checked.levels if lv.id == "basic").status == "pass"
    # the 2030 level also needs evidence no lever provides: which rules, and why
    later = result.cost_curve[1]
    assert later.level == "target_2030" and later.status == "unreachable"
    assert {b.rule_id for b in later.blockers} == {"product_carbon_footprint",
                                                    "offsetting_and_disclosure"}  # fmt: skip
    assert all(b.kind == "not_decided" for b in later.blockers)


def test_a_tenant_rule_set_without_a_subject_is_refused():
    got = CliRunner().invoke(main, ["plan", str(ROOT / "lingang-operation"), "--target",
                                    "hunan_zero_carbon_factory:target_met"])  # fmt: skip
    assert got.exit_code == 2
    assert "rates a tenant" in got.output and "--subject" in got.output


def test_cli_plan_json_and_a_typo():
    runner = CliRunner()
    out = runner.invoke(main, ["plan", str(ROOT / "lingang-operation"), "--target",
                               "zero_carbon_park@2025-trial:core_met", "--json"])  # fmt: skip
    assert out.exit_code == 1, out.output  # ran, and the target cannot be reached
    data = json.loads(out.stdout)
    assert data["plan"]["status"] == "unreachable"
    assert "core_carbon_per_unit_energy" in data["plan"]["why"]  # says which rule, and why
    bad = runner.invoke(main, ["plan", str(ROOT / "lingang-operation"), "--target",
                               "zero_carbon_park:core_mett"])  # fmt: skip
    assert bad.exit_code == 2 and "did you mean 'core_met'" in bad.output


def test_cli_plan_exit_code_says_whether_the_target_is_reached():
    runner = CliRunner()
    # the design park meets the national core indicator already: nothing to plan, exit 0
    reached = runner.invoke(main, ["plan", str(ROOT / "ordos-design"), "--target",
                                   "zero_carbon_park@2025-trial:core_met"])  # fmt: skip
    assert reached.exit_code == 0, reached.output
    assert "core_met: reached" in reached.output
    # the operating park's threshold is unknown for its size: unreachable, exit 1, also
    # in text output
    unreachable = runner.invoke(main, ["plan", str(ROOT / "lingang-operation"), "--target",
                                       "zero_carbon_park@2025-trial:core_met"])  # fmt: skip
    assert unreachable.exit_code == 1, unreachable.output
    assert "core_met: unreachable" in unreachable.output


def test_cli_plan_prints_a_blocking_rule_once_and_json_keeps_every_reason():
    runner = CliRunner()
    args = ["plan", str(ROOT / "lingang-operation"), "--target",
            "zero_carbon_factory_i@2022:six_star", "--subject", "t001"]  # fmt: skip
    text = runner.invoke(main, args).output
    data = json.loads(runner.invoke(main, [*args, "--json"]).stdout)
    # the assessor's "no" on offset quality blocks all four star levels: its reason is
    # printed once, and every other line refers to it
    reason = "offset_quality: fail (the assessor answered no"
    assert text.count(reason) == 1
    assert "six_star: unreachable (see above)" in text
    levels = ["three_star", "four_star", "five_star", "six_star"]
    assert [level["level"] for level in data["cost_curve"]] == levels
    assert all(reason in level["why"] for level in data["cost_curve"])
    assert reason in data["plan"]["why"]


#: The cost-book row that prices each lever a plan reports (zcp/data/costs/levers.yaml).
COST_ROW = {"extra_pv": "pv", "extra_wind": "wind", "green_certificates": "green_certificates",
            "storage_power": "storage_power", "storage_energy": "storage_energy"}  # fmt: skip


def test_cli_plan_names_no_illustrative_cost_when_it_builds_nothing():
    runner = CliRunner()
    # the design park reaches core_met already: nothing is built, so no cost is used
    args = ["plan", str(ROOT / "ordos-design"), "--target", "zero_carbon_park@2025-trial:core_met"]
    text = runner.invoke(main, args).output
    data = json.loads(runner.invoke(main, [*args, "--json"]).stdout)
    assert data["plan"]["status"] == "reached"
    assert all(level["levers"] == [] for level in data["cost_curve"])
    assert data["illustrative_costs"] == []
    assert not any("illustrative (unsourced)" in a for a in data["assumptions"])
    assert "core_met: reached" in text and "illustrative (unsourced)" not in text


def test_cli_plan_names_the_illustrative_costs_its_plans_price():
    import yaml

    runner = CliRunner()
    args = ["plan", str(ROOT / "lingang-operation"), "--target",
            "national_zero_carbon_factory:basic"]  # fmt: skip
    text = runner.invoke(main, args).output
    data = json.loads(runner.invoke(main, [*args, "--json"]).stdout)
    # which rows the plans buy from, and which of those the cost book gives no source for
    # (the example has no costs.yaml of its own: the bundled book prices it)
    assert not (ROOT / "lingang-operation" / "costs.yaml").exists()
    book = yaml.safe_load(
        (ROOT.parent / "zcp" / "data" / "costs" / "levers.yaml").read_text(encoding="utf-8")
    )
    bought = {COST_ROW[x["lever"]] for level in data["cost_curve"] for x in level["levers"]
              if x["amount"] > 0}  # fmt: skip
    expected = sorted(row for row in bought if book["levers"][row]["confidence"] == "illustrative")
    # PV and wind priced by illustrative defaults; the certificates bought have a source
    assert expected == ["pv", "wind"] and "green_certificates" in bought
    assert data["illustrative_costs"] == expected
    line = "illustrative (unsourced) cost defaults used for: pv, wind"
    assert data["assumptions"][-1] == line and f"  - {line}" in text


@pytest.mark.parametrize(
    ("target", "hint"),
    [("zero_carbon_prak:core_met", "did you mean 'zero_carbon_park'"),
     ("zero_carbon_park@2025-trial:core_mett", "did you mean 'core_met'"),
     ("zero_carbon_park:core_mett", "did you mean 'core_met'")],
)  # fmt: skip
def test_assess_refuses_a_misspelt_plan_target_before_evaluating(tmp_path, target, hint):
    out = tmp_path / "result.json"
    got = CliRunner().invoke(main, ["assess", str(ROOT / "lingang-operation"), "--out",
                                    str(out), "--no-gaps", "--plan", target])  # fmt: skip
    assert got.exit_code == 2, got.output
    assert hint in got.output
    assert f"error: --plan {target}: " in got.output  # the problem's place is the option
    assert "reading the park folder" not in got.output  # no evaluation was started
    assert not out.exists()


def test_cli_plan_names_the_option_and_the_misspelt_park_folder():
    runner = CliRunner()
    bad_target = runner.invoke(main, ["plan", str(ROOT / "lingang-operation"), "--target",
                                      "national_zero_carbon_factroy:basic"])  # fmt: skip
    assert bad_target.exit_code == 2
    assert "error: --target national_zero_carbon_factroy:basic: unknown rule set" in (
        bad_target.output
    )
    assert "<input>" not in bad_target.output
    bad_folder = runner.invoke(main, ["plan", str(ROOT / "lingang-operaton"), "--target",
                                      "national_zero_carbon_factory:basic"])  # fmt: skip
    assert bad_folder.exit_code == 2
    assert "park folder not found" in bad_folder.output
    assert "did you mean" in bad_folder.output and "lingang-operation" in bad_folder.output


def test_new_wind_has_one_capacity_factor_the_design_default():
    from zcp.ledger import Ledger
    from zcp.ledger.whatif import AddedCapacity, added_output
    from zcp.metrics import registered_levers
    from zcp.model import load_park
    from zcp.model.design_figures import WIND_CAPACITY_FACTOR

    wind = next(lv for lv in registered_levers() if lv.name == "extra_wind")
    assert f"capacity factor {WIND_CAPACITY_FACTOR:g}," in wind.description
    assert "flat" not in wind.description and "modelled wind year" in wind.description
    # 1 MW of new wind over the design example's year: cf × 8,760 MWh, on a modelled wind
    # year (calm hours and hours at full output), never above its 1 MW
    ledger = Ledger(load_park(ROOT / "ordos-design"))
    out = added_output(ledger, AddedCapacity("wind", 1.0, WIND_CAPACITY_FACTOR))
    assert out.sum() == pytest.approx(WIND_CAPACITY_FACTOR * 8760, rel=1e-9)
    assert out.min() == 0.0 and 0.99 < out.max() <= 1.0 + 1e-9
