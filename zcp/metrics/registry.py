"""The metric registry: named, documented quantities that rules compare with thresholds.

A rule file names a metric (``carbon_per_unit_energy``); the registry says what it means,
which unit it comes in and which function computes it; rules never learn how a metric is
computed. The process-wide ``REGISTRY`` is built from the metric catalogue
(``zcp/data/metrics.yaml``, read by :mod:`zcp.metrics.metric_catalogue`) on the first
lookup: each row names its provider ``module:function``; functions that provide metrics
are marked ``@metric_function`` (used as is) or ``@metric_factory`` (called with the row's
unit and ``args``, one metric per row). The binding checks both ways — a row whose module
cannot be imported or whose function is missing or unmarked, and a marked function no row
uses, are errors, never skipped. Test registries may still add metrics by hand
(``declare``, ``metric``).
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.metadata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Literal, Protocol, TypeVar

from zcp.errors import InputError, Problem, did_you_mean
from zcp.metrics.metric_catalogue import CATALOGUE_PATH, CatalogueRow, read_catalogue
from zcp.model.park import Park
from zcp.units import parse_unit

T = TypeVar("T")

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


class MetricContext(Protocol):
    """What a metric function may read: the park model, the assessment date, the shared
    inputs (park folder, readings, accounting profile …), other metrics' values and a memo
    for costly intermediate results. :class:`zcp.metrics.context.EvaluationContext` is the
    implementation; the protocol keeps the registry from importing it."""

    @property
    def park(self) -> Park | None: ...

    @property
    def as_of(self) -> dt.date | None: ...

    @property
    def inputs(self) -> Mapping[str, Any]: ...

    @property
    def registry(self) -> MetricRegistry: ...

    def value(self, name: str, subject: str | None = None) -> MetricValue: ...

    def memo(self, key: str, build: Callable[[], T]) -> T: ...


#: A metric function: ``fn(ctx, subject)`` → the value for the park (``subject`` None) or
#: one tenant, as a ``MetricValue`` or a bare number in the metric's unit.
MetricFunction = Callable[[MetricContext, str | None], "MetricValue | float | None"]


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
    description_zh: str = ""
    #: ``module:function`` the catalogue names as computing it ("" for hand-added metrics)
    provider: str = ""


#: Attribute the provider markers set on a function: "function" or "factory".
_MARK = "__zcp_metric__"


def metric_function(fn: MetricFunction) -> MetricFunction:
    """Mark ``fn(ctx, subject)`` as computing a metric the catalogue names."""
    setattr(fn, _MARK, "function")
    return fn


F = TypeVar("F", bound=Callable[..., MetricFunction])


def metric_factory(fn: F) -> F:
    """Mark ``fn(unit, **args) -> MetricFunction`` as building metrics from catalogue rows
    (one call per row, with the row's unit and ``args``)."""
    setattr(fn, _MARK, "factory")
    return fn


class MetricRegistry:
    """Metrics by name. ``REGISTRY`` is the process-wide one; tests may build their own.

    With a ``catalogue`` file, the rows are bound to their provider functions on the first
    lookup (not at ``import zcp.metrics``), so a rule set can name any metric without its
    caller importing the right module first, and providers may import ``zcp.metrics``
    freely. Modules in ``entry_point_group`` (plugins) are loaded after that and may add
    metrics with ``metric``.
    """

    def __init__(
        self, *, catalogue: str | Path | None = None, entry_point_group: str | None = None
    ) -> None:
        self._metrics: dict[str, Metric] = {}
        self._catalogue = catalogue
        self._rows: list[CatalogueRow] = []
        self._group = entry_point_group

    def load_providers(self) -> None:
        """Bind the catalogue's rows to their functions, then load plugins (once)."""
        catalogue, self._catalogue = self._catalogue, None
        group, self._group = self._group, None
        if catalogue is not None:
            self._rows = read_catalogue(catalogue)
            self._bind(self._rows)
        if group:
            for entry in importlib.metadata.entry_points(group=group):
                entry.load()

    def _bind(self, rows: list[CatalogueRow]) -> None:
        problems: list[Problem] = []
        used: set[tuple[str, str]] = set()
        modules: dict[str, ModuleType] = {}
        for row in rows:
            if row.module not in modules:
                try:
                    modules[row.module] = importlib.import_module(row.module)
                except ImportError as exc:
                    problems.append(_row_problem(row, f"provider module cannot be imported: {exc}"))
                    continue
            module = modules[row.module]
            fn = getattr(module, row.function, None)
            kind = getattr(fn, _MARK, None)
            if fn is None or kind is None:
                marked = _marked(module)
                what = "no function" if fn is None else "a function not marked as a provider"
                problems.append(
                    _row_problem(
                        row,
                        f"{row.module} has {what} {row.function!r}",
                        did_you_mean(row.function, marked) or f"marked there: {', '.join(marked)}",
                    )
                )
                continue
            used.add((row.module, row.function))
            if kind == "factory":
                try:
                    compute = fn(row.unit, **row.args)
                except (TypeError, ValueError) as exc:
                    problems.append(_row_problem(row, f"{row.provider} refuses args: {exc}"))
                    continue
            elif row.args:
                problems.append(_row_problem(row, f"{row.function} is no factory: drop 'args'"))
                continue
            else:
                compute = fn
            self.register(
                Metric(
                    row.name,
                    row.unit,
                    row.description_en,
                    row.subject,  # type: ignore[arg-type]  # checked when read
                    compute,
                    description_zh=row.description_zh,
                    provider=row.provider,
                )
            )
        for module_name, module in modules.items():
            for function in _marked(module):
                if (module_name, function) not in used:
                    problems.append(
                        Problem(
                            f"{module_name}:{function} is marked as computing metrics but no "
                            "catalogue row names it",
                            path=str(rows[0].where.rpartition(":")[0]) if rows else None,
                            hint="add its row(s) to the catalogue or remove the function",
                        )
                    )
        if problems:
            raise InputError(problems)

    def rows(self) -> list[CatalogueRow]:
        """The catalogue rows this registry was built from (empty for a hand-built one)."""
        self.load_providers()
        return list(self._rows)

    def names_from(self, provider: Callable[..., Any]) -> list[str]:
        """Names of the metrics the catalogue binds to ``provider`` (a marked function)."""
        self.load_providers()
        wanted = f"{provider.__module__}:{provider.__name__}"
        return sorted(m.name for m in self._metrics.values() if m.provider == wanted)

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
        other._rows = list(self._rows)
        return other


def _check_name_and_unit(name: str, unit: str) -> None:
    if not name.isidentifier() or not name.islower():
        raise ValueError(f"metric name {name!r} must be a lower-case identifier")
    parse_unit(unit)  # raises InputError for an unknown unit


def _qualname(fn: Callable[..., Any]) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


def _marked(module: ModuleType) -> list[str]:
    """Names of the functions in ``module`` marked as metric providers (defined there)."""
    return sorted(
        name
        for name, value in vars(module).items()
        if getattr(value, _MARK, None) and getattr(value, "__module__", None) == module.__name__
    )


def _row_problem(row: CatalogueRow, message: str, hint: str | None = None) -> Problem:
    path, _, line = row.where.rpartition(":")
    return Problem(
        message,
        path=path or None,
        line=int(line) if line.isdigit() else None,
        field=f"{row.name}.provider",
        hint=hint,
    )


#: The process-wide registry the rule engine uses unless given another: the shipped
#: catalogue, then plugins in the ``zcp.metrics`` entry-point group.
REGISTRY = MetricRegistry(catalogue=CATALOGUE_PATH, entry_point_group="zcp.metrics")


def metric(
    name: str, *, unit: str, description: str = "", subject: Subject = "park"
) -> Callable[[MetricFunction], MetricFunction]:
    """Register a metric function on the process-wide registry (see ``MetricRegistry.metric``)."""
    return REGISTRY.metric(name, unit=unit, description=description, subject=subject)
