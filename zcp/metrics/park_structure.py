"""Metrics read from the park's structure: its model, energy-flow graph and metering plan.

The park construction, metering and factory rule sets judge things a park *has* — meters
per carrier and level, their accuracy and calibration, renewable, storage and hydrogen
capacity — before any reading is accounted. These need no ledger, so they live here.

Carrier groups follow the rows of GB 17167's equipping-rate table (electricity, solid
fuel, refined oil, heavy oil, gas, coal gas, steam, water, recoverable waste energy);
accuracy by installation class, weighing kind and pipe size is ``zcp.metrics.meter_accuracy``;
carriers the table has no row for
(hydrogen, heat, hot water, cooling, compressed air) get no rate metric — the metering
rule set asks the assessor about them instead. The green-power shares, hourly matching and
per-tenant figures the standards also use come from the accounting
(``zcp.metrics.ledger_metrics``), under the names the standards asked for.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pandas as pd

from zcp.metrics.context import NO_PARK, EvaluationContext, Lever, register_lever, subject_tenant
from zcp.metrics.meter_accuracy import accuracy_percent, judged_elsewhere
from zcp.metrics.registry import (
    MetricContext,
    MetricFunction,
    MetricValue,
    metric_factory,
    metric_function,
)
from zcp.model import ParkFolder
from zcp.model.park import Meter

#: GB 17167 equipping-rate table rows → zcp carrier ids.
CARRIER_GROUPS: dict[str, tuple[str, ...]] = {
    "electricity": ("electricity",),
    "solid_fuel": ("coal", "coke"),
    "refined_oil": ("diesel", "gasoline"),
    "heavy_oil": ("fuel_oil",),
    "gas": ("natural_gas", "lpg"),
    "coal_gas": ("coal_gas",),
    "steam": ("steam",),
    "water": ("water",),
    "waste_energy": ("waste_heat",),
}
LEVELS = ("park_boundary", "tenant", "equipment")
LEVEL_TEXT = {
    "park_boundary": "crossing the park boundary (进出用能单位)",
    "tenant": "into or out of a tenant (次级用能单位)",
    "equipment": "of main energy-using equipment (主要用能设备)",
}
RENEWABLE_TECHNOLOGIES = ("wind", "pv", "hydro", "biomass")


# -- access to the park, its graph and metering plan, built once per context ------------
def _folder(ctx: MetricContext) -> ParkFolder | None:
    folder = ctx.inputs.get("park_folder")
    return folder if isinstance(folder, ParkFolder) else None


def _plan_flows(ctx: MetricContext, folder: ParkFolder) -> pd.DataFrame:
    from zcp.graph import build_graph, metering_plan

    graph = ctx.memo("park_graph", lambda: build_graph(folder))
    return ctx.memo("metering_plan", lambda: metering_plan(graph)).flows


def _meters(ctx: MetricContext) -> list[Any] | None:
    park = ctx.park
    return None if park is None else list(park.meters)


def _group_of(carrier: str) -> str | None:
    for group, carriers in CARRIER_GROUPS.items():
        if carrier in carriers:
            return group
    return None


# -- meter configuration rates (GB 17167 配备率) ------------------------------------------
def _plan_rows(ctx: MetricContext, level: str, group: str) -> Any | None:
    folder = _folder(ctx)
    if folder is None:
        return None
    frame = _plan_flows(ctx, folder)
    mask = (frame["level"] == level) & frame["carrier"].isin(CARRIER_GROUPS[group])
    return frame[mask]


@metric_factory
def equipping_rate(unit: str, level: str, group: str) -> MetricFunction:
    """配备率 (GB 17167 3.2): metered ÷ needed ``group`` flows at ``level`` [fraction]."""

    def compute(ctx: MetricContext, subject: str | None) -> MetricValue:
        rows = _plan_rows(ctx, level, group)
        if rows is None:
            return MetricValue(None, "fraction", NO_PARK)
        needed, installed = len(rows), int(rows["metered"].sum())
        trace = {
            "needed": needed,
            "installed": installed,
            "unmetered_flows": sorted(rows.loc[~rows["metered"], "flow_id"]),
        }
        if needed == 0:
            return MetricValue(None, "fraction", f"no {group} flow {LEVEL_TEXT[level]}", trace)
        return MetricValue(installed / needed, "fraction", None, trace)

    return compute


@metric_factory
def flows_needing_meters(unit: str, level: str, group: str) -> MetricFunction:
    """How many ``group`` flows at ``level`` a full metering plan meters [count]."""

    def compute(ctx: MetricContext, subject: str | None) -> MetricValue:
        rows = _plan_rows(ctx, level, group)
        if rows is None:
            return MetricValue(None, "count", NO_PARK)
        return MetricValue(float(len(rows)), "count", None, {"flows": sorted(rows["flow_id"])})

    return compute


def _add_meters(ctx: EvaluationContext, amount: float) -> EvaluationContext:
    """What-if: ``amount`` more meters (whole meters) at every level and carrier group that
    is short of its plan — gap analysis finds how many an equipping-rate rule needs."""
    extra, values = math.floor(amount), {}
    for name in ctx.registry.names_from(equipping_rate):
        rate = ctx.value(name)
        needed, installed = rate.trace.get("needed"), rate.trace.get("installed")
        if rate.value is not None and needed and installed is not None:
            values[name] = min(needed, installed + extra) / needed
    return ctx.with_values(values)


register_lever(
    Lever("meters_added", "count", "meters added at each level and carrier short of its "
          "metering plan (whole meters)", _add_meters, max_amount=500, step=1.0,
          moves=frozenset(f"meter_rate_{lv}_{g}" for lv in LEVELS for g in CARRIER_GROUPS))
)  # fmt: skip


# -- accuracy, calibration and intervals ----------------------------------------------------
@metric_factory
def worst_accuracy(unit: str, group: str, level: str | None = None) -> MetricFunction:
    """The loosest accuracy class among ``group`` meters (at ``level``) [% of reading]."""

    def compute(ctx: MetricContext, subject: str | None) -> MetricValue:
        meters = _meters(ctx)
        if meters is None:
            return MetricValue(None, "percent", NO_PARK)

        chosen = [
            m
            for m in meters
            if _group_of(m.carrier) == group
            and (level is None or m.level == level)
            and not judged_elsewhere(m)  # by installation class, weighing or pipe size
        ]
        classes = {m.id: accuracy_percent(m.accuracy_class) for m in chosen}
        known = {k: v for k, v in classes.items() if v is not None}
        trace = {"meters": len(chosen), "without_class": sorted(set(classes) - set(known))}
        if not chosen:
            return MetricValue(None, "percent", f"no {group} meter", trace)
        if not known:
            return MetricValue(None, "percent", f"no {group} meter states its accuracy", trace)
        worst = max(known, key=lambda k: known[k])
        return MetricValue(known[worst], "percent", None, {**trace, "worst_meter": worst})

    return compute


@metric_factory
def meter_count(unit: str, group: str, level: str | None = None) -> MetricFunction:
    """Number of ``group`` meters (at ``level``) in the park model [count]."""

    def compute(ctx: MetricContext, subject: str | None) -> MetricValue:
        meters = _meters(ctx)
        if meters is None:
            return MetricValue(None, "count", NO_PARK)

        n = sum(
            1
            for m in meters
            if _group_of(m.carrier) == group
            and (level is None or m.level == level)
            and not judged_elsewhere(m)
        )
        return MetricValue(float(n), "count")

    return compute


def _share(ctx: MetricContext, unit: str, test: Callable[[Meter], bool], what: str) -> MetricValue:
    meters = _meters(ctx)
    if meters is None:
        return MetricValue(None, unit, NO_PARK)
    if not meters:
        return MetricValue(None, unit, "the park model has no meters")
    failing = sorted(m.id for m in meters if not test(m))
    trace = {"meters": len(meters), what: failing[:50], f"{what}_count": len(failing)}
    return MetricValue((len(meters) - len(failing)) / len(meters), unit, None, trace)


@metric_function
def meter_accuracy_declared_share(ctx: MetricContext, subject: str | None) -> MetricValue:
    """Share of meters stating a readable accuracy class [fraction] (undeclared ones cannot
    be checked)."""
    return _share(
        ctx, "fraction", lambda m: accuracy_percent(m.accuracy_class) is not None, "without_class"
    )


@metric_function
def meter_calibration_current_share(ctx: MetricContext, subject: str | None) -> MetricValue:
    """Share of meters whose calibration (检定/校准) is still valid on the assessment date
    [fraction];
    a meter stating no calibration date and interval counts as not current."""
    if ctx.park is None:
        return MetricValue(None, "fraction", NO_PARK)
    day = ctx.as_of or ctx.park.reporting_period.end

    def current(meter: Any) -> bool:
        due = meter.calibration_due()
        return due is not None and meter.calibrated_on <= day <= due

    return _share(ctx, "fraction", current, "not_current")


def _interval_max(ctx: MetricContext, field: str, levels: tuple[str, ...]) -> MetricValue:
    meters = _meters(ctx)
    if meters is None:
        return MetricValue(None, "min", NO_PARK)
    chosen = [m for m in meters if m.level in levels]
    if not chosen:
        return MetricValue(None, "min", f"no meter at level {', '.join(levels)}")
    missing = sorted(m.id for m in chosen if getattr(m, field) is None)
    trace = {"meters": len(chosen), "not_stated": missing}
    if missing:
        return MetricValue(None, "min", f"{len(missing)} meter(s) state no {field}", trace)
    worst = max(chosen, key=lambda m: getattr(m, field))
    return MetricValue(float(getattr(worst, field)), "min", None, {**trace, "worst": worst.id})


@metric_function
def meter_interval_max_boundary_tenant(ctx: MetricContext, subject: str | None) -> MetricValue:
    """Longest reading interval of park-boundary and tenant meters [min]."""
    return _interval_max(ctx, "interval_minutes", ("park_boundary", "tenant"))


@metric_function
def meter_upload_interval_max_boundary(ctx: MetricContext, subject: str | None) -> MetricValue:
    """Longest interval at which park-boundary meters upload to the platform [min]; unknown
    while any boundary meter states none."""
    return _interval_max(ctx, "upload_interval_minutes", ("park_boundary",))


# -- generation, storage and hydrogen capacity -------------------------------------------
def _is_renewable(asset: Any) -> bool:
    return asset.technology in RENEWABLE_TECHNOLOGIES


#: Asset selections a capacity metric can sum over: name → (asset type, which assets).
ASSET_SELECTIONS: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "renewable": ("generator", _is_renewable),
    "renewable_on_site": ("generator", lambda a: _is_renewable(a) and a.site == "on_site"),
    "electricity_storage": ("storage", lambda a: a.carrier == "electricity"),
    "electrolyser": ("converter", lambda a: a.technology == "electrolyser"),
    "hydrogen_storage": ("storage", lambda a: a.technology == "hydrogen"),
}


@metric_factory
def installed_capacity(unit: str, assets: str, size: str) -> MetricFunction:
    """Σ of the ``size`` field (capacity [MW], power [MW], energy_capacity [MWh] …) over the
    park's assets in selection ``assets`` (a key of ``ASSET_SELECTIONS``)."""
    kind, select = ASSET_SELECTIONS[assets]

    def compute(ctx: MetricContext, subject: str | None) -> MetricValue:
        if ctx.park is None:
            return MetricValue(None, unit, NO_PARK)
        chosen = [a for a in ctx.park.assets if a.type == kind and select(a)]
        total = sum(getattr(a, size) or 0.0 for a in chosen)
        return MetricValue(total, unit, None, {"assets": [a.id for a in chosen]})

    return compute


