"""Issue 14's done-when on the bundled examples: ``zcp plan`` reaches every reachable level
of the national park rule sets and of the factory ratings for the rated tenant, and the
engine confirms each plan.

Checked here without trusting the planner's own reasoning: a level it plans is evaluated
again with its amounts applied through the levers; a level it calls reached is evaluated
as it stands; a level it calls unreachable must have every blocking rule still not passed
when every lever is applied at its largest amount — so a level the levers could reach is
never written off.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from zcp.metrics import EvaluationContext, registered_levers
from zcp.model import load_park
from zcp.plan import plan_park
from zcp.plan.levers import LEVERS
from zcp.rules.assessment import load_assessment
from zcp.rules.evaluate import evaluate_rule_set
from zcp.rules.ruleset_catalogue import Catalogue
from zcp.rules.run import park_context

ROOT = Path(__file__).resolve().parents[2] / "assessments"
#: The national park rule sets, and the factory ratings the examples rate a tenant under.
PARK_SETS = ["zero_carbon_park", "cec_zero_carbon_park_rating"]
FACTORY_SETS = ["national_zero_carbon_factory", "zero_carbon_factory_i", "zero_carbon_factory_ii"]
CASES = [
    (ex, rs) for ex in ("lingang-operation", "ordos-design") for rs in PARK_SETS + FACTORY_SETS
]


@pytest.mark.parametrize(("example", "rule_set"), CASES)
def test_every_reachable_level_is_planned_and_confirmed(example, rule_set):
    folder = ROOT / example
    park = load_park(folder)
    assessment = load_assessment(folder / "assessment.yaml").model
    day = assessment.assessment_date or park.park.reporting_period.end
    subject = next((c.subject for c in assessment.rule_sets if c.id == rule_set), None)
    assert (subject is not None) == (rule_set in FACTORY_SETS)
    loaded = Catalogue().load(rule_set, as_of=day)
    answers = assessment.answers_for(rule_set)
    view = park_context(park, as_of=day, acceptance_stage=assessment.acceptance_stage
                        ).for_profile(loaded.model.accounting_profile)  # fmt: skip
    levers = {lv.name: lv for lv in registered_levers() if lv.name in LEVERS.values()}
    if subject is not None:
        levers = {name: lv.for_subject(subject) for name, lv in levers.items()}

    def level_status(ctx: EvaluationContext, level: str) -> str:
        result = evaluate_rule_set(loaded, ctx, answers=answers, subject=subject, as_of=day)
        return next(lv for lv in result.levels if lv.id == level).status

    at_most = view
    for lever in levers.values():
        at_most = lever.apply(at_most, lever.max_amount)
    with_every_lever = evaluate_rule_set(loaded, at_most, answers=answers, subject=subject,
                                         as_of=day)  # fmt: skip

    result = plan_park(folder, f"{rule_set}:{loaded.model.levels[0].id}", subject=subject)
    assert [lv.level for lv in result.cost_curve] == [lv.id for lv in loaded.model.levels]
    for plan in result.cost_curve:
        if plan.status == "reached":
            assert level_status(view, plan.level) == "pass"
        elif plan.status == "planned":
            planned = view
            for x in plan.levers:
                planned = levers[x.lever].apply(planned, x.amount)
            assert level_status(planned, plan.level) == "pass", plan
            assert plan.engine_runs >= 1 and plan.lp_rows > 0
        else:
            # unreachable: each rule named as blocking stays unpassed with every lever at
            # its largest amount, so no plan was missed
            assert plan.status == "unreachable" and plan.blockers, plan
            for blocker in plan.blockers:
                assert with_every_lever.rule(blocker.rule_id).status != "pass", blocker
