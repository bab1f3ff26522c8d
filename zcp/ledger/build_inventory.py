"""Assembling one inventory from prepared aggregates: the cheap part every run repeats.

Instrument eligibility per beneficiary's own period, scope-2 lines, fuel and activity
lines, offsets, energy in tce, indicators, and the provenance a result carries (factors
with the rule that chose them, losses, the direct-supply split, the scope-3 report).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from zcp.factors import FactorLibrary
from zcp.ledger import non_grid_lines
from zcp.ledger.activity import Activity
from zcp.ledger.aggregate import Aggregates
from zcp.ledger.electricity import GridFactors, grid_need, physical_clean, scope2_lines
from zcp.ledger.entity_factors import entity_country
from zcp.ledger.fixed_parts import FixedParts, direct_split, fixed_parts, in_window
from zcp.ledger.indicators import fuel_energy, indicators, with_electricity
from zcp.ledger.instruments import (
    Certificate,
    Credit,
    Instruments,
    SupplierFactor,
    certificate_exclusion,
    credit_exclusion,
)
from zcp.ledger.matching import Matching
from zcp.ledger.profile import AccountingProfile
from zcp.ledger.reconciliation import reconcile
from zcp.ledger.registry_rules import registry_exclusion
from zcp.ledger.result import LedgerResult, scope_totals
from zcp.ledger.topology import PARK_ENTITY, FlowRole, in_boundary
from zcp.ledger.windows import Windows
from zcp.model import ParkFolder
from zcp.model.common import Period


def _entity(ident: str, park_id: str) -> str:
    return PARK_ENTITY if ident == park_id else ident


def _eligible(
    instruments: Instruments,
    profile: AccountingProfile,
    periods: Mapping[str, Period],
    folder: ParkFolder,
    claim_date: dt.date | None,
) -> tuple[
    list[dict[str, Any]],
    list[dict[str, Any]],
    list[Certificate],
    list[Credit],
    list[SupplierFactor],
]:
    """Instruments usable under the profile, each judged against its beneficiary's own
    reporting period: (used, excluded with reasons, certificates, credits, supplier rates)."""
    park_id = folder.park.id
    used, excluded, certs, credits = [], [], [], []
    own_assets = {a.id for a in folder.park.assets}
    for cert in instruments.data.certificates:
        entity = _entity(cert.beneficiary, park_id)
        country = entity_country(folder, entity)
        reason = certificate_exclusion(cert, profile, periods[entity], country)
        reason = reason or registry_exclusion(cert, claim_date, own_assets)
        if reason:
            excluded.append({"id": cert.id, "reason": reason})
            continue
        certs.append(cert.model_copy(update={"beneficiary": entity}))
        used.append({"id": cert.id, "entity": entity, "mwh": cert.mwh, "type": cert.type})
    for credit in instruments.data.credits:
        entity = _entity(credit.beneficiary, park_id)
        reason = credit_exclusion(credit, profile, periods[entity])
        if reason:
            excluded.append({"id": credit.id, "reason": reason})
            continue
        credits.append(credit.model_copy(update={"beneficiary": entity}))
        used.append({"id": credit.id, "entity": entity, "tonnes": credit.tonnes,
                     "standard": credit.standard})  # fmt: skip
    suppliers = []
    for rate in instruments.data.supplier_factors:
        if not profile.electricity.supplier_specific:
            excluded.append({"id": rate.id, "reason": f"profile {profile.id} does not use "
                             "supplier-specific rates (the residual factor prices that power)"})  # fmt: skip
            continue
        entity = _entity(rate.beneficiary, park_id)
        suppliers.append(rate.model_copy(update={"beneficiary": entity}))
        used.append({"id": rate.id, "entity": entity, "mwh": rate.mwh, "type": "supplier_rate",
                     "green": False})  # fmt: skip
    return used, excluded, certs, credits, suppliers


def account(
    agg: Aggregates,
    m: Matching,
    instruments: Instruments,
    *,
    folder: ParkFolder,
    profile: AccountingProfile,
    windows: Windows,
    roles: Mapping[str, FlowRole],
    grid_factors: dict[str, GridFactors],
    library: FactorLibrary,
    activity: Activity,
    materiality: tuple[float, str],
    claim_date: dt.date | None = None,
    warnings: Sequence[str] = (),
    fixed: FixedParts | None = None,
) -> LedgerResult:
    """The inventory from prepared aggregates: the cheap part every what-if repeats.

    ``agg`` and ``m`` are the hourly aggregates [MWh per hour] and their matching; the rest
    is what :class:`zcp.ledger.engine.Ledger` prepared once: ``materiality`` is the
    reconciliation threshold (share, where it was set), ``claim_date`` the date a claim is
    made on (certificates retired later do not count), ``warnings`` the ledger's own,
    ``fixed`` the parts no what-if changes (made here unless given for ``agg.flows``).
    """
    park_id = folder.park.id
    inside = in_boundary(folder)
    warnings = list(agg.warnings) + list(warnings)
    if fixed is None or fixed.flows is not agg.flows:
        fixed = fixed_parts(agg, folder=folder, profile=profile, windows=windows, roles=roles,
                            library=library, activity=activity)  # fmt: skip

    used, excluded, certs, credits, suppliers = _eligible(
        instruments, profile, windows.periods, folder, claim_date
    )
    loads = physical_clean(agg, m)
    loads = loads[in_window(loads, windows)]
    elec_lines, notes = scope2_lines(
        loads, profile, grid_factors, certs, suppliers, PARK_ENTITY, inside,
        need=grid_need(agg, m), windows=windows,
    )  # fmt: skip
    warnings += notes
    elec_lines["counted"], elec_lines["excluded_reason"] = True, None
    elec_lines["meter_id"], elec_lines["flow_id"] = None, None
    other = fixed.other_lines(non_grid_lines.offset_lines(credits))
    warnings += fixed.fuel_notes
    lines = pd.concat([elec_lines, other], ignore_index=True)
    named = lines["entity"].to_numpy(dtype=object)
    lines["entity"] = np.where(named == park_id, PARK_ENTITY, named)
    months = windows.buckets["month"].to_numpy()
    lines["month"] = _months(lines["bucket"], months)
    lines["in_boundary"] = lines["entity"].isin(inside)

    # electricity per entity × bucket, with green = physical zero-rated + certificates and
    # contracts; a supplier's rate (even 0) prices scope 2 but proves no origin
    certificate_ids = {c.id for c in certs}
    instrument_mwh = (
        lines[
            (lines["category"] == "electricity")
            & (lines["basis"] == "market")
            & lines["instrument"].isin(certificate_ids)
            & (lines["factor_value"] == 0)
        ]  # fmt: skip
        .groupby(["entity", "bucket"])["activity"]
        .sum()
    )
    electricity = loads.reset_index(drop=True)
    by_key = instrument_mwh.to_dict()
    keys = zip(electricity["entity"], electricity["bucket"], strict=True)
    electricity["instruments"] = np.array([by_key.get(k, 0.0) for k in keys], dtype=float)
    electricity["green"] = electricity["green_annual"] + electricity["instruments"]
    electricity["in_boundary"] = electricity["entity"].isin(inside)
    electricity["month"] = months[electricity["bucket"].to_numpy().astype(int)]

    if fixed.fuel_energy is None:  # fuel lines are the same in every run over the ledger
        fuels = lines[lines["category"].isin(FUEL_CATEGORIES)]
        fixed.fuel_energy = fuel_energy(fuels, folder, library, profile)
    energy = with_electricity(electricity, fixed.fuel_energy[0], library, profile)
    more = list(fixed.fuel_energy[1])
    energy = _without_own_generation(
        energy, electricity, library.get(profile.electricity.to_tce).value
    )
    warnings += more
    load_in = float(electricity.loc[electricity["in_boundary"], "load"].sum())
    hourly_in = float(electricity.loc[electricity["in_boundary"], "green_hourly"].sum())
    hourly_reason = agg.hourly_reason
    ind, summary = indicators(
        lines=lines, energy=energy, electricity=electricity,
        hourly_cfe=hourly_in / load_in if load_in > 0 else None, hourly_reason=hourly_reason,
        profile=profile, value_added=folder.park.economics.industrial_value_added,
        losses_mwh=fixed.losses_mwh,
    )  # fmt: skip
    summary.update(direct_split(fixed.delivered_mwh, summary["direct_supply_mwh"]))
    summary["natural_gas_tce"] = float(
        energy.loc[energy["in_boundary"] & (energy["carrier"] == "natural_gas"), "tce"].sum()
    )
    if agg.basis == "modelled" and hourly_reason is None:
        ind["hourly_cfe_score"].reason = "modelled: " + "; ".join(agg.shapes)
    counted = lines[lines["counted"] & lines["in_boundary"]]
    totals = scope_totals(counted)
    if fixed.scope3 is None:
        fixed.scope3 = _scope3_report(activity, counted)
    scope3 = totals["scope3_t"] if profile.net_includes_scope3 else 0.0
    totals["net_t"] = totals["scope1_t"] + totals["scope2_market_t"] + scope3 - totals["offsets_t"]
    result = LedgerResult(
        park_id=park_id,
        period=(str(folder.park.reporting_period.start), str(folder.park.reporting_period.end)),
        basis=agg.basis,
        lines=lines,
        energy=energy,
        electricity=electricity,
        meters=agg.flows,
        totals=totals,
        indicators=ind,
        profile=profile.summary(),
        factors=_factors_used(grid_factors, library, profile.electricity.to_tce, lines),
        instruments_used=used,
        instruments_excluded=excluded,
        other_periods=[
            {"entity": e, "start": str(p.start), "end": str(p.end)}
            for e, p in windows.other_periods().items()
        ],
        warnings=warnings,
        net_basis=(
            "scope 1 + scope 2 market-based"
            + (" + scope 3 (where given)" if profile.net_includes_scope3 else "")
            + " − eligible retired offsets, inside the boundary; entities listed under "
            "entities_with_other_periods are summed over their own reporting periods"
        ),
        energy_summary=summary,
        scope3=copy.deepcopy(fixed.scope3),
        scope3_in_net=profile.net_includes_scope3,
        hourly=pd.DataFrame(
            {
                "hour": windows.hours,
                "load": m.load,
                "matched": m.matched,
                **{f"supply_{k}": v for k, v in agg.roles.items()},
            }  # fmt: skip
        ),
    )
    result.reconciliation = reconcile(result, folder, *materiality)
    return result


#: Line categories counted in energy use by their carrier (electricity is counted apart).
FUEL_CATEGORIES = ["stationary_combustion", "mobile_combustion", "heat", "cooling"]


def _months(buckets: pd.Series, months: np.ndarray) -> np.ndarray:
    """The month of each line's bucket, None for whole-period lines."""
    out = np.full(len(buckets), None, dtype=object)
    known = buckets.notna().to_numpy()
    out[known] = months[buckets.to_numpy()[known].astype(int)]
    return out


