"""What the certification pages of a report show: engagement, opinions, findings register,
evidence register and the sign-off block (templates under ``templates/certification/``).

Built from the result's ``certification`` part (:mod:`zcp.rules.certification_result`) and
the park's names, so every subject is named (the park, or the tenant by name) wherever its
conclusion or findings appear. Text zcp writes is taken from the message catalogue in both
languages; what the assessor wrote in ``assessment.yaml`` is printed as written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from zcp.report.report_data import Bilingual, bi


@dataclass(frozen=True)
class Person:
    name: str
    role: str  # preparer | reviewer | approver | team_member | technical_expert
    organisation: str | None = None
    qualification: str | None = None


@dataclass(frozen=True)
class BoundaryEntity:
    name: Bilingual
    why: str


@dataclass(frozen=True)
class Visit:
    date: dt.date
    site: str
    by: list[str]
    purpose: str | None


@dataclass
class EngagementPage:
    report_number: str
    client: str
    client_address: str | None
    subjects: list[tuple[Bilingual, Bilingual]]  # (rule set title with version, subject name)
    period_start: dt.date
    period_end: dt.date
    consolidation: str
    boundary: str | None
    included: list[BoundaryEntity]
    excluded: list[BoundaryEntity]
    criteria: list[tuple[str, Bilingual]]  # (id@version, title)
    criteria_note: str | None
    assurance_level: str  # limited | reasonable
    materiality: float  # [fraction]
    team: list[Person]
    independence: str
    site_visits: list[Visit]


@dataclass(frozen=True)
class OpinionRow:
    rule_set: Bilingual  # title (id@version)
    subject: Bilingual
    level: Bilingual | None
    opinion: str  # unmodified | modified | adverse | disclaimer
    origin: str  # proposed | assessor
    reasons: list[str]
    basis: str | None
    conditions: list[str]
    open_findings: list[str]


@dataclass(frozen=True)
class FindingRow:
    id: str
    type: str
    origin: str
    grade: str | None
    status: str
    subject: Bilingual
    rule: str | None  # RULE_SET_ID/RULE_ID
    rule_title: Bilingual | None
    rule_status: str | None
    clause: str | None
    finding: str | None  # the assessor's words; None for a draft (the report phrases it)
    evidence: list[str]
    corrective_action: str | None
    due: dt.date | None
    closing_evidence: list[str]
    note: str | None


@dataclass(frozen=True)
class EvidenceRow:
    path: str
    sha256: str
    rules: list[str]
    findings: list[str]
    review: str
    reviewed_by: str | None
    reviewed_on: dt.date | None


@dataclass
class CertificationData:
    engagement: EngagementPage | None
    opinions: list[OpinionRow] = field(default_factory=list)
    findings: list[FindingRow] = field(default_factory=list)
    evidence: list[EvidenceRow] = field(default_factory=list)
    signers: list[Person] = field(default_factory=list)  # preparer, reviewer, approver

    @property
    def counts(self) -> dict[str, int]:
        """Findings by kind and state, for the register's heading line."""
        out = {"draft": 0, "open": 0, "closed": 0, "withdrawn": 0}
        for f in self.findings:
            out[f.status] += 1
        return out


def _subject_names(park: Any) -> dict[str | None, Bilingual]:
    names: dict[str | None, Bilingual] = {None: Bilingual(park.name, park.name_en)}
    names["park"] = names[None]
    for tenant in park.tenants:
        names[tenant.id] = Bilingual(tenant.name, tenant.name_en)
    return names


def _rule_set_titles(result: dict[str, Any]) -> dict[str, Bilingual]:
    out = {}
    for rs in result.get("rule_sets", []):
        title = bi(rs["title"])
        ref = f"{rs['rule_set_id']}@{rs['version']}"
        out[rs["rule_set_id"]] = Bilingual(f"{title.zh}（{ref}）", f"{title.get('en')} ({ref})")
    return out


def _rules(result: dict[str, Any]) -> dict[tuple[str, str, str | None], dict[str, Any]]:
    return {
        (rs["rule_set_id"], r["id"], rs.get("subject")): r
        for rs in result.get("rule_sets", [])
        for r in rs["rules"]
    }


