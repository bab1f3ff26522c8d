"""The rule engine: rule sets as data, evaluated over metric values with explained verdicts.

Typical use::

    from zcp.rules import Catalogue, evaluate_rule_set
    from zcp.metrics import GivenValuesContext

    rule_set = Catalogue().load("zero_carbon_park", "2025-trial")
    ctx = GivenValuesContext({"park_energy_consumption": 5e5, "carbon_per_unit_energy": 0.15})
    result = evaluate_rule_set(rule_set, ctx)
"""

from __future__ import annotations

from zcp.rules.assessment import Answer, Assessment, load_assessment
from zcp.rules.evaluate import evaluate_rule, evaluate_rule_set
from zcp.rules.loader import LoadedRuleSet, load_rule_set, parse_rule_set
from zcp.rules.results import EvaluationResult, RuleResult, RuleSetResult
from zcp.rules.ruleset_catalogue import Catalogue, Selected, select_rule_sets, shipped_standards_dir

__all__ = [
    "Answer",
    "Assessment",
    "Catalogue",
    "EvaluationResult",
    "LoadedRuleSet",
    "RuleResult",
    "RuleSetResult",
    "Selected",
    "evaluate_rule",
    "evaluate_rule_set",
    "load_assessment",
    "load_rule_set",
    "parse_rule_set",
    "select_rule_sets",
    "shipped_standards_dir",
]
