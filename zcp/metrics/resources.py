"""Resource metrics computed from the tenants' figures in the park model.

Water reuse, solid-waste utilisation, waste-heat recovery and product energy against the
national quota need no accounting: each tenant states them in ``park.yaml``. Only tenants
inside the park's accounting boundary count; tenants that report nothing are listed in the
trace, and a park where no tenant reports a figure gets no value (undetermined), not zero.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zcp.metrics.context import NO_PARK, subject_tenant
from zcp.metrics.registry import (
    MetricContext,
    MetricFunction,
    MetricValue,
    metric_factory,
    metric_function,
)


def _tenants(ctx: MetricContext) -> list[Any] | None:
    park = ctx.park
    if park is None:
        return None
    return [t for t in getattr(park, "tenants", []) if getattr(t, "in_boundary", True)]


def _park_rate(
    ctx: MetricContext, unit: str, what: str, parts: Callable[[Any], tuple[float, float] | None]
) -> MetricValue:
    """Σ numerator ÷ Σ denominator over reporting tenants."""
    tenants = _tenants(ctx)
    if tenants is None:
        return MetricValue(None, unit, NO_PARK)
    top = bottom = 0.0
    reporting, silent = [], []
    for tenant in tenants:
        pair = parts(tenant)
        if pair is None:
            silent.append(tenant.id)
            continue
        top, bottom = top + pair[0], bottom + pair[1]
        reporting.append(tenant.id)
    trace = {
        "numerator": top,
        "denominator": bottom,
        "tenants": reporting,
        "tenants_without_data": silent,
    }
    if not reporting:
        return MetricValue(None, unit, f"no tenant inside the boundary reports {what}", trace)
    if bottom <= 0:
        return MetricValue(None, unit, f"{what}: the denominator is zero", trace)
    return MetricValue(top / bottom, unit, None, trace)


@metric_function
def industrial_water_reuse_rate(ctx: MetricContext, subject: str | None) -> MetricValue:
    """Reused ÷ (reused + withdrawn) water [m3/m3 = fraction], summed over tenants."""
    return _park_rate(
        ctx,
        "fraction",
        "water use",
        lambda t: (t.water.reused, t.water.reused + t.water.withdrawn) if t.water else None,
    )


@metric_function
def solid_waste_utilisation_rate(ctx: MetricContext, subject: str | None) -> MetricValue:
    """Utilised ÷ (generated + drawn from storage) solid waste [t/t = fraction], summed over
    tenants."""
    return _park_rate(
        ctx,
        "fraction",
        "industrial solid waste",
        lambda t: (
            (t.solid_waste.utilised, t.solid_waste.generated + t.solid_waste.drawn_from_storage)
            if t.solid_waste
            else None
        ),
    )


@metric_function
def waste_heat_utilisation_rate(ctx: MetricContext, subject: str | None) -> MetricValue:
    """Recovered ÷ recoverable waste heat, cold and pressure [GJ/GJ = fraction], summed over
    tenants."""
    return _park_rate(
        ctx,
        "fraction",
        "waste heat",
        lambda t: (t.waste_heat.recovered, t.waste_heat.recoverable) if t.waste_heat else None,
    )


@metric_function
def product_energy_quota_ratio(ctx: MetricContext, subject: str | None) -> MetricValue:
    """The worst product's specific energy use ÷ its quota's grade-2 value [fraction]."""
    tenants = _tenants(ctx)
    if tenants is None:
        return MetricValue(None, "fraction", NO_PARK)
    ratios: dict[str, float] = {}
    incomplete = []
    for tenant in tenants:
        for product in tenant.products:
            if not product.quota_standard:
                continue
            label = f"{tenant.id}:{product.name}"
            if product.energy_per_unit is None or not product.quota_grade2:
                incomplete.append(label)
                continue
            ratios[label] = product.energy_per_unit / product.quota_grade2
    trace = {"ratios": ratios, "products_without_figures": incomplete}
    if incomplete:
        return MetricValue(
            None,
            "fraction",
            "quota-covered products lack energy use or the grade-2 value: " + ", ".join(incomplete),
            trace,
        )
    if not ratios:
        return MetricValue(
            None, "fraction", "no product is covered by an energy-quota standard", trace
        )
    worst = max(ratios, key=lambda k: ratios[k])
    return MetricValue(ratios[worst], "fraction", None, {**trace, "worst": worst})


#: What a tenant figure is about, for the reason text when a tenant states none.
_SECTION_TEXT = {"water": "water use", "solid_waste": "solid waste", "waste_heat": "waste heat"}


@metric_factory
def tenant_figure(unit: str, section: str, field: str) -> MetricFunction:
    """One figure a tenant states in ``park.yaml`` (``tenants[].<section>.<field>``), in the
    unit the park model states it in (water [m3], solid waste [t], waste heat [GJ])."""
    what = _SECTION_TEXT[section]

    def compute(ctx: MetricContext, subject: str | None) -> MetricValue:
        if ctx.park is None:
            return MetricValue(None, unit, NO_PARK)
        tenant = subject_tenant(ctx, subject)
        if tenant is None:
            return MetricValue(None, unit, f"no tenant {subject!r} in the park")
        part = getattr(tenant, section)
        value = getattr(part, field) if part else None
        if value is None:
            return MetricValue(None, unit, f"tenant {subject} reports no {what}")
        return MetricValue(value, unit, None, {"tenant": subject})

    return compute
