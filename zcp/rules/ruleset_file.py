"""The rule-set file, as pydantic models (the shipped JSON Schema is generated from these).

A rule set is data a policy team edits: dated parameters with unit, source and confidence;
rules that each cite their clause; sections and levels. Conditions use a closed vocabulary
of operators over ``{metric, op, value}`` leaves combined with ``all`` / ``any`` / ``not`` —
there is no way to write code in a rule file.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    model_validator,
)

from zcp.factors import Source

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=80)]
Confidence = Literal["verified", "provisional"]
Stage = Literal["design", "operation"]
#: The step of the national zero-carbon park process an assessment serves (发改环资〔2025〕910号
#: and the first list, 发改办环资〔2025〕1082号, as reported): the park applies against the entry
#: conditions, is listed and builds, the province runs an acceptance evaluation, then NDRC
#: accepts it. ``assessment.yaml`` states one; a rule may apply only at some.
AcceptanceStage = Literal["application", "construction", "provincial_evaluation", "ndrc_acceptance"]
ACCEPTANCE_STAGES: tuple[str, ...] = AcceptanceStage.__args__  # type: ignore[attr-defined]
SubjectKind = Literal["park", "tenant"]
#: The closed operator vocabulary. ``between`` is inclusive at both ends.
Op = Literal["lt", "le", "gt", "ge", "eq", "ne", "between", "in", "not_in"]
OPS: tuple[str, ...] = Op.__args__  # type: ignore[attr-defined]
#: A number written in the rule file, or the name of a parameter of the rule set.
NumberOrParam = float | Identifier
Version = Annotated[
    str,
    BeforeValidator(lambda v: str(v) if isinstance(v, int) else v),
    Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=40),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)


class Text(Strict):
    """A name or sentence in Chinese and English."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class ConflictingValue(Strict):
    """Another value a public source gives for the same period (sources disagree)."""

    value: float
    source: Source
    note: str | None = None


class ParameterValue(Strict):
    """One dated value; ``value: null`` records that the value for this period is unknown.

    ``conflicting`` lists other values public sources give for the same period: a verdict
    that comes out differently under one of them is undetermined (the conflict decides it),
    and the value can only be provisional.
    """

    value: float | list[float] | None
    valid_from: dt.date
    valid_until: dt.date | None = Field(None, description="last day it applies (inclusive)")
    confidence: Confidence
    source: Source
    note: str | None = None
    conflicting: list[ConflictingValue] = Field(default_factory=list)

    @model_validator(mode="after")
    def _conflict_is_provisional(self) -> ParameterValue:
        if self.conflicting and self.confidence != "provisional":
            raise ValueError("a value public sources disagree on can only be 'provisional'")
        if self.conflicting and not isinstance(self.value, float):
            raise ValueError("'conflicting' needs a single known 'value' beside it")
        return self


class Parameter(Strict):
    """A threshold, weight or band edge: dated ``values`` or a ``factor`` library id."""

    description: str | Text
    unit: str
    values: list[ParameterValue] | None = Field(None, min_length=1)
    factor: str | None = Field(None, description="id of a factor-library entry")
    choice_confidence: Confidence | None = Field(
        None,
        description="with 'factor': how sure it is that the standard means this factor "
        "(a verified coefficient chosen on an unconfirmed reading is reported provisional)",
    )
    note: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Parameter:
        if (self.values is None) == (self.factor is None):
            raise ValueError("give either 'values' (dated values) or 'factor' (a factor id)")
        if self.choice_confidence is not None and self.factor is None:
            raise ValueError("'choice_confidence' goes with 'factor'")
        return self


# -- conditions ---------------------------------------------------------------------------
class Leaf(Strict):
    """``metric op value``; ``value`` is a number (in ``unit``, default the metric's) or a
    parameter name; ``between`` takes two numbers, ``in``/``not_in`` a list."""

    metric: Identifier
    op: Op
    value: NumberOrParam | list[float]
    unit: str | None = None
    label: str | None = None


class AllOf(Strict):
    all: list[Condition] = Field(min_length=1)
    label: str | None = None


class AnyOf(Strict):
    any: list[Condition] = Field(min_length=1)
    label: str | None = None


class NotOf(Strict):
    not_: Condition = Field(alias="not")
    label: str | None = None


def _condition_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in ("all", "any", "not", "metric"):
            if key in value:
                return {"metric": "leaf"}.get(key, key)
        return None
    kinds: dict[type, str] = {Leaf: "leaf", AllOf: "all", AnyOf: "any", NotOf: "not"}
    return kinds.get(type(value))


Condition = Annotated[
    Annotated[Leaf, Tag("leaf")]
    | Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[NotOf, Tag("not")],
    Discriminator(
        _condition_tag,
        custom_error_type="condition",
        custom_error_message="a condition needs 'metric' + 'op' + 'value', or one "
        "of 'all', 'any', 'not'",
    ),
]


class Applicability(Strict):
    """When a rule applies: park stages, acceptance stages (of the assessment) and/or a
    condition (false → not applicable)."""

    stages: list[Stage] | None = None
    acceptance_stages: list[AcceptanceStage] | None = Field(
        None,
        min_length=1,
        description="the assessment's acceptance stages at which the rule applies",
    )
    condition: Condition | None = None
    note: str | None = None


