"""The condition walker: three-valued logic over ``{metric, op, value}`` leaves.

A leaf is true, false or undetermined (``None``: its metric or threshold is unknown).
``all`` is false if any child is false, else undetermined if any child is, else true;
``any`` mirrors it; ``not`` swaps true and false (Kleene logic). The walk is iterative in
spirit: trees are capped in size when a rule set loads, and each node is visited once.
"""

from __future__ import annotations

import math
from typing import Any

from zcp.metrics import EvaluationContext, MetricValue
from zcp.rules.parameters import Resolved, Resolver
from zcp.rules.results import ConditionResult, MetricUse, ParameterUse
from zcp.rules.ruleset_file import AllOf, AnyOf, Condition, Leaf, NotOf

#: Relative tolerance of ``eq``/``ne`` and of the edge of ``between``: readings carry
#: rounding, and 0.1 + 0.2 must equal 0.3.
REL_TOL = 1e-9

#: The comparison operators of the rule vocabulary (``ruleset_file.Op``) and the symbols
#: results and reports print for them — their one home.
COMPARISON_SYMBOLS: dict[str, str] = {
    "lt": "<",
    "le": "≤",
    "gt": ">",
    "ge": "≥",
    "eq": "=",
    "ne": "≠",
}
_SYMBOL = {**COMPARISON_SYMBOLS, "between": "in", "in": "in", "not_in": "not in"}


def symbol(op: str) -> str:
    """How ``op`` reads in a sentence ("≤", "not in"); an unknown operator as written."""
    return _SYMBOL.get(op, op)


def compare(actual: float, op: str, threshold: float | list[float]) -> bool:
    """``actual op threshold`` for the closed operator vocabulary (both [the metric's unit])."""
    if op in ("between", "in", "not_in"):
        values = threshold if isinstance(threshold, list) else [threshold]
        if op == "between":
            low, high = values[0], values[-1]
            return (actual >= low or _close(actual, low)) and (
                actual <= high or _close(actual, high)
            )
        inside = any(_close(actual, v) for v in values)
        return inside if op == "in" else not inside
    if isinstance(threshold, list):
        raise ValueError(f"operator {op!r} needs one value")
    if op == "lt":
        return actual < threshold and not _close(actual, threshold)
    if op == "le":
        return actual <= threshold or _close(actual, threshold)
    if op == "gt":
        return actual > threshold and not _close(actual, threshold)
    if op == "ge":
        return actual >= threshold or _close(actual, threshold)
    if op == "eq":
        return _close(actual, threshold)
    if op == "ne":
        return not _close(actual, threshold)
    raise ValueError(f"unknown operator {op!r}")


def margin(actual: float, op: str, threshold: float | list[float]) -> float | None:
    """How far ``actual`` is on the passing side of ``threshold`` [the metric's unit]
    (negative: short of it)."""
    if isinstance(threshold, list):
        if op == "between":
            return min(actual - threshold[0], threshold[-1] - actual)
        return None
    if op in ("le", "lt"):
        return threshold - actual
    if op in ("ge", "gt"):
        return actual - threshold
    return None


def conflict_reason(actual: float, op: str, resolved: Resolved, unit: str) -> str | None:
    """Why a verdict is undetermined when public sources disagree on its threshold and the
    disagreement decides it (pass under one value, fail under another); else None."""
    if not resolved.conflicting or isinstance(resolved.value, list) or resolved.value is None:
        return None
    candidates = (resolved.value, *resolved.conflicting)
    if len({compare(actual, op, t) for t in candidates}) == 1:
        return None
    name = resolved.use.name if resolved.use else "the threshold"
    scale, suffix = (100.0, "%") if unit == "fraction" else (1.0, f" {unit}")
    shown = " vs ".join(f"{t * scale:.6g}{suffix}" for t in candidates)
    return (
        f"public sources conflict on {name} ({shown}) and the conflict decides "
        f"this verdict ({actual * scale:.6g}{suffix})"
    )


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=1e-12)


class ConditionWalker:
    """Evaluates condition trees for one rule, collecting the metrics and parameters used."""

    def __init__(self, ctx: EvaluationContext, resolver: Resolver, subject: str | None) -> None:
        self.ctx, self.resolver, self.subject = ctx, resolver, subject
        self.metrics: list[MetricUse] = []
        self.parameters: list[ParameterUse] = []

    def metric(self, name: str) -> MetricValue:
        value = self.ctx.value(name, self.subject)
        if not any(m.name == name for m in self.metrics):
            self.metrics.append(
                MetricUse(
                    name=name,
                    subject=self.subject,
                    value=value.value,
                    unit=value.unit,
                    reason=value.reason,
                    trace=_jsonable(value.trace),
                )
            )
        return value

    def note(self, use: ParameterUse | None) -> None:
        if use is not None and use not in self.parameters:
            self.parameters.append(use)

    def walk(self, cond: Condition) -> ConditionResult:
        if isinstance(cond, Leaf):
            return self._leaf(cond)
        if isinstance(cond, NotOf):
            child = self.walk(cond.not_)
            truth = None if child.truth is None else not child.truth
            return ConditionResult(node="not", truth=truth, label=cond.label, children=[child])
        children = [self.walk(c) for c in (cond.all if isinstance(cond, AllOf) else cond.any)]
        truths = [c.truth for c in children]
        if isinstance(cond, AllOf):
            truth = False if False in truths else (None if None in truths else True)
            node = "all"
        else:
            assert isinstance(cond, AnyOf)
            truth = True if True in truths else (None if None in truths else False)
            node = "any"
        return ConditionResult(
            node=node,
            truth=truth,
            label=cond.label,
            children=children,
        )

    def _leaf(self, leaf: Leaf) -> ConditionResult:
        value = self.metric(leaf.metric)
        resolved = self.resolver.number(leaf.value, value.unit, leaf.unit or value.unit)
        self.note(resolved.use)
        out = ConditionResult(
            node="leaf",
            truth=None,
            label=leaf.label,
            metric=leaf.metric,
            op=leaf.op,
            actual=value.value,
            threshold=resolved.value,
            unit=value.unit,
        )
        if value.value is None:
            out.reason = f"{leaf.metric} unknown: {value.reason}"
        elif resolved.value is None:
            out.reason = resolved.reason
        else:
            out.reason = conflict_reason(value.value, leaf.op, resolved, value.unit)
            if out.reason is None:
                out.truth = compare(value.value, leaf.op, resolved.value)
        return out


def _jsonable(data: object, depth: int = 0) -> dict[str, Any]:
    """A metric trace cut down to JSON types, so results always serialise."""

    def clean(value: object, level: int) -> object:
        if level > 6:
            return repr(value)[:200]
        if value is None or isinstance(value, bool | int | str):
            return value
        if isinstance(value, float):
            return value if math.isfinite(value) else repr(value)
        if isinstance(value, dict):
            return {str(k): clean(v, level + 1) for k, v in list(value.items())[:200]}
        if isinstance(value, list | tuple):
            return [clean(v, level + 1) for v in list(value)[:200]]
        return repr(value)[:200]

    cleaned = clean(data, depth)
    return cleaned if isinstance(cleaned, dict) else {"value": cleaned}
