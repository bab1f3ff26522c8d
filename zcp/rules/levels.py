"""Points per section, the total, and which level (grade, stars) a result reaches.

A level is reached when every prerequisite passes (or does not apply), every rule it
``requires`` passes, and the weighted total reaches its ``min_points``. While unanswered or
undetermined rules could still make up the difference, the level is undetermined, not
failed — a missing document must not read as a fail.
"""

from __future__ import annotations

from collections import Counter

from zcp.rules.parameters import Resolver
from zcp.rules.results import LevelResult, RuleResult, SectionResult
from zcp.rules.ruleset_file import RuleSet

_OPEN = ("undetermined", "needs_evidence")


def section_results(
    rs: RuleSet, rules: list[RuleResult]
) -> tuple[list[SectionResult], float, float]:
    """Per-section points (unweighted) and the weighted total and maximum."""
    sections: list[SectionResult] = []
    total = total_max = 0.0
    known = {s.id: s for s in rs.sections}
    order = [s.id for s in rs.sections]
    if any(r.section is None for r in rules):
        order.append(None)  # type: ignore[arg-type]
    for section_id in order:
        members = [r for r in rules if r.section == section_id]
        section = known.get(section_id) if section_id else None
        weight = section.weight if section else 1.0
        points = sum(r.points or 0.0 for r in members)
        max_points = sum(r.max_points or 0.0 for r in members if r.status != "not_applicable")
        counts = dict(Counter(r.status for r in members))
        sections.append(
            SectionResult(
                id=section_id,
                title=section.title if section else None,
                weight=weight,
                points=points,
                max_points=max_points,
                counts=counts,
            )
        )
        total += weight * points
        total_max += weight * max_points
    return sections, total, total_max


def level_results(
    rs: RuleSet, rules: list[RuleResult], points: float, resolver: Resolver
) -> tuple[list[LevelResult], str | None]:
    """Each level's status and why; the highest level that passes."""
    by_id = {r.id: r for r in rules}
    weights = {s.id: s.weight for s in rs.sections}
    still_open = sum(
        weights.get(r.section or "", 1.0) * ((r.max_points or 0.0) - (r.points or 0.0))
        for r in rules
        if r.status in _OPEN
    )
    prerequisites = [r for r in rules if r.kind == "prerequisite"]
    out: list[LevelResult] = []
    reached = None
    for level in rs.levels:
        failed: list[str] = []
        unknown: list[str] = []
        for r in prerequisites + [by_id[i] for i in level.requires if i in by_id]:
            if r.status in ("fail", "partial"):
                failed.append(f"{r.id} {r.status}")
            elif r.status in _OPEN:
                unknown.append(f"{r.id} {r.status}")
        if level.min_points is not None:
            need = resolver.number(level.min_points, None).value
            if not isinstance(need, float):
                unknown.append("min_points unknown")
            elif points + 1e-9 < need:
                gap = f"{points:g} of {need:g} points"
                (unknown if points + still_open + 1e-9 >= need else failed).append(gap)
        if failed:
            status, why = "fail", "not reached: " + "; ".join(dict.fromkeys(failed))
        elif unknown:
            status, why = "undetermined", "open: " + "; ".join(dict.fromkeys(unknown))
        else:
            status, why = (
                "pass",
                "all required rules pass"
                + (f" and {points:g} points reach {level.min_points}" if level.min_points else ""),
            )
            reached = level.id
        out.append(
            LevelResult(
                id=level.id,
                title=level.title,
                status=status,
                why=why,
            )
        )
    return out, reached
