"""Writing the graph: SVG for people, DOT and GraphML for tools."""

from __future__ import annotations

import html

import networkx as nx
import pytest

from tests.conftest import MINIMAL_PARK
from zcp.errors import InputError
from zcp.graph import build_graph
from zcp.graph.draw import (
    AGGREGATE_ABOVE,
    TENANTS_PER_RANK,
    DrawingWords,
    report_dot,
    to_dot,
    write_graph,
)
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


def _words(lang: str) -> DrawingWords:
    zh = lang == "zh"
    return DrawingWords(
        "能源品种" if zh else "Carriers",
        {"pv": "光伏" if zh else "PV"},
        {"electricity": "电力" if zh else "electricity"},
        {"t1": "电池厂" if zh else "Battery works", "t2": "机加工"},
    )


def test_report_drawing_lists_equipment_in_its_tenant_with_quantities(mini):
    folder, graph = mini
    quantities = {"f-grid": "1,200 MWh", "f-press": "340 MWh"}
    source = report_dot(graph, folder.carriers, _words("en"), quantities).source
    assert "-> press" not in source and "press ->" not in source
    assert "press: 340 MWh" in source  # the equipment line inside its tenant's box
    assert 'label="1,200 MWh"' in source and "m-t1" in source  # quantity, else the meter
    assert "Battery works [t1]" in source and "机加工 [t2]" in source  # no English name: as given
    assert "PV 5 MW" in source and "Carriers" in source
    zh = report_dot(graph, folder.carriers, _words("zh"), quantities).source
    assert "光伏 5 MW" in zh and "电池厂 [t1]" in zh and "能源品种" in zh


def test_report_drawing_wraps_many_tenants_into_columns(write_park):
    n = TENANTS_PER_RANK * 2 + 1
    tenants = "".join(f"  - {{id: x{i}, name: 企业{i}, industry: test}}\n" for i in range(n))
    flows = "".join(
        f"  - {{id: f-x{i}, from: bus, to: x{i}, carrier: electricity}}\n" for i in range(n)
    )
    text = MINIMAL_PARK.replace("tenants:\n", "tenants:\n" + tenants).replace(
        "flows:\n", "flows:\n" + flows
    )
    folder = load_park(write_park(text))
    source = report_dot(build_graph(folder), folder.carriers, _words("en")).source
    assert source.count("style=invis") == n + 2 - TENANTS_PER_RANK  # t1, t2 are tenants too
