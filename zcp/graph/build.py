"""The park as a networkx MultiDiGraph of energy flows.

Nodes are tenants and assets (generators, storage, converters, grid and fuel connections,
buses, equipment) with their attributes; each edge is one flow, keyed by the flow id, with
its carrier and the ids of the meters on it. Parallel flows between the same two nodes
(e.g. import and export over one connection) are separate edges, hence a multigraph.
"""

from __future__ import annotations

import networkx as nx

from zcp.model import ParkFolder

#: Node kinds that bring energy into the park's energy system.
SUPPLY_KINDS = frozenset({"generator", "grid_connection", "fuel_supply"})


def build_graph(folder: ParkFolder) -> nx.MultiDiGraph:
    """Build the energy-flow graph of a loaded (reference-checked) park folder."""
    park = folder.park
    graph = nx.MultiDiGraph(park_id=park.id, park_name=park.name, stage=park.stage)
    for tenant in park.tenants:
        graph.add_node(
            tenant.id,
            kind="tenant",
            name=tenant.name,
            industry=tenant.industry,
            in_boundary=tenant.in_boundary,
        )
    for asset in park.assets:
        attrs = asset.model_dump(exclude={"id", "type"}, exclude_none=True)
        graph.add_node(asset.id, kind=asset.type, **attrs)
    meters_by_flow: dict[str, list[str]] = {}
    for meter in park.meters:
        meters_by_flow.setdefault(meter.flow, []).append(meter.id)
    for flow in park.flows:
        graph.add_edge(
            flow.from_,
            flow.to,
            key=flow.id,
            id=flow.id,
            carrier=flow.carrier,
            meters=meters_by_flow.get(flow.id, []),
            dedicated_line=flow.dedicated_line,
            loss_fraction=flow.loss_fraction,
            annual_estimate=folder.annual_estimates.get(flow.id),
        )
    return graph


def node_kind(graph: nx.MultiDiGraph, node: str) -> str:
    return graph.nodes[node]["kind"]


def owner_tenant(graph: nx.MultiDiGraph, node: str) -> str | None:
    """The tenant a node belongs to: itself if a tenant, else the asset's ``tenant``."""
    attrs = graph.nodes[node]
    return node if attrs["kind"] == "tenant" else attrs.get("tenant")


def flows(graph: nx.MultiDiGraph):
    """Iterate ``(source, target, flow_id, attrs)`` over every flow."""
    return graph.edges(keys=True, data=True)
