"""The Chinese report is in Chinese and the English one in English (issue #13, item 6).

The bundled examples are evaluated (without the lever gap analysis, which only adds
actions worded from the same catalogue — those are checked per lever below) and their HTML
is read in each language by ``tests.report.language``: a Latin word outside ids, units and
codes in the zh report, or a Chinese character in the en report outside a name marked with
its language, fails the test and is printed.
"""

from __future__ import annotations

import dataclasses

import pytest

from tests.report.conftest import example_report_data
from tests.report.language import foreign_runs, visible_texts
from zcp.report.bilingual import Bilingual
from zcp.report.explain import lever_action, plan_amount, rule_reason, translate
from zcp.report.html import render_html
from zcp.report.i18n import catalogue, reason_table, text_table
from zcp.report.phrases import Quote, Said, say

EXAMPLE_PARKS = ["ordos-design", "lingang-operation", "group-multisite"]


@pytest.fixture(scope="module", params=EXAMPLE_PARKS)
def example_data(request):
    return example_report_data(request.param)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_example_report_is_entirely_in_its_language(example_data, lang):
    html = render_html(example_data, lang)
    runs = foreign_runs(html, lang)
    assert not runs, f"{len(runs)} untranslated text(s):\n" + "\n".join(runs[:40])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_report_without_the_lever_analysis_names_its_option_as_code(lang):
    """``zcp assess --no-gaps`` skips the lever analysis and the gap section says so: the
    option is a command, shown as code in either language, never as prose."""
    data = dataclasses.replace(example_report_data("lingang-operation"), gap_levers=False)
    html = render_html(data, lang)
    assert '<span class="mono">zcp assess --no-gaps</span>' in html
    runs = foreign_runs(html, lang)
    assert not runs, "\n".join(runs)


def test_the_engagement_text_in_english_where_the_assessor_gave_it():
    """``field_en`` in assessment.yaml is what the English report prints; the Chinese report
    keeps the original; a text with no English version is shown as written, marked zh."""
    data = example_report_data("lingang-operation")
    en, zh = render_html(data, "en"), render_html(data, "zh")
    client = "Lingang Zero-Carbon Industrial Park Administrative Committee (illustrative)"
    assert client in en and "临港零碳产业园管理委员会（示例）" not in en
    assert "临港零碳产业园管理委员会（示例）" in zh and client not in zh
    assert "Tenant 001 retired no carbon credits for 2026" in en  # the finding's finding_en
    assert "Wang Min" in en and "王敏" in zh  # a team member's name_en
    assert "Example Certification Body (illustrative)" in en  # certification_body_en
    # an evidence review's note_en; the Chinese report keeps the note as written
    assert "awaiting the client&#39;s answer to CR-01" in en and "待委托方答复 CR-01" not in en
    assert "待委托方答复 CR-01" in zh and "awaiting the client" not in zh
    # the park's name has no English version in park.yaml: as written, marked as Chinese
    assert '<span lang="zh-CN" class="quote">临港零碳产业园（合成运营数据）</span>' in en


def test_the_checker_catches_both_directions_and_spares_marked_names():
    zh = '<html lang="zh-CN"><body><p>实际值 41%，condition not met</p><td class="mono">t001</td></body></html>'
    assert foreign_runs(zh, "zh") == ["实际值 41%，condition not met  <- condition not met"]
    marked = '<html lang="zh-CN"><body><p>说明：<span lang="en">No hydrogen demand.</span> 12 MWh</p></body></html>'
    assert foreign_runs(marked, "zh") == []
    en = '<html lang="en"><body><p>Tenant 企业001</p><p><span lang="zh-CN">企业002</span></p></body></html>'
    assert foreign_runs(en, "en") == ["Tenant 企业001"]


def test_a_name_given_in_one_language_is_marked_with_its_language():
    from zcp.report.report_data import Bilingual

    assert (
        str(say(Bilingual("临港园区"), "en")) == '<span lang="zh-CN" class="quote">临港园区</span>'
    )
    assert str(say(Bilingual("临港园区", "Lingang"), "en")) == "Lingang"
    assert str(say("企业<001>", "en")) == '<span lang="zh-CN" class="quote">企业&lt;001&gt;</span>'


