"""Evaluation semantics: statuses, scoring, checklists, applicability, subjects, levels."""

from __future__ import annotations

import datetime as dt

import pytest

from zcp.metrics import GivenValuesContext
from zcp.rules import Answer, evaluate_rule_set

from .conftest import src

DAY = dt.date(2026, 1, 1)


def run(rs, registry, values=None, **kw):
    ctx = GivenValuesContext(
        values or {}, registry=registry, stage=kw.pop("stage", None), as_of=DAY
    )
    return evaluate_rule_set(rs, ctx, **kw)


def test_percent_threshold_converts_against_a_fraction_metric(make, registry):
    rs = make(f"""
parameters:
  minimum: {{description: min share, unit: percent, values: [{src(80)}]}}
rules:
  - {{id: r, kind: indicator, title: {{zh: 份额, en: Share}}, clause: "5.1", metric: share,
     op: ge, threshold: minimum}}
""")
    assert run(rs, registry, {"share": 0.8}).rule("r").status == "pass"
    low = run(rs, registry, {"share": 0.79}).rule("r")
    assert low.status == "fail"
    assert low.threshold == pytest.approx(0.8)
    assert low.margin == pytest.approx(0.79 - 0.8)
    assert low.unit == "fraction"


def test_linear_scoring_between_baseline_and_leading(make, registry):
    rs = make(f"""
parameters:
  base: {{description: baseline, unit: tCO2/tce, values: [{src(1.0)}]}}
  lead: {{description: leading, unit: tCO2/tce, values: [{src(0.2)}]}}
rules:
  - {{id: r, kind: indicator, title: {{zh: 碳, en: Carbon}}, clause: "5.2", metric: intensity,
     points: 8, scoring: {{method: linear, baseline: base, leading: lead}}}}
""")
    # lower is better here: 0 points at 1.0, 8 at 0.2; 0.5 is (1.0-0.5)/(1.0-0.2) of the way
    mid = run(rs, registry, {"intensity": 0.5}).rule("r")
    assert mid.status == "partial"
    assert mid.points == pytest.approx(8 * (1.0 - 0.5) / (1.0 - 0.2))
    best = run(rs, registry, {"intensity": 0.1}).rule("r")
    assert (best.status, best.points) == ("pass", 8)
    worst = run(rs, registry, {"intensity": 1.3}).rule("r")
    assert (worst.status, worst.points) == ("fail", 0)


def test_checklist_answers(make, registry, tmp_path):
    rs = make("""
rules:
  - id: platform
    kind: checklist
    title: {zh: 能碳管理平台, en: Energy-carbon platform}
    clause: "6.1"
    points: 6
    question: {zh: 是否建成平台？, en: Is the platform built?}
    evidence: [acceptance report]
""")

    def status(answer):
        res = run(rs, registry, answers={"platform": answer} if answer else {})
        return res.rule("platform").status, res.rule("platform").points

    assert status(None) == ("needs_evidence", None)
    assert status(Answer(answer="yes")) == ("needs_evidence", None)
    assert status(Answer(answer="yes", evidence=["evidence/a.pdf"])) == ("pass", 6)
    assert status(Answer(answer="no")) == ("fail", 0)
    assert status(Answer(answer="partial", evidence=["evidence/a.pdf"], points=2)) == ("partial", 2)
    assert status(Answer(answer="not_applicable", note="no such system"))[0] == "not_applicable"


COMPOSITE = """
rules:
  - id: r
    kind: prerequisite
    title: {zh: 组合, en: Composite}
    clause: "7"
    condition:
      all:
        - {metric: share, op: ge, value: 0.5, label: share}
        - any:
            - {metric: energy, op: lt, value: 1000}
            - not: {metric: intensity, op: gt, value: 0.3}
"""


