"""One evaluation → the report's data and manifest, for every output format.

``zcp assess`` builds them once and renders each ``--out`` from them; ``zcp verify``
builds them again from the recomputed evaluation, on the report date and in the language
the report states, and re-renders to compare what a reader sees byte for byte.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from zcp.report.report_data import ReportData
from zcp.rules.run import Evaluation


def report_day(evaluation: Evaluation) -> dt.date:
    """The date printed on the report (see :func:`zcp.report.provenance.report_date`)."""
    from zcp.report.provenance import report_date

    assessment = evaluation.assessment
    park = evaluation.folder.park
    return report_date(
        assessment.assessment_date if assessment else None, park.reporting_period.end
    )


def build_report(
    evaluation: Evaluation,
    *,
    lang: str,
    gaps: bool,
    day: dt.date | None = None,
    plans: Sequence[str] = (),
) -> tuple[ReportData, dict[str, Any]]:
    """(ReportData, hash manifest) of one evaluation; ``day`` defaults to :func:`report_day`;
    ``plans`` are targets ``RULESET[@VERSION]:LEVEL`` whose least-cost plan the report
    shows (the manifest lists them, so ``zcp verify`` plans them again)."""
    from zcp.report.assemble import report_data
    from zcp.report.provenance import manifest

    day = day or report_day(evaluation)
    data = report_data(evaluation, report_date=day)
    data.gap_levers = gaps
    if plans:
        from zcp.plan import plan_evaluation
        from zcp.report.plan_section import plan_views

        found = [plan_evaluation(evaluation, target) for target in plans]
        data.plans = plan_views(found, evaluation, data.rule_sets)
    meta = manifest(
        zcp_version=data.zcp_version,
        park_id=evaluation.folder.park.id,
        report_date=day,
        lang=lang,
        rule_sets=[(s.ref.id, s.ref.version) for s in data.rule_sets or []],
        files=data.files,
        gap_analysis=gaps,
    )
    if plans:
        meta["plans"] = list(plans)
    return data, meta
