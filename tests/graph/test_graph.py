"""The energy-flow graph, its checks and the metering plan, on small parks."""

from __future__ import annotations

import networkx as nx
import pytest

from tests.conftest import MINIMAL_PARK
from zcp.errors import ParkError
from zcp.graph import build_graph, graph_problems, metering_plan, unmetered_flows
from zcp.model import load_park
from zcp.validate import check_park


def test_graph_has_every_node_and_flow_with_meters(write_park):
    folder = load_park(write_park())
    graph = build_graph(folder)
    assert isinstance(graph, nx.MultiDiGraph)
    assert graph.number_of_nodes() == len(folder.park.tenants) + len(folder.park.assets) == 8
    assert graph.number_of_edges() == 7
    assert graph.nodes["pv"]["kind"] == "generator" and graph.nodes["pv"]["capacity"] == 5
    assert graph.nodes["press"]["rated_power"] == 500  # kW as written
    assert graph.edges["grid", "bus", "f-grid"]["meters"] == ["m-grid"]
    assert graph.edges["bus", "t2", "f-t2"]["meters"] == []
    assert set(unmetered_flows(graph)) == {"f-t2", "f-press", "f-steam"}


def test_parallel_flows_between_two_nodes_stay_separate(write_park):
    text = MINIMAL_PARK.replace(
        "  - {id: f-pv,",
        "  - {id: f-export, from: bus, to: grid, carrier: electricity}\n  - {id: f-pv,",
    )
    graph = build_graph(load_park(write_park(text)))
    assert set(graph["grid"]["bus"]) == {"f-grid"}
    assert set(graph["bus"]["grid"]) == {"f-export"}


def test_metering_plan_counts_each_flow_once_at_its_level(write_park):
    plan = metering_plan(build_graph(load_park(write_park())))
    levels = dict(zip(plan.flows["flow_id"], plan.flows["level"], strict=True))
    # grid and gas connections cross the boundary; bus→tenant flows are tenant level; the
    # tenant's 500 kW press, the 5 MW PV and the tenant's boiler are main equipment.
    assert levels == {
        "f-grid": "park_boundary",
        "f-gas": "park_boundary",
        "f-t1": "tenant",
        "f-t2": "tenant",
        "f-press": "equipment",
        "f-pv": "equipment",
        "f-steam": "equipment",
    }
    summary = {(r.level, r.carrier): (r.installed, r.needed) for r in plan.summary().itertuples()}
    assert summary == {
        ("park_boundary", "electricity"): (1, 1),
        ("park_boundary", "natural_gas"): (1, 1),
        ("tenant", "electricity"): (1, 2),
        ("equipment", "electricity"): (1, 2),
        ("equipment", "steam"): (0, 1),
    }
    rates = plan.summary().set_index(["level", "carrier"])["rate"]
    assert rates["tenant", "electricity"] == pytest.approx(0.5)


def test_small_equipment_is_not_main_equipment(write_park):
    text = MINIMAL_PARK.replace("rated_power: 500 kW", "rated_power: 50 kW")
    plan = metering_plan(build_graph(load_park(write_park(text))))
    assert "f-press" not in set(plan.flows["flow_id"])


def test_tenant_fed_only_by_its_own_generator_is_reachable(write_park):
    text = MINIMAL_PARK.replace(
        "  - {id: t2, name: 机加工, industry: machining}\n",
        "  - {id: t2, name: 机加工, industry: machining}\n  - {id: t3, name: 自发自用, industry: x}\n",
    ).replace(
        "  - {id: bus, type: bus",
        "  - {id: roofpv, type: generator, technology: pv, capacity: 1, tenant: t3}\n  - {id: bus, type: bus",
    )
    text = text.replace(
        "meters:\n", "  - {id: f-roof, from: roofpv, to: t3, carrier: electricity}\nmeters:\n"
    )
    folder = load_park(write_park(text))
    assert [p for p in graph_problems(folder, build_graph(folder)) if p.severity == "error"] == []


def test_generator_cannot_take_electricity_in(write_park):
    text = MINIMAL_PARK.replace(
        "meters:\n", "  - {id: f-back, from: bus, to: pv, carrier: electricity}\nmeters:\n"
    )
    with pytest.raises(ParkError) as info:
        check_park(write_park(text))
    assert "brings electricity into generator 'pv'" in str(info.value)


def test_asset_without_flows_is_a_warning_not_an_error(write_park):
    text = MINIMAL_PARK.replace(
        "  - {id: bus, type: bus",
        "  - {id: spare, type: storage, technology: battery, carrier: electricity, energy_capacity: 2, power: 1}\n  - {id: bus, type: bus",
    )
    check = check_park(write_park(text))
    assert any("'spare' has no flows" in str(w) for w in check.warnings)
