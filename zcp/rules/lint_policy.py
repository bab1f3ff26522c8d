"""Lint checks about how far a verdict can be trusted, beyond a file being well formed.

- A gate (a prerequisite rule: one failure vetoes every level) that rests on provisional
  values vetoes on unconfirmed figures: warn, naming the values.
- A parameter whose newest value is older than the assessment's reporting period by more
  than the rule set allows (``parameters_stale_after_years``) is stale: warn on the
  assessment that uses it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from zcp.errors import InputError, Problem
from zcp.rules.ruleset_file import Parameter, PrerequisiteRule, RuleSet
from zcp.yamlio import Document


def _parameter_names(value: object) -> Iterator[str]:
    """Parameter names a rule refers to (thresholds, band edges, condition values)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _parameter_names(item)
    elif isinstance(value, list):
        for item in value:
            yield from _parameter_names(item)


def _is_provisional(param: Parameter) -> bool:
    if param.factor is not None:
        if param.choice_confidence == "provisional":
            return True
        from zcp.factors import default_library

        try:
            return default_library().get(param.factor).confidence == "provisional"
        except InputError:
            return False
    newest = max(param.values or [], key=lambda v: v.valid_from)
    return newest.confidence == "provisional" or newest.value is None


def provisional_gate_problems(rs: RuleSet, doc: Document) -> Iterator[Problem]:
    """One warning per prerequisite rule that uses provisional parameter values."""
    method = [n for n in ("electricity_to_tce",) if n in rs.parameters]
    for i, rule in enumerate(rs.rules):
        if not isinstance(rule, PrerequisiteRule):
            continue
        dumped = rule.model_dump(by_alias=True, exclude={"id", "title", "clause", "section",
                                                          "description", "note", "kind"})  # fmt: skip
        used = [n for n in dict.fromkeys(_parameter_names(dumped)) if n in rs.parameters]
        if rule.metric in ("carbon_per_unit_energy", "park_energy_consumption"):
            used += method
        provisional = [n for n in used if _is_provisional(rs.parameters[n])]
        if provisional:
            yield doc.problem(
                f"gate {rule.id} rests on provisional values: {', '.join(provisional)} — a "
                "failure vetoes every level on figures not confirmed against the official text",
                ("rules", i),
                "confirm them, or say in status_note why the gate is kept",
                severity="warning",
            )


def _newest(param: Parameter) -> dt.date | None:
    if param.values:
        return max(v.valid_from for v in param.values)
    from zcp.factors import default_library

    try:
        factor = default_library().get(param.factor or "")
    except InputError:
        return None
    published = factor.source.published
    if isinstance(published, dt.date):
        return published
    if isinstance(published, str):  # "YYYY" or "YYYY-MM"
        year, _, month = published.partition("-")
        return dt.date(int(year), int(month or 1), 1)
    if factor.valid_from is not None:
        return factor.valid_from
    return dt.date(factor.year, 1, 1) if factor.year else None


def stale_parameter_problems(assessment_path: Path) -> list[Problem]:
    """Warnings for stale parameters of the rule sets an assessment names, measured against
    the reporting period of the park folder the assessment sits in."""
    from zcp.model import load_park
    from zcp.rules.assessment import load_assessment
    from zcp.rules.ruleset_catalogue import Catalogue

    park_file = assessment_path.parent / "park.yaml"
    if not park_file.is_file():
        return []
    try:
        period = load_park(assessment_path.parent).park.reporting_period
        loaded = load_assessment(assessment_path)
    except InputError:
        return []  # the park or assessment's own problems are reported elsewhere
    catalogue = Catalogue()
    problems = []
    for i, choice in enumerate(loaded.model.rule_sets):
        try:
            rs = catalogue.load(choice.id, choice.version, as_of=period.end).model
        except InputError:
            continue
        if rs.parameters_stale_after_years is None:
            continue
        limit = period.start.replace(year=period.start.year - rs.parameters_stale_after_years)
        for name, param in rs.parameters.items():
            newest = _newest(param)
            if newest is not None and newest < limit:
                problems.append(
                    loaded.doc.problem(
                        f"{rs.key}: parameter {name}'s newest value dates from {newest}, more "
                        f"than {rs.parameters_stale_after_years} years before the reporting "
                        f"period ({period.start}…{period.end})",
                        ("rule_sets", i),
                        "check the current edition of the source and add a dated value",
                        severity="warning",
                    )
                )
    return problems
