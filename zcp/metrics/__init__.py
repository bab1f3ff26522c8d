"""Metrics: the named quantities rules compare with thresholds.

``REGISTRY`` holds every metric zcp knows. The catalogue below *declares* the metrics the
national zero-carbon park indicators need (name, unit, meaning); the accounting layer
registers the functions that compute them with ``@metric(...)`` in a module listed in
``registry.PROVIDERS`` (imported on the first lookup); ``zcp.metrics.resources`` computes
those that need only the tenants' figures in the park model. Until a function
exists, a metric evaluates to a null value with a reason, and its rules come out
undetermined.
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
    PROVIDERS,
    REGISTRY,
    Metric,
    MetricFunction,
    MetricRegistry,
    MetricValue,
    metric,
)

_ACCOUNTING = "no accounting function is registered for it (the ledger computes it when loaded)"

#: (name, unit, subject, description). Shares are 0–1 fractions; rule files may state
#: thresholds in percent — units convert when a rule set loads.
CATALOGUE: tuple[tuple[str, str, str, str], ...] = (
    (
        "carbon_per_unit_energy",
        "tCO2/tce",
        "park",
        "单位能耗碳排放: CO2 emitted per tonne of standard coal of the park's comprehensive energy "
        "consumption, by the accounting profile's method (910号 附件3 core indicator, 附件4).",
    ),
    (
        "park_energy_consumption",
        "tce",
        "park",
        "园区综合能源消费量: the park's comprehensive energy consumption over the period; selects "
        "the size band of the core indicator.",
    ),
    (
        "park_co2_emissions",
        "tCO2",
        "park",
        "CO2 emissions inside the park boundary under the accounting profile (numerator of the "
        "core indicator).",
    ),
    (
        "clean_energy_share",
        "fraction",
        "park",
        "清洁能源消费占比: clean energy as a share of the park's energy consumption.",
    ),
    (
        "product_energy_quota_ratio",
        "fraction",
        "park",
        "园区企业产出产品单位能耗: the highest ratio, over the park's products covered by a GB "
        "energy-quota standard, of unit product energy use to that standard's grade-2 value "
        "(≤ 1 means every product reaches grade 2).",
    ),
    (
        "solid_waste_utilisation_rate",
        "fraction",
        "park",
        "工业固体废物综合利用率: industrial solid waste utilised ÷ generated.",
    ),
    (
        "waste_heat_utilisation_rate",
        "fraction",
        "park",
        "余热/余冷/余压综合利用率: recovered waste heat, cold and pressure ÷ recoverable.",
    ),
    (
        "industrial_water_reuse_rate",
        "fraction",
        "park",
        "工业用水重复利用率: reused water ÷ (reused water + water withdrawn).",
    ),
    (
        "direct_supply_share",
        "fraction",
        "park",
        "Share of the park's electricity use supplied directly by green power (on-site or "
        "dedicated-line direct supply, 绿电直连).",
    ),
    ("tenant_water_withdrawn", "m3", "tenant", "Water one tenant withdrew in the period."),
    ("tenant_water_reused", "m3", "tenant", "Water one tenant reused in the period."),
    (
        "tenant_solid_waste_generated",
        "t",
        "tenant",
        "Industrial solid waste one tenant generated in the period.",
    ),
    (
        "tenant_solid_waste_utilised",
        "t",
        "tenant",
        "Industrial solid waste of one tenant that was utilised in the period.",
    ),
    (
        "tenant_waste_heat_recovered",
        "GJ",
        "tenant",
        "Waste heat (cold, pressure) one tenant recovered in the period.",
    ),
)

for _name, _unit, _subject, _text in CATALOGUE:
    REGISTRY.declare(
        _name,
        unit=_unit,
        description=_text,
        subject=_subject,  # type: ignore[arg-type]
        not_computed_reason=_ACCOUNTING
        if not _name.startswith("tenant_")
        else "per-tenant resource figures are not read from the park model yet",
    )

__all__ = [
    "CATALOGUE",
    "REGISTRY",
    "EvaluationContext",
    "GivenValue",
    "GivenValuesContext",
    "Lever",
    "Metric",
    "MetricFunction",
    "MetricRegistry",
    "MetricValue",
    "PROVIDERS",
    "metric",
    "metric_lever",
    "register_lever",
    "registered_levers",
]
