"""What the certification pages of a report show: engagement, opinions, findings register,
evidence register and the sign-off block (templates under ``templates/certification/``).

Built from the result's ``certification`` part (:mod:`zcp.rules.certification_result`) and
the park's names, so every subject is named (the park, or the tenant by name) wherever its
conclusion or findings appear. Text zcp writes is taken from the message catalogue in both
languages; what the assessor wrote in ``assessment.yaml`` is printed as written (a
:class:`~zcp.report.phrases.Said` of quotes, so the HTML marks its language where it is not
the page's), and the English report prints a ``<field>_en`` version where one is given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from zcp.report.bilingual import Bilingual, bi
from zcp.report.phrases import Citation, Phrase, Quote, Said


def written(text: str, text_en: str | None = None) -> Said:
    """What the assessor wrote, in both reports: the original as written, and in the English
    report its ``_en`` version when given (else the original, marked with its language)."""
    original = Phrase((Quote.of(text),))
    return Said(original, Phrase((Quote(text_en, "en"),)) if text_en else original)


def _optional(text: str | None, text_en: str | None = None) -> Said | None:
    return written(text, text_en) if text else None


def _written_list(texts: list[str], english: list[str] | None) -> list[Said]:
    english = english or []
    return [written(text, english[i] if i < len(english) else None)
            for i, text in enumerate(texts)]  # fmt: skip


@dataclass(frozen=True)
class Person:
    name: Said
    role: str  # preparer | reviewer | approver | team_member | technical_expert
    organisation: Said | None = None
    qualification: Said | None = None


@dataclass(frozen=True)
class BoundaryEntity:
    name: Bilingual | Said  # the park's or a tenant's names, or a named other as written
    why: Said


@dataclass(frozen=True)
class Visit:
    date: dt.date
    site: Said
    by: list[Said]
    purpose: Said | None


@dataclass
class EngagementPage:
    report_number: str
    client: Said
    client_address: Said | None
    subjects: list[tuple[Bilingual, Bilingual]]  # (rule set title with version, subject name)
    period_start: dt.date
    period_end: dt.date
    consolidation: str
    boundary: Said | None
    included: list[BoundaryEntity]
    excluded: list[BoundaryEntity]
    criteria: list[tuple[str, Bilingual]]  # (id@version, title)
    criteria_note: Said | None
    assurance_level: str  # limited | reasonable
    materiality: float  # [fraction]
    team: list[Person]
    independence: Said
    site_visits: list[Visit]


@dataclass(frozen=True)
class OpinionRow:
    rule_set: Bilingual  # title (id@version)
    subject: Bilingual
    level: Bilingual | None
    opinion: str  # unmodified | modified | adverse | disclaimer
    origin: str  # proposed | assessor
    reasons: list[str]
    basis: Said | None
    conditions: list[Said]
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
    clause: Citation | None
    finding: Said | None  # the assessor's words; None for a draft (the report phrases it)
    evidence: list[str]
    corrective_action: Said | None
    due: dt.date | None
    closing_evidence: list[str]
    note: Said | None


@dataclass(frozen=True)
class EvidenceRow:
    path: str
    sha256: str
    rules: list[str]
    findings: list[str]
    review: str
    reviewed_by: Said | None
    reviewed_on: dt.date | None
    note: Said | None = None  # the reviewer's note, as written (``note_en`` in English)


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
            basis=_optional(c.get("basis"), c.get("basis_en")),
            conditions=_written_list(c.get("conditions", []), c.get("conditions_en")),
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
                clause=Citation(f["clause"]) if f.get("clause") else None,
                finding=written(f["finding"], f.get("finding_en"))
                if f["origin"] == "assessor"
                else None,
                evidence=list(f.get("evidence", [])),
                corrective_action=_optional(
                    f.get("corrective_action"), f.get("corrective_action_en")
                ),
                due=_date(f.get("due")),
                closing_evidence=list(f.get("closing_evidence", [])),
                note=_optional(f.get("note"), f.get("note_en")),
            )  # fmt: skip
        )
    engagement = cert.get("engagement")
    team = _team(engagement["team"]) if engagement else []
    by_name = {p.key: p.person for p in team}

    def person(name: str | None) -> Said | None:
        if name is None:
            return None
        return by_name[name].name if name in by_name else written(name)

    evidence = [
        EvidenceRow(
            path=e["path"],
            sha256=e["sha256"],
            rules=list(e.get("rules", [])),
            findings=list(e.get("findings", [])),
            review=e["review"],
            reviewed_by=person(e.get("reviewed_by")),
            reviewed_on=_date(e.get("reviewed_on")),
            note=_optional(e.get("note"), e.get("note_en")),
        )  # fmt: skip
        for e in cert.get("evidence", [])
    ]
    page = _engagement_page(engagement, result, park, titles, names, team) if engagement else None
    signers = [p for role in ("preparer", "reviewer", "approver") for p in (page.team if page else [])
               if p.role == role]  # fmt: skip
    return CertificationData(page, opinions, findings, evidence, signers)


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


@dataclass(frozen=True)
class _Member:
    key: str  # the name as written, which site visits and evidence reviews refer to
    person: Person


def _team(members: list[dict[str, Any]]) -> list[_Member]:
    return [
        _Member(m["name"], Person(
            written(m["name"], m.get("name_en")),
            m["role"],
            _optional(m.get("organisation"), m.get("organisation_en")),
            _optional(m.get("qualification"), m.get("qualification_en")),
        ))
        for m in members
    ]  # fmt: skip


def _entity(x: dict[str, Any], names: dict[str | None, Bilingual]) -> BoundaryEntity:
    """An entity in or out of the boundary: the park or a tenant by its park.yaml names, any
    other as the assessor named it."""
    known = names.get(x["entity"])
    name = known if known is not None else written(x["entity"], x.get("entity_en"))
    return BoundaryEntity(name, written(x["why"], x.get("why_en")))


def _engagement_page(e: dict[str, Any], result: dict[str, Any], park: Any,
                     titles: dict[str, Bilingual], names: dict[str | None, Bilingual],
                     team: list[_Member]) -> EngagementPage:  # fmt: skip
    scope = e["scope"]
    period = scope.get("period") or {}
    by_name = {m.key: m.person.name for m in team}
    client = e["client"]

    def subject(ident: str | None) -> Bilingual:
        return names.get(ident, Bilingual(str(ident)))

    return EngagementPage(
        report_number=e["report_number"],
        client=written(client["name"], client.get("name_en")),
        client_address=_optional(client.get("address"), client.get("address_en")),
        subjects=[
            (titles[rs["rule_set_id"]], subject(rs.get("subject")))
            for rs in result.get("rule_sets", [])
        ],
        period_start=_date(period.get("start")) or park.reporting_period.start,
        period_end=_date(period.get("end")) or park.reporting_period.end,
        consolidation=scope["consolidation"],
        boundary=_optional(scope.get("boundary"), scope.get("boundary_en")),
        included=[_entity(x, names) for x in scope["included"]],
        excluded=[_entity(x, names) for x in scope.get("excluded", [])],
        criteria=[
            (ref, titles.get(ref.partition("@")[0], Bilingual(ref)))
            for ref in result["certification"].get("criteria", [])
        ],  # fmt: skip
        criteria_note=_optional(e.get("criteria_note"), e.get("criteria_note_en")),
        assurance_level=e["assurance_level"],
        materiality=float(e["materiality"]),
        team=[m.person for m in team],
        independence=written(e["independence"], e.get("independence_en")),
        site_visits=[
            Visit(
                dt.date.fromisoformat(str(v["date"])),
                written(v["site"], v.get("site_en")),
                [by_name.get(n) or written(n) for n in v["by"]],
                _optional(v.get("purpose"), v.get("purpose_en")),
            )
            for v in e.get("site_visits", [])
        ],  # fmt: skip
    )
