"""``zcp plan``: the least-cost way to a rule set's level, confirmed by the real engine.

1. Evaluate the park under the rule set; list what the level needs (every prerequisite
   and every rule it ``requires``). A needed rule that no lever can move (an assessor's
   answer, missing data, a compound condition) makes the level unreachable by levers,
   and the plan says which rule and why.
2. Measure each needed metric's response to one step of each lever with the real engine
   (the gap analysis's probes, shared with it): per MWh of clean power used and per MWh
   of certificates.
3. Solve the hourly linear programme (``zcp.plan.lp``) for the cheapest PV, wind and
   certificates — and, only when the level cannot be reached without it, storage (power
   and energy); round up to whole steps (0.1 MW, 1 MWh).
4. Apply the plan through the levers (storage through the ledger's storage what-if, a
   battery dispatched hour by hour) and evaluate the rule set for real. If a needed rule
   still fails (the response was linearised), raise that rule's target by its shortfall
   and solve again; a plan is reported only when the engine confirms the level.

Approximations, all stated in the result: new PV follows the clear-sky shape and new wind
the park's modelled wind year — the levers' own hourly output, from which the programme's
columns are built, so programme and engine see the same hours; for a tenant the hourly
load and clean supply are the park's scaled to the tenant's annual use. The programme
dispatches storage with foresight, the engine greedily; the engine's check settles any
difference. Storage is not a gap-analysis lever: it is planned only here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from zcp.errors import InputError, Problem, did_you_mean
from zcp.ledger.whatif import AddedCapacity, AddedStorage, WhatIf, added_output
from zcp.metrics import EvaluationContext, Lever, registered_levers
from zcp.metrics.ledger_metrics import PV_CAPACITY_FACTOR, ledger_for, with_what_if
from zcp.model import load_park
from zcp.model.design_figures import WIND_CAPACITY_FACTOR
from zcp.plan.costs import CostBook, load_costs
from zcp.plan.lp import HourlySystem, MetricTarget, Prices, StorageOffer, solve
from zcp.rules.assessment import Answer, Assessment, load_assessment
from zcp.rules.evaluate import evaluate_rule_set
from zcp.rules.gaps import PARK_REL_TOL, energy_method_repricer, lever_curve
from zcp.rules.loader import LoadedRuleSet
from zcp.rules.results import RuleResult, RuleSetResult
from zcp.rules.ruleset_catalogue import Catalogue, parse_ref
from zcp.rules.run import Evaluation, park_context
from zcp.units import conversion_factor

#: Engine checks per level before giving up on a plan.
ROUNDS = 6
#: Lever names the planner uses, and the cost-book entries that price them.
LEVERS = {"pv": "extra_pv", "wind": "extra_wind", "certificates": "green_certificates"}
#: Names of what a plan builds or buys: the engine's levers, and storage (applied through
#: the ledger's storage what-if; not a gap-analysis lever).
PLAN_NAMES = {**LEVERS, "storage_power": "storage_power", "storage_energy": "storage_energy"}
COSTS = {"pv": "pv", "wind": "wind", "certificates": "green_certificates",
         "storage_power": "storage_power", "storage_energy": "storage_energy"}  # fmt: skip
UNITS = {"pv": "MW", "wind": "MW", "certificates": "MWh", "storage_power": "MW",
         "storage_energy": "MWh"}  # fmt: skip
#: Cost-book rows that price storage, when the programme may build it.
STORAGE_COSTS = {"power": "storage_power", "energy": "storage_energy"}
STEPS = {"pv": 0.1, "wind": 0.1, "certificates": 1.0, "storage_power": 0.1,
         "storage_energy": 1.0}  # fmt: skip


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
    #: cost-book entries the plan priced with illustrative (unsourced) defaults
    illustrative_costs: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """The target level is reached already, or planned and confirmed by the engine."""
        return self.plan.status in ("reached", "planned")


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


def check_target(target: str, standards_dirs: Sequence[str | Path] = ()) -> None:
    """Refuse a target whose rule set, version or level does not exist (with a did-you-mean),
    before any evaluation. Without a version the level must exist in some version: which
    one is in force depends on the park's assessment date, known only later."""
    ident, version, level_id = parse_target(target)
    catalogue = Catalogue([Path(d) for d in standards_dirs])
    catalogue.load(ident, version)  # an unknown rule set or version is named here
    versions = [version] if version is not None else catalogue.versions(ident)
    levels = [lv.id for v in versions for lv in catalogue.load(ident, v).model.levels]
    _check_level(ident, list(dict.fromkeys(levels)), level_id)


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
    planner = _Planner(loaded, ctx, answers, subject, day, costs)
    levels = [lv.id for lv in loaded.model.levels]
    curve = [planner.plan(lv) for lv in levels]
    return PlanResult(
        park=ctx.park.id if ctx.park else "",
        rule_set=loaded.model.id,
        version=loaded.model.version,
        subject=subject,
        target=level_id,
        plan=curve[levels.index(level_id)],
        cost_curve=curve,
        assumptions=planner.assumptions(),
        illustrative_costs=planner.illustrative_costs(),
    )


