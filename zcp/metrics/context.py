"""Evaluation contexts: where rules get metric values, and levers that change them.

A context answers ``value(metric, subject)``. The base class computes values through the
metric registry (a function may read ``ctx.park`` and ``ctx.inputs``, e.g. the ledger's
aggregates) and caches them; a layer of *given* values sits on top. ``GivenValuesContext``
has only that layer — rule tests and gap-analysis what-ifs run on it, no park needed.

A ``Lever`` is a named change a park developer can make (MWh of certificates, MW of PV): a
function taking a context and an amount and returning a new context, never mutating the old.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import ChainMap
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from zcp.errors import InputError
from zcp.metrics.registry import REGISTRY, Metric, MetricContext, MetricRegistry, MetricValue
from zcp.model.park import Park, Tenant
from zcp.units import conversion_factor, parse_quantity

#: What a given value may be: a number in the metric's unit, a quantity string ("85 %"),
#: ``None`` (known to be missing), a ``MetricValue``, or a mapping subject id → one of those.
GivenValue = float | int | str | None | MetricValue | Mapping[str, Any]

T = TypeVar("T")

#: ``inputs`` key holding the accounting profile a rule set needs; metric functions that
#: account (the ledger's) read it, and key their memoised runs by it.
PROFILE_KEY = "accounting_profile"


#: Why a metric that needs the park model has no value.
NO_PARK = "this evaluation has no park model (given values only)"


def subject_tenant(ctx: MetricContext, subject: str | None) -> Tenant | None:
    """The park's tenant a per-tenant metric is asked about, or None (no park model, or no
    tenant with that id)."""
    park = ctx.park
    if park is None:
        return None
    for tenant in park.tenants:
        if tenant.id == subject:
            return tenant
    return None


class EvaluationContext:
    """Metric values for one evaluation: a park (optional), a stage, a date and given values.

    ``stage`` is the park's (design or operation); ``acceptance_stage`` is the step of the
    national zero-carbon park process the assessment serves (``assessment.yaml``), which
    rule sets may make rules applicable on.
    """

    def __init__(
        self,
        *,
        registry: MetricRegistry | None = None,
        stage: str | None = None,
        acceptance_stage: str | None = None,
        as_of: dt.date | None = None,
        park: Park | None = None,
        inputs: Mapping[str, Any] | None = None,
        values: Mapping[str, GivenValue] | None = None,
        factor_lookup: Callable[[str], tuple[float, str] | None] | None = None,
        compute: bool = True,
    ) -> None:
        self.registry = registry or REGISTRY
        self.stage = stage
        self.acceptance_stage = acceptance_stage
        self.as_of = as_of
        self.park = park
        self.inputs: MutableMapping[str, Any] = dict(inputs or {})
        self.factor_lookup = factor_lookup
        self.compute = compute
        self._given: dict[tuple[str, str | None], MetricValue] = {}
        self._cache: dict[tuple[str, str | None], MetricValue] = {}
        self._views: dict[str, EvaluationContext] = {}
        for name, given in (values or {}).items():
            self._set_given(name, given)

    # -- values -------------------------------------------------------------------------
    def value(self, name: str, subject: str | None = None) -> MetricValue:
        """The value of metric ``name`` for ``subject`` [the metric's declared unit]."""
        metric = self.registry.get(name)
        for key in ((name, subject), (name, None)):
            if key in self._given:
                return self._given[key]
        key = (name, subject)
        if key not in self._cache:
            self._cache[key] = self._computed(metric, subject)
        return self._cache[key]

    def _computed(self, metric: Metric, subject: str | None) -> MetricValue:
        if not self.compute:
            return MetricValue(None, metric.unit, "no value given")
        if metric.compute is None:
            return MetricValue(None, metric.unit, metric.not_computed_reason)
        out = metric.compute(self, subject)
        return _as_metric_value(metric, out)

    def given(self) -> dict[tuple[str, str | None], MetricValue]:
        """The given values (a copy), keyed by (metric, subject or None)."""
        return dict(self._given)

    def with_values(self, values: Mapping[str, GivenValue]) -> EvaluationContext:
        """A copy with ``values`` given on top (what-ifs): numbers [each metric's unit] or
        quantity strings ("85 %"); the original is unchanged."""
        other = self._copy()
        for name, given in values.items():
            other._set_given(name, given)
        return other

    def _copy(self) -> EvaluationContext:
        other = object.__new__(type(self))
        other.__dict__.update(self.__dict__)
        other.inputs = dict(self.inputs)
        other._given = dict(self._given)
        other._cache = {}  # computed values may depend on what a lever changed
        other._views = {}
        return other

    def for_profile(self, profile: str | None) -> EvaluationContext:
        """This context as a rule set needing accounting ``profile`` sees it.

        One view per profile, kept: every rule set naming the same profile shares its metric
        values and memoised accounting run; what the base context memoised (e.g. the park
        graph) stays visible through the view.
        """
        if profile is None or self.inputs.get(PROFILE_KEY) == profile:
            return self
        if profile not in self._views:
            view = self._copy()
            view.inputs = ChainMap({PROFILE_KEY: profile}, self.inputs)
            self._views[profile] = view
        return self._views[profile]

    def _set_given(self, name: str, given: GivenValue) -> None:
        metric = self.registry.get(name)
        if isinstance(given, Mapping):
            for subject, item in given.items():
                self._given[(name, str(subject))] = _given_value(metric, item)
        else:
            self._given[(name, None)] = _given_value(metric, given)

    def memo(self, key: str, build: Callable[[], T]) -> T:
        """A shared intermediate result (e.g. the ledger's aggregates), built once.

        Metric functions call ``ctx.memo("ledger", lambda: ...)`` so twenty metrics reuse one
        accounting run. A lever that changes what the accounting sees stores its own
        replacement under the same key in the new context's ``inputs``.
        """
        if key not in self.inputs:
            self.inputs[key] = build()
        return cast(T, self.inputs[key])

    # -- parameters ---------------------------------------------------------------------
    def factor(self, factor_id: str) -> tuple[float, str] | None:
        """``(value [unit], unit)`` of a factor-library entry, or None if this context has
        none."""
        if self.factor_lookup is None:
            return None
        return self.factor_lookup(factor_id)


class GivenValuesContext(EvaluationContext):
    """A context that only knows the values it is given; anything else is missing."""

    def __init__(
        self,
        values: Mapping[str, GivenValue] | None = None,
        *,
        registry: MetricRegistry | None = None,
        stage: str | None = None,
        acceptance_stage: str | None = None,
        as_of: dt.date | None = None,
        factor_lookup: Callable[[str], tuple[float, str] | None] | None = None,
    ) -> None:
        super().__init__(
            registry=registry,
            stage=stage,
            acceptance_stage=acceptance_stage,
            as_of=as_of,
            values=values,
            factor_lookup=factor_lookup,
            compute=False,
        )


def _given_value(metric: Metric, given: Any) -> MetricValue:
    if isinstance(given, MetricValue):
        return _as_metric_value(metric, given)
    if given is None:
        return MetricValue(None, metric.unit, "given as unknown")
    if isinstance(given, bool):
        raise InputError(f"metric {metric.name!r}: expected a number, got {given!r}")
    try:
        number = parse_quantity(given, metric.unit)
    except ValueError as exc:
        raise InputError(f"metric {metric.name!r}: {exc}") from None
    if not math.isfinite(number):
        raise InputError(f"metric {metric.name!r}: {given!r} is not a finite number")
    return MetricValue(number, metric.unit, None, {"given": given})


def _as_metric_value(metric: Metric, out: MetricValue | float | int | None) -> MetricValue:
    """A function's answer in the metric's unit; NaN and infinity become "no value" — a
    division by zero upstream must read as undetermined, never as a pass or a fail."""
    value = _finite(metric, out)
    if value is not None:
        return value
    if out is None:
        return MetricValue(None, metric.unit, "the metric function returned no value")
    if isinstance(out, MetricValue):
        if out.value is None or out.unit == metric.unit:
            return MetricValue(out.value, metric.unit, out.reason, out.trace)
        factor = conversion_factor(out.unit, metric.unit)
        return MetricValue(
            out.value * factor, metric.unit, out.reason, {**out.trace, "converted_from": out.unit}
        )
    return MetricValue(float(out), metric.unit)


def _finite(metric: Metric, out: MetricValue | float | int | None) -> MetricValue | None:
    number = out.value if isinstance(out, MetricValue) else out
    if number is None or isinstance(number, bool) or math.isfinite(number):
        return None
    trace = out.trace if isinstance(out, MetricValue) else {}
    return MetricValue(None, metric.unit, f"not a finite number ({number})", trace)


@dataclass(frozen=True)
class Lever:
    """A change a developer can make: ``apply(ctx, amount)`` [``unit``] → a new context.

    ``max_amount`` bounds the gap-analysis search; ``description`` states any assumption
    (e.g. the capacity factor that turns MW of PV into MWh). ``step`` is the amount's
    natural resolution (0.1 MW, 1 MWh, one meter; 0: continuous) — gap amounts are whole
    steps. ``moves`` names the metrics the lever can change (None: unknown, probe them);
    a rule that reads none of them is not offered the lever. ``for_subject`` gives the
    lever sized for one tenant (certificates retired for it, capacity serving its load).
    """

    name: str
    unit: str
    description: str
    apply: Callable[[EvaluationContext, float], EvaluationContext]
    max_amount: float
    step: float = 0.0
    moves: frozenset[str] | None = None
    for_subject: Callable[[str], Lever] | None = None

    def can_move(self, metrics: Iterable[str]) -> bool:
        """Whether any of ``metrics`` may change with this lever."""
        return self.moves is None or any(m in self.moves for m in metrics)


def metric_lever(
    name: str,
    metric: str,
    *,
    unit: str,
    max_amount: float,
    per_unit: float = 1.0,
    description: str = "",
    subject: str | None = None,
) -> Lever:
    """A lever that adds ``amount`` [``unit``] × ``per_unit`` [metric unit per ``unit``] to
    one metric's current value.

    Good for what-ifs on given values (e.g. +x percentage points of clean-energy share); a
    lever whose effect runs through the accounting is written as its own function.
    """

    def apply(ctx: EvaluationContext, amount: float) -> EvaluationContext:
        current = ctx.value(metric, subject)
        if current.value is None:
            return ctx
        new = current.value + amount * per_unit
        key = {subject: new} if subject is not None else new
        return ctx.with_values({metric: key})

    text = description or f"adds {per_unit:g} × amount to {metric}"
    return Lever(name, unit, text, apply, max_amount, moves=frozenset({metric}))


_LEVERS: dict[str, Lever] = {}


def register_lever(lever: Lever) -> Lever:
    """Make a lever available to ``zcp evaluate --gaps`` (call it from a provider module)."""
    if lever.name in _LEVERS and _LEVERS[lever.name] is not lever:
        raise ValueError(f"lever {lever.name!r} is already registered")
    _LEVERS[lever.name] = lever
    return lever


def registered_levers() -> list[Lever]:
    """Every registered lever, after the metric providers (which register them) loaded."""
    REGISTRY.load_providers()
    return [_LEVERS[name] for name in sorted(_LEVERS)]
