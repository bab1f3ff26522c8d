"""Hand-drawn SVG charts: labels escaped, fonts named, heat-map runs merged."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from zcp.report import charts

SVG = "{http://www.w3.org/2000/svg}"


def test_bar_chart_escapes_labels_and_names_font():
    svg = charts.bar_chart(["<script>x</script>", "电池厂 & 正极"], [10.0, 5.0], unit="t")
    root = ET.fromstring(svg)  # well-formed despite the markup in the labels
    texts = root.findall(f"{SVG}text")
    assert all("Noto Sans CJK SC" in t.get("font-family") for t in texts)
    assert [t.text for t in texts][:2] == ["<script>x</script>", "10.0"]
    assert "<script>" not in svg
    widths = [float(r.get("width")) for r in root.findall(f"{SVG}rect")]
    assert widths[0] == 2 * widths[1]


def test_heat_map_is_one_path_per_colour_with_one_run_per_hour():
    day = [1.0] * 12 + [0.0] * 12
    root = ET.fromstring(charts.heat_map([day] * 365, legend=("0%", "100%", "matched")))
    paths = {p.get("fill"): p.get("d") for p in root.findall(f"{SVG}path")}
    assert set(paths) == {charts._SCALE[-1], charts._SCALE[0]}
    # one full-year run per hour, not 8,760 cells
    assert paths[charts._SCALE[-1]].count("M") == 12
    assert paths[charts._SCALE[0]].count("M") == 12


def test_heat_map_of_varied_data_stays_small():
    matrix = [[((d * 7 + h * 3) % 11) / 10 for h in range(24)] for d in range(365)]
    svg = charts.heat_map(matrix, legend=("0%", "100%", "matched"))
    root = ET.fromstring(svg)
    assert len(root.findall(f"{SVG}path")) == 11  # one per colour step
    assert len(list(root)) < 60  # with axis labels and the legend


def test_heat_map_marks_missing_hours_grey():
    matrix = [[None] * 24] + [[0.5] * 24] * 2
    root = ET.fromstring(charts.heat_map(matrix, legend=("a", "b", "c")))
    fills = {r.get("fill") for r in root.findall(f"{SVG}path")}
    assert charts._MISSING in fills


def test_bar_labels_are_cut_by_their_width_not_their_length():
    """An English scope label of 24 characters fits the label column whole; a Chinese name
    is cut at about half as many characters as a Latin one (a CJK glyph is a full em)."""
    labels = ["Scope 2 (location-based)", "园" * 30, "a" * 60]
    root = ET.fromstring(charts.bar_chart(labels, [1.0, 2.0, 3.0], unit="t"))
    shown = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")][:6:2]
    assert shown[0] == "Scope 2 (location-based)"
    chinese, latin = shown[1], shown[2]
    assert chinese.endswith("…") and latin.endswith("…")
    # 140 px of room: 9 px per CJK glyph, 5.5 px per Latin letter, one glyph left for "…"
    assert len(chinese) - 1 == 140 // 9 - 1
    assert len(latin) - 1 == int(140 // 5.5) - 1
