"""Solve, round to whole steps, apply through the engine, and report only what it confirms.

The programme's responses are linearised (``zcp.plan.targets``), so its mix is a proposal:
rounded up to whole steps (0.1 MW, 1 MWh), applied through the levers and — for storage —
the ledger's storage what-if (a battery dispatched greedily hour by hour), then the rule
set is evaluated for real. If a needed rule still fails, its target is moved by the
engine-measured shortfall and the programme solved again, at most :data:`ROUNDS` times.
Storage is offered to the programme only once a level proves unreachable without it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from zcp.ledger.whatif import AddedStorage, WhatIf
from zcp.metrics import EvaluationContext
from zcp.metrics.ledger_metrics import with_what_if
from zcp.plan.costs import CostBook
from zcp.plan.levers import BUILDABLES, SubjectLevers
from zcp.plan.lp import HourlySystem, MetricTarget, Prices, Solution, StorageOffer, solve
from zcp.plan.results import LevelPlan, PlannedLever, StrictestThreshold
from zcp.rules.results import RuleResult, RuleSetResult

#: Engine checks per level before giving up on a plan.
ROUNDS = 6

#: Evaluates the rule set with a plan's amounts applied (by ``BUILDABLES`` key, storage
#: as offered to the programme, or None).
Check = Callable[[dict[str, float], StorageOffer | None], RuleSetResult]


def applied_plan(view: EvaluationContext, levers: SubjectLevers, amounts: Mapping[str, float],
                 storage: StorageOffer | None, subject: str | None) -> EvaluationContext:  # fmt: skip
    """``view`` with the plan's amounts applied: the levers, then storage (power [MW],
    energy [MWh]) as the ledger's storage what-if for ``subject`` (None: the park)."""
    planned = levers.apply(view, amounts)
    power, energy = amounts["storage_power"], amounts["storage_energy"]
    if storage is not None and power > 0 and energy > 0:
        battery = AddedStorage(power, energy, storage.round_trip_efficiency)
        planned = with_what_if(planned, WhatIf(storage=(battery,), beneficiary=subject))
    return planned


def solve_and_confirm(level_id: str, targets: list[MetricTarget],
                      strictest: Mapping[str, StrictestThreshold], needed: list[str],
                      system: HourlySystem, costs: CostBook, check: Check) -> LevelPlan:  # fmt: skip
    """The cheapest mix meeting ``targets`` that the engine (``check``) confirms reaches
    ``level_id``, or why there is none; ``needed``: the rules the level needs (named when
    no round is confirmed); ``strictest``: targets planned to the strictest public value."""
    prices = Prices(*(costs.annual_per_unit(BUILDABLES[k].cost_entry)
                      for k in ("pv", "wind", "certificates")))  # fmt: skip
    engine_runs = 0
    storage: StorageOffer | None = None  # offered once the level proves to need it
    for _ in range(ROUNDS):
        solution = solve(system, targets, prices, storage=storage)
        if solution.status != "optimal" and storage is None:
            storage = storage_offer(costs)
            if storage is not None:
                solution = solve(system, targets, prices, storage=storage)
        if solution.status != "optimal":
            even = " even with storage" if storage is not None else ""
            return LevelPlan(level_id, "unreachable", lp_rows=solution.rows,
                             lp_columns=solution.columns,
                             why=f"the programme is {solution.status}{even}: "
                                 f"{solution.infeasible}",
                             engine_runs=engine_runs)  # fmt: skip
        amounts = {key: _up(value, BUILDABLES[key].step) for key, value in (
            ("pv", solution.pv_mw), ("wind", solution.wind_mw),
            ("certificates", solution.certificates_mwh),
            ("storage_power", solution.storage_mw), ("storage_energy", solution.storage_mwh),
        )}  # fmt: skip
        checked = check(amounts, storage)
        engine_runs += 1
        level = next(lv for lv in checked.levels if lv.id == level_id)
        if level.status == "pass":
            plan = _planned(level_id, amounts, solution, engine_runs, costs)
            plan.strictest = [strictest[t.rule_id] for t in targets if t.rule_id in strictest]
            notes = [x.explain() for x in plan.strictest]
            if storage is not None and amounts["storage_power"] > 0:
                notes.insert(0, f"needs storage ({amounts['storage_power']:g} MW / "
                                f"{amounts['storage_energy']:g} MWh, round trip "
                                f"{storage.round_trip_efficiency:.0%}): the level cannot "
                                "be reached without it")  # fmt: skip
            plan.why = "; ".join([plan.why, *notes])
            return plan
        targets = [_tightened(t, checked.rule(t.rule_id)) for t in targets]
    return LevelPlan(level_id, "unreachable", engine_runs=engine_runs,
                     why=f"no engine-confirmed plan after {ROUNDS} rounds; still failing: "
                     + "; ".join(f"{r.id}: {r.why}" for r in checked.rules
                                 if r.id in needed and r.status != "pass"))  # fmt: skip


def storage_offer(costs: CostBook) -> StorageOffer | None:
    """Storage priced by the cost book (power and energy rows, the energy row's
    round-trip efficiency), or None if it has no such rows."""
    power_row = BUILDABLES["storage_power"].cost_entry
    energy_row = BUILDABLES["storage_energy"].cost_entry
    power, energy = costs.levers.get(power_row), costs.levers.get(energy_row)
    if power is None or energy is None or energy.round_trip_efficiency is None:
        return None
    return StorageOffer(costs.annual_per_unit(power_row), costs.annual_per_unit(energy_row),
                        energy.round_trip_efficiency)  # fmt: skip


def _planned(level_id: str, amounts: Mapping[str, float], solution: Solution, runs: int,
             costs: CostBook) -> LevelPlan:  # fmt: skip
    """The confirmed plan: each amount bought, priced by the cost book [CNY/a]."""
    levers = []
    for key, amount in amounts.items():
        if amount <= 0:
            continue
        what = BUILDABLES[key]
        levers.append(PlannedLever(what.name, what.unit, amount,
                                   round(amount * costs.annual_per_unit(what.cost_entry), 2),
                                   costs.levers[what.cost_entry].confidence))  # fmt: skip
    return LevelPlan(level_id, "planned", levers, round(sum(x.annual_cost for x in levers), 2),
                     solution.binding, "confirmed by the engine", runs, solution.rows,
                     solution.columns)  # fmt: skip


def _up(value: float, step: float) -> float:
    """Up to a whole step, ignoring solver noise below a millionth of a step."""
    return round(math.ceil(value / step - 1e-6) * step, 10) if value > 0 else 0.0


def _tightened(t: MetricTarget, after: RuleResult) -> MetricTarget:
    """The target moved by the rule's shortfall under the last plan (engine-measured)."""
    if after.status == "pass" or after.actual is None:
        return t
    short = t.threshold - after.actual if t.sense == ">=" else after.actual - t.threshold
    bump = short if t.sense == ">=" else -short
    return MetricTarget(t.rule_id, t.metric, t.sense, t.threshold + bump * 1.0001,
                        t.value_now, t.per_clean_mwh, t.per_certificate_mwh)  # fmt: skip
