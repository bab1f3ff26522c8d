"""``assessment.yaml``: which rule sets apply to a park, and the assessor's answers.

It sits in the park folder beside the park files. Answers are keyed by rule id (``rule``
for every rule set having it, or ``rule_set_id/rule`` for one); evidence is referenced by
paths under the park's ``evidence/`` folder, never outside it. The certification
engagement, findings and opinions (:mod:`zcp.rules.engagement`) are optional blocks of the
same file. :func:`check_assessment` checks every name the file uses against the park and
the rule catalogue — a misspelt rule-set id, version, subject or answer key is an error with
a did-you-mean, never a silently undetermined rule.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from zcp.errors import InputError, Problem, did_you_mean
from zcp.rules import engagement as eng
from zcp.rules.engagement import (
    EVIDENCE_DIR,
    Engagement,
    EvidenceReview,
    Finding,
    OpinionChoice,
    check_evidence_paths,
)
from zcp.rules.loader import polish
from zcp.rules.ruleset_file import AcceptanceStage, Version
from zcp.yamlio import Document, expect_kind, load_yaml, pydantic_problems

if TYPE_CHECKING:
    from zcp.model import Park
    from zcp.rules.ruleset_catalogue import Catalogue


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Answer(_Strict):
    """The assessor's answer to a checklist item (or a not-applicable declaration)."""

    # YAML 1.1 reads a bare yes/no as a boolean; an assessor means the word.
    answer: Annotated[
        Literal["yes", "no", "partial", "not_applicable"],
        BeforeValidator(
            lambda v: {True: "yes", False: "no"}.get(v, v) if isinstance(v, bool) else v
        ),
    ]
    evidence: list[str] = Field(
        default_factory=list, description=f"paths under the park's {EVIDENCE_DIR}/ folder"
    )
    note: str | None = Field(None, description="required with not_applicable: the reason")
    points: float | None = Field(None, ge=0, description="points awarded for a partial answer")

    @field_validator("evidence")
    @classmethod
    def _inside_evidence(cls, paths: list[str]) -> list[str]:
        return check_evidence_paths(paths)


class RuleSetChoice(_Strict):
    id: str
    version: Version | None = Field(None, description="omit: the version in force")
    subject: str | None = Field(None, description="tenant id, for tenant-level rule sets")


class Assessment(_Strict):
    kind: Literal["assessment"]
    schema_version: Literal[1]
    rule_sets: list[RuleSetChoice] = Field(default_factory=list)
    acceptance_stage: AcceptanceStage | None = Field(
        None,
        description="the step of the national zero-carbon park process this assessment serves: "
        "application, construction, provincial_evaluation or ndrc_acceptance",
    )
    answers: dict[str, Answer] = Field(default_factory=dict)
    certification_body: str | None = None
    certification_body_en: str | None = Field(None, description="its English name")
    assessor: str | None = None
    assessor_en: str | None = Field(None, description="the assessor's name in English")
    assessment_date: dt.date | None = None
    note: str | None = None
    engagement: Engagement | None = None
    findings: list[Finding] = Field(default_factory=list)
    opinions: list[OpinionChoice] = Field(default_factory=list)
    evidence_reviews: dict[str, EvidenceReview] = Field(
        default_factory=dict, description="review status of evidence files, by path"
    )

    @model_validator(mode="after")
    def _english_has_its_original(self) -> Assessment:
        for name in ("certification_body", "assessor"):
            if getattr(self, f"{name}_en") and not getattr(self, name):
                raise ValueError(f"{name}_en is the English version of {name!r}: give {name} too")
        return self

    def answers_for(self, rule_set_id: str) -> dict[str, Answer]:
        """Answers that apply to one rule set; ``set/rule`` keys beat plain ``rule`` keys."""
        return answers_for(self.answers, rule_set_id)


def answers_for(answers: Mapping[str, Answer], rule_set_id: str) -> dict[str, Answer]:
    plain = {k: v for k, v in answers.items() if "/" not in k}
    prefix = rule_set_id + "/"
    plain.update({k[len(prefix) :]: v for k, v in answers.items() if k.startswith(prefix)})
    return plain


@dataclass(frozen=True)
class LoadedAssessment:
    model: Assessment
    doc: Document


