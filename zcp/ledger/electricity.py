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

from collections.abc import Set
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from zcp.ledger.aggregate import Aggregates
from zcp.ledger.factor_choice import ChosenFactor
from zcp.ledger.instruments import Certificate, SupplierFactor
from zcp.ledger.matching import Matching
from zcp.ledger.profile import AccountingProfile
from zcp.ledger.result import skipna_sum
from zcp.ledger.windows import Windows, per_bucket


@dataclass(frozen=True)
class GridFactors:
    location: ChosenFactor
    market: ChosenFactor
    #: hourly location factors [tCO2/MWh] on the ledger's hours, for profiles that price
    #: location-based scope 2 hour by hour (:mod:`zcp.ledger.hourly_factors`)
    location_hourly: np.ndarray | None = field(default=None, compare=False)


def grid_need(agg: Aggregates, m: Matching) -> np.ndarray:
    """Each hour's load not met by hourly-matched clean supply or the park's own fuel-fired
    generation [MWh] — the hourly shape of location-based grid electricity."""
    unmatched = np.maximum(m.load - m.matched, 0.0)
    need: np.ndarray = unmatched - np.minimum(agg.roles["fossil_gen"], unmatched)
    return need


def monthly_location_factors(
    hourly_factor: np.ndarray, need: np.ndarray, windows: Windows
) -> np.ndarray:
    """Each bucket's factor [tCO2/MWh]: the hourly factors weighted by the hour's grid need
    [MWh], so a bucket's grid power × its factor is the hour-by-hour sum; the plain mean in
    a bucket with no grid need (its factor then prices nothing)."""
    weighted = per_bucket(hourly_factor * need, windows)
    total = per_bucket(need, windows)
    plain = per_bucket(hourly_factor, windows) / np.maximum(windows.bucket_hours(), 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out: np.ndarray = np.where(total > 0, weighted / total, plain)
    return out


def physical_clean(agg: Aggregates, m: Matching) -> pd.DataFrame:
    """Entity × bucket loads with their physical clean share under annual matching (the
    ``electricity`` table of :class:`~zcp.ledger.result.LedgerResult`, all [MWh]).

    Each hour's matched clean goes pro rata to that hour's loads (``clean_hourly``); what
    annual matching adds on top (pool − Σ matched) goes pro rata to the load left unmatched.
    """
    # whole columns in numpy and one new table (every what-if run makes it): the same
    # arithmetic, element by element, as on the Series
    loads = agg.loads
    load = loads["load"].to_numpy(dtype=float)
    clean_hourly = loads["clean_hourly"].to_numpy(dtype=float)
    extra = max(m.pool - float(m.matched.sum()), 0.0)
    unmatched = np.clip(load - clean_hourly, 0.0, None)
    total = skipna_sum(unmatched)
    clean_annual = clean_hourly + (unmatched * extra / total if total else 0.0)
    direct = m.direct_pool / m.pool if m.pool > 0 else 0.0
    clean_direct = clean_annual * direct
    # what the park may still claim: sold certificates make that share of the clean null
    columns = {
        "clean_annual": clean_annual,
        "clean_direct": clean_direct,
        "green_hourly": clean_hourly * m.keep,
        "green_annual": clean_annual * m.keep,
        "green_direct": clean_direct * m.keep,
        "own_fossil": _own_fossil(agg, m, load - clean_annual, loads["bucket"]),
    }
    return pd.DataFrame({**{c: loads[c] for c in loads.columns}, **columns}, index=loads.index)


def _own_fossil(agg: Aggregates, m: Matching, left: np.ndarray, bucket: pd.Series) -> np.ndarray:
    """Power from the park's own fuel-fired generators that met load the clean supply did
    not [MWh]: its fuel is in scope 1, so it is neither grid electricity nor clean. Shared
    in each bucket (``bucket`` of each load row) pro rata to the load left unmatched
    (``left`` = load − clean under annual matching [MWh])."""
    covered = np.minimum(agg.roles["fossil_gen"], np.maximum(m.load - m.matched, 0.0))
    if not covered.any():
        return np.zeros(len(left))
    per_b = per_bucket(covered, agg.windows)
    unmatched = pd.Series(left, index=bucket.index).clip(lower=0.0)
    total_b = unmatched.groupby(bucket).transform("sum").to_numpy()
    buckets = bucket.to_numpy().astype(int)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total_b > 0, unmatched.to_numpy() / total_b, 0.0)
    covered_share: np.ndarray = np.minimum(share * per_b[buckets], unmatched.to_numpy())
    return covered_share


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
    *,
    need: np.ndarray | None = None,
    windows: Windows | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Inventory lines for electricity (per entity × bucket: grid at the location factor,
    physical clean at zero, each instrument step, the residual at the market factor).

    An entity whose location factor is hourly has its grid lines priced per bucket at the
    hourly factors weighted by ``need``, the hourly grid need [MWh] (:func:`grid_need`)."""
    zero = set(profile.electricity.zero_rated)
    notes: list[str] = []
    loads = loads.sort_values(["entity", "bucket"], kind="stable").reset_index(drop=True)
    load = loads["load"].to_numpy()
    physical = loads["clean_annual"].to_numpy()
    annual = loads["green_annual"].to_numpy()
    direct = loads["green_direct"].to_numpy()
    zero_physical = direct * bool(zero & {"on_site", "dedicated_line"}) + (annual - direct) * (
        "off_site_contract" in zero
    )
    own_fossil = loads["own_fossil"].to_numpy()
    remaining = np.clip(load - zero_physical - own_fossil, 0.0, None)
    loads = loads.assign(zero_physical=zero_physical, remaining=remaining)
    claims = _claims_by_entity(
        certificates, supplier_factors, loads[loads["entity"].isin(inside)], park_id, zero
    )
    rows_of = loads.groupby("entity", sort=False).indices
    instrument_frames = []
    for entity, steps in claims.items():
        idx = rows_of.get(entity)
        for ident, amount, rate, label in steps:
            available = float(remaining[idx].sum()) if idx is not None else 0.0
            take = min(amount, available)
            if take < amount - 1e-9:
                notes.append(
                    f"{ident}: {amount - take:,.1f} MWh exceed {entity}'s remaining grid "
                    "electricity and are not counted"
                )
            if take <= 0:
                continue
            share = _spread(take, remaining[idx])
            remaining[idx] = remaining[idx] - share
            used = idx[share > 0]
            instrument_frames.append(
                _frame(loads, used, "market", share[share > 0], None, ident, rate, label)
            )
    location = {e: gf.location for e, gf in factors.items()}
    market = {e: gf.market for e, gf in factors.items()}
    every = np.arange(len(loads))
    grid = np.clip(load - physical - own_fossil, 0.0, None)  # location: physical, sold or not
    location_grid = _frame(loads, every, "location", grid, location, None, None)
    _price_hourly(location_grid, factors, need, windows)
    pieces = [
        location_grid,
        _frame(loads, every, "location", physical, None, PHYSICAL, 0.0),
        _frame(loads, every, "market", zero_physical, None, PHYSICAL, 0.0),
        *(
            _frame(loads, every, basis, own_fossil, None, OWN_FOSSIL, 0.0)
            for basis in ("location", "market")
            if own_fossil.any()
        ),
        *instrument_frames,
        _frame(loads, every, "market", remaining, market, None, None),
    ]
    return _assemble(pieces), notes


def _price_hourly(
    columns: dict[str, np.ndarray],
    factors: dict[str, GridFactors],
    need: np.ndarray | None,
    windows: Windows | None,
) -> None:
    """Re-price, in place, the grid lines of entities with hourly location factors."""
    hourly = {e: gf.location_hourly for e, gf in factors.items() if gf.location_hourly is not None}
    if not hourly:
        return
    if need is None or windows is None:
        raise ValueError("hourly location factors need the hourly grid need and the windows")
    position = {b: i for i, b in enumerate(windows.buckets["bucket"].to_numpy())}
    for entity, series in hourly.items():
        monthly = monthly_location_factors(series, need, windows)
        mine = columns["entity"] == entity
        value = monthly[np.array([position[b] for b in columns["bucket"][mine]], dtype=int)]
        columns["factor_value"][mine] = value
        columns["tco2e"][mine] = columns["activity"][mine] * value


PHYSICAL = "physical clean supply"
CERTIFICATE = "instrument"
SUPPLIER_RATE = "supplier-specific rate"
OWN_FOSSIL = "own fuel-fired generation (fuel in scope 1)"
_RANK = {"green_power_trading": 0, "PPA": 0}  # bundled contracts first; certificates 1


#: Line columns in order; the ones holding None next to text stay ``object`` (as one
#: concatenation of per-step frames made them), the rest take the type of their values.
_LINE_COLUMNS = ("entity", "bucket", "scope", "category", "basis", "carrier", "gas",
                 "activity", "activity_unit", "factor_id", "factor_value", "factor_unit",
                 "factor_year", "factor_source", "instrument", "tco2e")  # fmt: skip
_OBJECT_COLUMNS = frozenset({"factor_id", "factor_year", "factor_source", "instrument"})


def _frame(
    loads: pd.DataFrame,
    idx: np.ndarray,
    basis: str,
    mwh: np.ndarray,
    chosen: dict[str, ChosenFactor] | None,
    instrument: str | None,
    rate: float | None,
    source: str | None = None,
) -> dict[str, np.ndarray]:
    """Line columns for rows ``idx`` of ``loads``: priced by each entity's chosen factor,
    or at ``rate`` (an instrument's or a supplier's, described by ``source``) when
    ``chosen`` is None."""
    entity = loads["entity"].to_numpy()[idx]
    n = len(entity)

    def same(value: object) -> np.ndarray:
        return np.full(n, value, dtype=object)

    columns: dict[str, np.ndarray] = {
        "entity": entity,
        "bucket": loads["bucket"].to_numpy()[idx],
        "scope": same("2"),
        "category": same("electricity"),
        "basis": same(basis),
        "carrier": same("electricity"),
        "gas": same("co2"),
        "activity": np.asarray(mwh, dtype=float),
        "activity_unit": same("MWh"),
    }
    if chosen is None:
        value = np.full(n, np.nan if rate is None else rate, dtype=float)
        columns |= {
            "factor_id": same(None),
            "factor_value": value,
            "factor_unit": same("tCO2/MWh"),
            "factor_year": same(None),
            "factor_source": same(source),
        }
    else:
        codes, uniques = pd.factorize(entity)
        picked = [chosen[e].factor for e in uniques]
        value = np.array([f.value for f in picked], dtype=float)[codes]
        columns |= {
            "factor_id": np.array([f.id for f in picked], dtype=object)[codes],
            "factor_value": value,
            "factor_unit": np.array([f.unit for f in picked], dtype=object)[codes],
            "factor_year": np.array([f.year for f in picked], dtype=object)[codes],
            "factor_source": np.array([f.source.cite() for f in picked], dtype=object)[codes],
        }
    columns |= {"instrument": same(instrument), "tco2e": np.asarray(mwh, dtype=float) * value}
    return columns


def _assemble(pieces: list[dict[str, np.ndarray]]) -> pd.DataFrame:
    """One line table from the steps' columns. Built once from whole columns: a frame per
    step and a concatenation cost more than the accounting itself when gap analysis
    re-runs it."""
    data: dict[str, object] = {}
    for name in _LINE_COLUMNS:
        joined = np.concatenate([piece[name] for piece in pieces])
        data[name] = pd.Series(joined, dtype=object) if name in _OBJECT_COLUMNS else joined
    return pd.DataFrame(data)


def _claims_by_entity(
    certificates: list[Certificate],
    supplier_factors: list[SupplierFactor],
    loads: pd.DataFrame,
    park_id: str,
    zero: Set[str],
) -> dict[str, list[tuple[str, float, float, str]]]:
    """Entity → [(instrument id, MWh, rate [tCO2/MWh], what it is)], in hierarchy order.

    A supplier-specific rate prices electricity but is no evidence of its origin: its lines
    are labelled ``SUPPLIER_RATE`` and never count as green power, even at a rate of 0
    (GHG Protocol Scope 2 Guidance, quality criteria; RE100 technical criteria).

    Instruments retired for the park itself are shared out pro rata to each entity's grid
    electricity left after its own instruments (stated allocation rule).
    """
    out: dict[str, list[tuple[str, float, float, str]]] = {}
    remaining = loads.groupby("entity")["remaining"].sum()
    steps: list[tuple[str, str, float, float, int, str]] = []
    if "instruments" in zero:
        steps += [
            (c.beneficiary, c.id, c.mwh, 0.0, _RANK.get(c.type, 1), CERTIFICATE)
            for c in certificates
        ]
    steps += [
        (s.beneficiary, s.id, s.mwh, s.value, 2, f"{SUPPLIER_RATE}: {s.source}")
        for s in supplier_factors
    ]
    # Scope 2 Guidance hierarchy: contracts with their certificates, unbundled certificates,
    # supplier rates (the residual comes last); an entity's own before the park's
    steps.sort(key=lambda step: (step[4], step[0] == park_id))
    for beneficiary, ident, mwh, rate, _rank, label in steps:
        if beneficiary == park_id:
            shares = _spread(mwh, remaining.to_numpy())
            for entity, amount in zip(remaining.index, shares, strict=True):
                out.setdefault(str(entity), []).append((ident, float(amount), rate, label))
            remaining = (remaining - shares).clip(lower=0.0)
        else:
            out.setdefault(beneficiary, []).append((ident, mwh, rate, label))
            if beneficiary in remaining.index:
                remaining[beneficiary] = max(remaining[beneficiary] - mwh, 0.0)
    return out
