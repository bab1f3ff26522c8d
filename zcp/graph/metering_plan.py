"""The meters a full metering plan needs, per level and carrier, and how many are there.

Levels follow GB 17167: flows crossing the park boundary (grid and fuel connections,
off-site generators), flows into or out of a tenant (the sub-unit), and flows of main
energy-using equipment (assets at or above a rated-power threshold kept in data). A flow
is counted once, at its highest level. The metering rule set turns these counts into
configuration rates.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pandas as pd

from zcp.graph.build import flows
from zcp.units import conversion_factor
from zcp.yamlio import expect_kind, load_yaml

PLAN_FILE = Path(__file__).resolve().parent.parent / "data" / "metering_plan.yaml"
LEVELS = ("park_boundary", "tenant", "equipment")
_BOUNDARY_KINDS = {"grid_connection", "fuel_supply"}
_EQUIPMENT_KINDS = {"equipment", "converter", "generator", "storage"}


@functools.cache
def main_equipment_threshold_mw() -> float:
    """Rated power [MW] from which equipment is main energy-using equipment (主要用能设备),
    read from ``zcp/data/metering_plan.yaml``."""
    doc = load_yaml(PLAN_FILE)
    expect_kind(doc, ["metering_plan_rules"], {"metering_plan_rules": [1]})
    rule = doc.data["main_equipment_threshold"]
    return rule["value"] * conversion_factor(rule["unit"], "MW")


def _rated_mw(attrs: dict) -> float | None:
    for field in ("rated_power", "capacity", "power"):
        if attrs.get(field) is not None:
            value = attrs[field]
            return (
                value / 1000.0 if field == "rated_power" and attrs["kind"] == "equipment" else value
            )
    return None


def flow_level(graph: nx.MultiDiGraph, src: str, dst: str) -> str | None:
    """The highest metering level a flow belongs to, or None for internal transfers."""
    ends = [graph.nodes[src], graph.nodes[dst]]
    if any(
        e["kind"] in _BOUNDARY_KINDS or (e["kind"] == "generator" and e.get("site") == "off_site")
        for e in ends
    ):
        return "park_boundary"
    if any(e["kind"] == "tenant" for e in ends):
        # a tenant feeding its own equipment is metered at the equipment level
        other = ends[1] if ends[0]["kind"] == "tenant" else ends[0]
        if other["kind"] != "tenant" and other.get("tenant") in (src, dst):
            return _equipment_level(other)
        return "tenant"
    for end in ends:
        level = _equipment_level(end)
        if level:
            return level
    return None


def _equipment_level(attrs: dict) -> str | None:
    if attrs["kind"] not in _EQUIPMENT_KINDS:
        return None
    rated = _rated_mw(attrs)
    return "equipment" if rated is None or rated >= main_equipment_threshold_mw() else None


@dataclass
class MeteringPlan:
    """One row per flow that a full plan meters."""

    flows: pd.DataFrame  # flow_id, level, carrier, metered, meters

    def summary(self) -> pd.DataFrame:
        """Needed and installed meters [count] and configuration rate [fraction] per level
        and carrier."""
        if self.flows.empty:
            return pd.DataFrame(columns=["level", "carrier", "needed", "installed", "rate"])
        grouped = (
            self.flows.groupby(["level", "carrier"], sort=True)
            .agg(needed=("flow_id", "size"), installed=("metered", "sum"))
            .reset_index()
        )
        grouped["installed"] = grouped["installed"].astype(int)
        grouped["rate"] = grouped["installed"] / grouped["needed"]
        return grouped

    def missing(self) -> pd.DataFrame:
        return self.flows[~self.flows["metered"]]


def metering_plan(graph: nx.MultiDiGraph) -> MeteringPlan:
    """The flows a full metering plan meters (GB 17167 levels; equipment from the rated-power
    threshold [MW]), each with whether and by which meters it is metered."""
    rows = []
    for src, dst, key, edge in flows(graph):
        level = flow_level(graph, src, dst)
        if level is None:
            continue
        rows.append(
            {
                "flow_id": key,
                "level": level,
                "carrier": edge["carrier"],
                "metered": bool(edge["meters"]),
                "meters": list(edge["meters"]),
            }
        )
    frame = pd.DataFrame(rows, columns=["flow_id", "level", "carrier", "metered", "meters"])
    return MeteringPlan(frame)
