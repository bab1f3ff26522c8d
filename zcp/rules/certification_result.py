"""The certification part of a result: engagement, findings register, conclusions, evidence.

Stored in the result JSON (``EvaluationResult.certification``) so a report, ``zcp diff``
and ``zcp verify`` read them from the same document the verdicts are in. Conclusions and
draft findings that zcp proposes say so (``origin: proposed``); what the assessor wrote in
``assessment.yaml`` is ``origin: assessor``.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from zcp.rules.engagement import Engagement, OpinionType

FindingStatus = Literal["draft", "open", "closed", "withdrawn"]

#: why zcp proposes an opinion type (each has a zh/en sentence in the report's catalogue)
ConclusionReason = Literal[
    "failed_prerequisite",
    "open_major",
    "undetermined_prerequisite",
    "no_level_determined",
    "open_minor",
    "partial_rules",
    "needs_evidence",
    "undetermined_rules",
    "provisional_parameters",
    "all_clear",
]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FindingRecord(_Out):
    id: str
    type: Literal["nonconformity", "clarification"]
    origin: Literal["proposed", "assessor"]
    rule_set_id: str | None = None
    rule_id: str | None = None
    subject: str | None = None
    grade: Literal["major", "minor"] | None = None
    clause: str | None = None
    finding: str
    finding_en: str | None = Field(None, description="the assessor's English version")
    evidence: list[str] = Field(default_factory=list)
    corrective_action: str | None = None
    corrective_action_en: str | None = None
    due: dt.date | None = None
    status: FindingStatus
    closing_evidence: list[str] = Field(default_factory=list)
    note: str | None = None
    note_en: str | None = None


class Conclusion(_Out):
    """The opinion on one rule set for one subject (``None``: the park)."""

    rule_set_id: str
    version: str
    subject: str | None = None
    level: str | None = Field(None, description="level awarded (id), if any")
    opinion: OpinionType
    origin: Literal["proposed", "assessor"]
    reasons: list[ConclusionReason] = Field(default_factory=list)
    basis: str | None = Field(None, description="the assessor's basis, as written")
    basis_en: str | None = Field(None, description="its English version, if given")
    conditions: list[str] = Field(default_factory=list)
    conditions_en: list[str] = Field(default_factory=list)
    open_findings: list[str] = Field(default_factory=list, description="finding ids")


class EvidenceRecord(_Out):
    path: str
    sha256: str
    rules: list[str] = Field(default_factory=list, description="RULE_SET_ID/RULE_ID it supports")
    findings: list[str] = Field(default_factory=list)
    review: Literal["accepted", "rejected", "pending", "not_reviewed"] = "not_reviewed"
    reviewed_by: str | None = None
    reviewed_on: dt.date | None = None
    note: str | None = None
    note_en: str | None = None


class CertificationResult(_Out):
    engagement: Engagement | None = None
    criteria: list[str] = Field(default_factory=list, description="RULE_SET_ID@VERSION")
    findings: list[FindingRecord] = Field(default_factory=list)
    conclusions: list[Conclusion] = Field(default_factory=list)
    evidence: list[EvidenceRecord] = Field(default_factory=list)
