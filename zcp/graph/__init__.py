"""The park's energy-flow graph: building it, checking it, its metering plan, drawing it."""

from zcp.graph.build import SUPPLY_KINDS, build_graph, flows, node_kind, owner_tenant
from zcp.graph.checks import graph_problems, unmetered_flows
from zcp.graph.metering_plan import MeteringPlan, flow_level, metering_plan

__all__ = [
    "SUPPLY_KINDS",
    "MeteringPlan",
    "build_graph",
    "flow_level",
    "flows",
    "graph_problems",
    "metering_plan",
    "node_kind",
    "owner_tenant",
    "unmetered_flows",
]
