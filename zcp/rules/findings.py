"""Findings register, conclusions and evidence register, derived from verdicts and the
assessor's ``assessment.yaml``.

- **Draft findings.** Every failed rule proposes a major non-conformity, every partial one a
  minor non-conformity, every rule that needs evidence a clarification request. The
  assessor confirms (writes a finding naming the rule), edits (the same, in their own
  words) or withdraws it (``status: withdrawn`` with a reason); a rule the assessor has
  written a finding for proposes nothing more.
- **Conclusions.** For each rule set and subject zcp proposes an opinion type, most severe
  first: *adverse* when a prerequisite fails or a major non-conformity is open;
  *disclaimer* when a prerequisite, or every level, cannot be determined (no basis for a
  conclusion); *modified* when minor non-conformities are open, or rules are partial,
  lack evidence or are undetermined; *unmodified* otherwise. The approver's opinion in
  ``assessment.yaml`` (``opinions:``) replaces the proposal and says so.
- **Evidence register.** Every file under ``evidence/`` with its hash, the rules whose
  answers cite it, the findings that cite it, and its review status.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from zcp.rules.certification_result import (
    CertificationResult,
    Conclusion,
    ConclusionReason,
    EvidenceRecord,
    FindingRecord,
)
from zcp.rules.engagement import EVIDENCE_DIR, OpinionType

if TYPE_CHECKING:
    from zcp.rules.assessment import Assessment
    from zcp.rules.results import EvaluationResult, RuleSetResult

#: draft finding proposed per rule status: (type, grade)
_PROPOSALS = {
    "fail": ("nonconformity", "major"),
    "partial": ("nonconformity", "minor"),
    "needs_evidence": ("clarification", None),
}


def draft_id(rule_set_id: str, rule_id: str, subject: str | None) -> str:
    """A draft finding's id, stable across rounds so ``zcp diff`` can follow it."""
    return f"draft:{rule_set_id}/{rule_id}" + (f"@{subject}" if subject else "")


def findings_register(
    result: EvaluationResult, assessment: Assessment | None
) -> list[FindingRecord]:
    """The assessor's findings, then a draft for each failing rule they have not addressed."""
    out = []
    written = set()
    for f in assessment.findings if assessment else []:
        set_id, _, rule_id = (f.rule or "").partition("/")
        clause = f.clause
        if clause is None and f.rule:
            clause = next((r.clause for rs in result.rule_sets if rs.rule_set_id == set_id
                           for r in rs.rules if r.id == rule_id), None)  # fmt: skip
        if f.rule:
            written.add((set_id, rule_id, f.subject))
        out.append(
            FindingRecord(
                id=f.id,
                type=f.type,
                origin="assessor",
                rule_set_id=set_id or None,
                rule_id=rule_id or None,
                subject=f.subject,
                grade=f.grade,
                clause=clause,
                finding=f.finding,
                finding_en=f.finding_en,
                evidence=f.evidence,
                corrective_action=f.corrective_action,
                corrective_action_en=f.corrective_action_en,
                due=f.due,
                status=f.status,
                closing_evidence=f.closing_evidence,
                note=f.note,
                note_en=f.note_en,
            )  # fmt: skip
        )
    for rs in result.rule_sets:
        for rule in rs.rules:
            proposal = _PROPOSALS.get(rule.status)
            if proposal is None or (rs.rule_set_id, rule.id, rs.subject) in written:
                continue
            kind, grade = proposal
            out.append(
                FindingRecord(
                    id=draft_id(rs.rule_set_id, rule.id, rs.subject),
                    type=kind,
                    origin="proposed",
                    rule_set_id=rs.rule_set_id,
                    rule_id=rule.id,
                    subject=rs.subject,
                    grade=grade,
                    clause=rule.clause,
                    finding=rule.why,
                    evidence=list(rule.answer.evidence) if rule.answer else [],
                    status="draft",
                )  # fmt: skip
            )
    return out


def _concerns(finding: FindingRecord, rs: RuleSetResult) -> bool:
    return finding.rule_set_id == rs.rule_set_id and finding.subject == rs.subject


