"""What a rule set's tests exercise: levels, outcomes per rule, parameters at their value.

``zcp rules test --coverage`` reads every case's expectation and result:

- a **level** is covered when some case asserts it (``expect.level`` names it, or
  ``expect.levels`` gives its status) — a level no test mentions is a warning;
- a rule's **outcomes** are the statuses cases assert for it;
- a **parameter edge** is covered when some case puts a metric exactly on the parameter's
  value (a threshold or a band edge, after unit conversion) — the boundary a policy team
  most often gets wrong. Unknown values (null) have no edge to test and are listed apart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from zcp.errors import InputError
from zcp.rules.results import RuleSetResult
from zcp.rules.ruleset_file import RuleSet
from zcp.units import conversion_factor


@dataclass
class Coverage:
    """Coverage of one rule set by the cases run against it."""

    key: str
    cases: int = 0
    levels: dict[str, bool] = field(default_factory=dict)
    outcomes: dict[str, set[str]] = field(default_factory=dict)
    edges: dict[str, bool] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)

    def warnings(self) -> list[str]:
        return [f"{self.key}: level {lv} is not exercised by any test"
                for lv, hit in self.levels.items() if not hit]  # fmt: skip

    def lines(self) -> list[str]:
        hit = [lv for lv, ok in self.levels.items() if ok]
        edges_hit = sorted(n for n, ok in self.edges.items() if ok)
        edges_missed = sorted(n for n, ok in self.edges.items() if not ok)
        tested = {r: s for r, s in self.outcomes.items() if s}
        out = [
            f"{self.key}: {self.cases} case(s)",
            f"  levels {len(hit)}/{len(self.levels)}: {', '.join(hit) or '-'}",
            f"  rules with asserted outcomes {len(tested)}/{len(self.outcomes)}",
        ]
        for rule, statuses in sorted(tested.items()):
            out.append(f"    {rule}: {' '.join(sorted(statuses))}")
        untested = sorted(r for r, s in self.outcomes.items() if not s)
        if untested:
            out.append(f"    no outcome asserted: {', '.join(untested)}")
        out.append(f"  parameter values exercised at the edge {len(edges_hit)}/{len(self.edges)}")
        if edges_missed:
            out.append(f"    not at the edge: {', '.join(edges_missed)}")
        if self.unknown:
            out.append(f"    unknown (no edge to test): {', '.join(sorted(self.unknown))}")
        return out


def new_coverage(rs: RuleSet) -> Coverage:
    cov = Coverage(rs.key)
    cov.levels = {lv.id: False for lv in rs.levels}
    cov.outcomes = {r.id: set() for r in rs.rules}
    from zcp.rules.energy_method import METHOD_PARAMETER, OTHER_METHOD_PARAMETER

    points = {r.points for r in rs.rules} | {lv.min_points for lv in rs.levels}
    points |= {METHOD_PARAMETER, OTHER_METHOD_PARAMETER}  # a method, not a threshold
    for name, param in rs.parameters.items():
        if name in points:
            continue  # a score or a method, not a value a metric is compared with
        newest = max(param.values, key=lambda v: v.valid_from) if param.values else None
        if newest is not None and newest.value is None:
            cov.unknown.append(name)
        else:
            cov.edges[name] = False
    return cov


def record_case(
    cov: Coverage,
    expected_level: str | None,
    level_named: bool,
    expected_levels: dict[str, str],
    expected_rules: dict[str, str],
    result: RuleSetResult | None,
) -> None:
    """Add one case: what it asserts and, from its result, which values sat on an edge."""
    cov.cases += 1
    if level_named and expected_level in cov.levels:
        cov.levels[expected_level] = True
    for lv in expected_levels:
        if lv in cov.levels:
            cov.levels[lv] = True
    for rule, status in expected_rules.items():
        cov.outcomes.setdefault(rule, set()).add(status)
    if result is None:
        return
    for rule in result.rules:
        values = [(m.value, m.unit) for m in rule.metrics if m.value is not None]
        for use in rule.parameters:
            if use.name not in cov.edges or cov.edges[use.name]:
                continue
            edge = use.value
            if not isinstance(edge, float | int):
                continue
            for value, unit in values:
                if _same(value, unit, float(edge), use.unit):
                    cov.edges[use.name] = True
                    break


def _same(value: float, unit: str, edge: float, edge_unit: str) -> bool:
    if "count" in (unit, edge_unit) and unit != edge_unit:
        return False  # dimensionless both, but a count is not a share
    try:
        factor = conversion_factor(edge_unit, unit)
    except (InputError, ValueError):
        return False
    return math.isclose(value, edge * factor, rel_tol=1e-9, abs_tol=1e-12)
