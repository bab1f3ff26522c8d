"""Metrics: the named quantities rules compare with thresholds.

``REGISTRY`` holds every metric zcp knows, built from the catalogue ``zcp/data/metrics.yaml``
(name, unit, subject, meaning in zh and en, providing function; ``zcp rules metrics``
prints it). The providers, by what they read:

- ``resources`` — the tenants' water, waste, waste-heat and product figures in the park model;
- ``park_structure`` — the park's meters, metering plan and assets (capacities);
- ``readings`` — loaded meter readings (completeness, bus balance);
- ``ledger_metrics`` — the accounting ledger (emissions, energy, green-power shares), and the
  levers that re-run it.

``context`` holds evaluation contexts and levers; ``registry`` binds catalogue rows to
functions; ``metric_catalogue`` reads the catalogue file.
"""

from __future__ import annotations

from zcp.metrics.context import (
    EvaluationContext,
    GivenValue,
    GivenValuesContext,
    Lever,
    metric_lever,
    register_lever,
    registered_levers,
)
from zcp.metrics.registry import (
    REGISTRY,
    Metric,
    MetricFunction,
    MetricRegistry,
    MetricValue,
    metric,
    metric_factory,
    metric_function,
)

__all__ = [
    "REGISTRY",
    "EvaluationContext",
    "GivenValue",
    "GivenValuesContext",
    "Lever",
    "Metric",
    "MetricFunction",
    "MetricRegistry",
    "MetricValue",
    "metric",
    "metric_factory",
    "metric_function",
    "metric_lever",
    "register_lever",
    "registered_levers",
]
