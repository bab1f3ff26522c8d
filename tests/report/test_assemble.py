"""From the rule engine's result JSON to report rows: units, thresholds, gaps, summary."""

from __future__ import annotations

import pytest

from zcp.report.assemble import gaps, rule_sections, summary


def _rule(rule_id, status, actual, threshold, margin, op="ge", unit="fraction", **extra):
    return {
        "id": rule_id, "kind": "indicator", "title": {"zh": "标题", "en": "Title"},
        "clause": "4.1", "status": status, "why": f"why {rule_id}", "actual": actual,
        "threshold": threshold, "unit": unit, "margin": margin,
        "condition": {"node": "leaf", "truth": status == "pass", "op": op}, **extra,
    }  # fmt: skip


RESULT = {
    "rule_sets": [
        {
            "rule_set_id": "zcp_test", "version": "1", "title": {"zh": "测试", "en": "Test"},
            "sha256": "00", "points": 5.0, "max_points": 10.0, "level": "basic",
            "levels": [{"id": "basic", "title": {"zh": "基本级", "en": "Basic"}}],
            "provisional_parameters": ["water_min"],
            "rules": [
                _rule("water", "fail", 0.7872, 0.8, -0.0128,
                      condition={"node": "leaf", "truth": False, "op": "ge", "actual": 0.7872,
                                 "threshold": 0.8, "unit": "fraction"}),
                _rule("waste", "pass", 0.9069, 0.8, 0.1069),
                _rule("band", "fail", 0.25, [0.1, 0.2], -0.05, op="between", unit="tCO2/tce"),
                _rule("docs", "needs_evidence", None, None, None,
                      answer={"evidence": ["evidence/plan.pdf"]}),
            ],
            "gaps": [{"rule_id": "band", "status": "fail", "levers": [
                {"lever": "green_certificates", "unit": "MWh", "amount": 12500.0,
                 "max_amount": 1e6, "status_after": "pass", "level_after": "basic", "why": "x"},
                {"lever": "extra_pv", "unit": "MW", "amount": None, "max_amount": 5000.0,
                 "status_after": "fail", "why": "not passed with up to 5000 MW"}]}],
        }
    ]
}  # fmt: skip


def test_fractions_read_as_percent_and_thresholds_keep_their_operator():
    (section,) = rule_sections(RESULT)
    water, waste, band, docs = section.rules
    assert water.actual == pytest.approx(78.72) and water.unit == "%"
    assert water.threshold == "≥ 80" and water.margin == pytest.approx(-1.28)
    assert band.threshold == "0.1 – 0.2" and band.unit == "tCO2/tce"
    assert docs.evidence == ["evidence/plan.pdf"] and docs.threshold is None
    assert section.level.zh == "基本级"


def test_gaps_give_shortfall_and_lever_amounts():
    sections = rule_sections(RESULT)
    rows = {g.rule_id: g for g in gaps(RESULT, sections)}
    assert set(rows) == {"water", "band"}  # passing and evidence-only rules have no gap
    assert rows["water"].shortfall == pytest.approx(1.28)
    # no lever closes the water gap: the action is the rule's reason, composed in words
    assert (
        rows["water"].action.plain("zh")
        == "无已登记的措施可补足此差距（实际值 78.72%，未满足 ≥ 80%）"
    )
    assert rows["band"].shortfall == pytest.approx(0.05)
    # the one lever that passes, in words, at a plan's precision, with the level it reaches
    assert rows["band"].action.plain("en") == (
        "retire 12,500 MWh of green certificates for the park, then reaching Basic"
    )
    assert (
        rows["band"].action.plain("zh") == "为园区购买并注销绿证 12,500 MWh，届时可达等级：基本级"
    )


def test_summary_counts_statuses_and_lists_provisional_parameters():
    s = summary(RESULT, rule_sections(RESULT))
    assert s.status_counts == {"fail": 2, "needs_evidence": 1, "pass": 1}
    assert s.provisional_items == ["water_min"]
    assert (s.score, s.max_score) == (5.0, 10.0)
    assert [k.status for k in s.indicators] == ["fail", "pass", "fail", "needs_evidence"]
