"""The assumptions a plan states, and which of its costs are illustrative defaults.

Stated with every result (CLI, JSON, report) because a plan is only as good as them: the
capacity factors of new PV and wind (the levers' own), the linearisation the engine's
check settles, how storage is offered and dispatched, a tenant's scaled share of the
park's hours, and the cost-book rows without a source that the reported plans price with.
"""

from __future__ import annotations

from collections.abc import Sequence

from zcp.metrics.ledger_metrics import PV_CAPACITY_FACTOR
from zcp.model.design_figures import WIND_CAPACITY_FACTOR
from zcp.plan.costs import CostBook
from zcp.plan.levers import BUILDABLES, STORAGE_COSTS
from zcp.plan.results import LevelPlan


def illustrative_costs(costs: CostBook, curve: Sequence[LevelPlan]) -> list[str]:
    """The cost-book rows without a source the plan uses (storage's only if a plan of
    ``curve`` builds storage)."""
    storage_used = any(x.lever == BUILDABLES["storage_power"].name
                       for level in curve for x in level.levers)  # fmt: skip
    used = {what.cost_entry for what in BUILDABLES.values()}
    if not storage_used:
        used -= set(STORAGE_COSTS.values())
    return sorted(k for k, c in costs.levers.items()
                  if c.confidence == "illustrative" and k in used)  # fmt: skip


def assumptions(subject: str | None, illustrative: Sequence[str]) -> list[str]:
    """The plan's assumptions in the CLI's words; ``illustrative``: cost-book rows without a
    source the plans price with (:func:`illustrative_costs`)."""
    text = [
        f"new PV at capacity factor {PV_CAPACITY_FACTOR:g} (illustrative) on the clear-sky "
        f"shape; new wind at capacity factor {WIND_CAPACITY_FACTOR:g} (zcp's illustrative "
        "onshore default, as for a design's wind without a stated figure) on the park's "
        "modelled wind year: a seeded wind series through a generic power curve, like "
        "design wind; the gap levers and the programme use the same hourly output",
        "metric responses linearised from one real engine step per lever; every plan is "
        "re-evaluated by the engine and only a confirmed plan is reported",
        "storage (power [MW], energy [MWh], round-trip efficiency from the cost book) is "
        "offered to the programme only when a level cannot be reached without it; the "
        "engine applies it as a battery dispatched greedily hour by hour from clean "
        "surplus into unmatched load, its state of charge round the year, and confirms "
        "the plan like any other",
    ]
    if subject is not None:
        text.append(f"tenant {subject}: hourly load and clean supply are the park's "
                    "scaled to the tenant's annual use")  # fmt: skip
    if illustrative:
        text.append("illustrative (unsourced) cost defaults used for: " + ", ".join(illustrative))
    return text
