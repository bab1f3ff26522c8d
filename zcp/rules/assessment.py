"""``assessment.yaml``: which rule sets apply to a park, and the assessor's answers.

It sits in the park folder beside the park files. Answers are keyed by rule id (``rule``
for every rule set having it, or ``rule_set_id/rule`` for one); evidence is referenced by
paths under the park's ``evidence/`` folder, never outside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from zcp.errors import InputError, Problem
from zcp.rules.loader import polish
from zcp.rules.ruleset_file import Version
from zcp.yamlio import Document, expect_kind, load_yaml, pydantic_problems

EVIDENCE_DIR = "evidence"


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
        for text in paths:
            path = PurePosixPath(text.replace("\\", "/"))
            if path.is_absolute() or ".." in path.parts or not path.parts:
                raise ValueError(f"evidence path {text!r} must be relative, inside {EVIDENCE_DIR}/")
            if path.parts[0] != EVIDENCE_DIR:
                raise ValueError(f"evidence path {text!r} must start with '{EVIDENCE_DIR}/'")
        return paths


class RuleSetChoice(_Strict):
    id: str
    version: Version | None = Field(None, description="omit: the version in force")
    subject: str | None = Field(None, description="tenant id, for tenant-level rule sets")


class Assessment(_Strict):
    kind: Literal["assessment"]
    schema_version: Literal[1]
    rule_sets: list[RuleSetChoice] = Field(default_factory=list)
    answers: dict[str, Answer] = Field(default_factory=dict)
    certification_body: str | None = None
    assessor: str | None = None
    assessment_date: dt.date | None = None
    note: str | None = None

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


def load_assessment(path: str | Path) -> LoadedAssessment:
    """Read ``assessment.yaml``; checks that referenced evidence files exist."""
    doc = load_yaml(path)
    expect_kind(doc, ["assessment"], {"assessment": [1]})
    try:
        model = Assessment.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(polish(pydantic_problems(doc, exc))) from None
    problems: list[Problem] = []
    base = Path(path).parent
    for key, answer in model.answers.items():
        for i, ref in enumerate(answer.evidence):
            if not (base / ref).is_file():
                problems.append(
                    doc.problem(
                        f"evidence file {ref!r} not found",
                        ("answers", key, "evidence", i),
                        f"put it in {base / EVIDENCE_DIR}",
                    )
                )
        if answer.answer == "not_applicable" and not answer.note:
            problems.append(
                doc.problem(
                    "a not-applicable answer needs a reason in 'note'", ("answers", key, "answer")
                )
            )
    if problems:
        raise InputError(problems)
    return LoadedAssessment(model, doc)
