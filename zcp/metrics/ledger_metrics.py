"""Metric functions over the accounting ledger, and levers that re-run it.

The context's ``inputs`` select the run: ``park_folder`` (a loaded park), optionally
``accounting_profile`` (the profile id a rule set names; default the national park
profile), ``readings`` (loaded meter data) and ``ledger_what_if`` (a
:class:`zcp.ledger.whatif.WhatIf` a lever added). One ledger run serves every metric of a
context (``ctx.memo``).
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import Any

from zcp.ledger import Ledger, LedgerResult
from zcp.ledger.profile import DEFAULT_PROFILE, canonical_profile_name
from zcp.ledger.topology import PARK_ENTITY
from zcp.ledger.whatif import AddedCapacity, WhatIf, run_what_if
from zcp.metrics.context import NO_PARK, EvaluationContext, Lever, register_lever
from zcp.metrics.metric_catalogue import read_catalogue
from zcp.metrics.registry import MetricContext, MetricFunction, MetricValue, metric_factory
from zcp.model import ParkFolder
from zcp.model.design_figures import WIND_CAPACITY_FACTOR

WHAT_IF_KEY = "ledger_what_if"

#: Every metric computed from the ledger's result: what the ledger levers can move.
LEDGER_METRICS: set[str] = {
    row.name for row in read_catalogue() if row.module == "zcp.metrics.ledger_metrics"
}


#: park folder → (canonical profile, id of the readings) → its prepared ledger
_LEDGERS: weakref.WeakKeyDictionary[ParkFolder, dict[tuple[str, int], Ledger]] = (
    weakref.WeakKeyDictionary()
)


@functools.lru_cache(maxsize=32)
def _canonical_profile(name: str) -> str:
    """The shipped profile's name for ``name`` or an alias (every metric of every what-if
    asks; resolving an alias reads each profile file)."""
    return canonical_profile_name(name)


def ledger_for(ctx: MetricContext) -> Ledger | None:
    folder = ctx.inputs.get("park_folder")
    if not isinstance(folder, ParkFolder):
        return None
    profile = _canonical_profile(ctx.inputs.get("accounting_profile") or DEFAULT_PROFILE)
    readings = ctx.inputs.get("readings")
    # Shared by every context over this park folder (each profile view has its own memo),
    # keyed by the canonical name, so rule sets naming a profile by an alias share one run.
    ledgers = _LEDGERS.setdefault(folder, {})
    key = (profile, id(readings))
    if key not in ledgers:
        ledgers[key] = Ledger(folder, profile=profile, readings=readings)
    return ledgers[key]


def ledgers_built(folder: ParkFolder) -> list[Ledger]:
    """The ledgers built over this park folder so far (one per accounting profile and
    readings), in the order they were built: what an evaluation's accounting read."""
    return list(_LEDGERS.get(folder, {}).values())


def result_for(ctx: MetricContext) -> LedgerResult | None:
    ledger = ledger_for(ctx)
    if ledger is None:
        return None
    change: WhatIf | None = ctx.inputs.get(WHAT_IF_KEY)
    key = f"ledger_result:{ledger.profile.id}"
    if change is None:
        return ctx.memo(key, ledger.result)
    return ctx.memo(key + ":what-if", lambda: run_what_if(ledger, change))


def _park_metric(unit: str, compute: Callable[[LedgerResult], Any]) -> MetricFunction:
    def fn(ctx: MetricContext, subject: str | None) -> MetricValue:
        result = result_for(ctx)
        if result is None:
            return MetricValue(None, unit, NO_PARK)
        out = compute(result)
        if isinstance(out, MetricValue):
            return out
        return MetricValue(out, unit, None, _trace(result))

    return fn


def _trace(result: LedgerResult) -> dict[str, Any]:
    return {"profile": result.profile["id"], "basis": result.basis,
            "factors": [f["id"] for f in result.factors]}  # fmt: skip


def _share(result: LedgerResult, mwh: float) -> float | None:
    load = result.energy_summary["electricity_mwh"]
    return mwh / load if load > 0 else None


