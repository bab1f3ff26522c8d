"""Evaluating a park folder: pick the rule sets, build the context, stamp the provenance.

This is what ``zcp evaluate`` calls. The park is read by ``zcp.model.load_park``; metrics
that need the accounting come from functions the ledger registers (until then they are
null with a reason, and their rules undetermined).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import zcp
from zcp.metrics import EvaluationContext, Lever, MetricRegistry
from zcp.rules.assessment import LoadedAssessment, load_assessment
from zcp.rules.evaluate import evaluate_rule_set
from zcp.rules.gaps import PARK_REL_TOL, gap_analysis
from zcp.rules.results import EvaluationResult
from zcp.rules.ruleset_catalogue import Catalogue, select_rule_sets

if TYPE_CHECKING:
    from zcp.model import ParkFolder


def park_context(
    park_folder: ParkFolder,
    *,
    registry: MetricRegistry | None = None,
    as_of: dt.date | None = None,
) -> EvaluationContext:
    """A context over a loaded park folder (``ctx.park``; the folder in ``inputs``).

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
        as_of=as_of or park.reporting_period.end,
        park=park,
        inputs=inputs,
    )


def evaluate_park(
    park_dir: str | Path,
    *,
    rule_refs: Sequence[str] = (),
    standards_dirs: Sequence[Path] = (),
    registry: MetricRegistry | None = None,
    levers: Sequence[Lever] = (),
) -> EvaluationResult:
    """Evaluate a park folder under its rule sets (precedence: ``rule_refs`` >
    ``assessment.yaml`` > rule sets in force for the park's stage on the assessment date)."""
    from zcp.model import load_park

    folder = load_park(park_dir)
    assessment = _assessment(folder)
    model = assessment.model if assessment else None
    as_of = (
        model.assessment_date
        if model and model.assessment_date
        else folder.park.reporting_period.end
    )
    ctx = park_context(folder, registry=registry, as_of=as_of)
    catalogue = Catalogue(standards_dirs, registry=registry)
    chosen = select_rule_sets(
        catalogue, cli_refs=rule_refs, assessment=model, stage=folder.park.stage, as_of=as_of
    )
    results = []
    for selected in chosen:
        answers = model.answers_for(selected.rule_set.model.id) if model else {}
        result = evaluate_rule_set(
            selected.rule_set, ctx, answers=answers, subject=selected.subject, as_of=as_of
        )
        if levers:
            result.gaps = gap_analysis(
                selected.rule_set,
                ctx,
                levers,
                result=result,
                answers=answers,
                subject=selected.subject,
                as_of=as_of,
                rel_tol=PARK_REL_TOL,
            )
        results.append(result)
    return EvaluationResult(
        zcp_version=zcp.__version__,
        park=folder.park.id,
        inputs=folder.input_hashes(),
        rule_sets=results,
    )


def _assessment(folder: ParkFolder) -> LoadedAssessment | None:
    path = folder.root / folder.park.assessment_file
    return load_assessment(path) if path.is_file() else None