def _field_names() -> set[str]:
    models: list[type[BaseModel]] = [
        Assessment,
        Answer,
        RuleSetChoice,
        Engagement,
        Finding,
        OpinionChoice,
    ]
    models += [EvidenceReview, eng.Client, eng.Scope, eng.Entity, eng.Period]
    models += [eng.TeamMember, eng.SiteVisit]
    return {name for m in models for name in m.model_fields}


#: where a field of a nested block lives, for a key written at the top level by mistake
_NESTED_HOMES: dict[str, type[BaseModel]] = {
    "engagement": Engagement,
    "engagement.client": eng.Client,
    "engagement.scope": eng.Scope,
}


def _hint_unknown_fields(problems: list[Problem]) -> list[Problem]:
    """A misspelt key (``asurance_level``) gets the nearest field name of the format; a key
    of a nested block written at the top level (``materiality``) gets the block it belongs in."""
    names = _field_names()
    out = []
    for p in problems:
        if p.message == "unknown field" and p.hint is None and p.field:
            word = p.field.rsplit(".", 1)[-1]
            home = next((where for where, model in _NESTED_HOMES.items()
                         if "." not in p.field and word in model.model_fields), None)  # fmt: skip
            hint = f"it belongs in the {home} block: {home}.{word}" if home else None
            p = dataclasses.replace(p, hint=hint or did_you_mean(word, names))
        out.append(p)
    return out


def load_assessment(path: str | Path) -> LoadedAssessment:
    """Read ``assessment.yaml``; checks that referenced evidence files exist."""
    doc = load_yaml(path)
    expect_kind(doc, ["assessment"], {"assessment": [1]})
    try:
        model = Assessment.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(_hint_unknown_fields(polish(pydantic_problems(doc, exc)))) from None
    problems: list[Problem] = []
    base = Path(path).parent

    def exists(ref: str, loc: tuple[str | int, ...]) -> None:
        if not (base / ref).is_file():
            problems.append(
                doc.problem(
                    f"evidence file {ref!r} not found", loc, f"put it in {base / EVIDENCE_DIR}"
                )
            )

    for key, answer in model.answers.items():
        for i, ref in enumerate(answer.evidence):
            exists(ref, ("answers", key, "evidence", i))
        if answer.answer == "not_applicable" and not answer.note:
            problems.append(
                doc.problem(
                    "a not-applicable answer needs a reason in 'note'", ("answers", key, "answer")
                )
            )
    seen: set[str] = set()
    for i, finding in enumerate(model.findings):
        if finding.id in seen:
            problems.append(doc.problem(f"finding id {finding.id!r} used twice", ("findings", i)))
        seen.add(finding.id)
        for part in ("evidence", "closing_evidence"):
            for j, ref in enumerate(getattr(finding, part)):
                exists(ref, ("findings", i, part, j))
    for ref in model.evidence_reviews:
        try:
            check_evidence_paths([ref])
        except ValueError as exc:
            problems.append(doc.problem(str(exc), ("evidence_reviews", ref)))
            continue
        exists(ref, ("evidence_reviews", ref))
    if problems:
        raise InputError(problems)
    return LoadedAssessment(model, doc)