def test_reasons_are_composed_from_the_compared_values():
    rule = {"id": "x", "kind": "indicator", "status": "fail", "why": "41.17 % not ≥ 90 %",
            "unit": "fraction", "condition": {"node": "leaf", "op": "ge", "actual": 0.4117,
                                              "threshold": 0.9, "unit": "fraction"}}  # fmt: skip
    said = rule_reason(rule)
    assert said.plain("zh") == "实际值 41.17%，未满足 ≥ 90%"
    assert said.plain("en") == "41.17%, does not meet ≥ 90%"
    checklist = {"id": "y", "kind": "checklist", "status": "fail", "why": "...",
                 "answer": {"answer": "no", "evidence": [], "note": "No plan yet."}}  # fmt: skip
    said = rule_reason(checklist)
    assert said.plain("zh") == "评价人员答复“否”（说明：No plan yet.）"
    # the assessor's note stays as written, its language marked in the Chinese report
    assert '<span lang="en" class="quote">No plan yet.</span>' in str(said.zh.html("zh"))


def test_engine_sentences_translate_with_their_nested_parts():
    said = translate("does not apply: the park has no heavy oil flow at this level")
    assert said.plain("zh") == "不适用：园区在该计量层级没有重油流"
    said = translate(
        "tenant_carbon_per_value_added unknown: the park model has no value added per tenant"
    )
    assert (
        said.plain("zh")
        == "tenant_carbon_per_value_added 数值未知：园区模型中没有各企业的工业增加值"
    )
    assert translate("an engine sentence nobody has worded") is None


def test_every_catalogue_entry_has_both_languages():
    assert all(e["zh"] and e["en"] for e in catalogue().values())
    assert all(e["zh"] and e["en"] and e["match"] for e in reason_table())
    assert all(e["zh"] for e in text_table().values())


def test_every_registered_lever_has_an_action_in_words():
    from zcp.metrics import registered_levers

    missing = [lv.name for lv in registered_levers() if f"lever_{lv.name}" not in catalogue()]
    assert not missing, f"add lever_<name> messages for {missing}"


@pytest.mark.parametrize(
    ("amount", "unit", "bracket", "shown"),
    [
        (40.283203125, "MW", 0.5, "40.3"),  # capacity up to the next 0.1 MW
        (40.2, "MW", 0.5, "40.2"),
        (63476.5625, "MWh", 500.0, "63,477"),  # energy to the next whole MWh
        (8.02612, "count", 0.05, "8"),  # whole meters: 8 passes, found as 8.03
        (7.5, "count", 0.05, "8"),
    ],
)
def test_plan_amounts_round_up_to_a_plans_step(amount, unit, bracket, shown):
    value, text = plan_amount(amount, unit, bracket)
    assert text == shown and value >= amount - bracket


def test_lever_action_in_words_in_both_languages():
    lever = {"lever": "extra_pv", "unit": "MW", "amount": 40.283203125, "max_amount": 5000.0}
    said = lever_action(lever, bracket=0.5)
    assert isinstance(said, Said)
    assert said.plain("en") == "add 40.3 MW of on-site PV"
    assert said.plain("zh") == "增加园区光伏装机 40.3 MW"
    meters = {"lever": "meters_added", "unit": "count", "amount": 8.02612, "max_amount": 500.0}
    assert "8 meters" in lever_action(meters, bracket=0.05).plain("en")
    # a level titled in Chinese only reads in Chinese in the English sentence, never "None"
    after = lever_action(lever, bracket=0.5, level_after=Bilingual("三星级"))
    assert after.plain("en") == "add 40.3 MW of on-site PV, then reaching 三星级"


def test_a_factorys_gap_action_names_the_factory_it_is_sized_for():
    """A tenant rule set's levers were sized for that tenant by the gap analysis: the action
    says whom the amount is for, the name marked where it is given in Chinese only."""
    from zcp.report.verdicts import gaps, rule_sections

    certificates = {"lever": "green_certificates", "unit": "MWh", "amount": 1234.2,
                    "max_amount": 5_000_000.0, "level_after": None}  # fmt: skip
    rule = {"id": "re_share", "title": {"zh": "可再生电力占比", "en": "RE share"},
            "kind": "indicator", "status": "fail", "why": "0.4 not ≥ 0.9", "margin": -0.5,
            "unit": "fraction", "clause": "§1"}  # fmt: skip
    result = {"rule_sets": [
        {"rule_set_id": "factory", "version": "1", "title": {"zh": "工厂", "en": "Factory"},
         "subject": subject, "rules": [rule], "levels": [],
         "gaps": [{"rule_id": "re_share", "status": "fail", "levers": [certificates]}]}
        for subject in (None, "t001")
    ]}  # fmt: skip
    sections = rule_sections(result, {"t001": Bilingual("企业001")})
    park, factory = (row.action for row in gaps(result, sections))
    # 1,234.2 MWh rounds up to the next whole MWh
    assert park.plain("zh") == "为园区购买并注销绿证 1,235 MWh"
    assert factory.plain("zh") == "为企业001购买并注销绿证 1,235 MWh"
    assert factory.plain("en") == "retire 1,235 MWh of green certificates for 企业001"
    assert '<span lang="zh-CN" class="quote">企业001</span>' in str(factory.en.html("en"))


