"""Scenario planning: the least-cost lever mix that reaches a rule set's level.

``plan_park`` (``zcp plan``) turns what each level needs into linear targets
(``targets``), solves an hourly linear programme (``lp``, linopy + HiGHS) priced by the
cost book (``costs``) over what a plan may build (``levers``), and reports a plan only once
the real rule engine confirms it (``confirm``); ``planner`` runs the search level by level,
``results`` holds what it returns and ``assumptions`` what it states.
"""

from zcp.plan.costs import CostBook, load_costs
from zcp.plan.planner import check_target, parse_target, plan_evaluation, plan_park
from zcp.plan.results import Blocker, LevelPlan, PlannedLever, PlanResult, StrictestThreshold

__all__ = ["Blocker", "CostBook", "LevelPlan", "PlanResult", "PlannedLever", "check_target", "load_costs",
           "parse_target", "plan_evaluation", "plan_park", "StrictestThreshold"]  # fmt: skip
