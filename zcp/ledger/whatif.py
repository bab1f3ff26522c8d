"""Cheap re-runs with hypothetical additions, for gap analysis and scenarios.

The expensive part of an inventory — scanning readings and matching hours — is kept from
the base run. Added certificates only change the market-based step. Added generation is
matched hour by hour again at park level (exact); the extra clean power each entity gets is
shared out in each bucket pro rata to the load it still had unmatched there (a stated
approximation: the per-meter hourly detail is not re-read).

A what-if may name a ``beneficiary`` tenant: certificates are then retired for that tenant,
and added generation serves its load first (in each bucket up to what it still had
unmatched; any rest is shared with the other loads as above) — the tenant-sized question a
factory rating asks.
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
    """Hypothetical additions: certificates retired [MWh] and new capacity, for the park
    or (``beneficiary``) one tenant."""

    certificates_mwh: float = 0.0
    capacity: tuple[AddedCapacity, ...] = ()
    beneficiary: str | None = None

    def plus(self, other: WhatIf) -> WhatIf:
        """Both changes at once (certificates [MWh] added, capacities listed together)."""
        if self.beneficiary != other.beneficiary and self.beneficiary and other.beneficiary:
            raise ValueError(
                f"what-ifs for {self.beneficiary!r} and {other.beneficiary!r} cannot be added"
            )
        return WhatIf(
            self.certificates_mwh + other.certificates_mwh,
            self.capacity + other.capacity,
            self.beneficiary or other.beneficiary,
        )


def run_what_if(ledger: Ledger, change: WhatIf) -> LedgerResult:
    """The ledger's result with ``change`` applied; the ledger itself is unchanged."""
    agg, m = ledger.base()
    notes = []
    if change.capacity:
        roles = {k: v.copy() for k, v in agg.roles.items()}
        for added in change.capacity:
            roles["clean_direct"] += added_output(ledger, added)
            served = change.beneficiary or "the park"
            notes.append(
                f"what-if: +{added.capacity:g} MW {added.technology} at capacity factor "
                f"{added.capacity_factor:g} serving {served}; extra clean shared pro rata "
                "to unmatched load"
            )
        new_m = match_roles(roles, agg.load, ledger.sold_mwh())
        loads = _reallocate(agg.loads, m.matched, new_m.matched, ledger, change.beneficiary)
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
            beneficiary=change.beneficiary or park.id,
        )
        instruments = instruments.with_extra(certificates=[hypothetical])
    return ledger.account(agg, m, instruments)


def added_output(ledger: Ledger, added: AddedCapacity) -> np.ndarray:
    """Hourly output of the new capacity over the ledger's hours [MWh per hour]: its
    annual energy (capacity × capacity factor × 8,760 h) spread as the design estimates
    are — PV on the park's clear-sky shape, other technologies flat."""
    hours = ledger.windows.hours
    per_hour = added.capacity * added.capacity_factor * 8760.0 / annual_rate(ledger.folder)
    shape = shapes.pv_shape(ledger.folder, hours) if added.technology == "pv" else None
    return per_hour * (shape if shape is not None else shapes.flat_shape(hours))


def _reallocate(
    loads: pd.DataFrame,
    old_matched: np.ndarray,
    new_matched: np.ndarray,
    ledger: Ledger,
    beneficiary: str | None,
) -> pd.DataFrame:
    """Each bucket's extra matched clean [MWh] onto entity rows: the beneficiary first (up
    to its unmatched load), the rest pro rata to the unmatched load of the others."""
    delta = per_bucket(new_matched - old_matched, ledger.windows)
    buckets = loads["bucket"].to_numpy().astype(int)
    unmatched = (loads["load"] - loads["clean_hourly"]).clip(lower=0.0).to_numpy()
    extra = np.zeros(len(loads))
    if beneficiary is not None:
        own = (loads["entity"] == beneficiary).to_numpy()
        per_row = np.where(own, unmatched, 0.0)
        room = np.bincount(buckets, weights=per_row, minlength=len(delta))
        given = np.minimum(delta, room)
        with np.errstate(invalid="ignore", divide="ignore"):
            extra = np.where(own, per_row * np.nan_to_num(given / room)[buckets], 0.0)
        delta = delta - given
        unmatched = np.where(own, 0.0, unmatched)
    total = np.bincount(buckets, weights=unmatched, minlength=len(delta))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total[buckets] > 0, unmatched / total[buckets], 0.0)
    extra = extra + share * delta[buckets]
    return loads.assign(clean_hourly=loads["clean_hourly"].to_numpy() + extra)