def check_assessment(loaded: LoadedAssessment, park: Park, catalogue: Catalogue) -> list[Problem]:
    """Every name ``assessment.yaml`` uses, checked against the park and the rule catalogue.

    Rule-set ids and versions, each rule set's ``subject`` (a tenant of the park, given
    exactly for tenant-level rule sets), answer keys (a rule of a chosen rule set), the
    rules, subjects and rule sets findings and opinions refer to, and the entities inside
    the boundary. Each problem names the line and offers the nearest correct name.
    """
    model, doc = loaded.model, loaded.doc
    problems: list[Problem] = []
    tenants = [t.id for t in park.tenants]

    def bad(message: str, loc: tuple[str | int, ...], word: str, choices: list[str]) -> None:
        hint = did_you_mean(word, choices) or (f"known: {', '.join(choices)}" if choices else None)
        problems.append(doc.problem(message, loc, hint))

    def check_subject(subject: str | None, loc: tuple[str | int, ...]) -> None:
        if subject is not None and subject not in tenants:
            bad(f"subject {subject!r} is not a tenant of park {park.id!r}", loc, subject, tenants)

    rule_ids: dict[str, list[str]] = {}  # rule-set id → its rule ids
    for i, choice in enumerate(model.rule_sets):
        loc: tuple[str | int, ...] = ("rule_sets", i)
        if choice.id not in catalogue.ids():
            bad(f"unknown rule set {choice.id!r}", (*loc, "id"), choice.id, catalogue.ids())
            continue
        versions = catalogue.versions(choice.id)
        if choice.version is not None and choice.version not in versions:
            bad(
                f"rule set {choice.id!r} has no version {choice.version!r}",
                (*loc, "version"),
                choice.version,
                versions,
            )
            continue
        version = choice.version or max(versions)
        rule_set = catalogue.load(choice.id, version).model
        rule_ids[choice.id] = [r.id for r in rule_set.rules]
        tenant_level = rule_set.subject == "tenant"
        if tenant_level and choice.subject is None:
            problems.append(
                doc.problem(
                    f"rule set {choice.id!r} rates a tenant: name it with 'subject'",
                    loc,
                    f"tenants: {', '.join(tenants) or 'none'}",
                )
            )
        elif not tenant_level and choice.subject is not None:
            problems.append(
                doc.problem(
                    f"rule set {choice.id!r} rates the park, not a tenant: remove 'subject'",
                    (*loc, "subject"),
                )
            )
        else:
            check_subject(choice.subject, (*loc, "subject"))

    all_rules = sorted({r for ids in rule_ids.values() for r in ids})
    for key in model.answers:
        set_id, _, rule = key.rpartition("/")
        if set_id and set_id not in rule_ids:
            bad(f"answer {key!r}: rule set {set_id!r} is not assessed", ("answers", key),
                set_id, list(rule_ids))  # fmt: skip
        elif set_id and rule not in rule_ids[set_id]:
            bad(f"answer {key!r}: rule set {set_id!r} has no rule {rule!r}", ("answers", key),
                rule, rule_ids[set_id])  # fmt: skip
        elif not set_id and rule_ids and rule not in all_rules:
            bad(f"answer {key!r} matches no rule of the assessed rule sets", ("answers", key),
                rule, all_rules)  # fmt: skip

    for i, finding in enumerate(model.findings):
        check_subject(finding.subject, ("findings", i, "subject"))
        if finding.rule is None:
            continue
        set_id, _, rule = finding.rule.partition("/")
        if set_id not in rule_ids:
            bad(f"finding {finding.id}: rule set {set_id!r} is not assessed",
                ("findings", i, "rule"), set_id, list(rule_ids))  # fmt: skip
        elif rule not in rule_ids[set_id]:
            bad(f"finding {finding.id}: rule set {set_id!r} has no rule {rule!r}",
                ("findings", i, "rule"), rule, rule_ids[set_id])  # fmt: skip
    for i, opinion in enumerate(model.opinions):
        check_subject(opinion.subject, ("opinions", i, "subject"))
        if opinion.rule_set not in rule_ids:
            bad(f"opinion for {opinion.rule_set!r}: that rule set is not assessed",
                ("opinions", i, "rule_set"), opinion.rule_set, list(rule_ids))  # fmt: skip
    if model.engagement is not None:
        scope = model.engagement.scope
        for i, entity in enumerate(scope.included):
            if entity.entity != "park" and entity.entity not in tenants:
                bad(f"entity {entity.entity!r} in the boundary is neither 'park' nor a tenant",
                    ("engagement", "scope", "included", i, "entity"), entity.entity,
                    ["park", *tenants])  # fmt: skip
        for part, entities in (("included", scope.included), ("excluded", scope.excluded)):
            for i, entity in enumerate(entities):
                if entity.entity_en and entity.entity in ("park", *tenants):
                    problems.append(doc.problem(
                        f"entity {entity.entity!r} takes its English name from park.yaml "
                        f"(name_en); entity_en is for an entity the park does not describe",
                        ("engagement", "scope", part, i, "entity_en"),
                        hint="remove entity_en here, or set name_en in park.yaml"))  # fmt: skip
    return problems
