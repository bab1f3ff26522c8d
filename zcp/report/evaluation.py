"""Running the assessment a report shows: park folder → rule sets → ``EvaluationResult``.

Kept apart from the layout so ``zcp verify`` recomputes exactly what ``zcp assess`` computed:
the same rule-set choice (``--rules`` beats ``assessment.yaml`` beats the rule sets in
force), on the same date, from the same files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import zcp
from zcp.factors import DATA_DIR
from zcp.metrics import EvaluationContext, registered_levers
from zcp.model import ParkFolder, load_park
from zcp.report.provenance import display_package_path, hash_park_folder
from zcp.rules import Catalogue, EvaluationResult, evaluate_rule_set, load_assessment
from zcp.rules.assessment import Assessment
from zcp.rules.gaps import PARK_REL_TOL, gap_analysis
from zcp.rules.ruleset_catalogue import Selected, select_rule_sets
from zcp.rules.run import park_context


@dataclass
class Evaluation:
    """One assessment run: the park, its answers, the rule sets chosen and the result."""

    folder: ParkFolder
    assessment: Assessment | None
    date: dt.date
    selected: list[Selected]
    result: EvaluationResult
    park_hashes: dict[str, str]
    context: EvaluationContext  # holds the ledger run the verdicts used (``ctx.memo``)

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


def factor_files() -> list[Path]:
    """The factor-set files every assessment may read (hashed into the report)."""
    return sorted((DATA_DIR / "factors").glob("*.yaml"))


def evaluate_park(
    park_dir: str | Path,
    rule_refs: Sequence[str] = (),
    *,
    on: dt.date | None = None,
    catalogue: Catalogue | None = None,
    gaps: bool = True,
    report: str | Path | None = None,
) -> Evaluation:
    """Load the park and its ``assessment.yaml`` and evaluate the chosen rule sets.

    ``on`` overrides the assessment date (otherwise ``assessment.yaml``'s, else the last
    day of the reporting period). ``gaps`` runs the gap analysis over every registered
    lever — re-evaluations that can take most of the time on a park with many failures.
    ``report`` is the report file, left out of the input hashes if it is in the folder.
    """
    folder = load_park(park_dir)
    park = folder.park
    assessment_path = folder.root / park.assessment_file
    assessment = load_assessment(assessment_path).model if assessment_path.is_file() else None
    # Dated parameters are picked on the assessment date, as ``zcp evaluate`` does; the
    # printed report date (which SOURCE_DATE_EPOCH may set) does not change any verdict.
    day = on or (
        assessment.assessment_date
        if assessment and assessment.assessment_date
        else park.reporting_period.end
    )
    catalogue = catalogue or Catalogue()
    selected = select_rule_sets(
        catalogue, cli_refs=list(rule_refs), assessment=assessment, stage=park.stage, as_of=day
    )
    # The very context ``zcp evaluate`` builds, so both commands give the same verdicts.
    ctx = park_context(folder, as_of=day)  # loads the readings once for every rule set
    levers = registered_levers() if gaps else []
    results = []
    for s in selected:
        answers = assessment.answers_for(s.rule_set.model.id) if assessment else None
        result = evaluate_rule_set(s.rule_set, ctx, answers=answers, subject=s.subject, as_of=day)
        if levers:  # the report's gap analysis, as ``zcp evaluate --gaps`` computes it
            result.gaps = gap_analysis(
                s.rule_set, ctx, levers, result=result, answers=answers,
                subject=s.subject, as_of=day, rel_tol=PARK_REL_TOL,
            )  # fmt: skip
        results.append(result)
    hashes = hash_park_folder(folder.root, [Path(report)] if report else [])
    evaluation = EvaluationResult(
        zcp_version=zcp.__version__, park=park.id, inputs=hashes, rule_sets=results
    )
    return Evaluation(folder, assessment, day, selected, evaluation, hashes, ctx)
