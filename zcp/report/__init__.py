"""Certification-ready reports: PDF, HTML or JSON from a park folder, and their verification.

Typical use::

    from zcp.report import assess, verify_report

    assess("assessments/ordos-design", "out/ordos.pdf", lang="zh")
    verify_report("out/ordos.pdf", "assessments/ordos-design").ok

The pipeline is evaluation (:mod:`.evaluation`) → ``ReportData`` (:mod:`.assemble`,
:mod:`.report_data`) → HTML (:mod:`.html`, jinja2 templates in the :mod:`.templating`
environment) → PDF (:mod:`.pdf`, weasyprint with the restricted :mod:`.fetcher`) → atomic write
(:mod:`.output`, :mod:`.atomic`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from zcp.report.output import write_report
from zcp.report.report_data import ReportData
from zcp.report.verify import Verification, verify_report
from zcp.rules.run import Progress


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
    progress: Progress | None = None,
    standards_dirs: Sequence[str | Path] = (),
    previous: str | Path | None = None,
) -> Path:
    """Evaluate a park folder and write its report to ``out`` (format by suffix); see
    :func:`assess_many`, which this calls with one output."""
    (path,) = assess_many(
        park_dir, [out], rule_refs=rule_refs, lang=lang, sign_key=sign_key,
        sign_cert=sign_cert, timings=timings, gaps=gaps, progress=progress,
        standards_dirs=standards_dirs, previous=previous,
    )  # fmt: skip
    return path


def assess_many(
    park_dir: str | Path,
    outs: Sequence[str | Path],
    *,
    rule_refs: Sequence[str] = (),
    lang: str = "zh",
    sign_key: str | Path | None = None,
    sign_cert: str | Path | None = None,
    timings: dict[str, float] | None = None,
    gaps: bool = True,
    progress: Progress | None = None,
    standards_dirs: Sequence[str | Path] = (),
    previous: str | Path | None = None,
    plans: Sequence[str] = (),
) -> list[Path]:
    """Evaluate a park folder once and write one report per ``outs`` entry (format by
    suffix: .pdf, .html, .json); with ``sign_key``, each PDF is signed by the preparer
    (see :mod:`.signing`).

    ``gaps=False`` skips the lever gap analysis (shortfalls are still listed).
    ``previous`` is an earlier result (JSON or zcp report) to compare with, year on year.
    ``plans`` are targets ``RULESET[@VERSION]:LEVEL`` whose least-cost plan the report shows.
    ``timings``, if given, receives the seconds spent per stage (evaluation, assembly,
    rendering and writing); ``progress`` is told each stage as it starts.
    """
    from zcp.errors import InputError, Problem
    from zcp.report.build import build_report
    from zcp.report.i18n import Messages
    from zcp.report.output import report_format
    from zcp.rules.run import evaluate_park

    Messages(lang)  # unknown language or format: fail before any work
    if plans:
        from zcp.plan import parse_target

        for target in plans:
            parse_target(target)  # a malformed target fails before the evaluation
    if not outs:
        raise InputError(Problem("no output file given", hint="give --out FILE.pdf|.html|.json"))
    paths = [Path(o) for o in outs]
    formats = [report_format(p) for p in paths]
    if sign_key is not None and ".pdf" not in formats:
        raise InputError(Problem("only a PDF report can be signed", hint="add --out FILE.pdf"))
    if len({p.resolve() for p in paths}) != len(paths):
        raise InputError(Problem("the same output file is named twice"))
    earlier = None
    if previous is not None:
        from zcp.report.comparison import load_previous

        earlier = load_previous(previous)  # a wrong file fails before the evaluation
    say = progress or (lambda stage: None)
    stages = timings if timings is not None else {}
    clock = time.perf_counter()
    evaluation = evaluate_park(
        park_dir, rule_refs=rule_refs, standards_dirs=standards_dirs, gaps=gaps,
        exclude=paths, progress=say,
    )  # fmt: skip
    stages["evaluation"] = time.perf_counter() - clock
    say("assembling the report")
    if plans:
        say("planning " + ", ".join(plans))
    data, meta = build_report(evaluation, lang=lang, gaps=gaps, plans=plans)
    if earlier is not None and previous is not None:
        from zcp.hashing import sha256_file
        from zcp.report.comparison import compare, record_previous

        comparison = compare(earlier, data.result or {}, Path(previous).name,
                             sha256_file(previous))  # fmt: skip
        record_previous(data, meta, comparison)
    stages["assembly"] = time.perf_counter() - clock - stages["evaluation"]
    written = []
    for path, fmt in zip(paths, formats, strict=True):
        say(f"rendering {path.name}")
        key = sign_key if fmt == ".pdf" else None
        written.append(write_report(data, meta, path, lang, sign_key=key, sign_cert=sign_cert))
    stages["rendering"] = time.perf_counter() - clock - stages["evaluation"] - stages["assembly"]
    return written


__all__ = ["ReportData", "Verification", "assess", "assess_many", "verify_report", "write_report"]
