"""Cheap re-runs with hypothetical additions, for gap analysis and scenarios.

The expensive part of an inventory — scanning readings and matching hours — is kept from
the base run. Added certificates only change the market-based step. Added generation is
matched hour by hour again at park level (exact); the extra clean power each entity gets is
shared out in each bucket pro rata to the load it still had unmatched there (a stated
approximation: the per-meter hourly detail is not re-read).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from zcp.ledger import shapes
from zcp.ledger.aggregate import match_roles
from zcp.ledger.engine import Ledger
from zcp.ledger.instruments import Certificate
from zcp.ledger.result import LedgerResult
from zcp.ledger.windows import annual_rate, per_bucket


@dataclass(frozen=True)
class AddedCapacity:
    """New generation: ``capacity`` [MW] at ``capacity_factor`` (on-site unless stated)."""

    technology: str
    capacity: float
    capacity_factor: float
    dedicated_line: bool = False


@dataclass(frozen=True)
class WhatIf:
    """Hypothetical additions: certificates retired for the park [MWh] and new capacity."""

    certificates_mwh: float = 0.0
    capacity: tuple[AddedCapacity, ...] = ()

    def plus(self, other: WhatIf) -> WhatIf:
        return WhatIf(
            self.certificates_mwh + other.certificates_mwh, self.capacity + other.capacity
        )


def run_what_if(ledger: Ledger, change: WhatIf) -> LedgerResult:
    """The ledger's result with ``change`` applied; the ledger itself is unchanged."""
    agg, m = ledger.base()
    notes = []
    if change.capacity:
        roles = {k: v.copy() for k, v in agg.roles.items()}
        for added in change.capacity:
            roles["clean_direct"] += _series(ledger, added)
            notes.append(
                f"what-if: +{added.capacity:g} MW {added.technology} at capacity factor "
                f"{added.capacity_factor:g}; extra clean shared pro rata to unmatched load"
            )
        new_m = match_roles(roles, agg.load, ledger.sold_mwh())
        loads = _reallocate(agg.loads, m.matched, new_m.matched, ledger)
        agg = dataclasses.replace(agg, roles=roles, loads=loads, warnings=agg.warnings + notes)
        m = new_m
    instruments = ledger.instruments
    if change.certificates_mwh > 0:
        park = ledger.folder.park
        hypothetical = Certificate(
            id="what-if-certificates",
            type=ledger.profile.certificates.types[0],
            mwh=change.certificates_mwh,
            vintage=park.reporting_period,
            retired=True,
            beneficiary=park.id,
        )
        instruments = instruments.with_extra(certificates=[hypothetical])
    return ledger.account(agg, m, instruments)


def _series(ledger: Ledger, added: AddedCapacity) -> np.ndarray:
    hours = ledger.windows.hours
    per_hour = added.capacity * added.capacity_factor * 8760.0 / annual_rate(ledger.folder)
    shape = shapes.pv_shape(ledger.folder, hours) if added.technology == "pv" else None
    return per_hour * (shape if shape is not None else shapes.flat_shape(hours))


def _reallocate(
    loads: pd.DataFrame, old_matched: np.ndarray, new_matched: np.ndarray, ledger: Ledger
) -> pd.DataFrame:
    windows = ledger.windows
    delta = per_bucket(new_matched - old_matched, windows)
    unmatched = (loads["load"] - loads["clean_hourly"]).clip(lower=0.0)
    total = unmatched.groupby(loads["bucket"]).transform("sum")
    share = (unmatched / total.where(total > 0)).fillna(0.0)
    extra = share * delta[loads["bucket"].to_numpy().astype(int)]
    return loads.assign(clean_hourly=loads["clean_hourly"] + extra.to_numpy())
