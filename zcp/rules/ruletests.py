"""Rule tests: YAML cases next to a rule set — given these values, expect these verdicts.

A policy team writes them without programming::

    kind: rule_tests
    schema_version: 1
    rule_set: {id: zero_carbon_park, version: 2025-trial}
    cases:
      - name: 20万 tce exactly, at the threshold
        given: {park_energy_consumption: 200000, carbon_per_unit_energy: 0.2}
        expect:
          rules: {core_carbon_per_unit_energy: pass}
          level: core_met

Values are numbers in the metric's unit or quantities with a unit (``"85 %"``). They run
with ``zcp rules test`` and under pytest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from zcp.errors import InputError, Problem, RuleFileError, did_you_mean
from zcp.metrics import REGISTRY, EvaluationContext, GivenValuesContext, MetricRegistry
from zcp.rules.assessment import Answer
from zcp.rules.coverage import Coverage
from zcp.rules.evaluate import evaluate_rule_set
from zcp.rules.loader import LoadedRuleSet, load_rule_set, polish
from zcp.rules.results import RuleSetResult, Status
from zcp.rules.ruleset_catalogue import TESTS_SUFFIX, Catalogue
from zcp.rules.ruleset_file import AcceptanceStage, RuleSet, Version
from zcp.yamlio import Document, expect_kind, load_yaml, pydantic_problems


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class RuleSetRef(_Strict):
    id: str
    version: Version


class Expectation(_Strict):
    rules: dict[str, Status] = Field(default_factory=dict, description="rule id → status")
    level: str | None = Field(None, description="highest level reached; null: none")
    points: float | None = None
    why: dict[str, str] = Field(
        default_factory=dict, description="rule id → words its one-line why must contain"
    )
    levels: dict[str, Literal["pass", "fail", "undetermined"]] = Field(
        default_factory=dict, description="level id → its status"
    )


class CaseValues(_Strict):
    """What a case starts from; ``defaults`` gives these to every case."""

    park: str | None = Field(
        None, description="a small park folder, relative to this file; given values apply on top"
    )
    given: dict[str, Any] = Field(
        default_factory=dict, description="metric → number in its unit, '85 %', or null"
    )
    answers: dict[str, Answer] = Field(default_factory=dict)
    stage: Literal["design", "operation"] | None = None
    acceptance_stage: AcceptanceStage | None = Field(
        None, description="the assessment's acceptance stage (assessment.yaml)"
    )
    date: dt.date | None = None
    subject: str | None = None


class Case(CaseValues):
    name: str = Field(min_length=1)
    expect: Expectation


class RuleTests(_Strict):
    kind: Literal["rule_tests"]
    schema_version: Literal[1]
    rule_set: RuleSetRef
    defaults: CaseValues | None = Field(None, description="values every case starts from")
    cases: list[Case] = Field(min_length=1)


@dataclass
class CaseOutcome:
    name: str
    failures: list[str] = field(default_factory=list)
    #: the evaluation the case ran (None if its given values did not load)
    result: RuleSetResult | None = None
    expect: Expectation | None = None

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass
class TestFileOutcome:
    path: Path
    rule_set: str
    cases: list[CaseOutcome]
    model: RuleSet | None = None

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.cases)


def find_test_files(paths: list[Path]) -> list[Path]:
    """``*.tests.yaml`` files under ``paths`` (files or folders, recursive)."""
    out: list[Path] = []
    for path in paths:
        out.extend(sorted(path.rglob("*" + TESTS_SUFFIX)) if path.is_dir() else [path])
    return out


def load_rule_tests(path: Path) -> tuple[RuleTests, Document]:
    doc = load_yaml(path)
    expect_kind(doc, ["rule_tests"], {"rule_tests": [1]})
    try:
        return RuleTests.model_validate(doc.data), doc
    except ValidationError as exc:
        raise RuleFileError(polish(pydantic_problems(doc, exc))) from None


def run_rule_tests(
    path: Path, *, catalogue: Catalogue | None = None, registry: MetricRegistry | None = None
) -> TestFileOutcome:
    """Run every case of one tests file. Raises ``RuleFileError`` for a malformed file."""
    tests, doc = load_rule_tests(path)
    rule_set = _find_rule_set(path, tests, doc, catalogue, registry)
    _check_names(tests, doc, rule_set, registry or REGISTRY)
    outcomes = [
        _run_case(case, tests.defaults, rule_set, registry, path.parent) for case in tests.cases
    ]
    return TestFileOutcome(path, rule_set.key, outcomes, rule_set.model)


def _find_rule_set(
    path: Path,
    tests: RuleTests,
    doc: Document,
    catalogue: Catalogue | None,
    registry: MetricRegistry | None,
) -> LoadedRuleSet:
    beside = rule_file_beside(path)
    if beside is not None:
        loaded = load_rule_set(beside, registry=registry)
        ref = tests.rule_set
        if (loaded.model.id, loaded.model.version) != (ref.id, ref.version):
            # A copied tests file must never silently test the shipped version instead.
            raise RuleFileError(
                [
                    doc.problem(
                        f"these tests name {ref.id}@{ref.version} but the rule file beside "
                        f"them, {beside.name}, is {loaded.model.key}",
                        ("rule_set",),
                        f"set rule_set to {{id: {loaded.model.id}, version: "
                        f"{loaded.model.version!r}}} or move the tests next to their rule file",
                    )
                ]
            )
        return loaded
    try:
        return (catalogue or Catalogue(registry=registry)).load(
            tests.rule_set.id, tests.rule_set.version
        )
    except InputError as exc:
        raise RuleFileError(
            [doc.problem(p.message, ("rule_set",), p.hint) for p in exc.problems]
        ) from None


def rule_file_beside(path: Path) -> Path | None:
    """The rule file a tests file sits beside: ``V.tests.yaml`` and ``V.parks.tests.yaml``
    test ``V.yaml``; None if there is none."""
    stem = path.name[: -len(TESTS_SUFFIX)] if path.name.endswith(TESTS_SUFFIX) else None
    if not stem:
        return None
    for candidate in (stem, stem.removesuffix(".parks")):
        beside = path.with_name(candidate + ".yaml")
        if beside.is_file():
            return beside
    return None


def _check_names(
    tests: RuleTests, doc: Document, rule_set: LoadedRuleSet, registry: MetricRegistry
) -> None:
    """Unknown rule ids, metrics or levels in a test are errors, not silent passes."""
    rule_ids = [r.id for r in rule_set.model.rules]
    level_ids = [lv.id for lv in rule_set.model.levels]
    problems: list[Problem] = []
    located: list[tuple[tuple[str | int, ...], CaseValues]] = (
        [(("defaults",), tests.defaults)] if tests.defaults else []
    )
    located += [(("cases", i), c) for i, c in enumerate(tests.cases)]
    for loc, case in located:
        if isinstance(case, Case):
            for rid in [*case.expect.rules, *case.expect.why]:
                if rid not in rule_ids:
                    problems.append(
                        doc.problem(
                            f"unknown rule {rid!r}",
                            loc + ("expect", "rules", rid),
                            did_you_mean(rid, rule_ids),
                        )
                    )
            named: list[tuple[tuple[str, ...], str | None]] = [
                (("expect", "level"), case.expect.level)
            ]
            named += [(("expect", "levels", lv), lv) for lv in case.expect.levels]
            for where, level in named:
                if level is not None and level not in level_ids:
                    problems.append(
                        doc.problem(
                            f"unknown level {level!r}", loc + where, did_you_mean(level, level_ids)
                        )
                    )
        for name in case.given:
            if name not in registry:
                problems.append(
                    doc.problem(
                        f"unknown metric {name!r}",
                        loc + ("given", name),
                        did_you_mean(name, registry.names()),
                    )
                )
        for key in case.answers:
            if key.split("/")[-1] not in rule_ids:
                problems.append(
                    doc.problem(
                        f"answer to unknown rule {key!r}",
                        loc + ("answers", key),
                        did_you_mean(key, rule_ids),
                    )
                )
    if problems:
        raise RuleFileError(problems)


def _run_case(
    case: Case,
    defaults: CaseValues | None,
    rule_set: LoadedRuleSet,
    registry: MetricRegistry | None,
    base: Path,
) -> CaseOutcome:
    given = {**(defaults.given if defaults else {}), **case.given}
    answers = {**(defaults.answers if defaults else {}), **case.answers}
    stage = case.stage or (defaults.stage if defaults else None)
    acceptance_stage = case.acceptance_stage or (defaults.acceptance_stage if defaults else None)
    day = case.date or (defaults.date if defaults else None)
    subject = case.subject or (defaults.subject if defaults else None)
    park = case.park or (defaults.park if defaults else None)
    outcome = CaseOutcome(case.name, expect=case.expect)
    # A park folder that does not load is a broken test file (exit 2), not a failed case.
    park_ctx = _park_context(base / park, registry, stage, day) if park else None
    try:
        ctx: EvaluationContext
        if park_ctx is None:
            ctx = GivenValuesContext(
                given, registry=registry, stage=stage, as_of=day or rule_set.model.effective_from
            )
        else:
            ctx = park_ctx.with_values(given)
    except InputError as exc:
        outcome.failures.extend(f"given values: {p.message}" for p in exc.problems)
        return outcome
    ctx.acceptance_stage = acceptance_stage
    result = evaluate_rule_set(
        rule_set, ctx, answers=answers, subject=subject, as_of=ctx.as_of or day
    )
    outcome.result = result
    for rid, status in case.expect.rules.items():
        got = result.rule(rid)
        if got.status != status:
            outcome.failures.append(f"{rid}: expected {status}, got {got.status} ({got.why})")
    for rid, words in case.expect.why.items():
        got = result.rule(rid)
        if words not in got.why:
            outcome.failures.append(f"{rid}: why should contain {words!r}, is {got.why!r}")
    if "level" in case.expect.model_fields_set and result.level != case.expect.level:
        why = "; ".join(f"{lv.id}: {lv.why}" for lv in result.levels)
        outcome.failures.append(f"level: expected {case.expect.level}, got {result.level} ({why})")
    for level in result.levels:
        want = case.expect.levels.get(level.id)
        if want is not None and level.status != want:
            outcome.failures.append(
                f"level {level.id}: expected {want}, got {level.status} ({level.why})"
            )
    if case.expect.points is not None and abs(result.points - case.expect.points) > 1e-9:
        outcome.failures.append(f"points: expected {case.expect.points:g}, got {result.points:g}")
    return outcome


def _park_context(
    folder: Path, registry: MetricRegistry | None, stage: str | None, day: dt.date | None
) -> EvaluationContext:
    """A small park as the context of a case (its stage unless the case says otherwise)."""
    from zcp.model import load_park
    from zcp.rules.run import park_context

    ctx = park_context(load_park(folder), registry=registry, as_of=day)
    if stage is not None:
        ctx.stage = stage
    return ctx


def coverage_of(outcomes: list[TestFileOutcome]) -> list[Coverage]:
    """Per rule set (all its tests files together): levels, outcomes and parameter edges
    the cases exercise (see :mod:`zcp.rules.coverage`)."""
    from zcp.rules.coverage import new_coverage, record_case

    by_key: dict[str, Coverage] = {}
    for file in outcomes:
        if file.model is None:
            continue
        cov = by_key.setdefault(file.rule_set, new_coverage(file.model))
        for case in file.cases:
            if case.expect is None:
                continue
            record_case(
                cov,
                case.expect.level,
                "level" in case.expect.model_fields_set,
                case.expect.levels,
                case.expect.rules,
                case.result,
            )
    return [by_key[k] for k in sorted(by_key)]
