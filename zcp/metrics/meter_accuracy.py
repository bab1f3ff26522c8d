"""Meter accuracy where GB 17167 asks for it by more than carrier and level.

Electricity meters are judged by their metering-installation class (电能计量装置类别 I–V),
fuel scales by static or dynamic weighing, water meters by pipe size (above a nominal
diameter the tighter accuracy applies; the edge lives in ``zcp/data/metering_plan.yaml``).
A meter that states its class, weighing kind or a large pipe is judged here; the plain
per-carrier (and per-level) metrics of ``zcp.metrics.park_structure`` judge the rest, so no
meter is held to two different requirements. The required values live in the metering rule
set; the metrics are rows of the catalogue (``zcp/data/metrics.yaml``) whose ``args`` name
the one attribute that picks the meters (``installation_class``, ``weighing`` or
``large_pipe``) and, optionally, the ``level`` the requirement covers: GB 17167's weighing
accuracy (static ±0.1 %, dynamic ±0.5 %) is for fuel scales at the boundary of the energy-
using unit (进出用能单位), which in a park assessment is the park boundary — a tenant's or a
boiler's coal scale is not held to it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import get_args

from zcp.metrics.context import NO_PARK
from zcp.metrics.registry import (
    MetricContext,
    MetricFunction,
    MetricValue,
    metric_factory,
    metric_function,
)
from zcp.model.park import Meter
from zcp.units import conversion_factor

INSTALLATION_CLASSES = ("I", "II", "III", "IV", "V")
WEIGHING = ("static", "dynamic")
#: the metering levels of a park model (GB 17167: unit boundary, sub-unit, main equipment)
LEVELS: tuple[str, ...] = get_args(Meter.model_fields["level"].annotation)
SOLID_FUELS = ("coal", "coke")

Selector = Callable[[Meter], bool]


@functools.cache
def large_water_meter_dn_mm() -> float:
    """Nominal diameter [mm] above which a water meter needs the tighter accuracy."""
    from zcp.graph.metering_plan import PLAN_FILE
    from zcp.yamlio import load_yaml

    rule = load_yaml(PLAN_FILE).data["large_water_meter_dn"]
    return float(rule["value"]) * conversion_factor(rule["unit"], "mm")


def is_large_water_meter(meter: Meter) -> bool:
    """True for a water meter whose pipe is larger than the large-pipe edge [mm]."""
    dn = meter.nominal_diameter_mm
    return meter.carrier == "water" and dn is not None and dn > large_water_meter_dn_mm()


def judged_elsewhere(meter: Meter) -> bool:
    """True for a meter these class-, weighing- or size-specific metrics judge."""
    if meter.carrier == "electricity":
        return meter.installation_class is not None
    if meter.carrier in SOLID_FUELS:
        return meter.weighing is not None
    return is_large_water_meter(meter)


_ACCURACY = re.compile(r"^\s*(?:±\s*)?(\d+(?:\.\d+)?)\s*(?:S|%)?\s*$", re.IGNORECASE)


def accuracy_percent(accuracy_class: str | None) -> float | None:
    """'0.2S' → 0.2, '1.0' → 1.0, '±2.5%' → 2.5 [% of reading]; None if absent or unreadable."""
    if accuracy_class is None:
        return None
    match = _ACCURACY.match(str(accuracy_class))
    return float(match.group(1)) if match else None


def _meters_of_kind(
    installation_class: str | None, weighing: str | None, large_pipe: bool, level: str | None
) -> tuple[str, Selector]:
    """(what the meters are called, which meters) for exactly one distinguishing attribute,
    at one ``level`` if given."""
    what, select = _kind(installation_class, weighing, large_pipe)
    if level is None:
        return what, select
    if level not in LEVELS:
        raise ValueError(f"level {level!r} is not one of {LEVELS}")
    return f"{what} at level {level}", lambda m: m.level == level and select(m)


def _kind(
    installation_class: str | None, weighing: str | None, large_pipe: bool
) -> tuple[str, Selector]:
    given = [installation_class is not None, weighing is not None, large_pipe]
    if sum(given) != 1:
        raise ValueError("give exactly one of installation_class, weighing, large_pipe: true")
    if installation_class is not None:
        if installation_class not in INSTALLATION_CLASSES:
            raise ValueError(
                f"installation_class {installation_class!r} is not one of {INSTALLATION_CLASSES}"
            )
        cls = installation_class
        return (
            f"electricity meters of metering-installation class {cls}",
            lambda m: m.carrier == "electricity" and m.installation_class == cls,
        )
    if weighing is not None:
        if weighing not in WEIGHING:
            raise ValueError(f"weighing {weighing!r} is not one of {WEIGHING}")
        kind = weighing
        return (
            f"coal and coke scales with {kind} weighing",
            lambda m: m.carrier in SOLID_FUELS and m.weighing == kind,
        )
    return "water meters above the large-pipe size", is_large_water_meter


@metric_factory
def worst_accuracy_of_kind(
    unit: str,
    installation_class: str | None = None,
    weighing: str | None = None,
    large_pipe: bool = False,
    level: str | None = None,
) -> MetricFunction:
    """The loosest accuracy class among the meters of one kind that state one
    [% of reading]; unknown, with the reason, when none does."""
    what, select = _meters_of_kind(installation_class, weighing, large_pipe, level)

    def compute(ctx: MetricContext, subject: str | None) -> MetricValue:
        if ctx.park is None:
            return MetricValue(None, unit, NO_PARK)
        chosen = [m for m in ctx.park.meters if select(m)]
        classes = {m.id: accuracy_percent(m.accuracy_class) for m in chosen}
        known = {k: v for k, v in classes.items() if v is not None}
        trace = {"meters": len(chosen), "without_class": sorted(set(classes) - set(known))}
        if not chosen:
            return MetricValue(None, unit, f"no {what}", trace)
        if not known:
            return MetricValue(None, unit, f"no {what} states its accuracy", trace)
        worst = max(known, key=lambda k: known[k])
        return MetricValue(known[worst], unit, None, {**trace, "worst_meter": worst})

    return compute


@metric_factory
def meter_count_of_kind(
    unit: str,
    installation_class: str | None = None,
    weighing: str | None = None,
    large_pipe: bool = False,
    level: str | None = None,
) -> MetricFunction:
    """Number of meters of one kind in the park model [count]."""
    _, select = _meters_of_kind(installation_class, weighing, large_pipe, level)

    def compute(ctx: MetricContext, subject: str | None) -> MetricValue:
        if ctx.park is None:
            return MetricValue(None, unit, NO_PARK)
        return MetricValue(float(sum(1 for m in ctx.park.meters if select(m))), unit)

    return compute


def _all_stated(ctx: MetricContext, what: str, members: Selector, stated: Selector) -> MetricValue:
    """1 [fraction] if every member states the attribute; no value (with the meters named)
    otherwise — a rule uses it so that an accuracy between the two requirements stays
    undetermined."""
    if ctx.park is None:
        return MetricValue(None, "fraction", NO_PARK)
    missing = sorted(m.id for m in ctx.park.meters if members(m) and not stated(m))
    if missing:
        shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        return MetricValue(None, "fraction", f"{what} not stated for {shown}")
    return MetricValue(1.0, "fraction")


@metric_factory
def solid_fuel_weighing_known(unit: str, level: str | None = None) -> MetricFunction:
    """1 [fraction] when every coal or coke scale (at ``level``) states static or dynamic
    weighing."""
    if level is not None and level not in LEVELS:
        raise ValueError(f"level {level!r} is not one of {LEVELS}")

    def compute(ctx: MetricContext, subject: str | None) -> MetricValue:
        return _all_stated(
            ctx,
            "static or dynamic weighing",
            lambda m: m.carrier in SOLID_FUELS and (level is None or m.level == level),
            lambda m: m.weighing is not None,
        )

    return compute


@metric_function
def water_pipe_size_known(ctx: MetricContext, subject: str | None) -> MetricValue:
    """1 [fraction] when every water meter states its pipe size (DN)."""
    return _all_stated(
        ctx,
        "pipe size (nominal_diameter_mm)",
        lambda m: m.carrier == "water",
        lambda m: m.nominal_diameter_mm is not None,
    )
