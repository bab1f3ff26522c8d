"""Gap analysis: how much of each lever would pass each failed or partial rule.

The answer is found by re-evaluating the rule set on contexts the lever produces — a coarse
scan for the first passing amount, then bisection inside that step — so banded thresholds,
applicability conditions and unit conversions are respected exactly. Nothing is
extrapolated linearly. The scan also copes with levers whose effect is not monotone over
the whole range (e.g. one that moves a park into another size band).
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence

from zcp.metrics import EvaluationContext, Lever
from zcp.rules.assessment import Answer
from zcp.rules.energy_method import apply_energy_method
from zcp.rules.evaluate import evaluate_rule, evaluate_rule_set
from zcp.rules.loader import LoadedRuleSet
from zcp.rules.results import LeverGap, RuleGap, RuleResult, RuleSetResult

#: Scan steps before bisecting, and the bisection's width relative to ``max_amount``.
SCAN_STEPS = 32
REL_TOL = 1e-6
#: Looser width for whole-park runs, where every probe may re-run the accounting:
#: 1e-4 of a lever's range (0.2 MW of a 2,000 MW PV lever) in ~14 probes instead of ~20.
PARK_REL_TOL = 1e-4


def find_amount(
    passes: Callable[[float], bool],
    max_amount: float,
    *,
    steps: int = SCAN_STEPS,
    rel_tol: float = REL_TOL,
) -> float | None:
    """The smallest amount in [0, ``max_amount``] found to pass, or None.

    Scans ``steps`` equal steps for the first passing amount, then bisects between it and
    the step before, to within ``rel_tol × max_amount``. The returned amount always passed
    when evaluated (it is the upper end of the final bracket).
    """
    if passes(0.0):
        return 0.0
    low = 0.0
    for k in range(1, steps + 1):
        high = max_amount if k == steps else max_amount * k / steps  # exact at the end
        if passes(high):
            tolerance = rel_tol * max_amount
            while high - low > tolerance:
                mid = (low + high) / 2
                if passes(mid):
                    high = mid
                else:
                    low = mid
            return high
        low = high
    return None


def gap_analysis(
    rule_set: LoadedRuleSet,
    ctx: EvaluationContext,
    levers: Sequence[Lever],
    *,
    result: RuleSetResult | None = None,
    answers: Mapping[str, Answer] | None = None,
    subject: str | None = None,
    as_of: dt.date | None = None,
    steps: int = SCAN_STEPS,
    rel_tol: float = REL_TOL,
) -> list[RuleGap]:
    """For every failed or partial rule, each lever's amount that passes it, and the level
    the whole rule set would then reach.

    Each probe re-evaluates one rule on ``lever.apply(ctx, amount)``; about ``steps`` +
    log2(1 / ``rel_tol``) probes per lever and rule. Levers whose ``apply`` re-runs the
    accounting may want fewer ``steps`` and a looser ``rel_tol``.
    """
    day = as_of or ctx.as_of or dt.date.today()
    answers = answers or {}
    result = result or evaluate_rule_set(rule_set, ctx, answers=answers, subject=subject, as_of=day)
    rs = rule_set.model
    ctx = ctx.for_profile(rs.accounting_profile)  # levers act on what this rule set sees
    failed = [r for r in result.rules if r.status in ("fail", "partial")]
    found: dict[str, list[LeverGap]] = {r.id: [] for r in failed}
    for lever in levers:  # lever by lever, so rules share the probed contexts
        # the lever acts first, then the rule set's electricity → tce method re-prices
        probed = _ContextCache(
            lambda amount, lever=lever: apply_energy_method(rs, lever.apply(ctx, amount), day)[0]
        )
        for rule_result in failed:
            rule = rs.rule(rule_result.id)

            def passes(amount: float, rule=rule, probed=probed) -> bool:
                verdict = evaluate_rule(
                    rs, rule, probed(amount), answers=answers, subject=subject, as_of=day
                )
                return verdict.status == "pass"

            after_max = evaluate_rule(
                rs, rule, probed(lever.max_amount), answers=answers, subject=subject, as_of=day
            )
            # A lever that leaves every metric of the rule where it was cannot pass it at any
            # amount: skip the scan (each probe may re-run the accounting).
            moved = _metric_values(after_max) != _metric_values(rule_result)
            amount = (
                find_amount(passes, lever.max_amount, steps=steps, rel_tol=rel_tol)
                if moved
                else None
            )
            if amount is None:
                why = (
                    f"not passed with up to {lever.max_amount:g} {lever.unit}: {after_max.why}"
                    if moved
                    else f"{lever.name} does not change what this rule measures"
                )
                found[rule.id].append(
                    LeverGap(
                        lever=lever.name,
                        unit=lever.unit,
                        amount=None,
                        max_amount=lever.max_amount,
                        status_after=after_max.status,
                        why=why,
                    )
                )
                continue
            whole = evaluate_rule_set(
                rule_set, probed(amount), answers=answers, subject=subject, as_of=day
            )
            after = whole.rule(rule.id)
            found[rule.id].append(
                LeverGap(
                    lever=lever.name,
                    unit=lever.unit,
                    amount=amount,
                    max_amount=lever.max_amount,
                    status_after=after.status,
                    level_after=whole.level,
                    why=f"{amount:.6g} {lever.unit} of {lever.name}: {after.why}",
                )
            )
    return [RuleGap(rule_id=r.id, status=r.status, levers=found[r.id]) for r in failed]


class _ContextCache:
    """The last few contexts a lever produced, by amount: the scan's grid is the same for
    every rule, so rules share those probes (a probe may re-run the accounting). Bounded,
    because each context may hold a what-if accounting result."""

    def __init__(self, apply: Callable[[float], EvaluationContext], size: int = SCAN_STEPS + 8):
        self.apply = apply
        self.size = size
        self.contexts: OrderedDict[float, EvaluationContext] = OrderedDict()

    def __call__(self, amount: float) -> EvaluationContext:
        if amount in self.contexts:
            self.contexts.move_to_end(amount)
            return self.contexts[amount]
        context = self.contexts[amount] = self.apply(amount)
        if len(self.contexts) > self.size:
            self.contexts.popitem(last=False)
        return context


def _metric_values(verdict: RuleResult) -> list[tuple[str, str | None, float | None]]:
    """The metric values a verdict rests on, to tell whether a lever moved any of them."""
    uses = ([verdict.metric] if verdict.metric else []) + list(verdict.metrics)
    return sorted(
        ((m.name, m.subject, None if m.value is None else round(m.value, 12)) for m in uses),
        key=repr,
    )