class _Planner:
    def __init__(self, loaded: LoadedRuleSet, ctx: EvaluationContext,
                 answers: Mapping[str, Answer], subject: str | None, day: dt.date,
                 costs: CostBook) -> None:  # fmt: skip
        self.loaded, self.answers, self.subject, self.day = loaded, answers, subject, day
        self.costs = costs
        self.view = ctx.for_profile(loaded.model.accounting_profile)
        self.base = self.evaluate(self.view)
        by_name = {lever.name: lever for lever in registered_levers()}
        self.levers: dict[str, Lever] = {}
        self.sized_for: dict[str, str | None] = {}  #: the tenant a lever is sized for
        for key, name in LEVERS.items():
            lever, self.sized_for[key] = by_name[name], None
            if subject is not None and lever.for_subject is not None:
                lever, self.sized_for[key] = lever.for_subject(subject), subject
            self.levers[key] = lever
        #: the rule set's electricity → tce method, so responses are measured as it judges
        self.reprice = energy_method_repricer(loaded.model, day)
        self.system = self._system()
        self.engine_runs = 0
        #: how a rule was turned into a target, when it is not plain (by rule id)
        self.notes: dict[str, StrictestThreshold] = {}
        self.storage_used = False  #: whether a level's plan builds storage

    def evaluate(self, ctx: EvaluationContext) -> RuleSetResult:
        return evaluate_rule_set(self.loaded, ctx, answers=self.answers, subject=self.subject,
                                 as_of=self.day)  # fmt: skip

    # -- what the level needs --------------------------------------------------------------
    def needed(self, level_id: str) -> list[str]:
        rs = self.loaded.model
        level = next(lv for lv in rs.levels if lv.id == level_id)
        prerequisites = [r.id for r in rs.rules if r.kind == "prerequisite"]
        return list(dict.fromkeys(prerequisites + list(level.requires)))

    def plan(self, level_id: str) -> LevelPlan:
        rs = self.loaded.model
        level = next(lv for lv in rs.levels if lv.id == level_id)
        if self.base.level is not None and _at_or_above(rs, self.base.level, level_id):
            who = f"tenant {self.subject}" if self.subject else "the park"
            return LevelPlan(level_id, "reached", why=f"{who} reaches this level already")
        if level.min_points is not None:
            return LevelPlan(level_id, "unreachable",
                             why="a points-based level: zcp plans rule thresholds, not points")  # fmt: skip
        targets, blockers = [], []
        for rule_id in self.needed(level_id):
            verdict = self.base.rule(rule_id)
            if verdict.status in ("pass", "not_applicable"):
                continue
            target = self.target(verdict)
            if isinstance(target, Blocker):
                blockers.append(target)
            else:
                targets.append(target)
        if blockers:
            why = "; ".join(f"{b.rule_id}: {b.explain()}" for b in blockers)
            return LevelPlan(level_id, "unreachable", why=why, blockers=blockers)
        return self._solve_and_confirm(level_id, targets)

    def target(self, verdict: RuleResult) -> MetricTarget | Blocker:
        """The rule as a linear target, or why levers cannot pass it. A verdict left
        undetermined because public sources give conflicting thresholds is planned to the
        strictest of them, where it passes whichever source is right."""
        strictest = self._strictest(verdict)
        if strictest is not None:
            sense, threshold = strictest
        else:
            if verdict.status != "fail" or verdict.metric is None:
                return Blocker(verdict.id, verdict.status, verdict.why, "not_decided")
            if not isinstance(verdict.threshold, int | float) or verdict.actual is None:
                return Blocker(verdict.id, verdict.status, verdict.why, "not_linear")
            if verdict.margin is None:
                return Blocker(verdict.id, verdict.status, verdict.why, "no_margin")
            sense = ">=" if math.isclose(verdict.margin, verdict.actual - verdict.threshold,
                                         abs_tol=1e-9) else "<="  # fmt: skip
            threshold = float(verdict.threshold)
        assert verdict.metric is not None and verdict.actual is not None
        key = (verdict.metric.name, verdict.metric.subject)
        per_clean = self._response("wind", key) / self._clean_per_step("wind")
        per_cert = self._response("certificates", key) / STEPS["certificates"]
        if per_clean == 0 and per_cert == 0:
            return Blocker(verdict.id, verdict.status, verdict.why, "no_lever",
                           verdict.metric.name)  # fmt: skip
        return MetricTarget(verdict.id, verdict.metric.name, sense, threshold,
                            float(verdict.actual), per_clean, per_cert)  # fmt: skip

    def _strictest(self, verdict: RuleResult) -> tuple[str, float] | None:
        """(sense, threshold [the metric's unit]) of the strictest public value, for a verdict
        undetermined only because sources conflict on its threshold; else None."""
        if verdict.status != "undetermined" or verdict.metric is None or verdict.actual is None:
            return None
        if not isinstance(verdict.threshold, int | float) or verdict.unit is None:
            return None
        op = getattr(self.loaded.model.rule(verdict.id), "op", None)
        if op not in ("ge", "gt", "le", "lt"):
            return None
        for use in verdict.parameters:
            if not use.conflicting or not isinstance(use.value, int | float):
                continue
            scale = 1.0 if use.unit == verdict.unit else conversion_factor(use.unit, verdict.unit)
            if not math.isclose(use.value * scale, verdict.threshold, rel_tol=1e-9):
                continue  # another parameter of the rule
            values = [use.value * scale, *(v * scale for v in use.conflicting)]
            sense = ">=" if op in ("ge", "gt") else "<="
            strict = max(values) if sense == ">=" else min(values)
            self.notes[verdict.id] = StrictestThreshold(verdict.id, strict, values, verdict.unit)
            return sense, strict
        return None

    def _response(self, key: str, metric: tuple[str, str | None]) -> float:
        """Change of ``metric`` for one step of the lever, by the real engine."""
        curve = lever_curve(self.view, self.levers[key], PARK_REL_TOL, self.reprice,
                            self.sized_for[key])  # fmt: skip
        now, after = curve.value(0, metric), curve.value(1, metric)
        return 0.0 if now is None or after is None else after - now

    def _clean_per_step(self, key: str) -> float:
        """Extra clean power used [MWh/a] for one step of a capacity lever."""
        s = self.system
        series = s.wind_per_mw if key == "wind" else s.pv_per_mw
        before = np.minimum(s.clean_now, s.load).sum()
        return float(np.minimum(s.clean_now + STEPS[key] * series, s.load).sum() - before)

    def _system(self) -> HourlySystem:
        ledger = ledger_for(self.view)
        if ledger is None:  # park_context always carries the park folder
            raise RuntimeError("the planner's evaluation context has no park folder")
        agg, m = ledger.base()
        load = np.asarray(m.load, dtype=float)
        clean = np.asarray(agg.roles["clean_direct"] + agg.roles["clean_contract"], dtype=float)
        pv = added_output(ledger, AddedCapacity("pv", 1.0, PV_CAPACITY_FACTOR))
        wind = added_output(ledger, AddedCapacity("wind", 1.0, WIND_CAPACITY_FACTOR))
        if self.subject is not None:
            own = self.view.value("tenant_electricity_consumption", self.subject).value
            share = (own or 0.0) / float(load.sum()) if load.sum() > 0 else 0.0
            load, clean = load * share, clean * share
        return HourlySystem(load, clean, np.asarray(pv, float), np.asarray(wind, float))

    # -- solve, round, confirm -------------------------------------------------------------
    def _solve_and_confirm(self, level_id: str, targets: list[MetricTarget]) -> LevelPlan:
        prices = Prices(*(self.costs.annual_per_unit(COSTS[k]) for k in ("pv", "wind",
                                                                           "certificates")))  # fmt: skip
        runs_before = self.engine_runs
        storage: StorageOffer | None = None  # offered once the level proves to need it
        for _ in range(ROUNDS):
            solution = solve(self.system, targets, prices, storage=storage)
            if solution.status != "optimal" and storage is None:
                storage = self._storage_offer()
                if storage is not None:
                    solution = solve(self.system, targets, prices, storage=storage)
            if solution.status != "optimal":
                even = " even with storage" if storage is not None else ""
                return LevelPlan(level_id, "unreachable", lp_rows=solution.rows,
                                 lp_columns=solution.columns,
                                 why=f"the programme is {solution.status}{even}: "
                                     f"{solution.infeasible}",
                                 engine_runs=self.engine_runs - runs_before)  # fmt: skip
            amounts = {key: _up(value, STEPS[key]) for key, value in (
                ("pv", solution.pv_mw), ("wind", solution.wind_mw),
                ("certificates", solution.certificates_mwh),
                ("storage_power", solution.storage_mw), ("storage_energy", solution.storage_mwh),
            )}  # fmt: skip
            checked = self.evaluate(self._applied(amounts, storage))
            self.engine_runs += 1
            level = next(lv for lv in checked.levels if lv.id == level_id)
            if level.status == "pass":
                plan = self._report(level_id, amounts, solution, self.engine_runs - runs_before)
                plan.strictest = [self.notes[t.rule_id] for t in targets
                                  if t.rule_id in self.notes]  # fmt: skip
                notes = [_strictest_text(x) for x in plan.strictest]
                if storage is not None and amounts["storage_power"] > 0:
                    self.storage_used = True
                    notes.insert(0, f"needs storage ({amounts['storage_power']:g} MW / "
                                    f"{amounts['storage_energy']:g} MWh, round trip "
                                    f"{storage.round_trip_efficiency:.0%}): the level cannot "
                                    "be reached without it")  # fmt: skip
                plan.why = "; ".join([plan.why, *notes])
                return plan
            targets = [_tightened(t, checked.rule(t.rule_id)) for t in targets]
        return LevelPlan(level_id, "unreachable", engine_runs=self.engine_runs - runs_before,
                         why=f"no engine-confirmed plan after {ROUNDS} rounds; still failing: "
                         + "; ".join(f"{r.id}: {r.why}" for r in checked.rules
                                     if r.id in self.needed(level_id) and r.status != "pass"))  # fmt: skip

    def _applied(self, amounts: Mapping[str, float], storage: StorageOffer | None
                 ) -> EvaluationContext:  # fmt: skip
        """The planner's view with the plan's amounts applied: the levers, then storage
        (power [MW], energy [MWh]) as the ledger's storage what-if for the subject."""
        planned = self.view
        for key in LEVERS:
            if amounts[key] > 0:
                planned = self.levers[key].apply(planned, amounts[key])
        power, energy = amounts["storage_power"], amounts["storage_energy"]
        if storage is not None and power > 0 and energy > 0:
            battery = AddedStorage(power, energy, storage.round_trip_efficiency)
            planned = with_what_if(planned, WhatIf(storage=(battery,), beneficiary=self.subject))
        return planned

    def _storage_offer(self) -> StorageOffer | None:
        """Storage priced by the cost book (power and energy rows, the energy row's
        round-trip efficiency), or None if it has no such rows."""
        power, energy = (self.costs.levers.get(k) for k in STORAGE_COSTS.values())
        if power is None or energy is None or energy.round_trip_efficiency is None:
            return None
        return StorageOffer(self.costs.annual_per_unit(STORAGE_COSTS["power"]),
                            self.costs.annual_per_unit(STORAGE_COSTS["energy"]),
                            energy.round_trip_efficiency)  # fmt: skip

    def _report(self, level_id, amounts, solution, runs) -> LevelPlan:
        levers = []
        for key, amount in amounts.items():
            if amount <= 0:
                continue
            cost = self.costs.levers[COSTS[key]]
            levers.append(PlannedLever(PLAN_NAMES[key], UNITS[key], amount,
                                       round(amount * self.costs.annual_per_unit(COSTS[key]), 2),
                                       cost.confidence))  # fmt: skip
        return LevelPlan(level_id, "planned", levers, round(sum(x.annual_cost for x in levers), 2),
                         solution.binding, "confirmed by the engine", runs, solution.rows,
                         solution.columns)  # fmt: skip

    def illustrative_costs(self) -> list[str]:
        """The cost-book entries the plan uses that carry no source."""
        used = set(COSTS.values()) - (set() if self.storage_used else set(STORAGE_COSTS.values()))
        return sorted(k for k, c in self.costs.levers.items()
                      if c.confidence == "illustrative" and k in used)  # fmt: skip

    def assumptions(self) -> list[str]:
        text = [
            f"new PV at capacity factor {PV_CAPACITY_FACTOR:g} (illustrative) on the clear-sky "
            f"shape; new wind at capacity factor {WIND_CAPACITY_FACTOR:g} (zcp's illustrative "
            "onshore default, as for a design's wind without a stated figure) on the park's "
            "modelled wind year: a seeded wind series through a generic power curve, like "
            "design wind; the gap levers and the programme use the same hourly output",
            "metric responses linearised from one real engine step per lever; every plan is "
            "re-evaluated by the engine and only a confirmed plan is reported",
            "storage (power [MW], energy [MWh], round-trip efficiency from the cost book) is "
            "offered to the programme only when a level cannot be reached without it; the "
            "engine applies it as a battery dispatched greedily hour by hour from clean "
            "surplus into unmatched load, its state of charge round the year, and confirms "
            "the plan like any other",
        ]
        if self.subject is not None:
            text.append(f"tenant {self.subject}: hourly load and clean supply are the park's "
                        "scaled to the tenant's annual use")  # fmt: skip
        illustrative = self.illustrative_costs()
        if illustrative:
            text.append(
                "illustrative (unsourced) cost defaults used for: " + ", ".join(illustrative)
            )
        return text


