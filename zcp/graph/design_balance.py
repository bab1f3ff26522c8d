"""Does a design balance? Annual inflow and outflow of every bus, from the design figures.

For each bus, Σ inflow × (1 − loss fraction) should equal Σ outflow, in the bus carrier's
unit, using each flow's stated or derived annual figure (``zcp.model.design_figures``). A
difference beyond ``DESIGN_BALANCE_TOLERANCE`` of the larger side is reported as a warning
that names the bus and both sums: a design whose buses do not balance gives emissions and
shares that rest on energy nobody supplies (or that vanishes).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import networkx as nx

from zcp.errors import Problem
from zcp.graph.build import flows
from zcp.model import ParkFolder
from zcp.model.design_figures import flow_figure

#: Share of a bus's throughput a design may be off by before it is reported: estimates are
#: rounded, so a few per cent are noise; a tenth is a missing supply or consumer.
DESIGN_BALANCE_TOLERANCE = 0.02


@dataclass(frozen=True)
class BusBalance:
    bus: str
    inflow: float  #: after line losses [carrier unit]
    outflow: float  #: [carrier unit]
    unit: str
    missing: tuple[str, ...]  #: flows without a stated or derived figure

    @property
    def imbalance(self) -> float:
        """Inflow minus outflow (negative: the bus is short) [carrier unit]."""
        return self.inflow - self.outflow


def bus_balances(folder: ParkFolder, graph: nx.MultiDiGraph) -> list[BusBalance]:
    """The annual balance of every bus of a design [the bus carrier's unit per year]."""
    out = []
    for bus in sorted(n for n, a in graph.nodes(data=True) if a.get("kind") == "bus"):
        asset = next(a for a in folder.park.assets if a.id == bus)
        carrier = getattr(asset, "carrier", None)
        unit = ""
        if isinstance(carrier, str) and carrier in folder.carriers:
            unit = folder.carriers[carrier].unit
        inflow = outflow = 0.0
        missing = []
        for src, dst, key, edge in flows(graph):
            if bus not in (src, dst):
                continue
            figure = flow_figure(folder, key)
            if figure is None:
                missing.append(key)
                continue
            if dst == bus:
                inflow += figure.value * (1.0 - (edge.get("loss_fraction") or 0.0))
            else:
                outflow += figure.value
        out.append(BusBalance(bus, inflow, outflow, unit, tuple(missing)))
    return out


def check_design_balance(folder: ParkFolder, graph: nx.MultiDiGraph) -> Iterator[Problem]:
    """Warn for each bus of a design-stage park whose annual figures do not balance (beyond
    ``DESIGN_BALANCE_TOLERANCE`` [fraction] of the larger side)."""
    if folder.park.stage != "design":
        return
    index = {a.id: i for i, a in enumerate(folder.park.assets)}
    for b in bus_balances(folder, graph):
        if b.missing:
            continue  # the flows without a figure are warned about on their own
        scale = max(b.inflow, b.outflow)
        if scale <= 0 or abs(b.imbalance) <= DESIGN_BALANCE_TOLERANCE * scale:
            continue
        side = "short of" if b.imbalance < 0 else "over"
        yield folder.problem(
            "assets",
            index[b.bus],
            "flows",
            f"bus {b.bus!r} does not balance over the year: inflow after losses "
            f"{b.inflow:,.0f} {b.unit}, outflow {b.outflow:,.0f} {b.unit} — "
            f"{abs(b.imbalance):,.0f} {b.unit} {side} balance "
            f"(tolerance {DESIGN_BALANCE_TOLERANCE:.0%})",
            severity="warning",
            hint="check the annual estimates of the flows into and out of this bus",
        )
