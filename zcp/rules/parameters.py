"""Resolving a rule's numbers: literals, dated parameters and factor-library entries.

Every number a verdict uses is converted to the unit of the metric it is compared with and
recorded as a ``ParameterUse`` (value, dates, source, confidence), so a report can show which
values were provisional on the assessment date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zcp.errors import InputError
from zcp.metrics import EvaluationContext
from zcp.rules.results import ParameterUse
from zcp.rules.ruleset_file import Parameter, RuleSet
from zcp.units import conversion_factor


@dataclass(frozen=True)
class Resolved:
    """A number (or list, for between/in) in the requested unit, or None with a reason."""

    value: float | list[float] | None
    use: ParameterUse | None = None
    reason: str | None = None
    #: other values public sources give for the same period (same unit as ``value``)
    conflicting: tuple[float, ...] = ()


class Resolver:
    """Looks up parameter values valid on ``as_of`` for one rule set and one context."""

    def __init__(self, rule_set: RuleSet, ctx: EvaluationContext, as_of: dt.date) -> None:
        self.rule_set, self.ctx, self.as_of = rule_set, ctx, as_of

    def number(
        self,
        value: float | str | list[float] | None,
        to_unit: str | None,
        literal_unit: str | None = None,
    ) -> Resolved:
        """``value`` from a rule file, converted to ``to_unit`` [``to_unit``] (None: leave as
        written)."""
        if value is None:
            return Resolved(None, reason="no value given in the rule set")
        if isinstance(value, str):
            return self.parameter(value, to_unit)
        factor = _factor(literal_unit, to_unit)
        if isinstance(value, list):
            return Resolved([v * factor for v in value])
        return Resolved(float(value) * factor)

    def parameter(self, name: str, to_unit: str | None) -> Resolved:
        """The dated value of parameter ``name`` on this resolver's day [``to_unit``]."""
        param = self.rule_set.parameters[name]
        if param.factor is not None:
            return self._factor_parameter(name, param, to_unit)
        assert param.values is not None
        for pv in param.values:
            if pv.valid_from <= self.as_of and (
                pv.valid_until is None or self.as_of <= pv.valid_until
            ):
                use = ParameterUse(
                    name=name,
                    value=pv.value,
                    unit=param.unit,
                    valid_from=pv.valid_from,
                    valid_until=pv.valid_until,
                    confidence=pv.confidence,
                    source=pv.source.cite(),
                    conflicting=[c.value for c in pv.conflicting],
                    conflicting_sources=[c.source.cite() for c in pv.conflicting],
                )
                if pv.value is None:
                    why = pv.note or "the standard gives no value"
                    return Resolved(None, use, f"parameter {name!r} is unknown: {why}")
                factor = _factor(param.unit, to_unit)
                if isinstance(pv.value, list):
                    return Resolved([v * factor for v in pv.value], use)
                others = tuple(c.value * factor for c in pv.conflicting)
                return Resolved(pv.value * factor, use, conflicting=others)
        return Resolved(
            None, None, f"parameter {name!r} has no value valid on {self.as_of.isoformat()}"
        )

    def _factor_parameter(self, name: str, param: Parameter, to_unit: str | None) -> Resolved:
        assert param.factor is not None
        found = self.ctx.factor(param.factor)
        confidence, source = "verified", f"factor library: {param.factor}"
        valid_from = valid_until = None
        if found is None:
            try:
                from zcp.factors import default_library

                factor = default_library().get(param.factor)
            except InputError:
                return Resolved(None, None, f"factor {param.factor!r} is not in the library")
            found = (factor.value, factor.unit)
            confidence = factor.confidence
            source = factor.source.cite()
            valid_from, valid_until = factor.valid_from, factor.valid_until
        value, unit = found
        if param.choice_confidence == "provisional":
            confidence = "provisional"
        use = ParameterUse(
            name=name,
            value=value,
            unit=unit,
            valid_from=valid_from,
            valid_until=valid_until,
            confidence=confidence,
            source=source,
            factor=param.factor,
        )
        return Resolved(value * _factor(unit, to_unit), use)


def _factor(from_unit: str | None, to_unit: str | None) -> float:
    if from_unit is None or to_unit is None or from_unit == to_unit:
        return 1.0
    return conversion_factor(from_unit, to_unit)
