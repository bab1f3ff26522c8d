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


def test_a_name_in_latin_letters_is_marked_english_in_the_chinese_drawing(write_park):
    """A tenant and an asset named in Latin letters only are drawn as written; in the
    Chinese drawing their lines carry ``xml:lang="en"``, the ids and quantities do not."""
    from tests.conftest import MINIMAL_PARK

    text = MINIMAL_PARK.replace("name: 电池厂", "name: Acme Cells").replace(
        "{id: bus, type: bus,", "{id: bus, name: Main Bus, type: bus,"
    )
    drawings, error = flow_diagram(evaluate_park(write_park(text)), {"f-grid": "1,200 MWh"})
    assert error is None and drawings is not None
    zh = html.unescape(drawings["zh"]).splitlines()
    marked = [line for line in zh if 'xml:lang="en"' in line]
    assert len(marked) == 2
    assert any(">Acme Cells [t1]</text>" in line for line in marked)
    assert any(">Main Bus [bus]</text>" in line for line in marked)
    # the Chinese name, ids and quantities stay unmarked
    assert all("xml:lang" not in line for line in zh if "机加工" in line or "1,200 MWh" in line)
    # the English drawing needs no mark for them
    assert "Acme Cells" in drawings["en"] and 'xml:lang="en"' not in drawings["en"]