def propose_conclusion(rs: RuleSetResult, findings: list[FindingRecord]) -> Conclusion:
    """zcp's proposed opinion on one rule set (see the module docstring for the order)."""
    pending = [f for f in findings if _concerns(f, rs) and f.status in ("draft", "open")]
    majors = [f for f in pending if f.grade == "major"]
    minors = [f for f in pending if f.grade == "minor"]
    reasons: list[ConclusionReason] = []
    prerequisites = [r for r in rs.rules if r.kind == "prerequisite"]
    if any(r.status == "fail" for r in prerequisites):
        reasons.append("failed_prerequisite")
    if majors:
        reasons.append("open_major")
    if any(r.status == "undetermined" for r in prerequisites):
        reasons.append("undetermined_prerequisite")
    if rs.levels and rs.level is None and all(lv.status == "undetermined" for lv in rs.levels):
        reasons.append("no_level_determined")
    if minors:
        reasons.append("open_minor")
    statuses = {r.status for r in rs.rules}
    for status, reason in (("partial", "partial_rules"), ("needs_evidence", "needs_evidence"),
                           ("undetermined", "undetermined_rules")):  # fmt: skip
        if status in statuses and reason not in reasons:
            reasons.append(reason)  # type: ignore[arg-type]
    if rs.provisional_parameters:
        reasons.append("provisional_parameters")
    opinion: OpinionType
    if {"failed_prerequisite", "open_major"} & set(reasons):
        opinion = "adverse"
    elif {"undetermined_prerequisite", "no_level_determined"} & set(reasons):
        opinion = "disclaimer"
    elif {"open_minor", "partial_rules", "needs_evidence", "undetermined_rules"} & set(reasons):
        opinion = "modified"
    else:
        opinion = "unmodified"
        reasons = reasons or ["all_clear"]
    return Conclusion(
        rule_set_id=rs.rule_set_id, version=rs.version, subject=rs.subject, level=rs.level,
        opinion=opinion, origin="proposed", reasons=reasons,
        open_findings=[f.id for f in pending],
    )  # fmt: skip


def conclusions(
    result: EvaluationResult, assessment: Assessment | None, findings: list[FindingRecord]
) -> list[Conclusion]:
    out = []
    chosen = {(o.rule_set, o.subject): o for o in assessment.opinions} if assessment else {}
    for rs in result.rule_sets:
        proposal = propose_conclusion(rs, findings)
        opinion = chosen.get((rs.rule_set_id, rs.subject))
        if opinion is not None:
            proposal = proposal.model_copy(
                update={
                    "opinion": opinion.type,
                    "origin": "assessor",
                    "basis": opinion.basis,
                    "basis_en": opinion.basis_en,
                    "conditions": list(opinion.conditions),
                    "conditions_en": list(opinion.conditions_en),
                }  # fmt: skip
            )
        out.append(proposal)
    return out


def evidence_register(
    result: EvaluationResult, assessment: Assessment | None, findings: list[FindingRecord]
) -> list[EvidenceRecord]:
    """Every hashed file under ``evidence/`` and what cites it."""
    reviews = assessment.evidence_reviews if assessment else {}
    out = []
    for path, digest in sorted(result.inputs.items()):
        if not path.startswith(EVIDENCE_DIR + "/"):
            continue
        rules = sorted(
            {
                f"{rs.rule_set_id}/{r.id}"
                for rs in result.rule_sets
                for r in rs.rules
                if r.answer and path in r.answer.evidence
            }  # fmt: skip
        )
        cited_by = [f.id for f in findings if path in f.evidence or path in f.closing_evidence]
        review = reviews.get(path)
        out.append(
            EvidenceRecord(
                path=path,
                sha256=digest,
                rules=rules,
                findings=cited_by,
                review=review.status if review else "not_reviewed",
                reviewed_by=review.by if review else None,
                reviewed_on=review.date if review else None,
                note=review.note if review else None,
                note_en=review.note_en if review else None,
            )  # fmt: skip
        )
    return out


def add_certification(result: EvaluationResult, assessment: Assessment | None) -> None:
    """Fill ``result.certification`` from the verdicts and the assessment file."""
    findings = findings_register(result, assessment)
    result.certification = CertificationResult(
        engagement=assessment.engagement if assessment else None,
        criteria=[f"{rs.rule_set_id}@{rs.version}" for rs in result.rule_sets],
        findings=findings,
        conclusions=conclusions(result, assessment, findings),
        evidence=evidence_register(result, assessment, findings),
    )
