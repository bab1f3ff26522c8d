"""What a level needs, as linear targets the programme can meet — or the rules that block it.

Every prerequisite and every rule the level ``requires`` that does not pass yet becomes a
:class:`~zcp.plan.lp.MetricTarget`: the rule's metric, threshold and sense, and the metric's
response to one MWh of clean power used and of certificates, measured by the real engine
with the gap analysis's probes (``zcp.rules.gaps.lever_curve``, shared with it) — so the
programme is linear, and ``zcp.plan.confirm`` settles the linearisation by evaluating for
real. A rule no lever can move (an assessor's answer, missing data, a banded or compound
condition) is a :class:`~zcp.plan.results.Blocker` instead. A rule left undetermined only
because public sources give conflicting thresholds is planned to the strictest of them,
where it passes whichever source is right.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from zcp.metrics import EvaluationContext
from zcp.plan.levers import BUILDABLES, SubjectLevers, clean_per_step
from zcp.plan.lp import HourlySystem, MetricTarget
from zcp.plan.results import Blocker, StrictestThreshold
from zcp.rules.gaps import PARK_REL_TOL, lever_curve
from zcp.rules.results import RuleResult, RuleSetResult
from zcp.rules.ruleset_file import RuleSet
from zcp.units import conversion_factor

#: A context transform the rule set's energy method applies before a metric is read
#: (``zcp.rules.gaps.energy_method_repricer``), with its cache key; None: none.
Repricer = tuple[str, Callable[[EvaluationContext], EvaluationContext]] | None


@dataclass
class LevelNeeds:
    """The level's failing needed rules: as targets, or as blockers (none: plan it)."""

    targets: list[MetricTarget] = field(default_factory=list)
    blockers: list[Blocker] = field(default_factory=list)
    #: targets planned to the strictest of conflicting public thresholds, by rule id
    strictest: dict[str, StrictestThreshold] = field(default_factory=dict)


class LeverResponses:
    """A metric's change per MWh of clean power used and per MWh of certificates, from one
    real engine step of new wind and of certificates (the gap analysis's probes)."""

    def __init__(self, view: EvaluationContext, levers: SubjectLevers, reprice: Repricer,
                 system: HourlySystem) -> None:  # fmt: skip
        self.view, self.levers, self.reprice, self.system = view, levers, reprice, system

    def per_mwh(self, metric: tuple[str, str | None]) -> tuple[float, float]:
        """(per MWh of clean power used, per MWh of certificates) [metric's unit / MWh]."""
        per_clean = self._step("wind", metric) / clean_per_step(self.system, "wind")
        per_cert = self._step("certificates", metric) / BUILDABLES["certificates"].step
        return per_clean, per_cert

    def _step(self, key: str, metric: tuple[str, str | None]) -> float:
        """Change of ``metric`` for one step of the lever, by the real engine."""
        curve = lever_curve(self.view, self.levers.levers[key], PARK_REL_TOL, self.reprice,
                            self.levers.sized_for[key])  # fmt: skip
        now, after = curve.value(0, metric), curve.value(1, metric)
        return 0.0 if now is None or after is None else after - now


def needed_rules(rule_set: RuleSet, level_id: str) -> list[str]:
    """The rules ``level_id`` needs: every prerequisite, then those the level requires."""
    level = next(lv for lv in rule_set.levels if lv.id == level_id)
    prerequisites = [r.id for r in rule_set.rules if r.kind == "prerequisite"]
    return list(dict.fromkeys(prerequisites + list(level.requires)))


def level_needs(rule_set: RuleSet, base: RuleSetResult, level_id: str,
                responses: LeverResponses) -> LevelNeeds:  # fmt: skip
    """Each needed rule that does not pass or apply yet under ``base``, as a target or a
    blocker."""
    needs = LevelNeeds()
    for rule_id in needed_rules(rule_set, level_id):
        verdict = base.rule(rule_id)
        if verdict.status in ("pass", "not_applicable"):
            continue
        op = getattr(rule_set.rule(rule_id), "op", None)
        target, strictest = rule_target(verdict, op, responses)
        if isinstance(target, Blocker):
            needs.blockers.append(target)
            continue
        needs.targets.append(target)
        if strictest is not None:
            needs.strictest[rule_id] = strictest
    return needs


def rule_target(verdict: RuleResult, op: str | None, responses: LeverResponses
                ) -> tuple[MetricTarget | Blocker, StrictestThreshold | None]:  # fmt: skip
    """The rule as a linear target (with the strictest threshold it is planned to, if
    sources conflict), or why levers cannot pass it; ``op``: the rule's comparison."""
    strictest = _strictest(verdict, op)
    if strictest is not None:
        sense, threshold = strictest[0], strictest[1].planned
    else:
        if verdict.status != "fail" or verdict.metric is None:
            return Blocker(verdict.id, verdict.status, verdict.why, "not_decided"), None
        if not isinstance(verdict.threshold, int | float) or verdict.actual is None:
            return Blocker(verdict.id, verdict.status, verdict.why, "not_linear"), None
        if verdict.margin is None:
            return Blocker(verdict.id, verdict.status, verdict.why, "no_margin"), None
        sense = ">=" if math.isclose(verdict.margin, verdict.actual - verdict.threshold,
                                     abs_tol=1e-9) else "<="  # fmt: skip
        threshold = float(verdict.threshold)
    assert verdict.metric is not None and verdict.actual is not None
    per_clean, per_cert = responses.per_mwh((verdict.metric.name, verdict.metric.subject))
    if per_clean == 0 and per_cert == 0:
        blocker = Blocker(verdict.id, verdict.status, verdict.why, "no_lever", verdict.metric.name)
        return blocker, (strictest[1] if strictest else None)
    target = MetricTarget(verdict.id, verdict.metric.name, sense, threshold,
                          float(verdict.actual), per_clean, per_cert)  # fmt: skip
    return target, (strictest[1] if strictest else None)


def _strictest(verdict: RuleResult, op: str | None) -> tuple[str, StrictestThreshold] | None:
    """(sense, the strictest public value [the metric's unit]) for a verdict undetermined
    only because sources conflict on its threshold; else None."""
    if verdict.status != "undetermined" or verdict.metric is None or verdict.actual is None:
        return None
    if not isinstance(verdict.threshold, int | float) or verdict.unit is None:
        return None
    if op not in ("ge", "gt", "le", "lt"):
        return None
    for use in verdict.parameters:
        if not use.conflicting or not isinstance(use.value, int | float):
            continue
        scale = 1.0 if use.unit == verdict.unit else conversion_factor(use.unit, verdict.unit)
        if not math.isclose(use.value * scale, verdict.threshold, rel_tol=1e-9):
            continue  # another parameter of the rule
        values = [use.value * scale, *(v * scale for v in use.conflicting)]
        sense = ">=" if op in ("ge", "gt") else "<="
        strict = max(values) if sense == ">=" else min(values)
        return sense, StrictestThreshold(verdict.id, strict, values, verdict.unit)
    return None