def _instrument_mwh(result: LedgerResult, types: set[str]) -> float:
    ids = {u["id"] for u in result.instruments_used if u.get("type") in types}
    lines = result.counted()
    return float(lines.loc[lines["instrument"].isin(ids), "activity"].sum())


# -- park metrics -------------------------------------------------------------------------
@metric_factory
def ledger_indicator(unit: str, key: str) -> MetricFunction:
    """One of the ledger's indicators (``LedgerResult.indicators[key]``), with its reason
    when the ledger could not form it."""

    def compute(result: LedgerResult) -> MetricValue:
        ind = result.indicators[key]
        return MetricValue(ind.value, ind.unit, ind.reason, _trace(result))

    return _park_metric(unit, compute)


@metric_factory
def profile_electricity_to_tce(unit: str) -> MetricFunction:
    """The electricity → tce coefficient [tce/MWh] the accounting profile used."""
    return _park_metric(unit, _profile_electricity_to_tce)


@metric_factory
def electricity_in_energy(unit: str) -> MetricFunction:
    """Electricity [MWh] counted in 综合能源消费量 (net of own fuel-fired generation)."""
    return _park_metric(unit, _electricity_in_energy)


def _profile_electricity_to_tce(result: LedgerResult) -> float | None:
    """The electricity → tce coefficient [tce/MWh] the accounting profile used."""
    factor_id = result.profile["electricity"]["to_tce"]
    return next((f["value"] for f in result.factors if f["id"] == factor_id), None)


def _electricity_in_energy(result: LedgerResult) -> float | None:
    """Electricity [MWh] counted in 综合能源消费量 (net of power the park's own fuel-fired
    generators made, which counts as their fuel) — what a rule set's own electricity → tce
    coefficient re-prices."""
    coefficient = _profile_electricity_to_tce(result)
    if not coefficient:
        return None
    energy = result.energy
    mask = energy["in_boundary"].astype(bool) & (energy["carrier"] == "electricity")
    return float(energy.loc[mask, "tce"].sum()) / coefficient


@metric_factory
def energy_summary_figure(unit: str, key: str) -> MetricFunction:
    """One figure of ``LedgerResult.energy_summary`` (energy [tce], emissions [tCO2])."""
    return _park_metric(unit, lambda r: r.energy_summary[key])


@metric_factory
def ledger_total(unit: str, key: str) -> MetricFunction:
    """One of the ledger's totals (``LedgerResult.totals[key]``) [tCO2e]."""
    return _park_metric(unit, lambda r: r.totals[key])


@metric_factory
def instrument_share(unit: str, types: list[str]) -> MetricFunction:
    """Electricity covered by instruments of ``types`` ÷ the park's electricity use [MWh/MWh]."""
    chosen = set(types)
    return _park_metric(unit, lambda r: _share(r, _instrument_mwh(r, chosen)))


@metric_factory
def direct_supply_split(unit: str, key: str) -> MetricFunction:
    """Direct green supply ``energy_summary[key]`` (``direct_on_site_mwh`` or
    ``direct_dedicated_line_mwh``, the ledger splitting direct supply by delivered
    generation) ÷ the park's electricity use [MWh/MWh]."""
    return _park_metric(unit, lambda r: _share(r, r.energy_summary.get(key, 0.0)))


@metric_factory
def renewable_energy_share(unit: str) -> MetricFunction:
    """(clean − natural gas) ÷ total energy use [tce/tce]: the national profile counts gas as
    clean, renewable shares do not."""

    def compute(r: LedgerResult) -> float | None:
        summary = r.energy_summary
        if summary["energy_tce"] <= 0:
            return None
        return (summary["clean_energy_tce"] - summary.get("natural_gas_tce", 0.0)) / summary[
            "energy_tce"
        ]

    return _park_metric(unit, compute)


