"""assessment.yaml: typos are exit-2 errors with did-you-mean; the engagement, findings,
opinions and evidence register derived from it."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tests.conftest import MINIMAL_PARK
from zcp.cli import main

HEAD = """\
kind: assessment
schema_version: 1
assessment_date: 2025-12-31
"""
RULE_SETS = """\
rule_sets:
  - {id: zero_carbon_park, version: 2025-trial}
  - {id: zero_carbon_factory_i, version: "2022", subject: t1}
"""
ENGAGEMENT = """\
engagement:
  report_number: R-1
  client: {name: 园区管委会}
  scope:
    consolidation: operational_control
    included: [{entity: park, why: operated by the park}, {entity: t1, why: rated factory}]
    excluded: [{entity: trucks, why: third party}]
  assurance_level: limited
  team:
    - {name: A, role: preparer}
    - {name: B, role: reviewer}
    - {name: C, role: approver}
  independence: no other services to the client
  site_visits: [{date: 2025-11-01, site: park, by: [A]}]
"""


def evaluate(folder, *extra: str):
    return CliRunner().invoke(main, ["evaluate", str(folder), "--json", *extra])


def test_misspelt_subject_is_an_error_with_did_you_mean(write_park):
    folder = write_park(
        MINIMAL_PARK,
        **{"assessment.yaml": HEAD + RULE_SETS.replace("subject: t1", "subject: t_1")},
    )
    result = evaluate(folder)
    assert result.exit_code == 2
    assert "subject 't_1' is not a tenant of park 'mini'" in result.stderr
    assert "did you mean 't1'" in result.stderr and "assessment.yaml:6" in result.stderr


def test_misspelt_rule_set_id_and_version(write_park):
    text = HEAD + RULE_SETS.replace("zero_carbon_park,", "zero_carbon_prak,").replace(
        '"2022"', '"2021"'
    )
    result = evaluate(write_park(MINIMAL_PARK, **{"assessment.yaml": text}))
    assert result.exit_code == 2
    assert "unknown rule set 'zero_carbon_prak'" in result.stderr
    assert "did you mean 'zero_carbon_park'" in result.stderr
    assert "rule set 'zero_carbon_factory_i' has no version '2021'" in result.stderr
    assert "did you mean '2022'" in result.stderr


def test_tenant_rule_set_without_subject_and_park_rule_set_with_one(write_park):
    text = HEAD + (
        "rule_sets:\n"
        "  - {id: zero_carbon_park, version: 2025-trial, subject: t1}\n"
        '  - {id: zero_carbon_factory_i, version: "2022"}\n'
    )
    result = evaluate(write_park(MINIMAL_PARK, **{"assessment.yaml": text}))
    assert result.exit_code == 2
    assert "rates the park, not a tenant" in result.stderr
    assert "rates a tenant: name it with 'subject'" in result.stderr


def test_misspelt_answer_key_is_an_error(write_park):
    text = (
        HEAD
        + RULE_SETS
        + (
            "answers:\n"
            "  complience: {answer: 'yes'}\n"
            "  zero_carbon_factory_i/managment: {answer: 'yes'}\n"
            "  zero_carbon_factory_ii/management: {answer: 'yes'}\n"
        )
    )
    result = evaluate(write_park(MINIMAL_PARK, **{"assessment.yaml": text}))
    assert result.exit_code == 2
    assert "answer 'complience' matches no rule" in result.stderr
    assert "did you mean 'compliance'" in result.stderr
    assert (
        "has no rule 'managment'" in result.stderr and "did you mean 'management'" in result.stderr
    )
    assert "rule set 'zero_carbon_factory_ii' is not assessed" in result.stderr


def test_engagement_typos_and_missing_roles(write_park):
    text = HEAD + RULE_SETS + ENGAGEMENT.replace("assurance_level", "asurance_level")
    result = evaluate(write_park(MINIMAL_PARK, **{"assessment.yaml": text}))
    assert result.exit_code == 2 and "did you mean 'assurance_level'" in result.stderr
    text = HEAD + RULE_SETS + ENGAGEMENT.replace("role: approver", "role: reviewer")
    result = evaluate(write_park(MINIMAL_PARK, name="p2", **{"assessment.yaml": text}))
    assert result.exit_code == 2 and "exactly one approver (has 0)" in result.stderr
    text = HEAD + RULE_SETS + ENGAGEMENT.replace("entity: t1,", "entity: t9,")
    result = evaluate(write_park(MINIMAL_PARK, name="p3", **{"assessment.yaml": text}))
    assert result.exit_code == 2 and "entity 't9' in the boundary" in result.stderr


def test_english_versions_are_checked_like_the_rest(write_park):
    """``<field>_en``: a misspelt one gets did-you-mean; one without its original, or a park
    or tenant named in English here rather than in park.yaml, is an error naming the line."""
    text = HEAD + RULE_SETS + ENGAGEMENT + "  independance_en: none\n"
    result = evaluate(write_park(MINIMAL_PARK, **{"assessment.yaml": text}))
    assert result.exit_code == 2 and "did you mean 'independence_en'" in result.stderr
    text = (
        HEAD
        + RULE_SETS
        + ENGAGEMENT.replace("{name: 园区管委会}", "{name: 园区管委会, address_en: X}")
    )
    result = evaluate(write_park(MINIMAL_PARK, name="p2", **{"assessment.yaml": text}))
    assert result.exit_code == 2
    assert "address_en is the English version of 'address': give address too" in result.stderr
    text = (
        HEAD
        + RULE_SETS
        + ENGAGEMENT.replace("{entity: t1, why:", "{entity: t1, entity_en: T, why:")
    )
    result = evaluate(write_park(MINIMAL_PARK, name="p3", **{"assessment.yaml": text}))
    assert result.exit_code == 2 and "takes its English name from park.yaml" in result.stderr
    assert "assessment.yaml:12" in result.stderr  # the line of the included tenant


def test_materiality_lives_in_the_engagement(write_park):
    """One home: ``engagement.materiality`` as a fraction or a percentage, checked like the
    ledger's reconciliation reads it; at the top level it is an error naming its block."""
    text = HEAD + RULE_SETS + ENGAGEMENT + "  materiality: 2 %\n"
    result = evaluate(write_park(MINIMAL_PARK, **{"assessment.yaml": text}))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["certification"]["engagement"]["materiality"] == 0.02
    text = HEAD + RULE_SETS + ENGAGEMENT + "  materiality: 150 %\n"
    result = evaluate(write_park(MINIMAL_PARK, name="p2", **{"assessment.yaml": text}))
    assert result.exit_code == 2 and "must lie between 0 and 100 %" in result.stderr
    text = HEAD + "materiality: 0.05\n" + RULE_SETS + ENGAGEMENT
    result = evaluate(write_park(MINIMAL_PARK, name="p3", **{"assessment.yaml": text}))
    assert result.exit_code == 2 and "assessment.yaml:4" in result.stderr
    assert "it belongs in the engagement block: engagement.materiality" in result.stderr


