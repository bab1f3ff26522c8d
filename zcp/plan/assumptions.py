"""The assumptions a plan states, and which of its costs are illustrative defaults.

Stated with every result (CLI, JSON, report) because a plan is only as good as them: the
capacity factors of new PV and wind (the levers' own), the linearisation the engine's
check settles, how storage is offered and dispatched, a tenant's scaled share of the
park's hours, and the cost-book rows without a source that price what the reported plans
build or buy (none for a level reached already).
"""

from __future__ import annotations

from collections.abc import Sequence

from zcp.metrics.ledger_metrics import PV_CAPACITY_FACTOR
from zcp.model.design_figures import WIND_CAPACITY_FACTOR
from zcp.plan.levers import BUILDABLES
from zcp.plan.results import LevelPlan

#: The cost-book row that priced a planned lever, by its reported name.
_COST_ENTRY = {what.name: what.cost_entry for what in BUILDABLES.values()}


def illustrative_costs(curve: Sequence[LevelPlan]) -> list[str]:
    """The cost-book rows without a source that price something a plan of ``curve``
    builds or buys (an amount above zero). A level reached already, or unreachable, prices
    nothing: a curve of such levels names none, whatever the cost book holds."""
    return sorted({_COST_ENTRY[x.lever] for level in curve for x in level.levers
                   if x.amount > 0 and x.cost_confidence == "illustrative"})  # fmt: skip


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
