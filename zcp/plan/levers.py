"""What a plan builds or buys, and the hourly output the programme and the engine share.

One table names each thing (as reported, its cost-book row, unit and step) so the search,
the confirmation and the assumptions read the same names. New PV and wind are the gap
analysis's own levers, sized for the subject; the programme's hourly columns are built
from those levers' output (``zcp.ledger.whatif.added_output``), so programme and engine see
the same hours. Storage is not a gap-analysis lever: it is planned only here and applied
through the ledger's storage what-if (``zcp.plan.confirm``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from zcp.ledger.whatif import AddedCapacity, added_output
from zcp.metrics import EvaluationContext, Lever, registered_levers
from zcp.metrics.ledger_metrics import PV_CAPACITY_FACTOR, ledger_for
from zcp.model.design_figures import WIND_CAPACITY_FACTOR
from zcp.plan.lp import HourlySystem


@dataclass(frozen=True)
class Buildable:
    """One thing a plan builds or buys."""

    name: str  #: as reported (``PlannedLever.lever``): the engine's lever name, or storage's
    cost_entry: str  #: the cost-book row that prices it
    unit: str
    step: float  #: a plan's amount is rounded up to whole steps [``unit``]


#: Everything a plan may build or buy, by the planner's key, in the order plans list them.
BUILDABLES = {
    "pv": Buildable("extra_pv", "pv", "MW", 0.1),
    "wind": Buildable("extra_wind", "wind", "MW", 0.1),
    "certificates": Buildable("green_certificates", "green_certificates", "MWh", 1.0),
    "storage_power": Buildable("storage_power", "storage_power", "MW", 0.1),
    "storage_energy": Buildable("storage_energy", "storage_energy", "MWh", 1.0),
}
#: The engine's levers the planner uses (``zcp.metrics.registered_levers``), by key.
LEVERS = {key: BUILDABLES[key].name for key in ("pv", "wind", "certificates")}


@dataclass(frozen=True)
class SubjectLevers:
    """The engine's levers sized for the plan's subject: for a tenant where the lever can
    be (certificates retired for it, capacity serving its load), else for the park."""

    levers: dict[str, Lever]
    sized_for: dict[str, str | None]  #: the tenant each lever is sized for, or None

    def apply(self, view: EvaluationContext, amounts: Mapping[str, float]) -> EvaluationContext:
        """``view`` with each lever applied at its amount [its unit] (zero: left out)."""
        for key in LEVERS:
            if amounts[key] > 0:
                view = self.levers[key].apply(view, amounts[key])
        return view


def subject_levers(subject: str | None) -> SubjectLevers:
    """The planner's levers (:data:`LEVERS`), sized for ``subject`` (None: the park)."""
    by_name = {lever.name: lever for lever in registered_levers()}
    levers: dict[str, Lever] = {}
    sized_for: dict[str, str | None] = {}
    for key, name in LEVERS.items():
        lever, sized_for[key] = by_name[name], None
        if subject is not None and lever.for_subject is not None:
            lever, sized_for[key] = lever.for_subject(subject), subject
        levers[key] = lever
    return SubjectLevers(levers, sized_for)


def hourly_system(view: EvaluationContext, subject: str | None) -> HourlySystem:
    """The subject's year for the programme: load and clean supply [MWh] from the ledger,
    and the hourly output of 1 MW of new PV and wind [MWh/MW]. For a tenant, load and clean
    supply are the park's scaled to the tenant's annual use."""
    ledger = ledger_for(view)
    if ledger is None:  # park_context always carries the park folder
        raise RuntimeError("the planner's evaluation context has no park folder")
    agg, m = ledger.base()
    load = np.asarray(m.load, dtype=float)
    clean = np.asarray(agg.roles["clean_direct"] + agg.roles["clean_contract"], dtype=float)
    pv = added_output(ledger, AddedCapacity("pv", 1.0, PV_CAPACITY_FACTOR))
    wind = added_output(ledger, AddedCapacity("wind", 1.0, WIND_CAPACITY_FACTOR))
    if subject is not None:
        own = view.value("tenant_electricity_consumption", subject).value
        share = (own or 0.0) / float(load.sum()) if load.sum() > 0 else 0.0
        load, clean = load * share, clean * share
    return HourlySystem(load, clean, np.asarray(pv, float), np.asarray(wind, float))


def clean_per_step(system: HourlySystem, key: str) -> float:
    """Extra clean power used [MWh/a] for one step of the capacity lever ``key``."""
    series = system.wind_per_mw if key == "wind" else system.pv_per_mw
    before = np.minimum(system.clean_now, system.load).sum()
    step = BUILDABLES[key].step
    return float(np.minimum(system.clean_now + step * series, system.load).sum() - before)
