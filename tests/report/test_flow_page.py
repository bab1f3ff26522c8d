"""The flow diagram of a report: one drawing per language, names marked with theirs."""

from __future__ import annotations

import html

from zcp.report.assemble import flow_diagram
from zcp.rules.run import evaluate_park


def test_flow_drawing_speaks_the_report_language(mini_park):
    drawings, error = flow_diagram(evaluate_park(mini_park), {"f-grid": "1,200 MWh"})
    assert error is None and drawings is not None
    zh, en = html.unescape(drawings["zh"]), html.unescape(drawings["en"])
    assert "光伏 5 MW" in zh and "能源品种" in zh and "1,200 MWh" in zh
    assert "PV 5 MW" in en and "Carriers" in en and "能源品种" not in en
    # The tenants have only Chinese names: shown as given, marked as Chinese.
    marked = [line for line in en.splitlines() if "电池厂" in line]
    assert marked and all('xml:lang="zh-CN"' in line for line in marked)
    assert "xml:lang" not in zh
