"""Meter accuracy where GB 17167 asks for it by more than carrier and level.

Electricity meters are judged by their metering-installation class (电能计量装置类别 I–V),
fuel scales by static or dynamic weighing, water meters by pipe size (above a nominal
diameter the tighter accuracy applies; the edge lives in ``zcp/data/metering_plan.yaml``).
A meter that states its class, weighing kind or a large pipe is judged here; the plain
per-carrier (and per-level) metrics of ``zcp.metrics.park_structure`` judge the rest, so no
meter is held to two different requirements. The required values live in the metering rule
set.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from zcp.metrics.context import NO_PARK, EvaluationContext
from zcp.metrics.registry import REGISTRY, MetricValue
from zcp.units import conversion_factor

INSTALLATION_CLASSES = ("I", "II", "III", "IV", "V")
WEIGHING = ("static", "dynamic")

Selector = Callable[[Any], bool]


@functools.cache
def large_water_meter_dn_mm() -> float:
    """Nominal diameter [mm] above which a water meter needs the tighter accuracy."""
    from zcp.graph.metering_plan import PLAN_FILE
    from zcp.yamlio import load_yaml

    rule = load_yaml(PLAN_FILE).data["large_water_meter_dn"]
    return rule["value"] * conversion_factor(rule["unit"], "mm")


def is_large_water_meter(meter: Any) -> bool:
    dn = getattr(meter, "nominal_diameter_mm", None)
    return meter.carrier == "water" and dn is not None and dn > large_water_meter_dn_mm()


def judged_elsewhere(meter: Any) -> bool:
    """True for a meter these class-, weighing- or size-specific metrics judge."""
    if meter.carrier == "electricity":
        return meter.installation_class is not None
    if meter.carrier in ("coal", "coke"):
        return meter.weighing is not None
    return is_large_water_meter(meter)


def _worst(what: str, select: Selector) -> Callable[[EvaluationContext, str | None], MetricValue]:
    from zcp.metrics.park_structure import accuracy_percent

    def compute(ctx: EvaluationContext, subject: str | None) -> MetricValue:
        if ctx.park is None:
            return MetricValue(None, "percent", NO_PARK)
        chosen = [m for m in ctx.park.meters if select(m)]
        classes = {m.id: accuracy_percent(m.accuracy_class) for m in chosen}
        known = {k: v for k, v in classes.items() if v is not None}
        trace = {"meters": len(chosen), "without_class": sorted(set(classes) - set(known))}
        if not chosen:
            return MetricValue(None, "percent", f"no {what}", trace)
        if not known:
            return MetricValue(None, "percent", f"no {what} states its accuracy", trace)
        worst = max(known, key=lambda k: known[k])
        return MetricValue(known[worst], "percent", None, {**trace, "worst_meter": worst})

    return compute


def _count(select: Selector) -> Callable[[EvaluationContext, str | None], MetricValue]:
    def compute(ctx: EvaluationContext, subject: str | None) -> MetricValue:
        if ctx.park is None:
            return MetricValue(None, "count", NO_PARK)
        return MetricValue(float(sum(1 for m in ctx.park.meters if select(m))), "count")

    return compute


def _register(suffix: str, what: str, select: Selector) -> None:
    REGISTRY.metric(
        f"meter_accuracy_worst_{suffix}",
        unit="percent",
        description=f"The loosest accuracy class among {what} that state one [% of reading].",
    )(_worst(what, select))
    REGISTRY.metric(
        f"meter_count_{suffix}", unit="count", description=f"Number of {what} in the park model."
    )(_count(select))


for _cls in INSTALLATION_CLASSES:
    _register(
        f"electricity_class_{_cls.lower()}",
        f"electricity meters of metering-installation class {_cls}",
        lambda m, c=_cls: m.carrier == "electricity" and m.installation_class == c,
    )
for _kind in WEIGHING:
    _register(
        f"solid_fuel_{_kind}",
        f"coal and coke scales weighing {_kind}ally",
        lambda m, k=_kind: m.carrier in ("coal", "coke") and m.weighing == k,
    )
_register("water_large", "water meters above the large-pipe size", is_large_water_meter)


def _all_stated(what: str, members: Selector, stated: Selector):
    """1 if every member states the attribute; no value (with the meters named) otherwise —
    a rule uses it so that an accuracy between the two requirements stays undetermined."""

    def compute(ctx: EvaluationContext, subject: str | None) -> MetricValue:
        if ctx.park is None:
            return MetricValue(None, "fraction", NO_PARK)
        missing = sorted(m.id for m in ctx.park.meters if members(m) and not stated(m))
        if missing:
            shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
            return MetricValue(None, "fraction", f"{what} not stated for {shown}")
        return MetricValue(1.0, "fraction")

    return compute


REGISTRY.metric(
    "meter_solid_fuel_weighing_known",
    unit="fraction",
    description="1 when every coal or coke scale states static or dynamic weighing; unknown "
    "(naming the scales) otherwise.",
)(
    _all_stated(
        "static or dynamic weighing",
        lambda m: m.carrier in ("coal", "coke"),
        lambda m: m.weighing is not None,
    )
)
REGISTRY.metric(
    "meter_water_size_known",
    unit="fraction",
    description="1 when every water meter states its pipe size (DN); unknown (naming the "
    "meters) otherwise.",
)(
    _all_stated(
        "pipe size (nominal_diameter_mm)",
        lambda m: m.carrier == "water",
        lambda m: m.nominal_diameter_mm is not None,
    )
)
