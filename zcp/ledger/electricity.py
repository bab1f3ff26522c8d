"""Scope 2 for electricity: location-based and market-based, per entity × period bucket.

GHG Protocol Scope 2 Guidance (2015), ch. 6–7: location-based prices the grid electricity
an entity consumes at the grid-average factor; power that reaches it directly from on-site
or dedicated-line clean generation carries that generation's (zero) rate under both
methods. Market-based follows the instrument hierarchy — contracts and certificates (zero),
supplier-specific rates, then the residual factor for everything else; power whose
certificates were sold is null and takes the residual too. The national park profile is the
same arithmetic with the national fossil-power factor as its residual (附件4, provisional).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from zcp.ledger.aggregate import Aggregates
from zcp.ledger.factor_choice import ChosenFactor
from zcp.ledger.instruments import Certificate, SupplierFactor
from zcp.ledger.matching import Matching
from zcp.ledger.profile import AccountingProfile


@dataclass(frozen=True)
class GridFactors:
    location: ChosenFactor
    market: ChosenFactor


def physical_clean(agg: Aggregates, m: Matching) -> pd.DataFrame:
    """Entity × bucket loads with their physical clean share under annual matching.

    Each hour's matched clean goes pro rata to that hour's loads (``clean_hourly``); what
    annual matching adds on top (pool − Σ matched) goes pro rata to the load left unmatched.
    """
    loads = agg.loads.copy()
    extra = max(m.pool - float(m.matched.sum()), 0.0)
    unmatched = (loads["load"] - loads["clean_hourly"]).clip(lower=0.0)
    total = float(unmatched.sum())
    loads["clean_annual"] = loads["clean_hourly"] + (unmatched * extra / total if total else 0.0)
    direct = m.direct_pool / m.pool if m.pool > 0 else 0.0
    loads["clean_direct"] = loads["clean_annual"] * direct
    return loads


def _spread(amount: float, weights: np.ndarray) -> np.ndarray:
    total = float(weights.sum())
    return weights * (amount / total) if total > 0 else np.zeros_like(weights)


def scope2_lines(
    loads: pd.DataFrame,
    profile: AccountingProfile,
    factors: dict[str, GridFactors],
    certificates: list[Certificate],
    supplier_factors: list[SupplierFactor],
    park_id: str,
    inside: set[str],
) -> tuple[pd.DataFrame, list[str]]:
    """Inventory lines for electricity (one per entity × bucket × instrument step)."""
    zero = set(profile.electricity.zero_rated)
    rows: list[dict] = []
    notes: list[str] = []
    loads = loads.assign(
        zero_physical=loads["clean_direct"] * bool(zero & {"on_site", "dedicated_line"})
        + (loads["clean_annual"] - loads["clean_direct"]) * ("off_site_contract" in zero)
    )
    loads["remaining"] = (loads["load"] - loads["zero_physical"]).clip(lower=0.0)
    shared = loads[loads["entity"].isin(inside)]
    claims = _claims_by_entity(certificates, supplier_factors, shared, park_id, zero)
    for entity, frame in loads.groupby("entity", sort=False):
        gf = factors[entity]
        remaining = frame["remaining"].to_numpy().copy()
        buckets = frame["bucket"].to_numpy()
        grid = (frame["load"] - frame["clean_annual"]).clip(lower=0.0).to_numpy()
        for b, qty, phys in zip(buckets, grid, frame["zero_physical"].to_numpy(), strict=True):
            rows.append(_line(entity, b, "location", qty, gf.location, None))
            rows.append(_line(entity, b, "location", 0.0, None, "physical clean supply", phys))
            rows.append(_line(entity, b, "market", 0.0, None, "physical clean supply", phys))
        for instrument_id, amount, rate in claims.get(entity, []):
            take = min(amount, float(remaining.sum()))
            if take < amount - 1e-9:
                notes.append(
                    f"{instrument_id}: {amount - take:,.1f} MWh exceed {entity}'s remaining "
                    "grid electricity and are not counted"
                )
            share = _spread(take, remaining)
            remaining = remaining - share
            for b, qty in zip(buckets, share, strict=True):
                if qty > 0:
                    rows.append(_instrument_line(entity, b, qty, instrument_id, rate))
        for b, qty in zip(buckets, remaining, strict=True):
            rows.append(_line(entity, b, "market", qty, gf.market, None))
    return pd.DataFrame(rows), notes


def _claims_by_entity(
    certificates: list[Certificate],
    supplier_factors: list[SupplierFactor],
    loads: pd.DataFrame,
    park_id: str,
    zero: set[str],
) -> dict[str, list[tuple[str, float, float]]]:
    """Entity → [(instrument id, MWh, rate tCO2/MWh)], in hierarchy order.

    Instruments retired for the park itself are shared out pro rata to each entity's grid
    electricity left after its own instruments (stated allocation rule).
    """
    out: dict[str, list[tuple[str, float, float]]] = {}
    remaining = loads.groupby("entity")["remaining"].sum()
    steps: list[tuple[str, str, float, float]] = []
    if "instruments" in zero:
        steps += [(c.beneficiary, c.id, c.mwh, 0.0) for c in certificates]
    steps += [(s.beneficiary, s.id, s.mwh, s.value) for s in supplier_factors]
    # hierarchy: certificates before supplier rates; an entity's own before the park's
    steps.sort(key=lambda step: (step[3] > 0, step[0] == park_id))
    for beneficiary, ident, mwh, rate in steps:
        if beneficiary == park_id:
            shares = _spread(mwh, remaining.to_numpy())
            for entity, amount in zip(remaining.index, shares, strict=True):
                out.setdefault(str(entity), []).append((ident, float(amount), rate))
            remaining = (remaining - shares).clip(lower=0.0)
        else:
            out.setdefault(beneficiary, []).append((ident, mwh, rate))
            if beneficiary in remaining.index:
                remaining[beneficiary] = max(remaining[beneficiary] - mwh, 0.0)
    return out


def _line(
    entity: str,
    bucket: int,
    basis: str,
    mwh: float,
    chosen: ChosenFactor | None,
    instrument: str | None,
    zero_mwh: float | None = None,
) -> dict:
    if chosen is None:
        return {
            "entity": entity, "bucket": bucket, "scope": "2", "category": "electricity",
            "basis": basis, "carrier": "electricity", "gas": "co2", "activity": zero_mwh or 0.0,
            "activity_unit": "MWh", "factor_id": None, "factor_value": 0.0,
            "factor_unit": "tCO2/MWh", "factor_year": None, "factor_source": None,
            "instrument": instrument, "tco2e": 0.0,
        }  # fmt: skip
    f = chosen.factor
    return {
        "entity": entity, "bucket": bucket, "scope": "2", "category": "electricity",
        "basis": basis, "carrier": "electricity", "gas": "co2", "activity": mwh,
        "activity_unit": "MWh", "factor_id": f.id, "factor_value": f.value,
        "factor_unit": f.unit, "factor_year": f.year, "factor_source": _source(f),
        "instrument": instrument, "tco2e": mwh * f.value,
    }  # fmt: skip


def _instrument_line(entity: str, bucket: int, mwh: float, ident: str, rate: float) -> dict:
    return {
        "entity": entity, "bucket": bucket, "scope": "2", "category": "electricity",
        "basis": "market", "carrier": "electricity", "gas": "co2", "activity": mwh,
        "activity_unit": "MWh", "factor_id": None, "factor_value": rate,
        "factor_unit": "tCO2/MWh", "factor_year": None,
        "factor_source": "instrument" if rate == 0 else "supplier-specific rate",
        "instrument": ident, "tco2e": mwh * rate,
    }  # fmt: skip


def _source(f) -> str:
    return f.source.document + (f", {f.source.clause}" if f.source.clause else "")