def test_quote_language_detection():
    assert Quote.of("No hydrogen demand").lang == "en"
    assert Quote.of("示例认证机构（illustrative）").lang == "zh"


def _park_with_value_added(write_park, value_added: str | None):
    """The minimal park burning 100,000 m3 of gas (so it emits), with its value added."""
    from tests.conftest import MINIMAL_PARK
    from zcp.report.assemble import report_data
    from zcp.rules.run import evaluate_park

    text = MINIMAL_PARK.replace(
        "to: boiler, carrier: natural_gas}", "to: boiler, carrier: natural_gas, "
        "annual_estimate: 100000 m3}"
    )  # fmt: skip
    if value_added is not None:
        text += f"economics: {{industrial_value_added: {value_added}}}\n"
    evaluation = evaluate_park(write_park(text, name=f"va-{value_added}"), gaps=False)
    return report_data(evaluation, report_date=evaluation.folder.park.reporting_period.end)


@pytest.mark.parametrize(
    ("value_added", "zh", "en"),
    [
        (None, '<span class="mono">park.yaml</span> 未填写工业增加值（<span class="mono">economics'
         "</span> 部分）", 'no industrial value added in <span class="mono">park.yaml</span>'),
        # 216 t over 1e-310 wan CNY overflows to infinity
        ("1.0e-310", "工业增加值 1e-310 万元过小，无法作除数",
         "industrial value added 1e-310 wan CNY is too small to divide by"),
    ],
)  # fmt: skip
def test_why_emissions_per_value_added_is_unknown_reads_in_each_language(
    write_park, value_added, zh, en
):
    """The ledger's reasons for leaving emissions per value added unknown are engine
    sentences: the emissions section prints them in the report's language."""
    data = _park_with_value_added(write_park, value_added)
    assert data.emissions.per_value_added is None
    html_zh, html_en = render_html(data, "zh"), render_html(data, "en")
    assert f"单位工业增加值碳排放 [t CO2/万元]：{zh}</p>" in html_zh
    assert en in html_en and "工业增加值" not in html_en
    note = [text for text in visible_texts(html_zh, "zh") if "工业增加值" in text]
    assert note and not foreign_runs("".join(f"<p>{n}</p>" for n in note), "zh")


def test_emissions_per_value_added_is_shown_when_known(write_park):
    small, large = (_park_with_value_added(write_park, v).emissions for v in ("1000", "2000"))
    assert small.per_value_added_note is None and small.per_value_added is not None
    # the same emissions over twice the value added: half the intensity
    assert large.per_value_added == pytest.approx(small.per_value_added / 2)


def test_the_ledgers_reasons_for_an_unknown_indicator_are_translated():
    assert translate("no energy use").plain("zh") == "边界内无能源消费"
    said = translate("carbon_per_unit_energy unknown: no electricity consumed in the boundary")
    assert said.plain("zh") == "carbon_per_unit_energy 数值未知：边界内无用电量"


def test_the_checker_reads_the_charts_of_the_english_page():
    """A chart's label in Chinese on the English page is flagged unless marked; the bar
    chart marks a tenant named only in Chinese itself."""
    from zcp.report import charts

    def page(svg: str) -> str:
        return f'<html lang="en"><body><img src="{charts.data_uri(svg)}" alt="x"></body></html>'

    plain = '<svg xmlns="http://www.w3.org/2000/svg"><title>t1</title><text>企业001</text></svg>'
    assert foreign_runs(page(plain), "en") == ["企业001"]
    bars = charts.bar_chart(["企业001", "Tenant 2"], [3.0, 1.0], unit="t", page_lang="en")
    assert '<text xml:lang="zh-CN"' not in bars and 'xml:lang="zh-CN">企业001</text>' in bars
    assert foreign_runs(page(bars), "en") == []
