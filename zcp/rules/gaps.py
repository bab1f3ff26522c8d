"""Gap analysis: how much of each lever would pass each failed or partial rule.

The answer is found by re-evaluating the rule set on contexts the lever produces — a coarse
scan for the first passing amount, then bisection inside that step — so banded thresholds,
applicability conditions and unit conversions are respected exactly. Nothing is
extrapolated linearly. The scan also copes with levers whose effect is not monotone over
the whole range (e.g. one that moves a park into another size band).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

from zcp.metrics import EvaluationContext, Lever
from zcp.rules.assessment import Answer
from zcp.rules.evaluate import evaluate_rule, evaluate_rule_set
from zcp.rules.loader import LoadedRuleSet
from zcp.rules.results import LeverGap, RuleGap, RuleSetResult

#: Scan steps before bisecting, and the bisection's width relative to ``max_amount``.
SCAN_STEPS = 32
REL_TOL = 1e-6


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
    gaps = []
    for rule_result in result.rules:
        if rule_result.status not in ("fail", "partial"):
            continue
        rule = rs.rule(rule_result.id)

        def passes(amount: float, lever: Lever, rule=rule) -> bool:
            new = lever.apply(ctx, amount)
            verdict = evaluate_rule(rs, rule, new, answers=answers, subject=subject, as_of=day)
            return verdict.status == "pass"

        found = []
        for lever in levers:
            amount = find_amount(
                lambda a, lever=lever: passes(a, lever),
                lever.max_amount,
                steps=steps,
                rel_tol=rel_tol,
            )
            if amount is None:
                after = evaluate_rule(
                    rs,
                    rule,
                    lever.apply(ctx, lever.max_amount),
                    answers=answers,
                    subject=subject,
                    as_of=day,
                )
                found.append(
                    LeverGap(
                        lever=lever.name,
                        unit=lever.unit,
                        amount=None,
                        max_amount=lever.max_amount,
                        status_after=after.status,
                        why=f"not passed with up to {lever.max_amount:g} {lever.unit}: {after.why}",
                    )
                )
                continue
            whole = evaluate_rule_set(
                rule_set, lever.apply(ctx, amount), answers=answers, subject=subject, as_of=day
            )
            after = whole.rule(rule.id)
            found.append(
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
        gaps.append(RuleGap(rule_id=rule.id, status=rule_result.status, levers=found))
    return gaps