def certification_data(result: dict[str, Any], park: Any) -> CertificationData | None:
    """The certification pages' data; None when the result carries no certification part."""
    cert = result.get("certification")
    if not cert:
        return None
    names = _subject_names(park)
    titles = _rule_set_titles(result)
    rules = _rules(result)

    def subject(ident: str | None) -> Bilingual:
        return names.get(ident, Bilingual(str(ident)))

    levels = {
        (rs["rule_set_id"], rs.get("subject")): next(
            (bi(lv["title"]) for lv in rs.get("levels", []) if lv["id"] == rs.get("level")), None
        )
        for rs in result.get("rule_sets", [])
    }
    opinions = [
        OpinionRow(
            rule_set=titles.get(c["rule_set_id"], Bilingual(c["rule_set_id"])),
            subject=subject(c.get("subject")),
            level=levels.get((c["rule_set_id"], c.get("subject"))),
            opinion=c["opinion"],
            origin=c["origin"],
            reasons=list(c.get("reasons", [])),
            basis=c.get("basis"),
            conditions=list(c.get("conditions", [])),
            open_findings=list(c.get("open_findings", [])),
        )
        for c in cert.get("conclusions", [])
    ]
    findings = []
    for f in cert.get("findings", []):
        rule = rules.get((f.get("rule_set_id"), f.get("rule_id"), f.get("subject")))
        findings.append(
            FindingRow(
                id=f["id"],
                type=f["type"],
                origin=f["origin"],
                grade=f.get("grade"),
                status=f["status"],
                subject=subject(f.get("subject")),
                rule=f"{f['rule_set_id']}/{f['rule_id']}" if f.get("rule_id") else None,
                rule_title=bi(rule["title"]) if rule else None,
                rule_status=rule["status"] if rule else None,
                clause=f.get("clause"),
                finding=f["finding"] if f["origin"] == "assessor" else None,
                evidence=list(f.get("evidence", [])),
                corrective_action=f.get("corrective_action"),
                due=_date(f.get("due")),
                closing_evidence=list(f.get("closing_evidence", [])),
                note=f.get("note"),
            )  # fmt: skip
        )
    evidence = [
        EvidenceRow(
            path=e["path"],
            sha256=e["sha256"],
            rules=list(e.get("rules", [])),
            findings=list(e.get("findings", [])),
            review=e["review"],
            reviewed_by=e.get("reviewed_by"),
            reviewed_on=_date(e.get("reviewed_on")),
        )  # fmt: skip
        for e in cert.get("evidence", [])
    ]
    engagement = cert.get("engagement")
    page = _engagement_page(engagement, result, park, titles, subject) if engagement else None
    signers = [p for role in ("preparer", "reviewer", "approver") for p in (page.team if page else [])
               if p.role == role]  # fmt: skip
    return CertificationData(page, opinions, findings, evidence, signers)


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _engagement_page(e: dict[str, Any], result: dict[str, Any], park: Any,
                     titles: dict[str, Bilingual], subject: Any) -> EngagementPage:  # fmt: skip
    scope = e["scope"]
    period = scope.get("period") or {}
    return EngagementPage(
        report_number=e["report_number"],
        client=e["client"]["name"],
        client_address=e["client"].get("address"),
        subjects=[
            (titles[rs["rule_set_id"]], subject(rs.get("subject")))
            for rs in result.get("rule_sets", [])
        ],
        period_start=_date(period.get("start")) or park.reporting_period.start,
        period_end=_date(period.get("end")) or park.reporting_period.end,
        consolidation=scope["consolidation"],
        boundary=scope.get("boundary"),
        included=[BoundaryEntity(subject(x["entity"]), x["why"]) for x in scope["included"]],
        excluded=[
            BoundaryEntity(subject(x["entity"]), x["why"]) for x in scope.get("excluded", [])
        ],
        criteria=[
            (ref, titles.get(ref.partition("@")[0], Bilingual(ref)))
            for ref in result["certification"].get("criteria", [])
        ],  # fmt: skip
        criteria_note=e.get("criteria_note"),
        assurance_level=e["assurance_level"],
        materiality=float(e["materiality"]),
        team=[
            Person(m["name"], m["role"], m.get("organisation"), m.get("qualification"))
            for m in e["team"]
        ],  # fmt: skip
        independence=e["independence"],
        site_visits=[
            Visit(_date(v["date"]), v["site"], list(v["by"]), v.get("purpose"))  # type: ignore[arg-type]
            for v in e.get("site_visits", [])
        ],  # fmt: skip
    )
