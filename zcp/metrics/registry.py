"""The metric registry: named, documented quantities that rules compare with thresholds.

A rule file names a metric (``carbon_per_unit_energy``); the registry says what it means,
which unit it comes in and which function computes it. Later stages (the ledger) register
functions for metrics declared here; rules never learn how a metric is computed. A metric
may be *declared* before anything computes it — it then evaluates to a null value with a
reason, so a rule comes out ``undetermined`` rather than wrong.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from zcp.errors import InputError, Problem, did_you_mean
from zcp.units import parse_unit

if TYPE_CHECKING:
    from zcp.metrics.context import EvaluationContext

Subject = Literal["park", "tenant"]


@dataclass(frozen=True)
class MetricValue:
    """One metric's value for one subject, or ``None`` with the reason it is missing.

    ``trace`` holds what the value was built from (inputs, factors, counts), so a verdict can
    show its working.
    """

    value: float | None
    unit: str
    reason: str | None = None
    trace: dict[str, Any] = field(default_factory=dict)

    @property
    def known(self) -> bool:
        return self.value is not None


MetricFunction = Callable[["EvaluationContext", "str | None"], "MetricValue | float | None"]


@dataclass(frozen=True)
class Metric:
    """A named quantity: ``unit`` is what ``compute`` returns values in.

    ``subject`` says whether it describes the whole park or one tenant (then the subject id
    passed to ``compute`` is the tenant id).
    """

    name: str
    unit: str
    description: str
    subject: Subject = "park"
    compute: MetricFunction | None = None
    not_computed_reason: str = "no function computes this metric yet"


class MetricRegistry:
    """Metrics by name. ``REGISTRY`` is the process-wide one; tests may build their own.

    ``providers`` are modules that register metrics when imported; they are imported on the
    first lookup (not at ``import zcp.metrics``), so a rule set can name any metric without
    its caller importing the right module first, and providers may import ``zcp.metrics``
    freely. A provider module that does not exist yet is skipped; one that fails to import
    raises.
    """

    def __init__(self, providers: Iterable[str] = (), entry_point_group: str | None = None) -> None:
        self._metrics: dict[str, Metric] = {}
        self._pending = list(providers)
        self._group = entry_point_group

    def load_providers(self) -> None:
        """Import the provider modules (once)."""
        pending, self._pending = self._pending, []
        group, self._group = self._group, None
        for name in pending:
            try:
                found = importlib.util.find_spec(name)
            except ModuleNotFoundError:
                found = None
            if found is not None:
                importlib.import_module(name)
        if group:
            for entry in importlib.metadata.entry_points(group=group):
                entry.load()

    def declare(
        self,
        name: str,
        *,
        unit: str,
        description: str,
        subject: Subject = "park",
        not_computed_reason: str | None = None,
    ) -> Metric:
        """Announce a metric (name, unit, meaning) before anything computes it."""
        _check_name_and_unit(name, unit)
        existing = self._metrics.get(name)
        if existing is not None:
            if (existing.unit, existing.subject) != (unit, subject):
                raise ValueError(
                    f"metric {name!r} already declared with unit "
                    f"{existing.unit!r} and subject {existing.subject!r}"
                )
            return existing
        metric = Metric(
            name,
            unit,
            description,
            subject,
            not_computed_reason=not_computed_reason or "no function computes this metric yet",
        )
        self._metrics[name] = metric
        return metric

    def register(self, metric: Metric) -> Metric:
        """Add a metric with its function; fills in a declared one, refuses a second function."""
        _check_name_and_unit(metric.name, metric.unit)
        existing = self._metrics.get(metric.name)
        if existing is not None:
            if existing.compute is not None and existing.compute is not metric.compute:
                raise ValueError(
                    f"metric {metric.name!r} already has a function ({_qualname(existing.compute)})"
                )
            if (existing.unit, existing.subject) != (metric.unit, metric.subject):
                raise ValueError(
                    f"metric {metric.name!r} was declared with unit "
                    f"{existing.unit!r}/{existing.subject}, not "
                    f"{metric.unit!r}/{metric.subject}"
                )
        self._metrics[metric.name] = metric
        return metric

    def metric(
        self, name: str, *, unit: str, description: str = "", subject: Subject = "park"
    ) -> Callable[[MetricFunction], MetricFunction]:
        """Decorator: ``@registry.metric("clean_energy_share", unit="fraction", ...)``."""

        def decorate(fn: MetricFunction) -> MetricFunction:
            existing = self._metrics.get(name)
            text = description or (existing.description if existing else "") or (fn.__doc__ or "")
            self.register(Metric(name, unit, text.strip(), subject, fn))
            return fn

        return decorate

    def get(self, name: str) -> Metric:
        self.load_providers()
        try:
            return self._metrics[name]
        except KeyError:
            raise InputError(
                Problem(f"unknown metric {name!r}", hint=did_you_mean(name, self._metrics))
            ) from None

    def __contains__(self, name: object) -> bool:
        self.load_providers()
        return name in self._metrics

    def __iter__(self) -> Iterator[Metric]:
        self.load_providers()
        return iter(sorted(self._metrics.values(), key=lambda m: m.name))

    def names(self) -> list[str]:
        self.load_providers()
        return sorted(self._metrics)

    def copy(self) -> MetricRegistry:
        """An independent registry with the same metrics (providers loaded first)."""
        self.load_providers()
        other = MetricRegistry()
        other._metrics = dict(self._metrics)
        return other


def _check_name_and_unit(name: str, unit: str) -> None:
    if not name.isidentifier() or not name.islower():
        raise ValueError(f"metric name {name!r} must be a lower-case identifier")
    parse_unit(unit)  # raises InputError for an unknown unit


def _qualname(fn: Callable[..., Any]) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


#: Modules that register metric functions (imported on the first lookup). The accounting
#: ledger adds its module here; other packages may use the ``zcp.metrics`` entry-point group.
PROVIDERS: tuple[str, ...] = (
    "zcp.metrics.resources",
    "zcp.metrics.park_structure",
    "zcp.metrics.meter_accuracy",
    "zcp.metrics.given_only",
    "zcp.metrics.readings",
    "zcp.metrics.ledger_metrics",
)

#: The process-wide registry the rule engine uses unless given another.
REGISTRY = MetricRegistry(PROVIDERS, entry_point_group="zcp.metrics")


def metric(
    name: str, *, unit: str, description: str = "", subject: Subject = "park"
) -> Callable[[MetricFunction], MetricFunction]:
    """Register a metric function on the process-wide registry (see ``MetricRegistry.metric``)."""
    return REGISTRY.metric(name, unit=unit, description=description, subject=subject)
