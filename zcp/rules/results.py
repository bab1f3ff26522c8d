"""What an evaluation returns: explained verdicts, stamped with their provenance.

Every rule result carries its status, the values it compared (actual, threshold, margin,
unit), the clause, the truth value of each sub-condition and a one-line why. The JSON
Schema of ``EvaluationResult`` ships as ``zcp/schemas/result.schema.json``; bump
``RESULT_SCHEMA_VERSION`` on any incompatible change.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from zcp.rules.certification_result import CertificationResult
from zcp.rules.ruleset_file import Text

RESULT_SCHEMA_VERSION: Literal[1] = 1

Status = Literal["pass", "fail", "partial", "not_applicable", "undetermined", "needs_evidence"]
STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]
Truth = bool | None


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ParameterUse(_Out):
    """A parameter value the verdict used, with its dates, source and confidence."""

    name: str
    value: float | list[float] | None
    unit: str
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    confidence: Literal["verified", "provisional"]
    source: str
    factor: str | None = None
    conflicting: list[float] = Field(
        default_factory=list, description="other values public sources give (they disagree)"
    )
    conflicting_sources: list[str] = Field(default_factory=list)


class MetricUse(_Out):
    name: str
    subject: str | None = None
    value: float | None
    unit: str
    reason: str | None = None
    trace: dict[str, Any] = Field(default_factory=dict)


class ConditionResult(_Out):
    """The truth value of one node of a condition tree (``None`` = undetermined)."""

    node: Literal["leaf", "all", "any", "not"]
    truth: Truth
    label: str | None = None
    metric: str | None = None
    op: str | None = None
    actual: float | None = None
    threshold: float | list[float] | None = None
    unit: str | None = None
    reason: str | None = None
    children: list[ConditionResult] = Field(default_factory=list)


class AnswerRecord(_Out):
    answer: Literal["yes", "no", "partial", "not_applicable"]
    evidence: list[str] = Field(default_factory=list)
    note: str | None = None


class OtherMethodValue(_Out):
    """A re-priced indicator under the electricity → standard-coal method the rule set did
    not choose, beside the verdict (which always uses the rule set's method)."""

    value: float | None = Field(description="[unit] under the other method; null: not computable")
    unit: str
    method: str = Field(description="the other method, as the rule set names it (English)")
    method_title: Text | None = Field(None, description="the other method in both languages")
    coefficient: ParameterUse | None = Field(
        None, description="the other method's coefficient [tce/MWh], if the rule set gives one"
    )
    reason: str | None = Field(None, description="why the value cannot be computed")


class RuleResult(_Out):
    id: str
    kind: Literal["prerequisite", "indicator", "checklist"]
    title: Text
    clause: str
    section: str | None = None
    subject: str | None = None
    status: Status
    why: str = Field(description="one line explaining the status")
    points: float | None = None
    max_points: float | None = None
    metric: MetricUse | None = None
    actual: float | None = None
    threshold: float | list[float] | None = None
    unit: str | None = None
    margin: float | None = Field(
        None,
        description="how far the actual value is on the passing side of the threshold "
        "(negative: short of it), in the metric's unit",
    )
    band: str | None = None
    condition: ConditionResult | None = None
    metrics: list[MetricUse] = Field(default_factory=list)
    parameters: list[ParameterUse] = Field(default_factory=list)
    provisional: bool = Field(False, description="a parameter used is provisional")
    answer: AnswerRecord | None = None
    other_method: OtherMethodValue | None = Field(
        None, description="the indicator under the other electricity → tce method"
    )


class SectionResult(_Out):
    id: str | None
    title: Text | None = None
    weight: float = 1.0
    points: float
    max_points: float
    counts: dict[str, int]


class LevelResult(_Out):
    id: str
    title: Text
    status: Literal["pass", "fail", "undetermined"]
    why: str


class EnergyMethodResult(_Out):
    """The electricity → standard-coal method a rule set fixed, stated in its result, and
    the core indicator under the other method (or why it cannot be computed)."""

    method: str
    method_title: Text | None = Field(None, description="the method in both languages")
    coefficient: ParameterUse | None = None
    carbon_per_unit_energy: float | None = Field(None, description="[tCO2/tce], this method")
    other_method: str
    other_method_title: Text | None = None
    other_coefficient: ParameterUse | None = None
    other_carbon_per_unit_energy: float | None = Field(
        None, description="[tCO2/tce] under the other method"
    )
    other_park_energy_consumption: float | None = Field(
        None, description="[tce] under the other method"
    )
    other_reason: str | None = None
    note: str | None = None


class RuleSetResult(_Out):
    rule_set_id: str
    version: str
    title: Text
    sha256: str
    path: str | None = None
    accounting_profile: str | None = None
    as_of: dt.date | None = None
    stage: str | None = None
    acceptance_stage: str | None = Field(
        None, description="the national park process step the assessment serves, if stated"
    )
    subject: str | None = None
    rules: list[RuleResult]
    sections: list[SectionResult]
    points: float
    max_points: float
    level: str | None = Field(None, description="highest level reached, if any")
    levels: list[LevelResult] = Field(default_factory=list)
    provisional_parameters: list[str] = Field(default_factory=list)
    energy_method: EnergyMethodResult | None = Field(
        None, description="electricity → tce method used, and the other method's result"
    )
    counts: dict[str, int] = Field(default_factory=dict)
    gaps: list[RuleGap] = Field(default_factory=list, description="gap analysis, if run")

    def rule(self, rule_id: str) -> RuleResult:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


class LedgerTotals(_Out):
    """The park's ledger totals the verdicts rest on, kept in the result so a later year's
    report can compare with them (``zcp assess --previous``) without last year's inputs."""

    profile: str = Field(description="accounting profile of the ledger run")
    scope1_t: float = Field(description="[tCO2e]")
    scope2_location_t: float = Field(description="[tCO2e]")
    scope2_market_t: float = Field(description="[tCO2e]")
    scope3_t: float = Field(description="[tCO2e]")
    offsets_t: float = Field(description="[tCO2e] retired credits")
    net_t: float = Field(description="[tCO2e]")
    electricity_mwh: float | None = Field(None, description="[MWh] electricity consumed")
    green_electricity_mwh: float | None = Field(None, description="[MWh]")
    green_electricity_share: float | None = Field(None, description="[fraction]")


class EvaluationResult(_Out):
    """The result of ``zcp evaluate``: one entry per rule set, plus provenance."""

    kind: Literal["evaluation_result"] = "evaluation_result"
    schema_version: Literal[1] = RESULT_SCHEMA_VERSION
    zcp_version: str
    park: str | None = None
    inputs: dict[str, str] = Field(
        default_factory=dict, description="SHA-256 of each file of the park folder, by path"
    )
    inputs_read: list[str] | None = Field(
        None,
        description="the paths in inputs this evaluation read (the others are only in the "
        "folder, hashed so any change shows); null: not recorded (older results)",
    )
    rule_sets: list[RuleSetResult]
    certification: CertificationResult | None = Field(
        None, description="engagement, findings register, conclusions, evidence register"
    )
    ledger: LedgerTotals | None = Field(
        None, description="the park's ledger totals; null: the park has no ledger run"
    )


class LeverGap(_Out):
    """What one lever would take to pass a rule, found by re-evaluating (not extrapolating)."""

    lever: str
    unit: str
    amount: float | None = Field(
        None, description="smallest amount found that passes the rule; null: none up to max"
    )
    max_amount: float
    status_after: Status
    level_after: str | None = None
    why: str


class RuleGap(_Out):
    rule_id: str
    status: Status
    levers: list[LeverGap]
