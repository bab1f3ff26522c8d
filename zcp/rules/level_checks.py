"""Checks of a rule set's scoring: levels that are unreachable or name unknown rules,
section weights that make points vanish, levels listed out of order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from zcp.errors import Problem, did_you_mean
from zcp.rules.ruleset_file import RuleSet
from zcp.yamlio import Location


class RuleSetChecker(Protocol):
    """What these checks need of the rule-set checker (``zcp.rules.semantics``)."""

    @property
    def rs(self) -> RuleSet: ...

    def err(self, message: str, loc: Location, hint: str | None = None) -> Problem: ...

    def warn(self, message: str, loc: Location, hint: str | None = None) -> Problem: ...

    def edge(self, value: Any, default: float) -> float | None:
        """A points or band edge as a number (a parameter's first value), or None."""

    def number(
        self,
        value: Any,
        metric_unit: str | None,
        loc: Location,
        literal_unit: str | None = None,
    ) -> Iterator[Problem]:
        """Problems with a number or parameter name used against a metric's unit."""


def level_problems(checker: RuleSetChecker) -> Iterator[Problem]:
    """Levels that name unknown rules or need more points than the rules give; sections
    whose weight makes their points never count; levels listed out of order."""
    rule_ids = [r.id for r in checker.rs.rules]
    max_points = 0.0
    for rule in checker.rs.rules:
        weight = 1.0
        for section in checker.rs.sections:
            if section.id == rule.section:
                weight = section.weight
        max_points += weight * (checker.edge(rule.points, 0.0) or 0.0)
    for j, section in enumerate(checker.rs.sections):
        scored = [r.id for r in checker.rs.rules if r.section == section.id and r.points]
        if section.weight == 0 and scored:
            yield checker.warn(
                f"section weight is 0: the points of {', '.join(scored)} never count",
                ("sections", j, "weight"),
            )
    previous = -float("inf")
    for i, level in enumerate(checker.rs.levels):
        loc: Location = ("levels", i)
        for k, rid in enumerate(level.requires):
            if rid not in rule_ids:
                yield checker.err(
                    f"unknown rule {rid!r}", loc + ("requires", k), did_you_mean(rid, rule_ids)
                )
        if level.min_points is not None:
            yield from checker.number(level.min_points, None, loc + ("min_points",))
            need = checker.edge(level.min_points, 0.0)
            if need is not None and need > max_points + 1e-9:
                yield checker.err(
                    f"level is unreachable: needs {need:g} points but the rules "
                    f"give at most {max_points:g}",
                    loc + ("min_points",),
                )
            if need is not None and need < previous:
                yield checker.warn(
                    "levels should be listed lowest first (min_points falls)",
                    loc + ("min_points",),
                )
            previous = need if need is not None else previous