@metric_function
def storage_to_renewable_power_ratio(ctx: MetricContext, subject: str | None) -> MetricValue:
    """Electricity-storage power [MW] ÷ renewable capacity [MW] (配储比例) [fraction]."""
    power, renewable = ctx.value("storage_power"), ctx.value("renewable_capacity")
    if power.value is None or renewable.value is None:
        return MetricValue(None, "fraction", power.reason or renewable.reason)
    if renewable.value <= 0:
        return MetricValue(None, "fraction", "the park has no renewable capacity")
    trace = {"storage_MW": power.value, "renewable_MW": renewable.value}
    return MetricValue(power.value / renewable.value, "fraction", None, trace)


# -- tenant figures from the park model -----------------------------------------------------
@metric_function
def tenant_energy_quota_position(ctx: MetricContext, subject: str | None) -> MetricValue:
    """Where the tenant's worst product sits between its quota's grade 2 (0) and grade 1 (1):
    (grade2 − actual) ÷ (grade2 − grade1) [fraction]. GB/T 36132-2025 scores product energy
    use from the baseline (grade 2) to the leading value (grade 1)."""
    if ctx.park is None:
        return MetricValue(None, "fraction", NO_PARK)
    tenant = subject_tenant(ctx, subject)
    if tenant is None:
        return MetricValue(None, "fraction", f"no tenant {subject!r} in the park")
    positions = {}
    for p in tenant.products:
        actual, grade1, grade2 = p.energy_per_unit, p.quota_grade1, p.quota_grade2
        if actual is None or grade1 is None or grade2 is None:
            continue
        if grade2 <= grade1:
            continue
        positions[p.name] = (grade2 - actual) / (grade2 - grade1)
    if not positions:
        return MetricValue(
            None, "fraction", f"tenant {subject} states no product with energy use and quota grades"
        )
    worst = min(positions, key=lambda k: positions[k])
    return MetricValue(
        positions[worst], "fraction", None, {"products": positions, "worst_product": worst}
    )