def test_findings_register_opinions_and_evidence(write_park):
    findings = """\
answers:
  compliance: {answer: "yes", evidence: [evidence/permit.md]}
findings:
  - id: NC-01
    type: nonconformity
    grade: minor
    rule: zero_carbon_park/industrial_water_reuse
    finding: water reuse below the threshold
    corrective_action: add a reuse loop
    due: 2026-06-30
    evidence: [evidence/water.md]
  - id: CR-01
    type: clarification
    finding: explain the PV meter
    status: withdrawn
    note: answered on site
evidence_reviews:
  evidence/permit.md: {status: accepted, by: B, date: 2025-11-02}
opinions:
  - {rule_set: zero_carbon_factory_i, subject: t1, type: disclaimer, basis: no inventory yet}
"""
    folder = write_park(
        MINIMAL_PARK,
        **{
            "assessment.yaml": HEAD + RULE_SETS + ENGAGEMENT + findings,
            "evidence__permit.md": "permit",
            "evidence__water.md": "water",
            "evidence__unused.md": "unused",
        },
    )
    result = evaluate(folder)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    cert = data["certification"]
    assert cert["engagement"]["report_number"] == "R-1"
    assert cert["engagement"]["materiality"] == 0.05  # the default when none is stated
    assert cert["criteria"] == ["zero_carbon_park@2025-trial", "zero_carbon_factory_i@2022"]
    by_id = {f["id"]: f for f in cert["findings"]}
    # the assessor's finding replaces the draft for that rule; the rule's clause is filled in
    nc = by_id["NC-01"]
    assert nc["origin"] == "assessor" and nc["status"] == "open" and nc["clause"]
    assert "draft:zero_carbon_park/industrial_water_reuse" not in by_id
    assert by_id["CR-01"]["status"] == "withdrawn"
    # every other failed/partial/needs-evidence rule proposes exactly one draft
    expected = {
        f"draft:{rs['rule_set_id']}/{r['id']}" + (f"@{rs['subject']}" if rs["subject"] else "")
        for rs in data["rule_sets"]
        for r in rs["rules"]
        if r["status"] in ("fail", "partial", "needs_evidence")
        and (rs["rule_set_id"], r["id"]) != ("zero_carbon_park", "industrial_water_reuse")
    }
    drafts = {i for i, f in by_id.items() if f["origin"] == "proposed"}
    assert drafts == expected and drafts
    for f in by_id.values():
        if f["origin"] == "proposed":
            rule = next(
                r for rs in data["rule_sets"] if rs["rule_set_id"] == f["rule_set_id"]
                for r in rs["rules"] if r["id"] == f["rule_id"]
            )  # fmt: skip
            want = {"fail": "major", "partial": "minor", "needs_evidence": None}[rule["status"]]
            assert f["grade"] == want and f["status"] == "draft"
    opinions = {(c["rule_set_id"], c["subject"]): c for c in cert["conclusions"]}
    factory = opinions[("zero_carbon_factory_i", "t1")]
    assert factory["opinion"] == "disclaimer" and factory["origin"] == "assessor"
    assert factory["basis"] == "no inventory yet"
    park = opinions[("zero_carbon_park", None)]
    assert park["origin"] == "proposed" and "NC-01" in park["open_findings"]
    evidence = {e["path"]: e for e in cert["evidence"]}
    assert set(evidence) == {"evidence/permit.md", "evidence/water.md", "evidence/unused.md"}
    assert evidence["evidence/permit.md"]["review"] == "accepted"
    assert "zero_carbon_factory_i/compliance" in evidence["evidence/permit.md"]["rules"]
    assert evidence["evidence/water.md"]["findings"] == ["NC-01"]
    assert evidence["evidence/unused.md"]["rules"] == []
    assert evidence["evidence/unused.md"]["review"] == "not_reviewed"


