"""Gap analysis: how much of each lever would pass each failed or partial rule.

Amounts are whole steps of the lever's natural resolution (0.1 MW, 1 MWh, one meter).
A real probe re-runs the lever (for ledger levers: the accounting) and evaluates the rule
on what it produces, so banded thresholds, applicability conditions and unit conversions
are respected exactly. Real probes cost ~0.2 s each on the operating example, so they are
placed by a model: the rule's metrics are interpolated piecewise-linearly in the amount
between the real probes made so far (shared by every rule and rule set that asks the same
lever of the same context), the model's first passing step is probed for real, and the
search stops when the real engine confirms the step passes and either the step below
failed for real or the model had predicted the confirmed values exactly. Most metrics move
linearly with a lever until they saturate, so one or two real probes per rule usually do.
If the model does not converge, plain bisection on real probes finishes the bracket to the
tolerance the former bisection search had (``PARK_REL_TOL`` of the lever's range).
"""

from __future__ import annotations

import datetime as dt
import math
import weakref
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from zcp.metrics import EvaluationContext, GivenValue, Lever
from zcp.rules.assessment import Answer
from zcp.rules.energy_method import METHOD_PARAMETER, apply_energy_method
from zcp.rules.evaluate import evaluate_rule, evaluate_rule_set
from zcp.rules.loader import LoadedRuleSet
from zcp.rules.results import LeverGap, RuleGap, RuleResult, RuleSetResult
from zcp.rules.ruleset_file import Rule, RuleSet

#: Scan steps before bisecting, and the bisection's width relative to ``max_amount``.
SCAN_STEPS = 32
REL_TOL = 1e-6
#: Looser width for whole-park runs, where every probe may re-run the accounting:
#: 1e-4 of a lever's range (0.5 MW of a 5,000 MW PV lever).
PARK_REL_TOL = 1e-4
#: The first real probe of a lever, in steps: one step (0.1 MW, 1 MWh) measures the slope
#: at the start, before any metric saturates; the line from there is exact for metrics
#: linear in the lever and errs short (so the next probe lands closer) for concave ones.
FIRST_PROBE_STEPS = 1
#: Model-guided real probes per rule before falling back to bisection.
MODEL_ROUNDS = 6
#: A model prediction counts as exact within this relative difference.
EXACT = 1e-7
#: Real contexts each curve keeps (each may hold a what-if accounting result).
KEPT_CONTEXTS = 24

MetricKey = tuple[str, str | None]


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


def first_passing_step(passes: Callable[[int], bool], low: int, high: int) -> int | None:
    """The smallest whole step in (``low``, ``high``] that passes, or None — a scan of
    ``SCAN_STEPS`` steps, then bisection to one step (copes with a passing window)."""
    if high <= low:
        return None
    width = high - low
    previous = low
    for i in range(1, SCAN_STEPS + 1):
        k = low + math.ceil(width * i / SCAN_STEPS)
        if k <= previous:
            continue
        if passes(k):
            lo, hi = previous, k
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if passes(mid):
                    hi = mid
                else:
                    lo = mid
            return hi
        previous = k
    return None


