"""``zcp diff``: a finding's life cycle across two rounds (the correction phase)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tests.conftest import MINIMAL_PARK
from zcp.cli import main

ROUND_1 = """\
kind: assessment
schema_version: 1
assessment_date: 2025-12-31
rule_sets:
  - {id: zero_carbon_factory_i, version: "2022", subject: t1}
answers:
  compliance: {answer: "no", note: permit pending}
findings:
  - id: NC-01
    type: nonconformity
    grade: major
    rule: zero_carbon_factory_i/management
    subject: t1
    finding: no energy management system
    corrective_action: certify to ISO 50001
    due: 2026-03-31
"""


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_findings_opened_closed_and_drafts_resolved(write_park, tmp_path):
    folder = write_park(MINIMAL_PARK, **{"assessment.yaml": ROUND_1, "evidence__iso50001.md": "x"})
    first = run("assess", folder, "--no-gaps", "--out", tmp_path / "r1.json")
    assert first.exit_code == 0, first.output
    # Round 2: the permit arrived (the draft for `compliance` resolves), NC-01 is closed with
    # its evidence, and the assessor opens a clarification request.
    round_2 = ROUND_1.replace(
        'compliance: {answer: "no", note: permit pending}',
        "compliance: {answer: 'yes', evidence: [evidence/iso50001.md]}",
    ).replace(
        "    due: 2026-03-31\n",
        "    due: 2026-03-31\n    status: closed\n    closing_evidence: [evidence/iso50001.md]\n"
        "  - {id: CR-01, type: clarification, finding: explain the steam meter}\n",
    )
    (folder / "assessment.yaml").write_text(round_2, encoding="utf-8")
    second = run("assess", folder, "--no-gaps", "--out", tmp_path / "r2.json")
    assert second.exit_code == 0, second.output

    result = run("diff", tmp_path / "r1.json", tmp_path / "r2.json", "--json")
    assert result.exit_code == 1  # something changed
    changes = {(c["kind"], c["where"]): (c["old"], c["new"]) for c in json.loads(result.stdout)}
    assert changes[("finding_closed", "NC-01")] == ("open", "closed")
    assert changes[("finding_opened", "CR-01")] == (None, "open")
    assert changes[("verdict", "zero_carbon_factory_i@t1/compliance")] == ("fail", "pass")
    assert changes[("draft_resolved", "draft:zero_carbon_factory_i/compliance@t1")] == (
        "draft",
        None,
    )
    same = run("diff", tmp_path / "r2.json", tmp_path / "r2.json")
    assert same.exit_code == 0 and "no changes" in same.output
