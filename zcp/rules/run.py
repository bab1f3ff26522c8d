"""Evaluating a park folder: the one orchestration ``evaluate``, ``assess`` and ``verify`` share.

Load the park, read and check ``assessment.yaml`` against it and the rule catalogue, pick
the rule sets (``--rules`` beats ``assessment.yaml`` beats the rule sets in force for the
park's stage on the assessment date), build one context (readings loaded once), evaluate
each rule set (and its gap analysis, if asked), and stamp the result with the hashes of
the park files (:mod:`zcp.hashing`). ``zcp verify`` recomputes exactly what ``zcp assess``
computed because both call :func:`evaluate_park`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import zcp
from zcp.errors import InputError
from zcp.hashing import display_package_path, hash_park_inputs
from zcp.metrics import EvaluationContext, Lever, MetricRegistry, registered_levers
from zcp.rules.assessment import Assessment, LoadedAssessment, check_assessment, load_assessment
from zcp.rules.evaluate import evaluate_rule_set
from zcp.rules.files_read import files_read, read_flags
from zcp.rules.findings import add_certification
from zcp.rules.gaps import PARK_REL_TOL, gap_analysis
from zcp.rules.results import EvaluationResult, LedgerTotals
from zcp.rules.ruleset_catalogue import Catalogue, Selected, select_rule_sets

if TYPE_CHECKING:
    from zcp.model import ParkFolder

#: called with a short description of each stage as it starts (``zcp`` prints them on stderr)
Progress = Callable[[str], None]


def _silent(stage: str) -> None:
    return None


def park_context(
    park_folder: ParkFolder,
    *,
    registry: MetricRegistry | None = None,
    as_of: dt.date | None = None,
    acceptance_stage: str | None = None,
) -> EvaluationContext:
    """A context over a loaded park folder (``ctx.park``; the folder in ``inputs``), at the
    national park process step ``acceptance_stage`` of its assessment, if stated.

    Readings are loaded here, once, into the base inputs: they are by far the costliest
    input, and every profile view (and so the ledger and the data-quality metrics) shares
    them from there.
    """
    park = park_folder.park
    inputs: dict[str, object] = {"park_folder": park_folder}
    if park.readings:
        from zcp.metering import load_readings

        inputs["readings"] = load_readings(park_folder, progress=False)
    return EvaluationContext(
        registry=registry,
        stage=park.stage,
        acceptance_stage=acceptance_stage,
        as_of=as_of or park.reporting_period.end,
        park=park,
        inputs=inputs,
    )


@dataclass
class Evaluation:
    """One evaluation run: the park, its assessment file, the rule sets chosen, the result."""

    folder: ParkFolder
    assessment_file: LoadedAssessment | None
    date: dt.date  # the assessment date dated parameters were taken on
    selected: list[Selected]
    result: EvaluationResult
    park_hashes: dict[str, str]  # the park files' SHA-256, as in ``result.inputs``
    context: EvaluationContext  # holds the ledger run the verdicts used (``ctx.memo``)
    #: each hashed park file: read by this evaluation (True) or only in the folder (False)
    read: dict[str, bool] = field(default_factory=dict)
    #: where the rule sets were found (shipped and ``--standards`` folders), for whatever
    #: later needs another rule set of the same catalogue (``zcp assess --plan``)
    catalogue: Catalogue | None = None

    @property
    def assessment(self) -> Assessment | None:
        return self.assessment_file.model if self.assessment_file else None

    @property
    def rule_files(self) -> list[Path]:
        return [s.rule_set.path for s in self.selected if s.rule_set.path is not None]

    @property
    def rule_refs(self) -> list[str]:
        return [f"{s.rule_set.model.id}@{s.rule_set.model.version}" for s in self.selected]

    def result_json(self) -> dict[str, Any]:
        """The result as JSON data, with rule-set paths made machine-independent."""
        data = self.result.model_dump(mode="json")
        for rs in data.get("rule_sets", []):
            if rs.get("path"):
                rs["path"] = display_package_path(Path(rs["path"]))
        return data


def ledger_totals(ctx: EvaluationContext) -> LedgerTotals | None:
    """The park totals of the ledger run the verdicts used (the one the report shows):
    scopes and net [tCO2e], electricity [MWh], green share [fraction]."""
    from zcp.metrics.ledger_metrics import result_for

    accounts = result_for(ctx)
    if accounts is None:
        return None
    totals, energy = accounts.totals, accounts.energy_summary
    share = accounts.indicators.get("green_electricity_share")
    return LedgerTotals(
        profile=str(accounts.profile["id"]),
        **{k: round(float(totals[k]), 6) for k in LEDGER_TOTAL_KEYS},
        electricity_mwh=_rounded(energy.get("electricity_mwh")),
        green_electricity_mwh=_rounded(energy.get("green_electricity_mwh")),
        green_electricity_share=_rounded(share.value if share else None),
    )


#: the scope totals a result keeps, as the ledger names them [tCO2e]
LEDGER_TOTAL_KEYS = ("scope1_t", "scope2_location_t", "scope2_market_t", "scope3_t",
                     "offsets_t", "net_t")  # fmt: skip


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(float(value), 6)


def evaluate_park(
    park_dir: str | Path,
    *,
    rule_refs: Sequence[str] = (),
    standards_dirs: Sequence[str | Path] = (),
    catalogue: Catalogue | None = None,
    registry: MetricRegistry | None = None,
    gaps: bool = False,
    levers: Sequence[Lever] | None = None,
    on: dt.date | None = None,
    exclude: Sequence[str | Path] = (),
    progress: Progress | None = None,
) -> Evaluation:
    """Evaluate a park folder under its rule sets (see the module docstring).

    ``gaps`` runs the gap analysis over ``levers`` (default: every registered lever) —
    re-evaluations that can take most of the time on a park with many failures. ``on``
    overrides the assessment date (otherwise ``assessment.yaml``'s, else the last day of
    the reporting period). ``exclude`` names files left out of the input hashes (a report
    written inside the park folder).
    """
    from zcp.model import load_park

    say = progress or _silent
    say("reading the park folder")
    folder = load_park(park_dir)
    park = folder.park
    assessment_path = folder.root / park.assessment_file
    loaded = load_assessment(assessment_path) if assessment_path.is_file() else None
    model = loaded.model if loaded else None
    catalogue = catalogue or Catalogue([Path(d) for d in standards_dirs], registry=registry)
    if loaded is not None:
        problems = check_assessment(loaded, park, catalogue)
        if problems:
            raise InputError(problems)
    day = on or (model.assessment_date if model and model.assessment_date else None)
    day = day or park.reporting_period.end
    selected = select_rule_sets(
        catalogue, cli_refs=list(rule_refs), assessment=model, stage=park.stage, as_of=day
    )
    if park.readings:
        say("loading meter readings")
    stage = model.acceptance_stage if model else None
    ctx = park_context(folder, registry=registry, as_of=day, acceptance_stage=stage)
    chosen_levers = list(levers if levers is not None else registered_levers()) if gaps else []
    results = []
    for s in selected:
        ref = f"{s.rule_set.model.id}@{s.rule_set.model.version}"
        say(f"evaluating {ref}" + (f" for {s.subject}" if s.subject else ""))
        answers = model.answers_for(s.rule_set.model.id) if model else {}
        result = evaluate_rule_set(s.rule_set, ctx, answers=answers, subject=s.subject, as_of=day)
        if chosen_levers:
            say(f"gap analysis {ref}")
            result.gaps = gap_analysis(
                s.rule_set, ctx, chosen_levers, result=result, answers=answers,
                subject=s.subject, as_of=day, rel_tol=PARK_REL_TOL,
            )  # fmt: skip
        results.append(result)
    say("hashing the input files")
    hashes = hash_park_inputs(folder.root, exclude)
    evaluation = EvaluationResult(
        zcp_version=zcp.__version__, park=park.id, inputs=hashes, rule_sets=results
    )
    add_certification(evaluation, model)
    evaluation.ledger = ledger_totals(ctx)
    read = read_flags(folder.root, hashes, files_read(folder, model))
    evaluation.inputs_read = sorted(path for path, was_read in read.items() if was_read)
    return Evaluation(folder, loaded, day, selected, evaluation, hashes, ctx, read, catalogue)