@dataclass
class LeverCurve:
    """Real probes of one lever on one context, by whole step; shared by every rule."""

    lever: Lever
    source: EvaluationContext  #: the rule-set view the lever acts on
    step: float
    #: the lever and whom it serves (a tenant-sized lever has the park lever's name)
    lever_key: str
    #: the rule set's electricity → tce method, applied after the lever (None: no method)
    reprice: Callable[[EvaluationContext], EvaluationContext] | None = None
    contexts: OrderedDict[int, EvaluationContext] = field(default_factory=OrderedDict)
    values: dict[int, dict[MetricKey, float | None]] = field(default_factory=dict)
    runs: int = 0
    ctx: EvaluationContext = field(init=False)  #: step 0: the view, re-priced

    def __post_init__(self) -> None:
        self.ctx = self.reprice(self.source) if self.reprice else self.source

    @property
    def last_step(self) -> int:
        return max(1, math.floor(self.lever.max_amount / self.step + 1e-9))

    def amount(self, k: int) -> float:
        """The lever's amount at step ``k`` [the lever's unit], capped at its maximum."""
        return min(round(k * self.step, 10), self.lever.max_amount)

    def context(self, k: int) -> EvaluationContext:
        """The lever applied at step ``k`` (step 0 is the context itself)."""
        if k == 0:
            return self.ctx
        if k in self.contexts:
            self.contexts.move_to_end(k)
            return self.contexts[k]
        self.values.setdefault(k, {})
        applied = _APPLIED.setdefault(self.source, OrderedDict())
        key = (self.lever_key, self.amount(k))
        if key in applied:
            applied.move_to_end(key)
            out = applied[key]
        else:
            self.runs += 1
            out = applied[key] = self.lever.apply(self.source, self.amount(k))
            if len(applied) > KEPT_CONTEXTS:
                applied.popitem(last=False)
        out = self.contexts[k] = self.reprice(out) if self.reprice else out
        if len(self.contexts) > KEPT_CONTEXTS:
            self.contexts.popitem(last=False)
        return out

    def value(self, k: int, key: MetricKey) -> float | None:
        """The metric ``key`` at step ``k`` by the real engine [the metric's unit]."""
        known = self.values.setdefault(k, {})
        if key not in known:
            known[key] = self.context(k).value(*key).value
        return known[key]

    def predict(self, k: int, key: MetricKey) -> float | None:
        """The metric at step ``k`` [the metric's unit], extended linearly from the two
        nearest real probes at or below ``k`` (from the two lowest if fewer lie below).

        Extending from below, not interpolating across, because metrics typically move
        linearly with a lever and then saturate: a chord to a saturated probe would put
        every estimate too far out, while the line from below is exact until saturation
        and, on a concave stretch, errs low so the next probe lands closer from below.
        """
        points = []
        for j in sorted({0, *self.values}):
            if j == 0 or key in self.values[j] or j in self.contexts:
                v = self.value(j, key)
                if v is not None:
                    points.append((j, v))
        if not points:
            return None
        below = [p for p in points if p[0] <= k]
        if below and below[-1][0] == k:
            return below[-1][1]
        pair = below[-2:] if len(below) >= 2 else points[:2]
        if len(pair) == 1:
            return pair[0][1]
        (j0, v0), (j1, v1) = pair
        return v0 + (v1 - v0) * (k - j0) / (j1 - j0)


#: Curves by base context (a rule-set view), then lever, so rule sets share real probes.
_CURVES: weakref.WeakKeyDictionary[EvaluationContext, dict[str, LeverCurve]] = (
    weakref.WeakKeyDictionary()
)
#: Lever-applied contexts by base context, then (lever key, amount): a lever's curves with
#: and without a rule set's energy method share one accounting run per amount.
_APPLIED: weakref.WeakKeyDictionary[
    EvaluationContext, OrderedDict[tuple[str, float], EvaluationContext]
] = weakref.WeakKeyDictionary()


def engine_runs(ctx: EvaluationContext) -> int:
    """Real lever applications (what-if re-runs) gap analysis made on ``ctx`` and its
    rule-set views so far."""
    views = [ctx, *ctx._views.values()]
    return sum(c.runs for v in views for c in _CURVES.get(v, {}).values())


