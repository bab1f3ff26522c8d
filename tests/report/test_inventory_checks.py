"""The inventory-checks page: other reporting periods, computed against stated, user factors.

The builder is checked on a small ledger JSON written here; the page on the multi-site
example (group-multisite) in both languages: the figures it copies, the flags, and that it
is entirely in the report's language.
"""

from __future__ import annotations

import re

import pytest

from tests.report.conftest import example_report_data
from tests.report.language import foreign_runs
from zcp.report.bilingual import Bilingual
from zcp.report.html import render_html
from zcp.report.inventory_checks import inventory_checks

REPORT = {
    "period": {"start": "2023-01-01", "end": "2023-12-31"},
    "entities_with_other_periods": [{"entity": "b", "start": "2022-07-01", "end": "2023-06-30"}],
    "reconciliation": {
        "materiality": 0.05,
        "materiality_source": "assessment.yaml: materiality",
        "lines": [
            {"entity": "a", "figure": "scope 3 category 4", "stated_t": 100.0, "computed_t": 112.0,
             "difference_t": 12.0, "relative_difference": 0.12, "material": True,
             "likely_cause": "activity", "detail": "stated activity 1,000.0 MWh, computed 1,120.0 MWh",
             "source": "Report 2023"},
            {"entity": "group (inside the boundary)", "figure": "scope 1", "stated_t": 50.0,
             "computed_t": 50.2, "difference_t": 0.2, "relative_difference": 0.004,
             "material": False, "likely_cause": "rounding", "detail": "within half a tonne",
             "source": "Group report"},
        ],
    },
    "factors": [
        {"id": "co2.diesel", "value": 3.0959, "unit": "tCO2/t", "source": {"document": "NDRC"}},
        {"id": "user.grid.park.location", "value": 0.5, "unit": "tCO2/MWh", "year": 2023,
         "confidence": "verified", "source": {"document": "Utility letter"}, "note": None},
        {"id": "user.mobile_combustion.0", "value": 2.6, "unit": "kgCO2/L", "year": None,
         "confidence": "provisional", "source": {"document": "Fuel supplier"}},
    ],
    "excluded_lines": [
        {"entity": "a", "scope": "1", "category": "fugitive", "gas": "sf6", "activity_unit": "t",
         "excluded_reason": "profile national-zero-carbon-park counts CO2 only",
         "activity": 0.012, "tco2e": 282.0},
    ],
    "estimated_lines": [
        {"entity": "b", "scope": "1", "category": "mobile_combustion", "carrier": "diesel",
         "activity": 3.0, "activity_unit": "t", "tco2e": 9.2877},
    ],
}  # fmt: skip
NAMES = {"a": Bilingual("甲厂", "Plant A"), "b": Bilingual("乙厂", "Plant B")}


def test_builder_copies_flags_and_places_each_user_factor():
    checks = inventory_checks(REPORT, NAMES)
    assert checks is not None and checks.material_count == 1 and checks.materiality == 0.05
    assert checks.materiality_source.plain("zh") == "由 assessment.yaml 规定"
    period = checks.other_periods.rows[0]
    assert period["entity"].en == "Plant B" and period["own"] == "2022-07-01 – 2023-06-30"
    first, group = checks.reconciliation.rows
    assert first["figure"] == Bilingual("范围三第 4 类", "scope 3 category 4")
    assert first["relative"] == pytest.approx(12.0) and first["cause"].zh == "活动数据"
    assert first["detail"].plain("zh") == "声明活动数据 1,000.0 MWh，计算值 1,120.0 MWh"
    assert group["entity"].zh == "集团（边界内合计）" and group["material"].en == "no"
    ids = [r["id"].text for r in checks.overrides.rows]
    assert ids == [
        "user.grid.park.location",
        "user.mobile_combustion.0",
    ]  # library factors left out
    levels = [r["level"].en for r in checks.overrides.rows]
    assert levels == ["park: location-based grid factor", "activity line: mobile_combustion no. 1"]


def test_nothing_to_check_gives_no_section():
    assert (
        inventory_checks({"period": REPORT["period"], "factors": REPORT["factors"][:1]}, NAMES)
        is None
    )


@pytest.fixture(scope="module")
def group_data():
    return example_report_data("group-multisite")


def _section(html: str) -> str:
    match = re.search(r'<section id="inventory-checks".*?</section>', html, re.DOTALL)
    assert match, "no inventory-checks section"
    return match.group(0)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_group_page_in_each_language(group_data, lang):
    html = render_html(group_data, lang)
    assert '<a href="#inventory-checks">' in html  # listed on the contents page
    section = _section(html)
    page = "zh-CN" if lang == "zh" else "en"
    runs = foreign_runs(f'<html lang="{page}"><body>{section}</body></html>', lang)
    assert not runs, "\n".join(runs)
    chengdu = f"{8000 * (0.2472 - 0.5306):,.1f}"  # stated with the national factor
    assert chengdu in section and "-28.4%" in section
    assert ("西安工厂" if lang == "zh" else "Xi&#39;an plant") in section
    assert "2022-07-01 – 2023-06-30" in section  # Xi'an's own period
    assert "user.grid.stuttgart.location" in section and "0.3800" in section
    material = "重大差异 3 项" if lang == "zh" else "3 material difference(s)"
    assert material in section


def test_lines_counted_as_zero_say_why_and_what_they_would_add():
    checks = inventory_checks(REPORT, NAMES)
    zero = checks.uncounted.rows[0]
    assert zero["t"] == 282.0 and zero["category"].zh == "逸散排放" and zero["gas"].text == "sf6"
    assert zero["reason"].plain("zh") == "核算方案 national-zero-carbon-park 仅计二氧化碳"
    estimate = checks.estimated.rows[0]
    assert estimate["entity"].zh == "乙厂" and estimate["t"] == pytest.approx(3 * 3.0959)
    ids = [t.id for t in checks.tables()]
    assert ids == [
        "inventory_other_periods",
        "inventory_reconciliation",
        "inventory_user_factors",
        "inventory_counted_as_zero",
        "inventory_estimated",
    ]  # each attached as CSV
