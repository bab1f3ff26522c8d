"""Emissions, green power and instruments sections from a ledger result (contract zcp.emissions/1)."""

from __future__ import annotations

import datetime as dt

import pytest

from zcp.report import ledger_sections
from zcp.report.html import render_html
from zcp.report.report_data import Bilingual

LEDGER_JSON = {
    "contract": "zcp.emissions/1",
    "basis": "metered",
    "net_basis": "scope 1 + scope 2 market-based − eligible retired offsets",
    "totals": {"scope1_t": 1200.0, "scope2_location_t": 8000.0, "scope2_market_t": 3000.0,
               "scope3_t": 0.0, "offsets_t": 200.0, "net_t": 4000.0},
    "indicators": {
        "green_electricity_share": {"value": 0.625, "unit": "fraction", "reason": None},
        "hourly_cfe_score": {"value": 0.41, "unit": "fraction", "reason": "metered"},
    },
    "energy": {"electricity_mwh": 16000.0, "green_electricity_mwh": 10000.0},
    "tenants": [
        {"entity": "t1", "scope1_t": 1000.0, "scope2_location_t": 5000.0, "scope2_market_t": 2000.0,
         "net_t": 3000.0, "electricity_mwh": 10000.0, "green_electricity_share": 0.6,
         "hourly_cfe_score": 0.4},
        {"entity": "_park", "scope1_t": 200.0, "scope2_location_t": 3000.0, "scope2_market_t": 1000.0,
         "net_t": 1200.0, "electricity_mwh": 6000.0, "green_electricity_share": None,
         "hourly_cfe_score": None},
    ],
    "months": [{"month": f"2026-{m:02d}", "scope1_t": 100.0, "scope2_location_t": 8000.0 / 12,
                "scope2_market_t": 250.0, "net_t": 350.0} for m in range(1, 13)],
    "instruments": {
        "used": [{"id": "GEC-1", "entity": "_park", "mwh": 10000.0, "type": "GEC"}],
        "excluded": [{"id": "VCS-9", "reason": "standard VCS is not accepted"}],
    },
    "factors": [{"id": "co2.grid.east.2023", "value": 0.5, "unit": "tCO2/MWh", "year": 2023,
                 "source": {"document": "MEE 2023", "clause": "east grid"},
                 "confidence": "verified", "rule": "latest year not after the period"}],
    "profile": {"id": "p1", "title": {"zh": "口径", "en": "profile"}, "gases": "co2_only",
                "electricity": {"zero_rated": ["on_site", "instruments"]}},
}  # fmt: skip


def test_emissions_tables_keep_the_ledger_figures():
    names = {"t1": Bilingual("电池厂", "Cells"), "_park": Bilingual("园区公共")}
    e = ledger_sections.emissions(LEDGER_JSON, [], names)
    assert e.total == 1200.0 + 3000.0 + 0.0  # scope 1 + scope 2 market + scope 3
    assert e.net == 4000.0
    scopes = {r["scope"].en: r["t"] for r in e.by_scope.rows}
    assert scopes["Offsets (retired credits)"] == 200.0
    assert [r["tenant"].zh for r in e.by_tenant.rows] == ["电池厂", "园区公共"]
    assert e.by_tenant.rows[0]["green"] == pytest.approx(60.0)
    assert e.charts["by_tenant"].values == [6000.0, 3200.0]  # scope 1 + scope 2 location
    assert sum(e.charts["by_month"].values) == pytest.approx(12 * 100.0 + 8000.0)


def test_green_power_instruments_and_factors():
    g = ledger_sections.green_power(LEDGER_JSON, None)
    assert (g.consumption, g.annual_share, g.hourly_share) == (16000.0, 0.625, 0.41)
    rows = ledger_sections.instruments(LEDGER_JSON)
    assert [(r.id, r.status, r.quantity) for r in rows] == [
        ("GEC-1", "retired", 10000.0),
        ("VCS-9", "excluded", None),
    ]
    (factor,) = ledger_sections.factors(LEDGER_JSON)
    assert factor.source == "MEE 2023, east grid"
    assert factor.rule.plain("en") == "latest year not after the period"  # no wording known
    profile = {
        r["choice"].en: r["value"].text
        for r in ledger_sections.profile_table(LEDGER_JSON["profile"]).rows
    }
    # choices labelled in words, the values the profile gives kept as codes
    assert profile == {
        "Profile id": "p1",
        "Gases counted": "co2_only",
        "Electricity counted at zero": "on_site, instruments",
    }


def test_heat_map_is_local_days_by_local_hours():
    start = dt.date(2026, 1, 1)
    utc = dt.UTC
    hours = [dt.datetime(2025, 12, 31, 16, tzinfo=utc) + dt.timedelta(hours=h) for h in range(48)]
    load = [10.0] * 48
    matched = [float(h % 24) / 24 * 10.0 for h in range(48)]
    load[5] = 0.0
    matrix = ledger_sections.heat_map(hours, load, matched, "Asia/Shanghai", start)
    assert len(matrix) == 2 and all(len(row) == 24 for row in matrix)
    # UTC 16:00 on 31 Dec is local midnight on 1 Jan
    assert matrix[0][0] == 0.0
    assert matrix[0][12] == pytest.approx(12 / 24)
    assert matrix[0][5] is None  # no load, no share


def test_sections_render_in_both_languages():
    from tests.report.sample import sample_report

    data = sample_report()
    names = {"t1": Bilingual("电池厂", "Cells")}
    data.emissions = ledger_sections.emissions(LEDGER_JSON, [], names)
    data.instruments = ledger_sections.instruments(LEDGER_JSON)
    zh, en = render_html(data, "zh"), render_html(data, "en")
    assert "范围二（基于市场）" in zh and "已剔除" in zh and "standard VCS is not accepted" in zh
    assert "Scope 2 (market-based)" in en and "excluded" in en and "Cells" in en


def test_example_park_report_prints_the_ledger_run_the_verdicts_used(tmp_path):
    from tests.conftest import EXAMPLES
    from tests.report.conftest import pdf_text
    from zcp.ledger import run_ledger
    from zcp.report import assess

    pdf = assess(EXAMPLES / "ordos-design", tmp_path / "r.pdf", gaps=False).read_bytes()
    text = pdf_text(pdf, tmp_path)
    ledger = run_ledger(EXAMPLES / "ordos-design", profile="national-zero-carbon-park").to_json()
    assert f"{ledger['totals']['net_t']:,.0f}" in text
    assert f"{ledger['energy']['electricity_mwh']:,.0f}" in text
    squeezed = "".join(pdf_text(pdf, tmp_path, layout=False).split())  # cells may wrap
    for item in ledger["instruments"]["excluded"]:
        assert item["id"] in squeezed
    assert "本版本暂无此部分" not in text  # every section has its source now


def test_chart_labels_follow_the_report_language():
    names = {"t1": Bilingual("电池厂", "Cells")}
    e = ledger_sections.emissions(LEDGER_JSON, [], names)
    unit, labels = e.charts["by_tenant"].texts("en")
    assert labels[0] == "Cells" and "location-based" in unit
    unit, labels = e.charts["by_scope"].texts("zh")
    assert labels[0] == "范围一（直接排放）" and unit == "t CO2e"