@pytest.mark.parametrize(
    ("values", "status"),
    [
        ({"share": 0.6, "energy": 500, "intensity": 9}, "pass"),
        ({"share": 0.6, "energy": 5000, "intensity": 0.3}, "pass"),
        ({"share": 0.6, "energy": 5000, "intensity": 0.31}, "fail"),
        ({"share": 0.4, "energy": 500}, "fail"),  # all: one false child decides
        ({"share": 0.6, "intensity": 0.2}, "pass"),  # any: one true child decides
        ({"share": 0.6, "intensity": 0.5}, "undetermined"),  # energy unknown, other branch false
        ({"energy": 500}, "undetermined"),
    ],
)
def test_composite_conditions_use_three_valued_logic(make, registry, values, status):
    result = run(make(COMPOSITE), registry, values).rule("r")
    assert result.status == status
    assert result.condition is not None and result.condition.node == "all"
    truths = [c.truth for c in result.condition.children]
    expected_share = None if "share" not in values else values["share"] >= 0.5
    assert truths[0] is expected_share


def test_applicability_by_stage_and_condition(make, registry):
    rs = make("""
rules:
  - id: staged
    kind: indicator
    title: {zh: 运营, en: Operation only}
    clause: "8"
    applicability: {stages: [operation]}
    metric: share
    op: ge
    threshold: 0.5
  - id: big
    kind: indicator
    title: {zh: 大园区, en: Big parks}
    clause: "8"
    applicability: {condition: {metric: energy, op: ge, value: 10000}}
    metric: share
    op: ge
    threshold: 0.5
""")
    design = run(rs, registry, {"share": 0.9, "energy": 5}, stage="design")
    assert design.rule("staged").status == "not_applicable"
    assert design.rule("big").status == "not_applicable"
    unknown = run(rs, registry, {"share": 0.9})
    assert unknown.rule("staged").status == "undetermined"
    assert unknown.rule("big").status == "undetermined"
    operation = run(rs, registry, {"share": 0.9, "energy": 10000}, stage="operation")
    assert operation.rule("staged").status == "pass"
    assert operation.rule("big").status == "pass"


def test_tenant_subject_reads_that_tenants_value(make, registry):
    rs = make("""
subject: tenant
rules:
  - {id: r, kind: indicator, title: {zh: 企业, en: Tenant}, clause: "9", metric: tenant_share,
     op: ge, threshold: 0.5}
""")
    values = {"tenant_share": {"t1": 0.7, "t2": 0.2}}
    assert run(rs, registry, values, subject="t1").rule("r").status == "pass"
    assert run(rs, registry, values, subject="t2").rule("r").status == "fail"
    assert run(rs, registry, values).rule("r").status == "undetermined"


def test_dated_parameters_pick_the_value_valid_on_the_day(make, registry):
    rs = make(f"""
parameters:
  cap:
    description: cap
    unit: tCO2/tce
    values:
      - {src(0.5, valid_from="2025-01-01")[:-1]}, valid_until: 2025-12-31}}
      - {src(0.3, "provisional", valid_from="2026-01-01")}
rules:
  - {{id: r, kind: prerequisite, title: {{zh: 碳, en: Carbon}}, clause: "10", metric: intensity,
     op: le, threshold: cap}}
""")
    ctx_values = {"intensity": 0.4}
    in_2025 = evaluate_rule_set(
        rs, GivenValuesContext(ctx_values, registry=registry), as_of=dt.date(2025, 6, 1)
    )
    in_2026 = evaluate_rule_set(
        rs, GivenValuesContext(ctx_values, registry=registry), as_of=dt.date(2026, 6, 1)
    )
    before = evaluate_rule_set(
        rs, GivenValuesContext(ctx_values, registry=registry), as_of=dt.date(2024, 6, 1)
    )
    assert in_2025.rule("r").status == "pass" and not in_2025.rule("r").provisional
    assert in_2026.rule("r").status == "fail" and in_2026.rule("r").provisional
    assert in_2026.provisional_parameters == ["cap"]
    assert before.rule("r").status == "undetermined"
    assert "no value valid on 2024-06-01" in before.rule("r").why


