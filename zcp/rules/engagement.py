"""The certification engagement written in ``assessment.yaml``: who assesses what, how, and
what they found.

A certification body's report states its engagement before any figure (ISO 14065 /
ISO 14064-3 practice, and the evaluation reports the national zero-carbon park notice
asks for): the report number and client, the subject of each rule set, scope and boundary
(which entities are in and out and why, the period, the consolidation approach), the
criteria, the assurance level and materiality, the team with its roles and independence,
and the site visits. Free text may be given in both languages: ``field`` as written (usually
Chinese) and ``field_en``, its English version, which the English report prints (without it,
the English report shows the original, marked with its language). The assessor's findings (non-conformities, clarification requests)
and any opinion they set by hand live here too, so a second round is a new version of the
same file. These models only describe the file; :mod:`zcp.rules.findings` derives the
register and the opinions from them and the verdicts.
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from zcp.ledger.assessment_settings import DEFAULT_MATERIALITY, parse_materiality

EVIDENCE_DIR = "evidence"

Role = Literal["preparer", "reviewer", "approver", "team_member", "technical_expert"]
#: the roles that sign the report, in signing order
SIGNING_ROLES: tuple[str, ...] = ("preparer", "reviewer", "approver")


def _english(what: str) -> Any:
    """An optional ``<field>_en``: the English version of the free text in ``<field>``."""
    return Field(None, description=f"English version of {what}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    @model_validator(mode="after")
    def _english_has_its_original(self) -> _Strict:
        for name in type(self).model_fields:
            original = name.removesuffix("_en")
            if original == name or original not in type(self).model_fields:
                continue
            english, text = getattr(self, name), getattr(self, original)
            if english and not text:
                raise ValueError(
                    f"{name} is the English version of {original!r}: give {original} too"
                )
            if isinstance(english, list) and english and len(english) != len(text):
                raise ValueError(
                    f"{name} has {len(english)} entries and {original} {len(text)}: "
                    f"give one English text per entry"
                )
        return self


def check_evidence_paths(paths: list[str]) -> list[str]:
    """Evidence paths are relative and inside ``evidence/`` (never outside the park folder)."""
    for text in paths:
        path = PurePosixPath(text.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or not path.parts:
            raise ValueError(f"evidence path {text!r} must be relative, inside {EVIDENCE_DIR}/")
        if path.parts[0] != EVIDENCE_DIR:
            raise ValueError(f"evidence path {text!r} must start with '{EVIDENCE_DIR}/'")
    return paths


class Client(_Strict):
    name: str = Field(min_length=1)
    name_en: str | None = _english("name")
    address: str | None = None
    address_en: str | None = _english("address")
    contact: str | None = None


class Entity(_Strict):
    """An entity inside or outside the boundary: ``park``, a tenant id, or a named other."""

    entity: str = Field(min_length=1, description="'park', a tenant id, or a name")
    entity_en: str | None = _english("a named entity (park and tenants: their park.yaml names)")
    why: str = Field(min_length=1, description="why it is in (or out of) the boundary")
    why_en: str | None = _english("why")


class Period(_Strict):
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError("period end is before its start")
        return self


class Scope(_Strict):
    """Scope and boundary of the engagement."""

    period: Period | None = Field(None, description="omit: the park's reporting period")
    consolidation: Literal["operational_control", "financial_control", "equity_share"]
    included: list[Entity] = Field(min_length=1)
    excluded: list[Entity] = Field(default_factory=list)
    boundary: str | None = Field(None, description="the boundary in words (sites, carriers)")
    boundary_en: str | None = _english("boundary")


class TeamMember(_Strict):
    name: str = Field(min_length=1)
    name_en: str | None = _english("name")
    role: Role
    organisation: str | None = None
    organisation_en: str | None = _english("organisation")
    qualification: str | None = None
    qualification_en: str | None = _english("qualification")


class SiteVisit(_Strict):
    date: dt.date
    site: str = Field(min_length=1)
    site_en: str | None = _english("site")
    by: list[str] = Field(min_length=1, description="team members present, by name")
    purpose: str | None = None
    purpose_en: str | None = _english("purpose")


class Engagement(_Strict):
    report_number: str = Field(min_length=1, max_length=64)
    client: Client
    scope: Scope
    assurance_level: Literal["limited", "reasonable"]
    materiality: float = Field(
        DEFAULT_MATERIALITY,
        gt=0,
        lt=1,
        description="materiality threshold [fraction of the reported total], a fraction (0.05) "
        "or a percentage ('5 %'); default 5 %. The reconciliation of stated figures uses it too",
    )
    criteria_note: str | None = Field(None, description="criteria beyond the rule sets listed")
    criteria_note_en: str | None = _english("criteria_note")
    team: list[TeamMember] = Field(min_length=1)
    independence: str = Field(min_length=1, description="the team's independence statement")
    independence_en: str | None = _english("independence")
    site_visits: list[SiteVisit] = Field(default_factory=list)

    @field_validator("materiality", mode="before")
    @classmethod
    def _share(cls, raw: object) -> float:
        return parse_materiality(raw)

    @model_validator(mode="after")
    def _signers(self) -> Engagement:
        wrong = [
            f"exactly one {role} (has {count})"
            for role in SIGNING_ROLES
            if (count := sum(1 for m in self.team if m.role == role)) != 1
        ]
        if wrong:
            raise ValueError(f"the team needs {' and '.join(wrong)}")
        names = {m.name for m in self.team}
        for i, visit in enumerate(self.site_visits):
            unknown = [n for n in visit.by if n not in names]
            if unknown:
                raise ValueError(f"site_visits[{i}].by names {unknown} who are not in the team")
        return self

    def member(self, role: str) -> TeamMember | None:
        return next((m for m in self.team if m.role == role), None)


class Finding(_Strict):
    """A non-conformity or clarification request, as the assessor confirmed or wrote it."""

    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$", max_length=32)
    type: Literal["nonconformity", "clarification"]
    rule: str | None = Field(None, description="RULE_SET_ID/RULE_ID it concerns, if any")
    subject: str | None = Field(None, description="tenant id; omit for the park")
    grade: Literal["major", "minor"] | None = Field(None, description="non-conformities only")
    clause: str | None = Field(None, description="omit: the rule's clause")
    finding: str = Field(min_length=1)
    finding_en: str | None = _english("finding")
    evidence: list[str] = Field(default_factory=list)
    corrective_action: str | None = None
    corrective_action_en: str | None = _english("corrective_action")
    due: dt.date | None = None
    status: Literal["open", "closed", "withdrawn"] = "open"
    closing_evidence: list[str] = Field(default_factory=list)
    note: str | None = Field(None, description="why it was withdrawn, or how it was closed")
    note_en: str | None = _english("note")

    @field_validator("evidence", "closing_evidence")
    @classmethod
    def _inside_evidence(cls, paths: list[str]) -> list[str]:
        return check_evidence_paths(paths)

    @model_validator(mode="after")
    def _consistent(self) -> Finding:
        if self.type == "nonconformity" and self.grade is None:
            raise ValueError(f"non-conformity {self.id}: give grade: major or minor")
        if self.type == "clarification" and self.grade is not None:
            raise ValueError(f"clarification {self.id}: a clarification request has no grade")
        if self.status == "closed" and not self.closing_evidence:
            raise ValueError(f"finding {self.id} is closed: list its closing_evidence")
        if self.status == "withdrawn" and not self.note:
            raise ValueError(f"finding {self.id} is withdrawn: say why in 'note'")
        if self.rule is not None and self.rule.count("/") != 1:
            raise ValueError(f"finding {self.id}: rule must be RULE_SET_ID/RULE_ID")
        return self


OpinionType = Literal["unmodified", "modified", "adverse", "disclaimer"]


class OpinionChoice(_Strict):
    """The approver's opinion for one rule set (and subject), replacing zcp's proposal."""

    rule_set: str = Field(description="rule-set id")
    subject: str | None = Field(None, description="tenant id; omit for the park")
    type: OpinionType
    basis: str = Field(min_length=1, description="the basis for the opinion, in words")
    basis_en: str | None = _english("basis")
    conditions: list[str] = Field(default_factory=list)
    conditions_en: list[str] = Field(
        default_factory=list, description="English version of each condition, in order"
    )


class EvidenceReview(_Strict):
    status: Literal["accepted", "rejected", "pending"]
    by: str | None = None
    date: dt.date | None = None
    note: str | None = None
    note_en: str | None = _english("note")
