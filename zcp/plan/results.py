"""What ``zcp plan`` returns: each level's plan (or why none), the cost curve, the assumptions.

Kept apart from the search that fills them so the CLI, the JSON output and the report's plan
section (``zcp.report.plan_section``) read one data model; the one-line explanations the CLI
prints (:meth:`Blocker.explain`, :meth:`StrictestThreshold.explain`) live with the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PlannedLever:
    lever: str
    unit: str
    amount: float
    annual_cost: float  #: [CNY/a]
    cost_confidence: str


@dataclass
class Blocker:
    """A rule the level needs that no lever can settle: its verdict and the engine's why."""

    rule_id: str
    status: str
    why: str
    #: "not_decided" (undetermined, needs evidence, an answer), "not_linear" (banded or
    #: compound), "no_margin", "no_lever" (no lever moves its metric)
    kind: str
    metric: str | None = None  #: the metric the rule reads

    def explain(self) -> str:
        """Why no lever settles the rule, in one line (the engine's why included)."""
        return _BLOCKED[self.kind].format(b=self)


@dataclass
class StrictestThreshold:
    """A rule public sources give conflicting thresholds for, planned to the strictest."""

    rule_id: str
    planned: float  #: the threshold planned to [``unit``]
    values: list[float]  #: every value the sources give [``unit``]
    unit: str

    def explain(self) -> str:
        """The plan's words: "<rule> planned to 35 %, the strictest of … (10 %, 35 %)"."""
        values = ", ".join(_shown(v, self.unit) for v in self.values)
        return (f"{self.rule_id} planned to {_shown(self.planned, self.unit)}, the strictest "
                f"of the values public sources give ({values})")  # fmt: skip


@dataclass
class LevelPlan:
    level: str
    #: "reached" (already), "planned" (engine-confirmed), "unreachable"
    status: str
    levers: list[PlannedLever] = field(default_factory=list)
    annual_cost: float = 0.0  #: [CNY/a]
    binding: list[str] = field(default_factory=list)
    why: str = ""
    engine_runs: int = 0
    lp_rows: int = 0
    lp_columns: int = 0
    blockers: list[Blocker] = field(default_factory=list)
    #: rules planned to the strictest of conflicting public thresholds (a planned level)
    strictest: list[StrictestThreshold] = field(default_factory=list)


@dataclass
class PlanResult:
    park: str
    rule_set: str
    version: str
    subject: str | None
    target: str
    plan: LevelPlan
    cost_curve: list[LevelPlan]
    assumptions: list[str]
    #: cost-book entries the reported plans price with illustrative (unsourced) defaults
    illustrative_costs: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """The target level is reached already, or planned and confirmed by the engine."""
        return self.plan.status in ("reached", "planned")


#: How each kind of blocker reads in ``LevelPlan.why`` (the CLI's words).
_BLOCKED = {
    "not_decided": "{b.status} ({b.why}); no lever can settle it",
    "not_linear": "banded or compound rule ({b.why}); not planned",
    "no_margin": "{b.why}; no margin to plan against",
    "no_lever": "{b.why}; no lever changes {b.metric}",
}


def _shown(value: float, unit: str) -> str:
    """A threshold for the plan's words: fractions as percentages."""
    return f"{value * 100:.6g} %" if unit == "fraction" else f"{value:.6g} {unit}"