def lever_curve(
    ctx: EvaluationContext,
    lever: Lever,
    rel_tol: float,
    reprice: tuple[str, Callable[[EvaluationContext], EvaluationContext]] | None = None,
    subject: str | None = None,
) -> LeverCurve:
    """The shared curve of ``lever`` (sized for ``subject``, when it is a tenant's) on
    ``ctx``; rule sets with their own electricity → tce method (``reprice``: its key and
    function) get their own curve."""
    curves = _CURVES.setdefault(ctx, {})
    lever_key = lever.name if subject is None else f"{lever.name}@{subject}"
    key = lever_key if reprice is None else f"{lever_key}|{reprice[0]}"
    if key not in curves:
        step = lever.step or rel_tol * lever.max_amount
        curves[key] = LeverCurve(lever, ctx, step, lever_key, reprice[1] if reprice else None)
    return curves[key]


def energy_method_repricer(
    rs: RuleSet, day: dt.date
) -> tuple[str, Callable[[EvaluationContext], EvaluationContext]] | None:
    """The rule set's energy method as a context transform, or None if it names none."""
    if METHOD_PARAMETER not in rs.parameters:
        return None
    return f"{rs.id}@{rs.version}@{day}", lambda c: apply_energy_method(rs, c, day)[0]


@dataclass
class _RuleSearch:
    """One rule against one lever's curve: real verdicts, and the model's."""

    curve: LeverCurve
    judge: Callable[[EvaluationContext], RuleResult]
    keys: list[MetricKey]
    verdicts: dict[int, RuleResult] = field(default_factory=dict)

    def real(self, k: int) -> RuleResult:
        if k not in self.verdicts:
            self.verdicts[k] = self.judge(self.curve.context(k))
            for key in self.keys:
                self.curve.value(k, key)
        return self.verdicts[k]

    def model(self, k: int) -> bool:
        given: dict[str, GivenValue] = {}
        per_subject: dict[str, dict[str, float]] = {}
        for name, subject in self.keys:
            v = self.curve.predict(k, (name, subject))
            if v is None:
                continue
            if subject is None:
                given[name] = v
            else:
                per_subject.setdefault(name, {})[subject] = v
        given.update(per_subject)
        return self.judge(self.curve.ctx.with_values(given)).status == "pass"

    def bracket(self) -> tuple[int, int | None]:
        """(largest real failing step below the smallest real passing one, that one)."""
        passing = [k for k, v in self.verdicts.items() if v.status == "pass"]
        high = min(passing) if passing else None
        failing = [
            k for k, v in self.verdicts.items() if v.status != "pass" and (high is None or k < high)
        ]
        return max(failing, default=0), high

    def exact(self, k: int, predicted: dict[MetricKey, float | None]) -> bool:
        for key, p in predicted.items():
            real = self.curve.value(k, key)
            if p is None and real is None:
                continue  # unknown with and without the lever: nothing to predict
            if p is None or real is None or abs(real - p) > EXACT * max(1.0, abs(real)):
                return False
        return True

    def smallest_passing(self, tol_steps: int) -> int | None:
        """The smallest passing step, or None if the model finds none and the last step
        fails for real."""
        last = self.curve.last_step
        for _ in range(MODEL_ROUNDS):
            low, high = self.bracket()
            if high is not None and high - low <= max(1, tol_steps):
                return high
            k = first_passing_step(self.model, low, high if high is not None else last)
            if k is None and high is None and self.real(last).status != "pass":
                return None
            if k is None:
                break  # the model misses a real pass: bisect
            if k in self.verdicts:  # the model points at a real pass: is the step below short?
                if k - 1 > low and self.real(k - 1).status != "pass":
                    return k
                break
            predicted = {key: self.curve.predict(k, key) for key in self.keys}
            confirmed = self.real(k).status == "pass" and self.exact(k, predicted)
            if confirmed and not self.model(k - 1):
                return k
        return self._bisect(tol_steps)

    def _bisect(self, tol_steps: int) -> int | None:
        low, passing = self.bracket()
        if passing is None:
            if self.real(self.curve.last_step).status != "pass":
                return None
            passing = self.curve.last_step  # the only real pass: every failing step is below
        high = passing
        while high - low > max(1, tol_steps):
            mid = (low + high) // 2
            if self.real(mid).status == "pass":
                high = mid
            else:
                low = mid
        return high


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
    """For every failed or partial rule, each lever's smallest passing amount (in whole
    steps) and the level the whole rule set would then reach.

    A lever is offered only for rules reading a metric it can move; a tenant subject gets
    the lever sized for that tenant. ``rel_tol`` [fraction of the lever's range] sets the
    step of levers without one and the bracket width at which the bisection fallback
    stops; ``steps`` is kept for callers of the former search and no longer used.
    """
    del steps
    day = as_of or ctx.as_of or dt.date.today()
    answers = answers or {}
    result = result or evaluate_rule_set(rule_set, ctx, answers=answers, subject=subject, as_of=day)
    rs = rule_set.model
    ctx = ctx.for_profile(rs.accounting_profile)  # levers act on what this rule set sees
    failed = [r for r in result.rules if r.status in ("fail", "partial")]
    found: dict[str, list[LeverGap]] = {r.id: [] for r in failed}
    reprice = energy_method_repricer(rs, day)
    for base_lever in levers:
        lever, sized_for = base_lever, None
        if subject is not None and base_lever.for_subject is not None:
            lever, sized_for = base_lever.for_subject(subject), subject
        curve = lever_curve(ctx, lever, rel_tol, reprice, sized_for)
        tol_steps = math.floor(rel_tol * lever.max_amount / curve.step + 1e-9)
        for rule_result in failed:
            keys = _metric_keys(rule_result)
            if not keys or not lever.can_move(name for name, _ in keys):
                continue  # nothing this lever changes is read by the rule
            rule = rs.rule(rule_result.id)

            def judge(c: EvaluationContext, rule: Rule = rule) -> RuleResult:
                return evaluate_rule(rs, rule, c, answers=answers, subject=subject, as_of=day)

            search = _RuleSearch(curve, judge, keys)
            search.verdicts[0] = rule_result
            first = search.real(min(curve.last_step, FIRST_PROBE_STEPS))
            unmoved = _metric_values(rule_result)
            if _metric_values(first) == unmoved and (
                _metric_values(search.real(curve.last_step)) == unmoved
            ):
                continue  # not even at the end of its range does the lever move the rule
            k = search.smallest_passing(tol_steps)
            if k is None:
                after_max = search.real(curve.last_step)
                found[rule.id].append(
                    LeverGap(
                        lever=lever.name,
                        unit=lever.unit,
                        amount=None,
                        max_amount=lever.max_amount,
                        status_after=after_max.status,
                        why=f"not passed with up to {_show(lever.max_amount, curve.step)} "
                        f"{lever.unit}: {after_max.why}",
                    )
                )
                continue
            amount = curve.amount(k)
            whole = evaluate_rule_set(
                rule_set, curve.context(k), answers=answers, subject=subject, as_of=day
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
                    why=f"{_show(amount, curve.step)} {lever.unit} of {lever.name}: {after.why}",
                )
            )
    return [RuleGap(rule_id=r.id, status=r.status, levers=found[r.id]) for r in failed]


def _show(amount: float, step: float) -> str:
    """An amount at its step's precision (0.1 MW → one decimal, 1 MWh → whole)."""
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step > 0 else 6
    return f"{amount:,.{min(decimals, 6)}f}"


def _metric_keys(verdict: RuleResult) -> list[MetricKey]:
    uses = ([verdict.metric] if verdict.metric else []) + list(verdict.metrics)
    return sorted({(m.name, m.subject) for m in uses}, key=repr)


def _metric_values(verdict: RuleResult) -> list[tuple[str, str | None, float | None]]:
    """The metric values a verdict rests on, to tell whether a lever moved any of them."""
    uses = ([verdict.metric] if verdict.metric else []) + list(verdict.metrics)
    return sorted(
        ((m.name, m.subject, None if m.value is None else round(m.value, 12)) for m in uses),
        key=repr,
    )
