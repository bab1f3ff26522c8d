"""The report's least-cost plan section (``zcp assess --plan RULESET[@VERSION]:LEVEL``).

What :func:`zcp.plan.plan_evaluation` found, in the report's words: each measure as an
action with its amount in natural units (capacity to 0.1 MW, energy to whole MWh) and its
annualised cost [CNY/a] to the nearest 10,000; what the engine verified (the level reached
when the rule set is evaluated with the measures applied, and how many re-evaluations
that took); a rule planned to the strictest of the thresholds public sources give; or, for
a level no measure reaches, each rule that blocks it, its verdict and the engine's reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from zcp.metrics.ledger_metrics import PV_CAPACITY_FACTOR
from zcp.model.design_figures import WIND_CAPACITY_FACTOR
from zcp.plan import PlanResult, StrictestThreshold
from zcp.report.bilingual import Bilingual, bi
from zcp.report.explain import engine_text, lever_action, number_text
from zcp.report.i18n import catalogue
from zcp.report.phrases import Phrase, Said
from zcp.report.report_data import RuleSetSection
from zcp.rules.run import Evaluation


@dataclass(frozen=True)
class PlanMeasure:
    action: Said  #: "add 12.7 MW of on-site PV" / "增加园区光伏装机 12.7 MW"
    annual_cost: str  #: [CNY/a], to the nearest 10,000
    confidence: str  #: the cost book's confidence of this lever's cost


@dataclass(frozen=True)
class PlanBlocker:
    rule_id: str
    status: str  #: the rule's verdict (pass / fail / undetermined …)
    kind: str  #: zcp.plan.Blocker.kind
    reason: Said  #: the engine's reason for the verdict


@dataclass(frozen=True)
class PlanLevel:
    level: str
    title: Bilingual | None
    status: str  #: "planned", "reached" or "unreachable"
    measures: list[PlanMeasure] = field(default_factory=list)
    annual_cost: str = ""  #: [CNY/a], to the nearest 10,000
    binding: list[str] = field(default_factory=list)
    engine_runs: int = 0
    lp_rows: int = 0
    lp_columns: int = 0
    blockers: list[PlanBlocker] = field(default_factory=list)
    why: Said | None = None  #: for an unreachable level without blockers (solver, rounds)
    #: rules planned to the strictest of the thresholds public sources give, in words
    strictest: list[Said] = field(default_factory=list)
    storage: bool = False  #: the plan builds storage (the level needs it)


@dataclass(frozen=True)
class PlanView:
    rule_set: str
    version: str
    rule_set_title: Bilingual | None
    subject: str | None
    target: PlanLevel
    cost_curve: list[PlanLevel]
    illustrative_costs: list[str]  #: unsourced cost-book rows the plans price with (stated)
    #: the capacity factors new PV and wind are planned with (the levers' own) [fraction]
    pv_capacity_factor: float = PV_CAPACITY_FACTOR
    wind_capacity_factor: float = WIND_CAPACITY_FACTOR


def yuan(value: float) -> str:
    """[CNY] to the nearest 10,000, with thousands separators."""
    return f"{round(value, -4):,.0f}"


def strictest_said(x: StrictestThreshold) -> Said:
    """ "Public sources give 10% or 35% for <rule>; planned to the strictest, 35%", in each
    language (the rule id shown as code)."""

    def phrase(lang: str) -> Phrase:
        values = catalogue()["plan_list_sep"][lang].join(number_text(v, x.unit) for v in x.values)
        return Phrase.fill(catalogue()["plan_strictest"][lang],
                           {"rule": Phrase.code(x.rule_id), "values": values,
                            "planned": number_text(x.planned, x.unit)})  # fmt: skip

    return Said(phrase("zh"), phrase("en"))


def plan_views(
    plans: list[PlanResult], evaluation: Evaluation, sections: list[RuleSetSection] | None
) -> list[PlanView]:
    """The plans as the report shows them: rule-set and level titles from the rule sets, a
    blocking rule's reason as the compliance section words it (``sections``)."""
    reasons: dict[tuple[str, str | None, str], Said] = {}
    for section in sections or []:
        for rule in section.rules:
            if isinstance(rule.why, Said):
                reasons[(section.ref.id, section.subject, rule.id)] = rule.why
    return [_view(plan, evaluation, reasons) for plan in plans]


def _view(
    plan: PlanResult,
    evaluation: Evaluation,
    reasons: dict[tuple[str, str | None, str], Said],
) -> PlanView:
    chosen = next((s.rule_set.model for s in evaluation.selected
                   if s.rule_set.model.id == plan.rule_set), None)  # fmt: skip
    titles: dict[str, Bilingual] = {}
    if chosen is not None:
        titles = {lv.id: bi(lv.title) for lv in chosen.levels if lv.title is not None}
    tenant = Bilingual(plan.subject) if plan.subject else None
    curve = []
    for level in plan.cost_curve:
        measures = [
            PlanMeasure(
                lever_action(
                    {"lever": x.lever, "amount": x.amount, "unit": x.unit}, tenant=tenant
                ),  # fmt: skip
                yuan(x.annual_cost),
                x.cost_confidence,
            )
            for x in level.levers
        ]
        blockers = [
            PlanBlocker(
                b.rule_id,
                b.status,
                b.kind,
                reasons.get((plan.rule_set, plan.subject, b.rule_id)) or engine_text(b.why),
            )  # fmt: skip
            for b in level.blockers
        ]
        why = None
        if level.status == "unreachable" and not blockers:
            why = engine_text(level.why)
        curve.append(
            PlanLevel(
                level.level,
                titles.get(level.level),
                level.status,
                measures,
                yuan(level.annual_cost),
                list(level.binding),
                level.engine_runs,
                level.lp_rows,
                level.lp_columns,
                blockers,
                why,
                [strictest_said(x) for x in level.strictest],
                any(x.lever.startswith("storage_") for x in level.levers),
            )  # fmt: skip
        )
    target = next(lv for lv in curve if lv.level == plan.target)
    return PlanView(
        plan.rule_set,
        plan.version,
        bi(chosen.title) if chosen is not None else None,
        plan.subject,
        target,
        curve,
        list(plan.illustrative_costs),
    )