def test_levels_from_points_and_required_rules(make, registry):
    rs = make("""
sections:
  - {id: a, title: {zh: 甲, en: A}, weight: 2}
  - {id: b, title: {zh: 乙, en: B}}
levels:
  - {id: bronze, title: {zh: 铜, en: Bronze}, min_points: 10}
  - {id: gold, title: {zh: 金, en: Gold}, min_points: 20, requires: [doc]}
rules:
  - {id: gate, kind: prerequisite, title: {zh: 门槛, en: Gate}, clause: "1", metric: energy,
     op: le, threshold: 100}
  - {id: s, kind: indicator, section: a, title: {zh: 份额, en: Share}, clause: "2",
     metric: share, op: ge, threshold: 0.5, points: 6}
  - {id: doc, kind: checklist, section: b, title: {zh: 文件, en: Document}, clause: "3",
     points: 10, question: {zh: 有吗, en: Is there one?}, evidence: [the document]}
""")
    yes = {"doc": Answer(answer="yes", evidence=["evidence/doc.pdf"])}
    full = run(rs, registry, {"energy": 50, "share": 0.6}, answers=yes)
    assert full.points == 2 * 6 + 10  # section a is weighted 2
    assert full.max_points == 2 * 6 + 10
    assert full.level == "gold"
    only_share = run(rs, registry, {"energy": 50, "share": 0.6})
    assert only_share.level == "bronze"  # 12 points; gold still open (doc unanswered)
    assert [lv.status for lv in only_share.levels] == ["pass", "undetermined"]
    gate_fails = run(rs, registry, {"energy": 500, "share": 0.6}, answers=yes)
    assert gate_fails.level is None
    assert "gate fail" in gate_fails.levels[0].why
    no_doc = run(rs, registry, {"energy": 50, "share": 0.6}, answers={"doc": Answer(answer="no")})
    assert [lv.status for lv in no_doc.levels] == ["pass", "fail"]


def test_unknown_band_threshold_is_never_a_pass(make, registry):
    rs = make(f"""
parameters:
  edge: {{description: edge, unit: tce, values: [{src(1000)}]}}
rules:
  - id: r
    kind: prerequisite
    title: {{zh: 核心, en: Core}}
    clause: "3"
    metric: intensity
    op: le
    bands:
      metric: energy
      cases:
        - {{to: edge, note: not published}}
        - {{from: edge, threshold: 0.2}}
""")
    assert run(rs, registry, {"energy": 999, "intensity": 0.0}).rule("r").status == "undetermined"
    assert run(rs, registry, {"energy": 1000, "intensity": 0.2}).rule("r").status == "pass"


def test_energy_band_edges_convert_units(make, registry):
    rs = make("""
rules:
  - id: r
    kind: prerequisite
    title: {zh: 核心, en: Core}
    clause: "3"
    metric: intensity
    op: le
    bands:
      metric: energy
      unit: 万tce
      cases:
        - {to: 20, threshold: 0.5}
        - {from: 20, threshold: 0.2}
""")
    # 20 万tce = 200 000 tce: the edge, so the stricter band applies
    assert run(rs, registry, {"energy": 200_000, "intensity": 0.3}).rule("r").status == "fail"
    assert run(rs, registry, {"energy": 199_999, "intensity": 0.3}).rule("r").status == "pass"
    # a conversion's rounding error at the edge does not drop a park into the looser band
    at_edge = run(rs, registry, {"energy": 200_000 * (1 - 1e-12), "intensity": 0.3}).rule("r")
    assert at_edge.status == "fail"


def test_factor_parameters_come_from_the_factor_library_or_the_context(make, registry):
    registry.declare("coefficient", unit="kgce/kWh", description="test coefficient")
    rs = make("""
parameters:
  coeff: {description: coefficient, unit: tce/MWh, factor: tce.electricity.calorific}
rules:
  - {id: r, kind: indicator, title: {zh: 系数, en: Coefficient}, clause: "1",
     metric: coefficient, op: le, threshold: coeff}
""")
    # shipped library: 0.1229 tce/MWh = 0.1229 kgce/kWh (GB/T 2589)
    shipped = run(rs, registry, {"coefficient": 0.1229}).rule("r")
    assert shipped.status == "pass"
    assert shipped.threshold == pytest.approx(0.1229)
    assert shipped.parameters[0].factor == "tce.electricity.calorific"
    assert run(rs, registry, {"coefficient": 0.123}).rule("r").status == "fail"
    # a context may supply its own factor values (e.g. the ledger's profile)
    ctx = GivenValuesContext(
        {"coefficient": 0.2},
        registry=registry,
        as_of=DAY,
        factor_lookup=lambda fid: (0.3, "tce/MWh"),
    )
    assert evaluate_rule_set(rs, ctx).rule("r").status == "pass"
