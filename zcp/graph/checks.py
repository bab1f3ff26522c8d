"""Structural checks over the energy-flow graph, each a small function yielding problems.

These run after the reference checks, so every id named here exists. Errors make a park
invalid (exit 2); warnings are printed by ``zcp validate`` and kept for the reports.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from pathlib import Path

import networkx as nx

from zcp.errors import Problem
from zcp.graph.build import SUPPLY_KINDS, flows, owner_tenant
from zcp.graph.design_balance import check_design_balance
from zcp.model import ParkFolder
from zcp.model.design_figures import flow_figure
from zcp.yamlio import expect_kind, load_yaml

CONVERTER_FILE = Path(__file__).resolve().parent.parent / "data" / "converters.yaml"


@functools.cache
def converter_table() -> dict:
    doc = load_yaml(CONVERTER_FILE)
    expect_kind(doc, ["converter_types"], {"converter_types": [1]})
    return doc.data


def _flow_index(folder: ParkFolder) -> dict[str, int]:
    return {f.id: i for i, f in enumerate(folder.park.flows)}


def _asset_index(folder: ParkFolder) -> dict[str, int]:
    return {a.id: i for i, a in enumerate(folder.park.assets)}


def check_tenants_reachable(folder: ParkFolder, graph: nx.MultiDiGraph) -> Iterator[Problem]:
    """Every tenant must be reachable from some supply (generator, grid or fuel connection),
    directly or through one of its own assets."""
    supplies = [n for n, kind in graph.nodes(data="kind") if kind in SUPPLY_KINDS]
    reached: set[str] = set()
    for supply in supplies:
        reached |= nx.descendants(graph, supply) | {supply}
    owners_reached = {owner_tenant(graph, n) for n in reached}
    for i, tenant in enumerate(folder.park.tenants):
        if tenant.id not in reached and tenant.id not in owners_reached:
            yield folder.problem(
                "tenants",
                i,
                "id",
                f"tenant {tenant.id!r} is not reached by any "
                "flow from a generator, grid connection or fuel supply",
                hint="add a flow that supplies it, e.g. from a bus",
            )


def check_meters_match_flows(folder: ParkFolder, graph: nx.MultiDiGraph) -> Iterator[Problem]:
    """A meter must measure the carrier of the flow it sits on."""
    carrier_of = {f.id: f.carrier for f in folder.park.flows}
    for i, meter in enumerate(folder.park.meters):
        flow_carrier = carrier_of[meter.flow]
        if meter.carrier != flow_carrier:
            yield folder.problem(
                "meters",
                i,
                "carrier",
                f"meter {meter.id!r} measures "
                f"{meter.carrier} but flow {meter.flow!r} carries {flow_carrier}",
            )


def check_node_carriers(folder: ParkFolder, graph: nx.MultiDiGraph) -> Iterator[Problem]:
    """Flows into and out of each asset must carry what that asset can take or give."""
    table = converter_table()
    fuels = {
        c for c in folder.carriers.ids() if folder.carriers[c].category in ("fossil", "non_fossil")
    }
    index = _flow_index(folder)
    assets = _asset_index(folder)

    def expand(names: list[str]) -> set[str]:
        return {c for name in names for c in (fuels if name == "fuels" else {name})}

    for node, attrs in graph.nodes(data=True):
        kind = attrs["kind"]
        if kind == "converter":
            row = table["converter_types"].get(attrs["technology"], {})
            allowed_in, allowed_out = expand(row.get("inputs", [])), expand(row.get("outputs", []))
            declared_in, declared_out = set(attrs["inputs"]), set(attrs["outputs"])
            a = assets[node]
            for c in sorted(declared_in - allowed_in):
                yield folder.problem(
                    "assets",
                    a,
                    "inputs",
                    f"a {attrs['technology']} cannot take "
                    f"{c} as input (allowed: {', '.join(sorted(allowed_in))})",
                )
            for c in sorted(declared_out - allowed_out):
                yield folder.problem(
                    "assets",
                    a,
                    "outputs",
                    f"a {attrs['technology']} cannot "
                    f"produce {c} (allowed: {', '.join(sorted(allowed_out))})",
                )
            accept_in, accept_out = declared_in, declared_out
        elif kind == "generator":
            accept_out = set(table["generator_outputs"][attrs["technology"]])
            accept_in = {attrs["fuel"]} if attrs.get("fuel") else set()
        elif kind in ("storage", "bus", "grid_connection", "fuel_supply"):
            accept_in = accept_out = {attrs["carrier"]}
            if kind == "fuel_supply":
                accept_in = set()
        elif kind == "equipment":
            accept_in, accept_out = {attrs["carrier"]}, set()
        else:  # tenants take and pass on anything
            continue
        for _src, _dst, key, edge in graph.in_edges(node, keys=True, data=True):
            if edge["carrier"] not in accept_in:
                yield folder.problem(
                    "flows",
                    index[key],
                    "carrier",
                    f"flow {key!r} brings "
                    f"{edge['carrier']} into {kind} {node!r}, which takes "
                    f"{', '.join(sorted(accept_in)) or 'nothing'}",
                )
        for _src, _dst, key, edge in graph.out_edges(node, keys=True, data=True):
            if edge["carrier"] not in accept_out:
                yield folder.problem(
                    "flows",
                    index[key],
                    "carrier",
                    f"flow {key!r} takes "
                    f"{edge['carrier']} out of {kind} {node!r}, which gives "
                    f"{', '.join(sorted(accept_out)) or 'nothing'}",
                )


def check_dangling_assets(folder: ParkFolder, graph: nx.MultiDiGraph) -> Iterator[Problem]:
    """An asset with no flow at all is probably a forgotten connection (warning)."""
    for i, asset in enumerate(folder.park.assets):
        if graph.degree(asset.id) == 0:
            yield folder.problem(
                "assets",
                i,
                "id",
                f"asset {asset.id!r} has no flows",
                severity="warning",
                hint="connect it or remove it",
            )


def check_design_estimates(folder: ParkFolder, graph: nx.MultiDiGraph) -> Iterator[Problem]:
    """A design-stage park needs an estimate on every unmetered flow (warning if missing)."""
    if folder.park.stage != "design":
        return
    index = _flow_index(folder)
    for _src, _dst, key, edge in flows(graph):
        derivable = flow_figure(folder, key) is not None  # from a generator's capacity
        if edge["annual_estimate"] is None and not edge["meters"] and not derivable:
            yield folder.problem(
                "flows",
                index[key],
                "annual_estimate",
                f"design-stage flow {key!r} has neither an annual estimate nor a meter",
                severity="warning",
            )


#: Node kinds through which energy may go round legitimately: a bus, storage charged and
#: discharged, a grid connection imported from and exported to.
_LOOP_BREAKERS = frozenset({"bus", "storage", "grid_connection", "fuel_supply", "generator"})


def check_flow_cycles(folder: ParkFolder, graph: nx.MultiDiGraph) -> Iterator[Problem]:
    """Flows of one carrier that go round among tenants (A → B → A) count the same energy
    as each tenant's load in turn: for electricity an error (the ledger would count it
    twice), for other carriers a warning (traced only, but the loop is suspect).

    Loops through a bus, storage or a grid connection are how parks work and are not
    flagged; the loops looked for are those among tenants and their own assets."""
    index = _flow_index(folder)
    by_carrier: dict[str, nx.DiGraph] = {}
    for src, dst, key, edge in flows(graph):
        if {graph.nodes[src]["kind"], graph.nodes[dst]["kind"]} & _LOOP_BREAKERS:
            continue
        sub = by_carrier.setdefault(edge["carrier"], nx.DiGraph())
        sub.add_edge(src, dst)
        sub.edges[src, dst].setdefault("flows", []).append(key)
    for carrier, sub in sorted(by_carrier.items()):
        for ring in sorted(sorted(c) for c in nx.strongly_connected_components(sub)):
            if len(ring) == 1 and not sub.has_edge(ring[0], ring[0]):
                continue
            inside = sub.subgraph(ring)
            keys = sorted((k for _s, _d, ks in inside.edges(data="flows") for k in ks),
                          key=index.__getitem__)  # fmt: skip
            electricity = carrier == "electricity"
            yield folder.problem(
                "flows",
                index[keys[0]],
                "to",
                f"{carrier} flows go round in a loop among {', '.join(ring)} "
                f"({', '.join(keys)})"
                + (": each tenant's load would count the same energy again" if electricity else ""),
                hint="net the flows into one direction, or route them through a bus",
                severity="error" if electricity else "warning",
            )


def check_meters_per_flow(folder: ParkFolder, graph: nx.MultiDiGraph) -> Iterator[Problem]:
    """A flow with several meters: the first listed counts, the others are check meters
    whose totals the ledger compares with it (warning, so no meter goes unmentioned)."""
    index = {m.id: i for i, m in enumerate(folder.park.meters)}
    for _src, _dst, key, edge in flows(graph):
        meters = edge["meters"]
        if len(meters) > 1:
            yield folder.problem(
                "meters",
                index[meters[1]],
                "flow",
                f"flow {key!r} has {len(meters)} meters: {meters[0]!r} counts, "
                f"{', '.join(repr(m) for m in meters[1:])} check it",
                hint="the ledger warns when a check meter disagrees by more than 2 %",
                severity="warning",
            )


GraphCheck = Callable[[ParkFolder, nx.MultiDiGraph], Iterator[Problem]]
CHECKS: list[GraphCheck] = [
    check_tenants_reachable,
    check_meters_match_flows,
    check_node_carriers,
    check_dangling_assets,
    check_design_estimates,
    check_design_balance,
    check_flow_cycles,
    check_meters_per_flow,
]


def graph_problems(folder: ParkFolder, graph: nx.MultiDiGraph) -> list[Problem]:
    return [p for check in CHECKS for p in check(folder, graph)]


def unmetered_flows(graph: nx.MultiDiGraph) -> list[str]:
    """Ids of flows with no meter on them."""
    return [key for _s, _d, key, edge in flows(graph) if not edge["meters"]]
