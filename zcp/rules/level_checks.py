"""Checks of a rule set's scoring: levels that are unreachable or name unknown rules,
section weights that make points vanish, levels listed out of order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from zcp.errors import Problem, did_you_mean

if TYPE_CHECKING:
    from zcp.rules.semantics import Loc, _Checker


def level_problems(self: _Checker) -> Iterator[Problem]:
    """Levels that name unknown rules or need more points than the rules give; sections
    whose weight makes their points never count; levels listed out of order."""
    rule_ids = [r.id for r in self.rs.rules]
    max_points = 0.0
    for rule in self.rs.rules:
        weight = 1.0
        for section in self.rs.sections:
            if section.id == rule.section:
                weight = section.weight
        max_points += weight * (self._edge(rule.points, 0.0) or 0.0)
    for j, section in enumerate(self.rs.sections):
        scored = [r.id for r in self.rs.rules if r.section == section.id and r.points]
        if section.weight == 0 and scored:
            yield self.warn(
                f"section weight is 0: the points of {', '.join(scored)} never count",
                ("sections", j, "weight"),
            )
    previous = -float("inf")
    for i, level in enumerate(self.rs.levels):
        loc: Loc = ("levels", i)
        for k, rid in enumerate(level.requires):
            if rid not in rule_ids:
                yield self.err(
                    f"unknown rule {rid!r}", loc + ("requires", k), did_you_mean(rid, rule_ids)
                )
        if level.min_points is not None:
            yield from self._number(level.min_points, None, loc + ("min_points",))
            need = self._edge(level.min_points, 0.0)
            if need is not None and need > max_points + 1e-9:
                yield self.err(
                    f"level is unreachable: needs {need:g} points but the rules "
                    f"give at most {max_points:g}",
                    loc + ("min_points",),
                )
            if need is not None and need < previous:
                yield self.warn(
                    "levels should be listed lowest first (min_points falls)",
                    loc + ("min_points",),
                )
            previous = need if need is not None else previous