# -- tenant metrics -----------------------------------------------------------------------
def _tenant_metric(unit: str, compute: Callable[[LedgerResult, str], Any]) -> MetricFunction:
    def fn(ctx: MetricContext, subject: str | None) -> MetricValue:
        result = result_for(ctx)
        if result is None:
            return MetricValue(None, unit, NO_PARK)
        entity = subject or PARK_ENTITY
        out = compute(result, entity)
        if isinstance(out, MetricValue):
            return out
        reason = None if out is not None else f"not computable for {entity!r} from the inventory"
        return MetricValue(out, unit, reason, {**_trace(result), "entity": entity})

    return fn


def _row(result: LedgerResult, entity: str) -> dict[str, float] | None:
    table = result.by_tenant().set_index("entity")
    return table.loc[entity].to_dict() if entity in table.index else None


def _energy(result: LedgerResult, entity: str) -> tuple[float, float]:
    """Total and non-fossil energy use [tce] (natural gas is fossil, whatever the profile
    counts as clean)."""
    e = result.energy[result.energy["entity"] == entity]
    return float(e["tce"].sum()), float(e["non_fossil_tce"].sum())


def _ratio(a: float, b: float) -> float | None:
    return a / b if b > 0 else None


def _neutralised(result: LedgerResult, entity: str, scope3: bool) -> float | None:
    row = _row(result, entity)
    if row is None:
        return None
    gross = row["scope1_t"] + row["scope2_market_t"]
    if scope3:  # transport (cat. 4, 9) and purchased products (cat. 1)
        lines = result.counted()
        cats = ["scope3_cat1", "scope3_cat4", "scope3_cat9"]
        gross += float(
            lines.loc[(lines["entity"] == entity) & lines["category"].isin(cats), "tco2e"].sum()
        )
    return min(row["offsets_t"] / gross, 1.0) if gross > 0 else None


def _physical_share(result: LedgerResult, entity: str) -> float | None:
    el = result.electricity[result.electricity["entity"] == entity]
    bundled = _instrument_mwh_entity(result, entity, {"green_power_trading", "PPA"})
    return _ratio(float(el["green_annual"].sum()) + bundled, float(el["load"].sum()))


def _instrument_mwh_entity(result: LedgerResult, entity: str, types: set[str]) -> float:
    ids = {u["id"] for u in result.instruments_used if u.get("type") in types}
    lines = result.counted()
    mask = lines["instrument"].isin(ids) & (lines["entity"] == entity)
    return float(lines.loc[mask, "activity"].sum())


def _tenant_co2(result: LedgerResult, entity: str) -> float:
    lines = result.counted()
    lines = lines[(lines["entity"] == entity) & (lines["gas"] == "co2")]
    basis = "market" if result.profile["indicator_scope2"] == "market" else "location"
    mask = (lines["scope"] == "1") | (
        (lines["scope"] == "2") & lines["basis"].isin([basis, "both"])
    )
    return float(lines.loc[mask, "tco2e"].sum())


@metric_factory
def tenant_summary_figure(unit: str, column: str) -> MetricFunction:
    """One column of ``LedgerResult.by_tenant()`` for the tenant (electricity [MWh], shares)."""
    return _tenant_metric(unit, lambda r, e: (_row(r, e) or {}).get(column))


@metric_factory
def tenant_physical_non_fossil_electricity_share(unit: str) -> MetricFunction:
    """(physically delivered green electricity + bundled green-power trades) ÷ the tenant's
    electricity load [MWh/MWh]."""
    return _tenant_metric(unit, _physical_share)


@metric_factory
def tenant_neutralised_share(unit: str, with_scope3: bool) -> MetricFunction:
    """Retired offsets ÷ the tenant's scope 1 + market-based scope 2 emissions (plus scope 3
    categories 1, 4 and 9 when ``with_scope3``), capped at 1 [tCO2e/tCO2e]."""
    return _tenant_metric(unit, lambda r, e: _neutralised(r, e, with_scope3))


@metric_factory
def tenant_carbon_per_unit_energy(unit: str) -> MetricFunction:
    """The tenant's CO2 (scope 1 + the profile's scope-2 basis) ÷ its energy use [tCO2/tce]."""
    return _tenant_metric(unit, lambda r, e: _ratio(_tenant_co2(r, e), _energy(r, e)[0]))


