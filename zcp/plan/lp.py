"""The least-cost lever mix as a linear programme over the hourly year (linopy + HiGHS).

Variables: new PV and wind capacity [MW], certificates [MWh], and per hour grid import
and spilled clean power [MWh]. Each hour balances

    G_h + pv · p_h + wind · w_h + grid_h − spill_h = L_h

(G: clean supply the subject has now, p/w: output per MW of new PV/wind, L: load), so the
clean power used in the hour is L_h − grid_h and can never exceed the load. With storage
offered (``StorageOffer``), a battery of power P [MW] and energy E [MWh] adds discharge
d_h and takes charge c_h in the balance (… + d_h − c_h), c_h, d_h ≤ P, and its state of
charge follows the year round (cyclic: the year ends where it began)

    s_h = s_(h−1) + √η · c_h − d_h / √η,   0 ≤ s_h ≤ E

with η the round-trip efficiency. Charging from the grid is allowed by the balance but
never pays: it loses (1 − η) of what it stores, and only clean power used counts. Every rule the
target level needs becomes one linear constraint on the rule's metric,

    m0 + α · (ΔD) + β · certificates  ≥ (or ≤) threshold,

where ΔD = Σ_h (L_h − grid_h) − D0 is the extra clean power used over the year and α, β
are the metric's response to one unit of each, measured by the real engine (see
``zcp.plan.targets``). The objective is the annualised cost of the levers.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: linopy's name for the hourly dimension.
HOUR = "h"


@dataclass(frozen=True)
class MetricTarget:
    """``value_now + per_clean_mwh × ΔD + per_certificate_mwh × certificates`` must be
    ``≥`` (sense ">=") or ``≤`` (sense "<=") ``threshold`` (all in the metric's unit)."""

    rule_id: str
    metric: str
    sense: str
    threshold: float
    value_now: float
    per_clean_mwh: float
    per_certificate_mwh: float


@dataclass(frozen=True)
class HourlySystem:
    """The subject's year: load, clean supply it has, and per-MW output of new plant."""

    load: np.ndarray  #: L_h [MWh]
    clean_now: np.ndarray  #: G_h [MWh]
    pv_per_mw: np.ndarray  #: p_h [MWh/MW]
    wind_per_mw: np.ndarray  #: w_h [MWh/MW]


@dataclass(frozen=True)
class Prices:
    """Annualised cost per unit [CNY/a per MW, per MWh]."""

    pv: float
    wind: float
    certificates: float


@dataclass(frozen=True)
class StorageOffer:
    """Storage the programme may build: annualised cost per MW of power and per MWh of
    energy [CNY/a], and round-trip efficiency η [fraction]."""

    power: float
    energy: float
    round_trip_efficiency: float


@dataclass
class Solution:
    status: str  #: "optimal", or why not
    pv_mw: float = 0.0
    wind_mw: float = 0.0
    certificates_mwh: float = 0.0
    storage_mw: float = 0.0
    storage_mwh: float = 0.0
    annual_cost: float = 0.0
    binding: list[str] = field(default_factory=list)  #: rule ids whose constraint binds
    rows: int = 0
    columns: int = 0
    infeasible: str | None = None


def solve(
    system: HourlySystem,
    targets: list[MetricTarget],
    prices: Prices,
    *,
    allow: frozenset[str] = frozenset({"pv", "wind", "certificates"}),
    storage: StorageOffer | None = None,
) -> Solution:
    """Least-cost levers meeting every target: PV and wind [MW], certificates [MWh], cost
    [CNY/a]; ``allow`` limits the levers offered; ``storage`` offers a battery (power [MW]
    and energy [MWh]) dispatched hour by hour."""
    import linopy

    hours = pd.RangeIndex(len(system.load), name=HOUR)
    load = pd.Series(system.load, index=hours)
    clean_now = pd.Series(system.clean_now, index=hours)
    pv_out = pd.Series(system.pv_per_mw, index=hours)
    wind_out = pd.Series(system.wind_per_mw, index=hours)
    used_now = float(np.minimum(system.clean_now, system.load).sum())  # D0 [MWh]

    m = linopy.Model()

    def bound(lever: str) -> float:
        return np.inf if lever in allow else 0.0

    pv = m.add_variables(lower=0, upper=bound("pv"), name="pv_mw")
    wind = m.add_variables(lower=0, upper=bound("wind"), name="wind_mw")
    certs = m.add_variables(lower=0, upper=bound("certificates"), name="certificates_mwh")
    grid = m.add_variables(lower=0, coords=[hours], name="grid_mwh")
    spill = m.add_variables(lower=0, coords=[hours], name="spill_mwh")
    supply = pv * pv_out + wind * wind_out + grid - spill
    # a tiny cost on import makes the clean power used well defined where targets are slack
    cost = prices.pv * pv + prices.wind * wind + prices.certificates * certs + 1e-6 * grid.sum()
    if storage is not None:
        power = m.add_variables(lower=0, name="storage_mw")
        energy = m.add_variables(lower=0, name="storage_mwh")
        charge = m.add_variables(lower=0, coords=[hours], name="charge_mwh")
        discharge = m.add_variables(lower=0, coords=[hours], name="discharge_mwh")
        soc = m.add_variables(lower=0, coords=[hours], name="state_of_charge_mwh")
        leg = float(np.sqrt(storage.round_trip_efficiency))  # charge and discharge alike
        m.add_constraints(charge <= power, name="charge_at_most_power")
        m.add_constraints(discharge <= power, name="discharge_at_most_power")
        m.add_constraints(soc <= energy, name="soc_at_most_energy")
        m.add_constraints(
            soc - soc.roll({HOUR: 1}) - leg * charge + (1 / leg) * discharge == 0,
            name="state_of_charge",
        )
        supply = supply + discharge - charge
        cost = cost + storage.power * power + storage.energy * energy
    m.add_constraints(supply == load - clean_now, name="hourly_balance")
    m.add_constraints(grid <= load, name="grid_at_most_load")
    extra_used = (load.sum() - used_now) - grid.sum()  # ΔD [MWh]
    for t in targets:
        lhs = t.per_clean_mwh * extra_used + t.per_certificate_mwh * certs
        rhs = t.threshold - t.value_now
        if t.sense == ">=":
            m.add_constraints(lhs >= rhs, name=f"rule_{t.rule_id}")
        else:
            m.add_constraints(lhs <= rhs, name=f"rule_{t.rule_id}")
    m.add_objective(cost)
    # direct API (no LP file), no progress bars, HiGHS's banner kept off stdout (``--json``)
    with _quiet_stdout():
        status, condition = m.solve(
            solver_name="highs", io_api="direct", progress=False, output_flag=False
        )
    rows = int(sum(c.labels.size for _, c in m.constraints.items()))
    columns = int(sum(v.labels.size for _, v in m.variables.items()))
    if condition != "optimal":
        why = "infeasible" if "infeasible" in str(condition) else str(condition)
        return Solution(status=why, rows=rows, columns=columns, infeasible=_culprit(targets))
    solution = Solution(
        status="optimal",
        pv_mw=float(pv.solution),
        wind_mw=float(wind.solution),
        certificates_mwh=float(certs.solution),
        rows=rows,
        columns=columns,
    )
    if storage is not None:
        solution.storage_mw = float(m.variables["storage_mw"].solution)
        solution.storage_mwh = float(m.variables["storage_mwh"].solution)
    solution.annual_cost = (
        prices.pv * solution.pv_mw
        + prices.wind * solution.wind_mw
        + prices.certificates * solution.certificates_mwh
        + (storage.power * solution.storage_mw + storage.energy * solution.storage_mwh
           if storage is not None else 0.0)
    )  # fmt: skip
    for t in targets:
        dual = m.constraints[f"rule_{t.rule_id}"].dual
        if dual is not None and abs(float(dual)) > 1e-9:
            solution.binding.append(t.rule_id)
    return solution


@contextlib.contextmanager
def _quiet_stdout():
    """Silence file descriptor 1 (HiGHS prints its banner from C, past ``sys.stdout``)."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def _culprit(targets: list[MetricTarget]) -> str:
    """Which rule constraint set cannot be met: the first one no lever can move enough."""
    for t in targets:
        if t.per_clean_mwh == 0 and t.per_certificate_mwh == 0:
            return f"rule {t.rule_id}: no lever moves {t.metric}"
    return "rule constraints together with the hourly balance (clean power used ≤ load)"
