"""Certification-ready reports: PDF, HTML or JSON from a park folder, and their verification.

Typical use::

    from zcp.report import assess, verify_report

    assess("assessments/ordos-design", "out/ordos.pdf", lang="zh")
    verify_report("out/ordos.pdf", "assessments/ordos-design").ok

The pipeline is evaluation (:mod:`.evaluation`) → ``ReportData`` (:mod:`.assemble`,
:mod:`.model`) → HTML (:mod:`.html`, jinja2 templates) → PDF (:mod:`.pdf`, weasyprint with
the restricted :mod:`.fetcher`) → atomic write (:mod:`.output`, :mod:`.atomic`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from zcp.report.output import write_report
from zcp.report.report_data import ReportData
from zcp.report.verify import Verification, verify_report


def assess(
    park_dir: str | Path,
    out: str | Path,
    *,
    rule_refs: Sequence[str] = (),
    lang: str = "zh",
    sign_key: str | Path | None = None,
    sign_cert: str | Path | None = None,
    timings: dict[str, float] | None = None,
    gaps: bool = True,
    previous: str | Path | None = None,
) -> Path:
    """Evaluate a park folder and write its report to ``out`` (format by suffix); with
    ``sign_key``, a PDF is signed by the certification body (see :mod:`.signing`).

    ``gaps=False`` skips the lever gap analysis (shortfalls are still listed).
    ``previous`` is an earlier result (JSON or zcp report) to compare with, year on year.
    ``timings``, if given, receives the seconds spent per stage (evaluation, assembly,
    rendering and writing) — large parks are slow and users ask where the time goes.
    """
    from zcp.report.assemble import report_data
    from zcp.report.evaluation import evaluate_park
    from zcp.report.i18n import Messages
    from zcp.report.output import report_format
    from zcp.report.provenance import manifest, report_date

    Messages(lang)  # unknown language or format: fail before any work
    earlier = None
    if previous is not None:
        from zcp.report.comparison import load_previous

        earlier = load_previous(previous)  # a wrong file fails before the evaluation
    if report_format(out) != ".pdf" and sign_key is not None:
        from zcp.errors import InputError

        raise InputError(f"{out}: only a PDF report can be signed — write a .pdf")
    clock = time.perf_counter()
    stages = timings if timings is not None else {}
    evaluation = evaluate_park(park_dir, rule_refs, gaps=gaps, report=out)
    stages["evaluation"] = time.perf_counter() - clock
    park = evaluation.folder.park
    assessment = evaluation.assessment
    day = report_date(assessment.assessment_date if assessment else None, park.reporting_period.end)
    data = report_data(evaluation, report_date=day)
    data.gap_levers = gaps
    if earlier is not None:
        from zcp.report.comparison import compare

        data.comparison = compare(earlier, data.result or {}, Path(previous).name)
    stages["assembly"] = time.perf_counter() - clock - stages["evaluation"]
    meta = manifest(
        zcp_version=data.zcp_version,
        park_id=park.id,
        report_date=day,
        lang=lang,
        rule_sets=[(s.ref.id, s.ref.version) for s in data.rule_sets or []],
        files=data.files,
        gap_analysis=gaps,
    )
    path = write_report(data, meta, out, lang, sign_key=sign_key, sign_cert=sign_cert)
    stages["rendering"] = time.perf_counter() - clock - stages["evaluation"] - stages["assembly"]
    return path


__all__ = ["ReportData", "Verification", "assess", "verify_report", "write_report"]