def _without_own_generation(
    energy: pd.DataFrame, electricity: pd.DataFrame, factor: float
) -> pd.DataFrame:
    """Power from the park's own fuel-fired generators is counted once, as its fuel: a
    park-level row takes that electricity back out of the energy use (GB/T 2589 counts
    energy entering the boundary). ``factor`` is the profile's electricity → tce
    coefficient [tce/MWh]."""
    own = float(electricity.loc[electricity["in_boundary"], "own_fossil"].sum())
    if own <= 0:
        return energy
    row = pd.DataFrame(
        {
            "entity": [PARK_ENTITY],
            "bucket": [None],
            "carrier": ["electricity"],
            "quantity": [-own],
            "tce": [-own * factor],
            "clean_tce": [0.0],
            "non_fossil_tce": [0.0],
            "in_boundary": [True],
        }  # fmt: skip
    )
    return pd.concat([energy, row], ignore_index=True)


def _scope3_report(activity: Activity, counted: pd.DataFrame) -> dict[str, Any]:
    """Scope-3 categories given (with tonnes and their split by data-quality class), excluded
    (with the reason), and not reported; the share of category 1 resting on supplier-specific
    data (GHG Protocol Scope 3 Standard, ch. 7)."""
    names = non_grid_lines.SCOPE3_NAMES
    lines = counted[counted["scope"] == "3"]
    quality = (
        lines["data_quality"]
        if "data_quality" in lines
        else pd.Series("average_data", index=lines.index)
    )
    quality = quality.fillna("average_data")
    given = lines.groupby("category")["tco2e"].sum()
    split = lines.assign(q=quality).groupby(["category", "q"])["tco2e"].sum()
    reported = {int(c.removeprefix("scope3_cat")): float(t) for c, t in given.items()}
    excluded = [
        {
            "category": e.category,
            "name": names[e.category],
            "reason": e.reason,
            "explanation": e.explanation,
        }  # fmt: skip
        for e in activity.data.scope3_excluded
    ]
    seen = set(reported) | {e["category"] for e in excluded}
    categories: list[dict[str, Any]] = []
    for c, t in sorted(reported.items()):
        by_quality = {str(q): float(v) for (cat, q), v in split.items() if cat == f"scope3_cat{c}"}
        categories.append({"category": c, "name": names[c], "t": t, "by_data_quality": by_quality})
    cat1 = next((c for c in categories if c["category"] == 1), None)
    share: dict[str, Any] = {"value": None, "reason": "no category-1 emissions given"}
    if cat1 is not None and cat1["t"] > 0:
        share = {
            "value": cat1["by_data_quality"].get("supplier_specific", 0.0) / cat1["t"],
            "reason": None,
        }
    return {
        "categories": categories,
        "category1_supplier_specific_share": share,
        "excluded": excluded,
        "not_reported": [{"category": c, "name": names[c]} for c in range(1, 16) if c not in seen],
    }