#: How each kind of blocker reads in ``LevelPlan.why`` (the CLI's words).
_BLOCKED = {
    "not_decided": "{b.status} ({b.why}); no lever can settle it",
    "not_linear": "banded or compound rule ({b.why}); not planned",
    "no_margin": "{b.why}; no margin to plan against",
    "no_lever": "{b.why}; no lever changes {b.metric}",
}


def _strictest_text(x: StrictestThreshold) -> str:
    values = ", ".join(_shown(v, x.unit) for v in x.values)
    return (f"{x.rule_id} planned to {_shown(x.planned, x.unit)}, the strictest of the values "
            f"public sources give ({values})")  # fmt: skip


def _shown(value: float, unit: str) -> str:
    """A threshold for the plan's words: fractions as percentages."""
    return f"{value * 100:.6g} %" if unit == "fraction" else f"{value:.6g} {unit}"


def _up(value: float, step: float) -> float:
    """Up to a whole step, ignoring solver noise below a millionth of a step."""
    return round(math.ceil(value / step - 1e-6) * step, 10) if value > 0 else 0.0


def _tightened(t: MetricTarget, after: RuleResult) -> MetricTarget:
    """The target moved by the rule's shortfall under the last plan (engine-measured)."""
    if after.status == "pass" or after.actual is None:
        return t
    short = t.threshold - after.actual if t.sense == ">=" else after.actual - t.threshold
    bump = short if t.sense == ">=" else -short
    return MetricTarget(t.rule_id, t.metric, t.sense, t.threshold + bump * 1.0001,
                        t.value_now, t.per_clean_mwh, t.per_certificate_mwh)  # fmt: skip


def _at_or_above(rs, reached: str, level_id: str) -> bool:
    order = [lv.id for lv in rs.levels]
    return order.index(reached) >= order.index(level_id)