@metric_factory
def tenant_non_fossil_energy_share(unit: str) -> MetricFunction:
    """The tenant's non-fossil energy ÷ its total energy use [tce/tce]."""
    return _tenant_metric(unit, lambda r, e: _ratio(_energy(r, e)[1], _energy(r, e)[0]))


@metric_factory
def tenant_carbon_per_value_added(unit: str) -> MetricFunction:
    """Always unknown [tCO2/wan_CNY]: the park model states no value added per tenant."""
    return _tenant_metric(
        unit, lambda r, e: MetricValue(None, unit, "the park model has no value added per tenant")
    )


# -- levers ---------------------------------------------------------------------------------
#: Natural resolution of the ledger levers' amounts: 0.1 MW of capacity, 1 MWh of certificates.
CAPACITY_STEP_MW = 0.1
CERTIFICATE_STEP_MWH = 1.0
#: Capacity factors the ledger levers assume unless told otherwise (stated in each lever):
#: PV 0.18, an illustrative default; wind the design figures' illustrative onshore default
#: (``zcp.model.design_figures.WIND_CAPACITY_FACTOR``), so new wind in a what-if yields what
#: a stated design would (the former 0.32 here was an unsourced duplicate).
PV_CAPACITY_FACTOR = 0.18


def with_what_if(ctx: EvaluationContext, change: WhatIf) -> EvaluationContext:
    """A copy of ``ctx`` whose ledger runs with ``change`` added to any what-if it has —
    how a lever applies, and how the planner applies what no lever offers (storage)."""
    new = ctx.with_values({})
    before: WhatIf = new.inputs.get(WHAT_IF_KEY) or WhatIf()
    new.inputs[WHAT_IF_KEY] = before.plus(change)
    for key in [k for k in new.inputs if k.startswith("ledger_result:")]:
        del new.inputs[key]
    return new


def _lever(
    name: str,
    unit: str,
    text: str,
    change: Callable[[float, str | None], WhatIf],
    most: float,
    step: float,
    beneficiary: str | None = None,
) -> Lever:
    def apply(ctx: EvaluationContext, amount: float) -> EvaluationContext:
        return with_what_if(ctx, change(amount, beneficiary))

    def for_subject(tenant: str) -> Lever:
        return _lever(name, unit, f"{text}, for tenant {tenant}", change, most, step, tenant)

    return Lever(
        name, unit, text, apply, most, step=step, moves=frozenset(LEDGER_METRICS),
        for_subject=None if beneficiary else for_subject,
    )  # fmt: skip


def ledger_levers(
    *,
    pv_capacity_factor: float = PV_CAPACITY_FACTOR,
    wind_capacity_factor: float = WIND_CAPACITY_FACTOR,
) -> list[Lever]:
    """Levers that re-run the accounting: certificates [MWh], extra PV or wind [MW]."""
    return [
        _lever(
            "green_certificates",
            "MWh",
            "hypothetical certificates retired (market-based; annual matching)",
            lambda a, who: WhatIf(certificates_mwh=a, beneficiary=who),
            5_000_000.0,
            CERTIFICATE_STEP_MWH,
        ),
        _lever(
            "extra_pv",
            "MW",
            f"on-site PV at capacity factor {pv_capacity_factor:g}, clear-sky hourly shape",
            lambda a, who: WhatIf(
                capacity=(AddedCapacity("pv", a, pv_capacity_factor),), beneficiary=who
            ),
            5_000.0,
            CAPACITY_STEP_MW,
        ),
        _lever(
            "extra_wind",
            "MW",
            f"on-site wind at capacity factor {wind_capacity_factor:g}, on the park's modelled "
            "wind year (seeded wind series through a generic power curve)",
            lambda a, who: WhatIf(
                capacity=(AddedCapacity("wind", a, wind_capacity_factor),), beneficiary=who
            ),
            5_000.0,
            CAPACITY_STEP_MW,
        ),
    ]


for _lever_item in ledger_levers():
    register_lever(_lever_item)