def _factors_used(
    grid_factors: Mapping[str, GridFactors],
    library: FactorLibrary,
    to_tce: str,
    lines: pd.DataFrame,
) -> list[dict[str, Any]]:
    """Every factor the lines use plus the electricity → tce coefficient, with the rule
    that chose each grid factor."""
    rules, grid = {}, {}
    for gf in grid_factors.values():
        for chosen in (gf.location, gf.market):
            rules[chosen.factor.id] = (chosen.rule, chosen.note)
            grid[chosen.factor.id] = chosen.factor
    ids = [i for i in lines["factor_id"].dropna().unique()]
    ids += [to_tce]
    out = []
    for fid in sorted(set(ids)):
        rule, note = rules.get(fid, (None, None))
        if fid not in library.factors and fid not in grid:  # stated on a line
            row = lines[lines["factor_id"] == fid].iloc[0]
            out.append({
                "id": fid, "value": row["factor_value"], "unit": row["factor_unit"],
                "year": row["factor_year"], "confidence": row.get("factor_confidence"),
                "source": {"document": row["factor_source"], "clause": "stated by the user"},
                "rule": rule or "stated by the user (overrides the library)", "note": note,
            })  # fmt: skip
            continue
        f = grid.get(fid) or library.get(fid)
        out.append({
            "id": f.id, "value": f.value, "unit": f.unit, "year": f.year,
            "source": {"document": f.source.document, "clause": f.source.clause},
            "confidence": f.confidence, "rule": rule, "note": note or f.note,
        })  # fmt: skip
    return out
