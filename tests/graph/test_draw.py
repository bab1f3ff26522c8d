"""Writing the graph: SVG for people, DOT and GraphML for tools."""

from __future__ import annotations

import html

import networkx as nx
import pytest

from tests.conftest import MINIMAL_PARK
from zcp.errors import InputError
from zcp.graph import build_graph
from zcp.graph.draw import AGGREGATE_ABOVE, to_dot, write_graph
from zcp.model import load_park


@pytest.fixture
def mini(write_park):
    folder = load_park(write_park())
    return folder, build_graph(folder)


def test_svg_has_text_labels_colours_and_meter_marks(mini, tmp_path):
    folder, graph = mini
    out = write_graph(graph, folder.carriers, tmp_path / "g.svg")
    svg = html.unescape(out.read_text(encoding="utf-8"))
    assert svg.startswith("<?xml") and "<svg" in svg
    assert "电池厂" in svg  # CJK labels are text, not images
    assert "▣ m-grid" in svg
    assert folder.carriers["electricity"].colour in svg
    assert "stroke-dasharray" in svg  # unmetered flows dashed


def test_graphml_round_trips(mini, tmp_path):
    folder, graph = mini
    back = nx.read_graphml(
        write_graph(graph, folder.carriers, tmp_path / "g.graphml"), force_multigraph=True
    )
    assert set(back.nodes) == set(graph.nodes)
    assert back.number_of_edges() == graph.number_of_edges()
    edge = back.edges["grid", "bus", "f-grid"]
    assert edge["carrier"] == "electricity" and edge["meters"] == "m-grid"


def test_dot_output_and_unknown_suffix(mini, tmp_path):
    folder, graph = mini
    dot = write_graph(graph, folder.carriers, tmp_path / "g.dot").read_text(encoding="utf-8")
    assert dot.startswith("digraph") and '"f-t2"' not in dot.split("\n")[0]
    with pytest.raises(InputError, match="use .svg, .dot or .graphml"):
        write_graph(graph, folder.carriers, tmp_path / "g.png")


def test_large_park_is_drawn_grouped_by_industry(write_park):
    tenants = "".join(
        f"  - {{id: t{i:03d}, name: T{i}, industry: {'steel' if i % 2 else 'food'}}}\n"
        for i in range(AGGREGATE_ABOVE)
    )
    flows = "".join(
        f"  - {{id: f{i:03d}, from: bus, to: t{i:03d}, carrier: electricity}}\n"
        for i in range(AGGREGATE_ABOVE)
    )
    text = MINIMAL_PARK.replace("tenants:\n", "tenants:\n" + tenants).replace(
        "flows:\n", "flows:\n" + flows
    )
    folder = load_park(write_park(text))
    graph = build_graph(folder)
    source = to_dot(graph, folder.carriers).source
    assert "(aggregated)" in source
    assert "group__steel" in source and "group__food" in source
    assert "t001" not in source  # individual tenants folded into their group
    # the steel group receives 30 of the added flows (odd i) plus none of the originals
    assert f"{AGGREGATE_ABOVE // 2} flows" in source


def test_hostile_names_are_drawn_as_plain_text(write_park, tmp_path):
    text = MINIMAL_PARK.replace("name: 电池厂", 'name: "<IMG SRC=\\"/etc/passwd\\">"').replace(
        "name: 机加工", 'name: "\\\\G <script>alert(1)</script> \\"q"'
    )
    folder = load_park(write_park(text))
    svg = write_graph(build_graph(folder), folder.carriers, tmp_path / "g.svg").read_text("utf-8")
    assert "<image" not in svg.lower() and "<script" not in svg.lower()
    plain = html.unescape(svg)
    assert '<IMG SRC="/etc/passwd">' in plain  # shown literally, not interpreted
    assert "\\G <script>alert(1)</script>" in plain  # no graph-name substitution either
