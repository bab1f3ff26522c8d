"""assessment.yaml: answers, evidence under evidence/, qualified answer keys."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from zcp.errors import InputError
from zcp.rules import Answer, load_assessment

ASSESSMENT = """\
kind: assessment
schema_version: 1
rule_sets: [{id: zero_carbon_park, version: 2025-trial}]
certification_body: 中国质量认证中心
assessor: 张三
assessment_date: 2026-03-31
answers:
  waste_heat_utilisation: {answer: not_applicable, note: no process heat}
  zero_carbon_park/clean_energy_share: {answer: yes, evidence: [evidence/ppa.pdf]}
  other_set/clean_energy_share: {answer: no}
"""


def test_answers_and_qualified_keys(tmp_path):
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "ppa.pdf").write_bytes(b"%PDF")
    (tmp_path / "assessment.yaml").write_text(ASSESSMENT, encoding="utf-8")
    model = load_assessment(tmp_path / "assessment.yaml").model
    answers = model.answers_for("zero_carbon_park")
    assert set(answers) == {"waste_heat_utilisation", "clean_energy_share"}
    assert answers["clean_energy_share"].answer == "yes"
    assert model.answers_for("other_set")["clean_energy_share"].answer == "no"


def test_missing_evidence_file_is_located(tmp_path):
    (tmp_path / "assessment.yaml").write_text(ASSESSMENT, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_assessment(tmp_path / "assessment.yaml")
    problem = info.value.problems[0]
    assert "evidence file 'evidence/ppa.pdf' not found" in problem.message
    assert problem.line == 9


def test_not_applicable_needs_a_reason(tmp_path):
    (tmp_path / "assessment.yaml").write_text(
        "kind: assessment\nschema_version: 1\nanswers:\n  x: {answer: not_applicable}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="needs a reason"):
        load_assessment(tmp_path / "assessment.yaml")


@pytest.mark.parametrize("path", ["../secret.pdf", "/etc/passwd", "evidence/../../x", "docs/a.pdf"])
def test_evidence_must_stay_inside_evidence(path):
    with pytest.raises(ValidationError):
        Answer(answer="yes", evidence=[path])
