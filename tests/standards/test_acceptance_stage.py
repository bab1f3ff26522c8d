"""The assessment's acceptance stage (national zero-carbon park process) on a small park.

``assessment.yaml`` states which step it serves; rules of the entry rule set that apply only
at the acceptance steps come out not applicable before them, undetermined when no stage is
stated; the result and the report say which stage the assessment is for.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import MINIMAL_PARK
from zcp.errors import InputError
from zcp.report.assemble import report_data
from zcp.report.explain import translate
from zcp.report.html import render_html
from zcp.rules.run import evaluate_park

ASSESSMENT = """\
kind: assessment
schema_version: 1
rule_sets:
  - {id: zero_carbon_park_entry, version: "2025"}
STAGE
answers:
  on_national_list: {answer: "yes", evidence: [evidence/list.pdf]}
"""


def _park(write_park, stage_line: str):
    return write_park(
        MINIMAL_PARK,
        **{
            "assessment.yaml": ASSESSMENT.replace("STAGE", stage_line),
            "evidence__list.pdf": "list entry",
        },
    )


@pytest.fixture(scope="module")
def construction(tmp_path_factory):
    folder = tmp_path_factory.mktemp("construction") / "park"
    folder.mkdir()
    (folder / "park.yaml").write_text(MINIMAL_PARK, encoding="utf-8")
    (folder / "evidence").mkdir()
    (folder / "evidence" / "list.pdf").write_text("list entry", encoding="utf-8")
    text = ASSESSMENT.replace("STAGE", "acceptance_stage: construction")
    (folder / "assessment.yaml").write_text(text, encoding="utf-8")
    return evaluate_park(folder)


def test_rules_for_later_stages_do_not_apply_yet(construction):
    rs = construction.result.rule_sets[0]
    assert rs.acceptance_stage == "construction"
    for rule_id in ("core_indicator_veto", "provincial_request"):
        rule = rs.rule(rule_id)
        assert rule.status == "not_applicable"
        assert "the assessment is for construction" in rule.why
        said = translate(rule.why)
        assert said is not None and "建设期" in said.zh.plain()
    assert rs.rule("provincial_evaluation").status == "needs_evidence"
    # the entry conditions are unanswered here, so even "listed" stays open, never reached
    assert {lv.id: lv.status for lv in rs.levels}["listed"] == "undetermined"
    assert construction.result_json()["rule_sets"][0]["acceptance_stage"] == "construction"


@pytest.mark.parametrize(
    ("lang", "label", "stage"),
    [("zh", "国家级零碳园区验收阶段", "建设期（已列入建设名单）"),
     ("en", "National park acceptance stage", "construction (on the national list)")],
)  # fmt: skip
def test_the_report_cover_states_the_acceptance_stage(construction, lang, label, stage):
    html = render_html(report_data(construction, report_date=dt.date(2026, 1, 15)), lang)
    assert f"<th>{label}</th><td>{stage}</td>" in html


def test_no_stage_stated_leaves_the_acceptance_items_undetermined(write_park):
    evaluation = evaluate_park(_park(write_park, ""))
    rs = evaluation.result.rule_sets[0]
    assert rs.acceptance_stage is None
    veto = rs.rule("core_indicator_veto")
    assert veto.status == "undetermined"
    assert "states no acceptance_stage" in veto.why


def test_a_misspelt_stage_is_an_error_with_did_you_mean(write_park):
    folder = _park(write_park, "acceptance_stage: provincal_evaluation")
    with pytest.raises(InputError) as caught:
        evaluate_park(folder)
    (problem,) = caught.value.problems
    assert problem.field == "acceptance_stage"
    assert problem.line == 5
    assert problem.hint == "did you mean 'provincial_evaluation'?"