# -- thresholds ---------------------------------------------------------------------------
class Band(Strict):
    """One band of the banding metric: ``from`` ≤ x < ``to`` (open ends omitted).

    ``threshold: null`` (or omitted with no baseline/leading) means the standard gives no
    value for this band: the rule comes out undetermined there, never pass.
    """

    from_: NumberOrParam | None = Field(None, alias="from")
    to: NumberOrParam | None = None
    threshold: NumberOrParam | None = None
    baseline: NumberOrParam | None = None
    leading: NumberOrParam | None = None
    label: str | None = None
    note: str | None = None


class Bands(Strict):
    """Thresholds that depend on another metric (e.g. the park's energy consumption)."""

    metric: Identifier
    unit: str | None = Field(None, description="unit of numeric band edges (default: metric's)")
    cases: list[Band] = Field(min_length=1)


class Scoring(Strict):
    """``pass_fail``: all points at the threshold; ``linear``: 0 at ``baseline``, full points
    at ``leading``, straight line between (GB/T 36132 style)."""

    method: Literal["pass_fail", "linear"] = "pass_fail"
    baseline: NumberOrParam | None = None
    leading: NumberOrParam | None = None


# -- rules --------------------------------------------------------------------------------
class RuleBase(Strict):
    id: Identifier
    title: Text
    clause: str = Field(min_length=1, description="the clause of the source this rule encodes")
    section: Identifier | None = None
    subject: SubjectKind | None = Field(None, description="default: the rule set's subject")
    applicability: Applicability | None = None
    may_be_not_applicable: bool = Field(
        False, description="the assessor may declare it not applicable, with a reason"
    )
    points: NumberOrParam | None = Field(None, description="maximum points")
    description: str | None = None
    note: str | None = None


class CheckedRule(RuleBase):
    """Fields shared by rules checked against metrics."""

    metric: Identifier | None = None
    op: Op | None = None
    threshold: NumberOrParam | list[float] | None = None
    unit: str | None = Field(None, description="unit of a numeric threshold (default: metric's)")
    bands: Bands | None = None
    condition: Condition | None = None
    scoring: Scoring = Field(default_factory=Scoring)

    @model_validator(mode="after")
    def _one_check(self) -> CheckedRule:
        if self.condition is not None:
            if any(v is not None for v in (self.metric, self.op, self.threshold, self.bands)):
                raise ValueError("a rule with 'condition' takes no metric/op/threshold/bands")
            if self.scoring.method != "pass_fail":
                raise ValueError("linear scoring needs 'metric', not 'condition'")
            return self
        if self.metric is None:
            raise ValueError("give 'metric' (with 'op' and 'threshold' or 'bands') or 'condition'")
        linear = self.scoring.method == "linear"
        if self.op is None and not linear:
            raise ValueError("'op' is required with 'metric'")
        has_scale = linear and self.scoring.baseline is not None
        if self.threshold is None and self.bands is None and not has_scale:
            raise ValueError("give 'threshold', 'bands' or linear 'scoring' with baseline/leading")
        if self.threshold is not None and self.bands is not None:
            raise ValueError("give 'threshold' or 'bands', not both")
        return self


class PrerequisiteRule(CheckedRule):
    """Must pass for any level to be reached (e.g. a core indicator, a one-vote veto)."""

    kind: Literal["prerequisite"]


class IndicatorRule(CheckedRule):
    """A scored indicator: points for meeting the threshold, or linear between two values."""

    kind: Literal["indicator"]


class ChecklistRule(RuleBase):
    """An item the assessor answers (yes / no / partial / not_applicable) with evidence."""

    kind: Literal["checklist"]
    question: Text
    evidence: list[str] = Field(
        default_factory=list, description="evidence the assessor must reference"
    )


Rule = Annotated[PrerequisiteRule | IndicatorRule | ChecklistRule, Field(discriminator="kind")]


class Section(Strict):
    id: Identifier
    title: Text
    weight: float = Field(1.0, ge=0, description="multiplies the section's points in the total")


class Level(Strict):
    """A grade reached when every prerequisite passes, ``requires`` pass and the total
    reaches ``min_points``. Listed lowest first."""

    id: Identifier
    title: Text
    min_points: NumberOrParam | None = None
    requires: list[Identifier] = Field(default_factory=list)
    description: str | None = None


class RuleSet(Strict):
    """A versioned, dated rule set (``kind: rule_set``, ``schema_version: 1``)."""

    kind: Literal["rule_set"]
    schema_version: Literal[1]
    id: Identifier
    version: Version
    title: Text
    issued_by: Text
    effective_from: dt.date
    effective_until: dt.date | None = None
    supersedes: list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*@[A-Za-z0-9_.-]+$")]] = Field(
        default_factory=list, description="'id@version' of rule sets this replaces"
    )
    accounting_profile: Identifier | None = Field(
        None, description="the ledger's accounting profile the metrics must follow"
    )
    subject: SubjectKind = "park"
    stages: list[Stage] = Field(default_factory=lambda: list[Stage](["design", "operation"]))
    source: Source
    status_note: str | None = None
    parameters_stale_after_years: int | None = Field(
        None,
        ge=0,
        description="a parameter whose newest value is older than this many years before an "
        "assessment's reporting period is stale (zcp rules lint warns)",
    )
    parameters: dict[Identifier, Parameter] = Field(default_factory=dict)
    sections: list[Section] = Field(default_factory=list)
    levels: list[Level] = Field(default_factory=list)
    rules: list[Rule] = Field(min_length=1)

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"

    def rule(self, rule_id: str) -> PrerequisiteRule | IndicatorRule | ChecklistRule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)