def test_closed_finding_needs_closing_evidence(write_park):
    text = (
        HEAD
        + RULE_SETS
        + (
            "findings:\n"
            "  - {id: NC-1, type: nonconformity, grade: major, finding: x, status: closed}\n"
        )
    )
    result = evaluate(write_park(MINIMAL_PARK, **{"assessment.yaml": text}))
    assert result.exit_code == 2 and "list its closing_evidence" in result.stderr


def test_an_evidence_reviews_note_has_an_english_version(write_park):
    """``evidence_reviews.<path>.note_en`` is the note's English version: carried into the
    evidence register; given without its original it is an error naming the line."""
    reviews = """\
evidence_reviews:
  evidence/permit.md: {status: pending, by: B, note: 待补充盖章页, note_en: stamped page to follow}
"""
    files = {"evidence__permit.md": "permit"}
    text = HEAD + RULE_SETS + ENGAGEMENT + reviews
    result = evaluate(write_park(MINIMAL_PARK, **{"assessment.yaml": text}, **files))
    assert result.exit_code == 0, result.output
    (record,) = json.loads(result.stdout)["certification"]["evidence"]
    assert (record["note"], record["note_en"]) == ("待补充盖章页", "stamped page to follow")
    text = HEAD + RULE_SETS + ENGAGEMENT + reviews.replace("note: 待补充盖章页, ", "")
    result = evaluate(write_park(MINIMAL_PARK, name="p2", **{"assessment.yaml": text}, **files))
    assert result.exit_code == 2, result.output
    assert "assessment.yaml:" in result.stderr
    assert "note_en is the English version of 'note': give note too" in result.stderr
