"""``zcp plan``: the least-cost way to a rule set's level, confirmed by the real engine.

The entry points (``plan_park``, ``plan_evaluation``, ``check_target``) and the search
over the rule set's levels, each level in turn:

1. Evaluate the park under the rule set; a level it reaches already is reported so. List
   what the level needs (every prerequisite and every rule it ``requires``) as linear
   targets (``zcp.plan.targets``); a needed rule no lever can move (an assessor's answer,
   missing data, a compound condition) makes the level unreachable by levers, and the plan
   says which rule and why.
2. Solve the hourly linear programme (``zcp.plan.lp``) for the cheapest PV, wind and
   certificates — and, only when the level cannot be reached without it, storage — and
   keep a plan only once the engine confirms it (``zcp.plan.confirm``).

Approximations, all stated in the result (``zcp.plan.assumptions``): new PV follows the
clear-sky shape and new wind the park's modelled wind year — the levers' own hourly output,
from which the programme's columns are built (``zcp.plan.levers``), so programme and engine
see the same hours; for a tenant the hourly load and clean supply are the park's scaled to
the tenant's annual use. The programme dispatches storage with foresight, the engine
greedily; the engine's check settles any difference.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

from zcp.errors import InputError, Problem, did_you_mean
from zcp.metrics import EvaluationContext
from zcp.model import load_park
from zcp.plan.assumptions import assumptions, illustrative_costs
from zcp.plan.confirm import Check, applied_plan, solve_and_confirm
from zcp.plan.costs import CostBook, load_costs
from zcp.plan.levers import hourly_system, subject_levers
from zcp.plan.lp import HourlySystem, StorageOffer
from zcp.plan.results import LevelPlan, PlanResult
from zcp.plan.targets import LeverResponses, level_needs, needed_rules
from zcp.rules.assessment import Answer, Assessment, load_assessment
from zcp.rules.evaluate import evaluate_rule_set
from zcp.rules.gaps import energy_method_repricer
from zcp.rules.loader import LoadedRuleSet
from zcp.rules.results import RuleSetResult
from zcp.rules.ruleset_catalogue import Catalogue, parse_ref
from zcp.rules.ruleset_file import RuleSet
from zcp.rules.run import Evaluation, park_context


def parse_target(text: str) -> tuple[str, str | None, str]:
    """``"RULESET[@VERSION]:LEVEL"`` → (rule set, version or None, level)."""
    ref, sep, level = text.rpartition(":")
    if not sep or not ref or not level:
        raise InputError(
            Problem(
                f"target {text!r} is not RULESET[@VERSION]:LEVEL",
                hint="e.g. zero_carbon_park@2025-trial:core_met",
            )  # fmt: skip
        )
    ident, version = parse_ref(ref)
    return ident, version, level


def check_target(
    target: str, standards_dirs: Sequence[str | Path] = (), *, option: str | None = None
) -> None:
    """Refuse a target whose rule set, version or level does not exist (with a did-you-mean),
    before any evaluation. Without a version the level must exist in some version: which
    one is in force depends on the park's assessment date, known only later. ``option``:
    the command-line option the target came from, named as the problem's place."""
    try:
        ident, version, level_id = parse_target(target)
        catalogue = Catalogue([Path(d) for d in standards_dirs])
        catalogue.load(ident, version)  # an unknown rule set or version is named here
        versions = [version] if version is not None else catalogue.versions(ident)
        levels = [lv.id for v in versions for lv in catalogue.load(ident, v).model.levels]
        _check_level(ident, list(dict.fromkeys(levels)), level_id)
    except InputError as exc:
        if option is None:
            raise
        raise InputError(
            [
                p if p.path else dataclasses.replace(p, path=f"{option} {target}")
                for p in exc.problems
            ]
        ) from None


def plan_park(
    park_dir: str | Path,
    target: str,
    *,
    subject: str | None = None,
    costs: CostBook | None = None,
    standards_dirs: Sequence[str | Path] = (),
) -> PlanResult:
    """The least-cost, engine-confirmed lever mix reaching ``target``, and the cost of
    every level of the rule set; ``standards_dirs``: folders of rule sets beside (and
    overriding) the shipped ones, as ``--standards``."""
    ident, version, level_id = parse_target(target)
    folder = load_park(park_dir)
    assessment_path = folder.root / folder.park.assessment_file
    assessment = load_assessment(assessment_path).model if assessment_path.is_file() else None
    day = (assessment.assessment_date if assessment else None) or folder.park.reporting_period.end
    loaded = Catalogue([Path(d) for d in standards_dirs]).load(ident, version, as_of=day)
    _check_level(ident, [lv.id for lv in loaded.model.levels], level_id)
    if subject is None and loaded.model.subject == "tenant":
        subject = _assessment_subject(assessment, ident)
        if subject is None:
            raise InputError(
                Problem(f"rule set {ident} rates a tenant, and assessment.yaml names none for it",
                        hint="give --subject TENANT")
            )  # fmt: skip
    if subject is not None and subject not in {t.id for t in folder.park.tenants}:
        raise InputError(
            Problem(f"no tenant {subject!r} in the park",
                    hint=did_you_mean(subject, [t.id for t in folder.park.tenants]))
        )  # fmt: skip
    answers = assessment.answers_for(ident) if assessment else {}
    stage = assessment.acceptance_stage if assessment else None
    ctx = park_context(folder, as_of=day, acceptance_stage=stage)
    return _plan(loaded, ctx, answers, subject, day, costs or load_costs(folder.root), level_id)


