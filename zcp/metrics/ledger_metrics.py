"""Metric functions over the accounting ledger, and levers that re-run it.

The context's ``inputs`` select the run: ``park_folder`` (a loaded park), optionally
``accounting_profile`` (the profile id a rule set names; default the national park
profile), ``readings`` (loaded meter data) and ``ledger_what_if`` (a
:class:`zcp.ledger.whatif.WhatIf` a lever added). One ledger run serves every metric of a
context (``ctx.memo``).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from zcp.ledger import Ledger, LedgerResult
from zcp.ledger.profile import DEFAULT_PROFILE, canonical_profile_name
from zcp.ledger.topology import PARK_ENTITY
from zcp.ledger.whatif import AddedCapacity, WhatIf, run_what_if
from zcp.metrics.context import NO_PARK, EvaluationContext, Lever, register_lever
from zcp.metrics.registry import REGISTRY, MetricValue

WHAT_IF_KEY = "ledger_what_if"

#: Every metric computed from the ledger's result: what the ledger levers can move.
LEDGER_METRICS: set[str] = set()


_LEDGERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def ledger_for(ctx: EvaluationContext) -> Ledger | None:
    folder = ctx.inputs.get("park_folder")
    if folder is None:
        return None
    profile = canonical_profile_name(ctx.inputs.get("accounting_profile") or DEFAULT_PROFILE)
    readings = ctx.inputs.get("readings")
    # Shared by every context over this park folder (each profile view has its own memo),
    # keyed by the canonical name, so rule sets naming a profile by an alias share one run.
    ledgers = _LEDGERS.setdefault(folder, {})
    key = (profile, id(readings))
    if key not in ledgers:
        ledgers[key] = Ledger(folder, profile=profile, readings=readings)
    return ledgers[key]


def result_for(ctx: EvaluationContext) -> LedgerResult | None:
    ledger = ledger_for(ctx)
    if ledger is None:
        return None
    change: WhatIf | None = ctx.inputs.get(WHAT_IF_KEY)
    key = f"ledger_result:{ledger.profile.id}"
    if change is None:
        return ctx.memo(key, ledger.result)
    return ctx.memo(key + ":what-if", lambda: run_what_if(ledger, change))


def _park_metric(name: str, unit: str, compute: Callable[[LedgerResult], Any]) -> None:
    def fn(ctx: EvaluationContext, subject: str | None) -> MetricValue:
        result = result_for(ctx)
        if result is None:
            return MetricValue(None, unit, NO_PARK)
        out = compute(result)
        if isinstance(out, MetricValue):
            return out
        return MetricValue(out, unit, None, _trace(result))

    REGISTRY.metric(name, unit=unit)(fn)
    LEDGER_METRICS.add(name)


def _trace(result: LedgerResult) -> dict[str, Any]:
    return {"profile": result.profile["id"], "basis": result.basis,
            "factors": [f["id"] for f in result.factors]}  # fmt: skip


def _indicator(key: str) -> Callable[[LedgerResult], MetricValue]:
    def compute(result: LedgerResult) -> MetricValue:
        ind = result.indicators[key]
        return MetricValue(ind.value, ind.unit, ind.reason, _trace(result))

    return compute


def _share(result: LedgerResult, mwh: float) -> float | None:
    load = result.energy_summary["electricity_mwh"]
    return mwh / load if load > 0 else None


def _instrument_mwh(result: LedgerResult, types: set[str]) -> float:
    ids = {u["id"] for u in result.instruments_used if u.get("type") in types}
    lines = result.counted()
    return float(lines.loc[lines["instrument"].isin(ids), "activity"].sum())


def _direct_split(result: LedgerResult, dedicated: bool) -> float:
    """Direct supply from dedicated lines (or on-site), split by delivered generation."""
    key = "direct_dedicated_line_mwh" if dedicated else "direct_on_site_mwh"
    return result.energy_summary.get(key, 0.0)


# -- park metrics -------------------------------------------------------------------------
for _name, _unit, _key in (
    ("carbon_per_unit_energy", "tCO2/tce", "carbon_per_energy_t_per_tce"),
    ("clean_energy_share", "fraction", "clean_energy_share"),
    ("direct_supply_share", "fraction", "direct_supply_share"),
    ("green_electricity_share", "fraction", "green_electricity_share"),
    ("hourly_cfe_score", "fraction", "hourly_cfe_score"),
):
    _park_metric(_name, _unit, _indicator(_key))

_park_metric("park_energy_consumption", "tce", lambda r: r.energy_summary["energy_tce"])


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


REGISTRY.declare(
    "park_electricity_in_energy", unit="MWh",
    description="Electricity counted in the park's comprehensive energy consumption (net of "
    "own fuel-fired generation), the quantity a rule set's electricity → tce method prices.",
)  # fmt: skip
REGISTRY.declare(
    "park_electricity_to_tce_profile", unit="tce/MWh",
    description="The electricity → standard-coal coefficient the accounting profile used.",
)  # fmt: skip
_park_metric("park_electricity_in_energy", "MWh", _electricity_in_energy)
_park_metric("park_electricity_to_tce_profile", "tce/MWh", _profile_electricity_to_tce)
_park_metric("park_co2_emissions", "tCO2", lambda r: r.energy_summary["indicator_emissions_t"])
_park_metric(
    "green_power_trading_share", "fraction",
    lambda r: _share(r, _instrument_mwh(r, {"green_power_trading", "PPA"})),
)  # fmt: skip
_park_metric(
    "green_certificate_share", "fraction",
    lambda r: _share(r, _instrument_mwh(r, {"GEC", "I-REC", "GO"})),
)  # fmt: skip
_park_metric("on_site_green_share", "fraction", lambda r: _share(r, _direct_split(r, False)))
_park_metric("dedicated_line_green_share", "fraction", lambda r: _share(r, _direct_split(r, True)))
_park_metric(
    "renewable_energy_share", "fraction",
    lambda r: (r.energy_summary["clean_energy_tce"] - r.energy_summary.get("natural_gas_tce", 0.0))
    / r.energy_summary["energy_tce"] if r.energy_summary["energy_tce"] > 0 else None,
)  # fmt: skip


for _name, _key, _text in (
    ("scope1_emissions", "scope1_t", "Scope 1 emissions inside the boundary under the profile."),
    ("scope2_location_emissions", "scope2_location_t", "Scope 2, location-based."),
    ("scope2_market_emissions", "scope2_market_t", "Scope 2, market-based."),
    ("scope3_emissions", "scope3_t", "Scope 3 as given (user factors), inside the boundary."),
    ("offsets_retired", "offsets_t", "Eligible retired carbon credits."),
    ("net_emissions", "net_t", "Net emissions as the profile forms them (see net_basis)."),
):
    REGISTRY.declare(_name, unit="tCO2e", description=_text)
    _park_metric(_name, "tCO2e", lambda r, key=_key: r.totals[key])


# -- tenant metrics -----------------------------------------------------------------------
def _tenant_metric(name: str, unit: str, compute: Callable[[LedgerResult, str], Any]) -> None:
    def fn(ctx: EvaluationContext, subject: str | None) -> MetricValue:
        result = result_for(ctx)
        if result is None:
            return MetricValue(None, unit, NO_PARK)
        entity = subject or PARK_ENTITY
        out = compute(result, entity)
        if isinstance(out, MetricValue):
            return out
        reason = None if out is not None else f"not computable for {entity!r} from the inventory"
        return MetricValue(out, unit, reason, {**_trace(result), "entity": entity})

    REGISTRY.metric(name, unit=unit, subject="tenant")(fn)
    LEDGER_METRICS.add(name)


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


_tenant_metric(
    "tenant_electricity_consumption", "MWh",
    lambda r, e: (_row(r, e) or {}).get("electricity_mwh"),
)  # fmt: skip
_tenant_metric(
    "tenant_renewable_electricity_share", "fraction",
    lambda r, e: (_row(r, e) or {}).get("green_electricity_share"),
)  # fmt: skip
_tenant_metric("tenant_physical_non_fossil_electricity_share", "fraction", _physical_share)
_tenant_metric("tenant_neutralised_share_type_i", "fraction",
               lambda r, e: _neutralised(r, e, False))  # fmt: skip
_tenant_metric("tenant_neutralised_share_type_ii", "fraction",
               lambda r, e: _neutralised(r, e, True))  # fmt: skip
_tenant_metric("tenant_carbon_per_unit_energy", "tCO2/tce",
               lambda r, e: _ratio(_tenant_co2(r, e), _energy(r, e)[0]))  # fmt: skip
_tenant_metric("tenant_non_fossil_energy_share", "fraction",
               lambda r, e: _ratio(_energy(r, e)[1], _energy(r, e)[0]))  # fmt: skip
_tenant_metric("tenant_renewable_energy_share", "fraction",
               lambda r, e: _ratio(_energy(r, e)[1], _energy(r, e)[0]))  # fmt: skip
_tenant_metric(
    "tenant_carbon_per_value_added", "tCO2/wan_CNY",
    lambda r, e: MetricValue(None, "tCO2/wan_CNY", "the park model has no value added per tenant"),
)  # fmt: skip


# -- levers ---------------------------------------------------------------------------------
#: Natural resolution of the ledger levers' amounts: 0.1 MW of capacity, 1 MWh of certificates.
CAPACITY_STEP_MW = 0.1
CERTIFICATE_STEP_MWH = 1.0
#: Capacity factors the ledger levers assume unless told otherwise (stated in each lever).
PV_CAPACITY_FACTOR = 0.18
WIND_CAPACITY_FACTOR = 0.32


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
        new = ctx.with_values({})
        before: WhatIf = new.inputs.get(WHAT_IF_KEY) or WhatIf()
        new.inputs[WHAT_IF_KEY] = before.plus(change(amount, beneficiary))
        for key in [k for k in new.inputs if k.startswith("ledger_result:")]:
            del new.inputs[key]
        return new

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
            f"on-site wind at capacity factor {wind_capacity_factor:g}, flat hourly shape",
            lambda a, who: WhatIf(
                capacity=(AddedCapacity("wind", a, wind_capacity_factor),), beneficiary=who
            ),
            5_000.0,
            CAPACITY_STEP_MW,
        ),
    ]


for _lever_item in ledger_levers():
    register_lever(_lever_item)
