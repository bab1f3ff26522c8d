"""Cheap re-runs with hypothetical additions, for gap analysis and scenarios.

The expensive part of an inventory — scanning readings and matching hours — is kept from
the base run. Added certificates only change the market-based step. Added generation is
matched hour by hour again at park level (exact); the extra clean power each entity gets is
shared out in each bucket pro rata to the load it still had unmatched there (a stated
approximation: the per-meter hourly detail is not re-read).

Added storage (``AddedStorage``) is dispatched greedily hour by hour after any added
capacity, over the park's clean supply (on-site and contracted, after losses) against the
load: it charges from clean surplus the existing storage did not take and discharges into
load clean power has not met (:func:`dispatch_storage`). What it discharges counts as
on-site clean supply; what it charges is taken from the clean supply, on-site first. The
matching and the entity shares are then redone as for added capacity.

A what-if may name a ``beneficiary`` tenant: certificates are then retired for that tenant,
and added generation serves its load first (in each bucket up to what it still had
unmatched; any rest is shared with the other loads as above) — the tenant-sized question a
factory rating asks.
"""

from __future__ import annotations

import dataclasses
import math
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
class AddedStorage:
    """A new battery: ``power_mw`` [MW] charging and discharging, ``energy_mwh`` [MWh]
    stored, ``round_trip_efficiency`` η [fraction], lost half on each leg (√η each way)."""

    power_mw: float
    energy_mwh: float
    round_trip_efficiency: float

    def __post_init__(self) -> None:
        if self.power_mw < 0 or self.energy_mwh < 0:
            raise ValueError(f"storage power and energy must be ≥ 0, not {self}")
        if not 0 < self.round_trip_efficiency <= 1:
            raise ValueError(f"round-trip efficiency must be in (0, 1], not {self}")


@dataclass(frozen=True)
class WhatIf:
    """Hypothetical additions: certificates retired [MWh], new capacity and new storage,
    for the park or (``beneficiary``) one tenant."""

    certificates_mwh: float = 0.0
    capacity: tuple[AddedCapacity, ...] = ()
    beneficiary: str | None = None
    storage: tuple[AddedStorage, ...] = ()

    def plus(self, other: WhatIf) -> WhatIf:
        """Both changes at once (certificates [MWh] added, capacities and storage listed
        together)."""
        if self.beneficiary != other.beneficiary and self.beneficiary and other.beneficiary:
            raise ValueError(
                f"what-ifs for {self.beneficiary!r} and {other.beneficiary!r} cannot be added"
            )
        return WhatIf(
            self.certificates_mwh + other.certificates_mwh,
            self.capacity + other.capacity,
            self.beneficiary or other.beneficiary,
            self.storage + other.storage,
        )


def run_what_if(ledger: Ledger, change: WhatIf) -> LedgerResult:
    """The ledger's result with ``change`` applied; the ledger itself is unchanged."""
    agg, m = ledger.base()
    notes = []
    served = change.beneficiary or "the park"
    if change.capacity or change.storage:
        roles = {k: v.copy() for k, v in agg.roles.items()}
        for added in change.capacity:
            roles["clean_direct"] += added_output(ledger, added)
            notes.append(
                f"what-if: +{added.capacity:g} MW {added.technology} at capacity factor "
                f"{added.capacity_factor:g} serving {served}; extra clean shared pro rata "
                "to unmatched load"
            )
        for battery in change.storage:
            charge, discharge = _add_storage(roles, agg.load, battery, ledger.sold_mwh())
            notes.append(
                f"what-if: +{battery.power_mw:g} MW / {battery.energy_mwh:g} MWh storage at "
                f"round-trip efficiency {battery.round_trip_efficiency:g} serving {served}, "
                "dispatched greedily hour by hour from clean surplus into unmatched load "
                f"(state of charge round the period): {charge:,.0f} MWh charged, "
                f"{discharge:,.0f} MWh discharged; extra clean shared pro rata to unmatched load"
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
    are — PV on the park's clear-sky shape, wind on the park's seeded new-wind year
    (:func:`zcp.ledger.shapes.new_wind_shape`), other technologies flat."""
    hours = ledger.windows.hours
    per_hour = added.capacity * added.capacity_factor * 8760.0 / annual_rate(ledger.folder)
    if added.technology == "wind":
        return per_hour * shapes.new_wind_shape(ledger.folder, added.capacity_factor, hours)
    shape = shapes.pv_shape(ledger.folder, hours) if added.technology == "pv" else None
    return per_hour * (shape if shape is not None else shapes.flat_shape(hours))


def dispatch_storage(
    surplus: np.ndarray, deficit: np.ndarray, battery: AddedStorage
) -> tuple[np.ndarray, np.ndarray]:
    """Hourly charge and discharge [MWh per hour] of ``battery`` over ``surplus`` (power it
    may charge from) and ``deficit`` (load it may serve), both [MWh per hour].

    Greedy, hour by hour, with state of charge s [MWh], power P, energy E and η the
    round trip (√η lost on each leg):

        charge_h    = min(surplus_h, P, (E − s) / √η),   s += √η · charge_h
        discharge_h = min(deficit_h, P, s · √η),         s −= discharge_h / √η

    The period is run twice: first from empty, then from where the first run ended, and the
    second run's flows are returned. The end state of a greedy run never falls as its start
    rises, so the second run ends at least as full as it began — the battery never gives
    back power it did not store within the period; once it empties or fills at some hour
    (the usual case) the two runs end alike and the state of charge runs round the period.
    """
    leg = math.sqrt(battery.round_trip_efficiency)
    power, energy = battery.power_mw, battery.energy_mwh
    room = surplus.tolist()
    need = deficit.tolist()

    def run(start: float) -> tuple[float, list[float], list[float]]:
        soc, charge, discharge = start, [0.0] * len(room), [0.0] * len(room)
        for h, (spare, short) in enumerate(zip(room, need, strict=True)):
            if spare > 0 and soc < energy:
                flow = min(spare, power, (energy - soc) / leg)
                charge[h] = flow
                soc = min(soc + flow * leg, energy)
            elif short > 0 and soc > 0:
                flow = min(short, power, soc * leg)
                discharge[h] = flow
                soc = max(soc - flow / leg, 0.0)
        return soc, charge, discharge

    end, _, _ = run(0.0)
    _, charge, discharge = run(end)
    return np.asarray(charge), np.asarray(discharge)


def _add_storage(
    roles: dict[str, np.ndarray], load: np.ndarray, battery: AddedStorage, sold_mwh: float
) -> tuple[float, float]:
    """Dispatch ``battery`` over the clean supply in ``roles`` (changed in place: discharge
    added on-site, charge taken from on-site clean first, then contracted) against ``load``
    [MWh per hour]; returns the period's charge and discharge [MWh]."""
    clean = roles["clean_direct"] + roles["clean_contract"]
    # surplus the existing storage does not take; deficit the clean supply leaves unmet
    surplus = np.maximum(clean - load - roles["storage_in"], 0.0)
    deficit = load - match_roles(roles, load, sold_mwh).matched
    charge, discharge = dispatch_storage(surplus, np.maximum(deficit, 0.0), battery)
    from_direct = np.minimum(charge, roles["clean_direct"])
    roles["clean_direct"] += discharge - from_direct
    roles["clean_contract"] -= charge - from_direct
    return float(charge.sum()), float(discharge.sum())


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