def plan_evaluation(
    evaluation: Evaluation, target: str, *, costs: CostBook | None = None
) -> PlanResult:
    """:func:`plan_park` over an evaluation already made (``zcp assess --plan``): its
    context, so the accounting runs and the gap analysis's probes are shared. A rule set
    the assessment applies to a tenant is planned for that tenant; one it did not select
    comes from the evaluation's catalogue (so ``--standards`` folders count)."""
    ident, version, level_id = parse_target(target)
    chosen = next((s for s in evaluation.selected if s.rule_set.model.id == ident
                   and version in (None, s.rule_set.model.version)), None)  # fmt: skip
    catalogue = evaluation.catalogue or Catalogue()
    loaded = chosen.rule_set if chosen else catalogue.load(ident, version, as_of=evaluation.date)
    _check_level(ident, [lv.id for lv in loaded.model.levels], level_id)
    subject = chosen.subject if chosen else None
    assessment = evaluation.assessment
    answers = assessment.answers_for(ident) if assessment else {}
    folder = evaluation.folder
    return _plan(loaded, evaluation.context, answers, subject, evaluation.date,
                 costs or load_costs(folder.root), level_id)  # fmt: skip


def _assessment_subject(assessment: Assessment | None, ident: str) -> str | None:
    """The tenant assessment.yaml rates under rule set ``ident``, if it names one."""
    choices = assessment.rule_sets if assessment else []
    return next((c.subject for c in choices if c.id == ident and c.subject), None)


def _check_level(rule_set: str, levels: list[str], level_id: str) -> None:
    if level_id not in levels:
        raise InputError(
            Problem(f"rule set {rule_set} has no level {level_id!r}",
                    hint=did_you_mean(level_id, levels) or f"levels: {', '.join(levels)}")
        )  # fmt: skip


def _plan(loaded: LoadedRuleSet, ctx: EvaluationContext, answers: Mapping[str, Answer],
          subject: str | None, day: dt.date, costs: CostBook, level_id: str) -> PlanResult:  # fmt: skip
    """Every level of the rule set in turn (the cost curve), the target among them."""
    rs = loaded.model
    view = ctx.for_profile(rs.accounting_profile)

    def evaluate(planned: EvaluationContext) -> RuleSetResult:
        return evaluate_rule_set(loaded, planned, answers=answers, subject=subject, as_of=day)

    base = evaluate(view)
    levers = subject_levers(subject)
    system = hourly_system(view, subject)
    # the rule set's electricity → tce method, so responses are measured as it judges
    responses = LeverResponses(view, levers, energy_method_repricer(rs, day), system)

    def check(amounts: dict[str, float], storage: StorageOffer | None) -> RuleSetResult:
        return evaluate(applied_plan(view, levers, amounts, storage, subject))

    levels = [lv.id for lv in rs.levels]
    curve = [_plan_level(rs, level, base, subject, responses, system, costs, check)
             for level in levels]  # fmt: skip
    illustrative = illustrative_costs(curve)
    return PlanResult(
        park=ctx.park.id if ctx.park else "",
        rule_set=rs.id,
        version=rs.version,
        subject=subject,
        target=level_id,
        plan=curve[levels.index(level_id)],
        cost_curve=curve,
        assumptions=assumptions(subject, illustrative),
        illustrative_costs=illustrative,
    )


def _plan_level(rs: RuleSet, level_id: str, base: RuleSetResult, subject: str | None,
                responses: LeverResponses, system: HourlySystem, costs: CostBook,
                check: Check) -> LevelPlan:  # fmt: skip
    """One level: reached already, blocked (and by which rules), or planned and confirmed
    by ``check``; ``base``: the rule set evaluated as the park stands."""
    level = next(lv for lv in rs.levels if lv.id == level_id)
    if base.level is not None and _at_or_above(rs, base.level, level_id):
        who = f"tenant {subject}" if subject else "the park"
        return LevelPlan(level_id, "reached", why=f"{who} reaches this level already")
    if level.min_points is not None:
        return LevelPlan(level_id, "unreachable",
                         why="a points-based level: zcp plans rule thresholds, not points")  # fmt: skip
    needs = level_needs(rs, base, level_id, responses)
    if needs.blockers:
        why = "; ".join(f"{b.rule_id}: {b.explain()}" for b in needs.blockers)
        return LevelPlan(level_id, "unreachable", why=why, blockers=needs.blockers)
    return solve_and_confirm(level_id, needs.targets, needs.strictest,
                             needed_rules(rs, level_id), system, costs, check)  # fmt: skip


def _at_or_above(rs: RuleSet, reached: str, level_id: str) -> bool:
    order = [lv.id for lv in rs.levels]
    return order.index(reached) >= order.index(level_id)
