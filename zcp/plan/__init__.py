"""Scenario planning: the least-cost lever mix that reaches a rule set's level.

``plan_park`` (``zcp plan``) solves an hourly linear programme (linopy + HiGHS) priced by
the cost book (``zcp.plan.costs``) and confirms every plan with the real rule engine.
"""

from zcp.plan.costs import CostBook, load_costs
from zcp.plan.planner import (
    Blocker,
    LevelPlan,
    PlannedLever,
    PlanResult,
    check_target,
    parse_target,
    plan_evaluation,
    plan_park,
)

__all__ = ["Blocker", "CostBook", "LevelPlan", "PlanResult", "PlannedLever", "check_target", "load_costs",
           "parse_target", "plan_evaluation", "plan_park"]  # fmt: skip
