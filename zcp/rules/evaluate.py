"""Evaluating a rule set over a context: one explained verdict per rule, then sections,
total points and the level reached.

Statuses: pass / fail / partial (linear score between baseline and leading, or a partial
checklist answer) / not_applicable (applicability false, or declared so by the assessor
where the rule allows it, with a reason) / undetermined (a metric is missing or the
standard gives no threshold — never a pass) / needs_evidence (a checklist item with no
answer, or answered yes without the evidence it asks for).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping

from zcp.metrics import EvaluationContext
from zcp.rules.assessment import Answer
from zcp.rules.conditions import ConditionWalker, compare, conflict_reason, margin, symbol
from zcp.rules.energy_method import (
    REPRICED,
    apply_energy_method,
    other_method_value,
    sensitivity_text,
)
from zcp.rules.levels import level_results, section_results
from zcp.rules.loader import LoadedRuleSet
from zcp.rules.parameters import Resolver
from zcp.rules.results import AnswerRecord, ConditionResult, RuleResult, RuleSetResult
from zcp.rules.ruleset_file import Band, CheckedRule, ChecklistRule, Rule, RuleSet


def evaluate_rule_set(
    rule_set: LoadedRuleSet,
    ctx: EvaluationContext,
    *,
    answers: Mapping[str, Answer] | None = None,
    subject: str | None = None,
    as_of: dt.date | None = None,
) -> RuleSetResult:
    """Evaluate every rule; ``as_of`` (default: the context's date, else today) picks the
    dated parameter values; ``subject`` is the tenant id for tenant-level rule sets."""
    day = as_of or ctx.as_of or dt.date.today()
    rs = rule_set.model
    ctx = ctx.for_profile(rs.accounting_profile)
    ctx, energy_method = apply_energy_method(rs, ctx, day)
    answers = answers or {}
    rules = [
        evaluate_rule(rs, rule, ctx, answers=answers, subject=subject, as_of=day)
        for rule in rs.rules
    ]
    if energy_method is not None:
        for r in rules:
            if r.metric is not None and r.metric.name in REPRICED:
                r.why = f"{r.why} {sensitivity_text(energy_method)}".strip()
                r.other_method = other_method_value(energy_method, r.metric.name)
                use = energy_method.coefficient
                if use is not None and use not in r.parameters:
                    r.parameters.append(use)
                    r.provisional = r.provisional or use.confidence == "provisional"
    sections, points, max_points = section_results(rs, rules)
    levels, level = level_results(rs, rules, points, Resolver(rs, ctx, day))
    provisional = sorted(
        {p.name for r in rules for p in r.parameters if p.confidence == "provisional"}
    )
    counts = dict(Counter(r.status for r in rules))
    return RuleSetResult(
        rule_set_id=rs.id,
        version=rs.version,
        title=rs.title,
        sha256=rule_set.sha256,
        path=str(rule_set.path) if rule_set.path else None,
        accounting_profile=rs.accounting_profile,
        as_of=day,
        stage=ctx.stage,
        acceptance_stage=ctx.acceptance_stage,
        subject=subject,
        rules=rules,
        sections=sections,
        points=points,
        max_points=max_points,
        level=level,
        levels=levels,
        provisional_parameters=provisional,
        energy_method=energy_method,
        counts=counts,
    )


def evaluate_rule(
    rs: RuleSet,
    rule: Rule,
    ctx: EvaluationContext,
    *,
    answers: Mapping[str, Answer],
    subject: str | None,
    as_of: dt.date,
) -> RuleResult:
    """The explained verdict of one rule."""
    resolver = Resolver(rs, ctx, as_of)
    subject_kind = rule.subject or rs.subject
    walker = ConditionWalker(ctx, resolver, subject if subject_kind == "tenant" else None)
    max_points = _max_points(rule, resolver, walker)
    answer = answers.get(rule.id)
    out = RuleResult(
        id=rule.id,
        kind=rule.kind,
        title=rule.title,
        clause=rule.clause,
        section=rule.section,
        subject=subject if subject_kind == "tenant" else "park",
        status="undetermined",
        why="",
        max_points=max_points,
        answer=AnswerRecord(**answer.model_dump(exclude={"points"})) if answer else None,
    )
    _judge(out, rs, rule, ctx, walker, answer, subject_kind, subject)
    out.metrics = walker.metrics
    out.parameters = walker.parameters
    out.provisional = any(p.confidence == "provisional" for p in walker.parameters)
    if out.status in ("pass",) and out.points is None:
        out.points = max_points
    if out.status == "fail" and max_points is not None and out.points is None:
        out.points = 0.0
    return out


def _judge(
    out: RuleResult,
    rs: RuleSet,
    rule: Rule,
    ctx: EvaluationContext,
    walker: ConditionWalker,
    answer: Answer | None,
    subject_kind: str,
    subject: str | None,
) -> None:
    if subject_kind == "tenant" and subject is None:
        out.status, out.why = "undetermined", "tenant-level rule but no subject tenant chosen"
        return
    applicable = _applicability(out, rule, ctx, walker)
    if applicable is not True:
        return
    may_declare = rule.may_be_not_applicable or isinstance(rule, ChecklistRule)
    if answer is not None and answer.answer == "not_applicable" and may_declare:
        out.status = "not_applicable"
        out.why = f"declared not applicable by the assessor: {answer.note or 'no reason'}"
        out.max_points = None
        return
    if isinstance(rule, ChecklistRule):
        _checklist(out, rule, answer)
    else:
        _checked(out, rule, walker)
    if answer is not None and answer.answer == "not_applicable":
        out.why += " (the assessor's not-applicable answer is ignored: this rule does not allow it)"


def _applicability(
    out: RuleResult, rule: Rule, ctx: EvaluationContext, walker: ConditionWalker
) -> bool | None:
    app = rule.applicability
    if app is None:
        return True
    if app.acceptance_stages is not None:
        stages = ", ".join(app.acceptance_stages)
        if ctx.acceptance_stage is None:
            out.status, out.why = (
                "undetermined",
                f"applies only at acceptance stages {stages} and the assessment states no "
                "acceptance_stage",
            )
            return None
        if ctx.acceptance_stage not in app.acceptance_stages:
            out.status, out.max_points = "not_applicable", None
            out.why = (
                f"applies only at acceptance stages {stages}; the assessment is for "
                f"{ctx.acceptance_stage}"
            )
            return False
    if app.stages is not None:
        if ctx.stage is None:
            out.status, out.why = (
                "undetermined",
                f"applies only at stages {', '.join(app.stages)} and the park's stage is not known",
            )
            return None
        if ctx.stage not in app.stages:
            out.status = "not_applicable"
            out.why = f"applies only at stages {', '.join(app.stages)}; the park is at {ctx.stage}"
            out.max_points = None
            return False
    if app.condition is not None:
        result = walker.walk(app.condition)
        out.condition = result
        if result.truth is None:
            out.status, out.why = (
                "undetermined",
                "cannot tell whether the rule applies: "
                + (_first_reason(result) or "data missing"),
            )
            return None
        if result.truth is False:
            out.status, out.max_points = "not_applicable", None
            out.why = "does not apply: " + (app.note or "applicability condition is false")
            return False
    return True


def _checklist(out: RuleResult, rule: ChecklistRule, answer: Answer | None) -> None:
    if answer is None:
        out.status, out.why = "needs_evidence", "no assessor answer yet"
        return
    if answer.answer == "no":
        out.status, out.why = "fail", "the assessor answered no" + _note(answer)
    elif rule.evidence and not answer.evidence:
        out.status = "needs_evidence"
        out.why = (
            f"answered {answer.answer} but no evidence referenced (asks for: "
            f"{'; '.join(rule.evidence)})"
        )
    elif answer.answer == "yes":
        out.status, out.why = (
            "pass",
            f"the assessor answered yes ({len(answer.evidence)} evidence file(s))",
        )
    else:
        out.status = "partial"
        out.points = min(answer.points or 0.0, out.max_points or 0.0)
        out.why = "the assessor answered partial" + _note(answer)


def _checked(out: RuleResult, rule: CheckedRule, walker: ConditionWalker) -> None:
    if rule.condition is not None:
        result = walker.walk(rule.condition)
        out.condition = result
        if result.truth is None:
            out.status = "undetermined"
            out.why = _first_reason(result) or "a value is missing"
        else:
            out.status = "pass" if result.truth else "fail"
            out.why = (
                "all conditions hold"
                if result.truth
                else "condition not met: " + (_first_false(result) or "see sub-conditions")
            )
        return
    assert rule.metric is not None
    value = walker.metric(rule.metric)
    out.metric = next((m for m in walker.metrics if m.name == rule.metric), None)
    out.unit, out.actual = value.unit, value.value
    threshold, baseline, leading = rule.threshold, rule.scoring.baseline, rule.scoring.leading
    literal_unit = rule.unit or value.unit
    if rule.bands is not None:
        band, why = _select_band(out, rule, walker)
        if band is None:
            out.status, out.why = "undetermined", why
            return
        threshold = band.threshold
        baseline = band.baseline if band.baseline is not None else baseline
        leading = band.leading if band.leading is not None else leading
        if threshold is None and (rule.scoring.method != "linear" or baseline is None):
            out.status = "undetermined"
            out.why = f"the standard gives no threshold for {out.band}" + (
                f": {band.note}" if band.note else ""
            )
            return
    if value.value is None:
        out.status, out.why = "undetermined", f"{rule.metric} unknown: {value.reason}"
        return
    if rule.scoring.method == "linear":
        _linear(out, rule, walker, baseline, leading, literal_unit, value.value)
        return
    resolved = walker.resolver.number(threshold, value.unit, literal_unit)
    walker.note(resolved.use)
    if resolved.value is None:
        out.status, out.why = "undetermined", resolved.reason or "threshold unknown"
        return
    assert rule.op is not None
    conflict = conflict_reason(value.value, rule.op, resolved, value.unit)
    if conflict is not None:
        out.threshold = resolved.value
        out.status, out.why = "undetermined", conflict
        return
    truth = compare(value.value, rule.op, resolved.value)
    out.threshold = resolved.value
    out.margin = margin(value.value, rule.op, resolved.value)
    out.condition = ConditionResult(
        node="leaf",
        truth=truth,
        metric=rule.metric,
        op=rule.op,
        actual=value.value,
        threshold=resolved.value,
        unit=value.unit,
    )
    out.status = "pass" if truth else "fail"
    where = f" ({out.band})" if out.band else ""
    relation = symbol(rule.op) if truth else "not " + symbol(rule.op)
    digits = _digits(value.value, resolved.value)
    out.why = (
        f"{_show(value.value, value.unit, digits)} {relation} "
        f"{_show(resolved.value, value.unit, digits)}{where}"
    )


def _linear(
    out: RuleResult,
    rule: CheckedRule,
    walker: ConditionWalker,
    baseline: float | str | None,
    leading: float | str | None,
    literal_unit: str,
    actual: float,
) -> None:
    base = walker.resolver.number(baseline, out.unit, literal_unit)
    lead = walker.resolver.number(leading, out.unit, literal_unit)
    walker.note(base.use)
    walker.note(lead.use)
    if not isinstance(base.value, float) or not isinstance(lead.value, float):
        out.status = "undetermined"
        out.why = base.reason or lead.reason or "baseline or leading value unknown"
        return
    span = lead.value - base.value
    share = 0.0 if span == 0 else min(1.0, max(0.0, (actual - base.value) / span))
    out.points = share * (out.max_points or 0.0)
    out.threshold = [base.value, lead.value]
    out.margin = (actual - lead.value) if span > 0 else (lead.value - actual)
    out.status = "pass" if share >= 1.0 else ("fail" if share <= 0.0 else "partial")
    out.why = (
        f"{_fmt(actual)} {out.unit} scores {share:.0%} between baseline "
        f"{_fmt(base.value)} and leading {_fmt(lead.value)}"
    )


def _select_band(
    out: RuleResult, rule: CheckedRule, walker: ConditionWalker
) -> tuple[Band | None, str]:
    bands = rule.bands
    assert bands is not None
    size = walker.metric(bands.metric)
    if size.value is None:
        return None, f"{bands.metric} unknown, so the band cannot be chosen: {size.reason}"
    edge_unit = bands.unit or size.unit
    for band in bands.cases:
        edges: list[float | None] = []
        for edge in (band.from_, band.to):
            if edge is None:
                edges.append(None)
                continue
            resolved = walker.resolver.number(edge, size.unit, edge_unit)
            walker.note(resolved.use)
            if not isinstance(resolved.value, float):
                return None, resolved.reason or "band edge unknown"
            conflict = conflict_reason(size.value, "ge", resolved, size.unit)
            if conflict is not None:
                return None, "the band cannot be chosen: " + conflict
            edges.append(resolved.value)
        low, high = edges
        # from ≤ x < to, with the same rounding tolerance as the comparisons: a value at an
        # edge (after unit conversion) belongs to the band that starts there.
        if (low is None or compare(size.value, "ge", low)) and (
            high is None or compare(size.value, "lt", high)
        ):
            out.band = band.label or _band_label(bands.metric, low, high, size.unit)
            return band, ""
    return None, f"{bands.metric} = {_fmt(size.value)} {size.unit} falls in no band"


def _band_label(metric: str, low: float | None, high: float | None, unit: str) -> str:
    parts = []
    if low is not None:
        parts.append(f"{_fmt(low)} ≤")
    parts.append(metric)
    if high is not None:
        parts.append(f"< {_fmt(high)}")
    return " ".join(parts) + f" {unit}"


def _max_points(rule: Rule, resolver: Resolver, walker: ConditionWalker) -> float | None:
    if rule.points is None:
        return None
    resolved = resolver.number(rule.points, None)
    walker.note(resolved.use)
    return resolved.value if isinstance(resolved.value, float) else None


def _first_reason(result: ConditionResult) -> str | None:
    if result.truth is None and result.reason:
        return result.reason
    for child in result.children:
        found = _first_reason(child)
        if found:
            return found
    return None


def _first_false(result: ConditionResult) -> str | None:
    if result.node == "leaf" and result.truth is False:
        name = result.label or result.metric
        return (
            f"{name}: {_fmt(result.actual)} not {symbol(result.op or '')} "
            f"{_fmt(result.threshold)} {result.unit or ''}".strip()
        )
    for child in result.children:
        found = _first_false(child)
        if found:
            return found
    return result.label if result.truth is False else None


def _note(answer: Answer) -> str:
    return f": {answer.note}" if answer.note else ""


def _digits(actual: float, threshold: float | list[float]) -> int:
    """Fewest significant digits (≥ 4) that tell ``actual`` and ``threshold`` apart."""
    if isinstance(threshold, list) or actual == threshold:
        return 4
    for digits in range(4, 16):
        if f"{actual:.{digits}g}" != f"{threshold:.{digits}g}":
            return digits
    return 16


def _show(value: float | list[float], unit: str, digits: int = 10) -> str:
    """A value with its unit; shares read as percent."""
    scale, suffix = (100.0, "%") if unit == "fraction" else (1.0, unit)
    if isinstance(value, list):
        return "[" + ", ".join(f"{v * scale:.{digits}g}" for v in value) + f"] {suffix}"
    return f"{value * scale:.{digits}g} {suffix}"


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.10g}"
    if isinstance(value, list):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    return str(value)
