"""Report fixtures: the sample report rendered once per session (rendering costs ~1 s)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_PARK
from tests.report.sample import sample_report
from zcp.report.output import render
from zcp.report.provenance import manifest

ASSESSMENT = """\
kind: assessment
schema_version: 1
certification_body: 中国质量认证中心
assessor: 李四
assessment_date: 2026-03-15
"""


def sample_manifest(data, lang: str = "zh") -> dict:
    return manifest(
        zcp_version=data.zcp_version,
        park_id=data.cover.park_id,
        report_date=data.cover.report_date,
        lang=lang,
        rule_sets=[(r.id, r.version) for r in data.cover.rule_sets],
        files=data.files,
    )


@pytest.fixture(scope="session")
def sample_pdf() -> bytes:
    data = sample_report()
    return render(data, sample_manifest(data), ".pdf", "zh")


@pytest.fixture(scope="session")
def sample_pdf_en() -> bytes:
    data = sample_report()
    return render(data, sample_manifest(data, "en"), ".pdf", "en")


def pdf_text(
    pdf: bytes,
    tmp_path: Path,
    first: int | None = None,
    last: int | None = None,
    *,
    layout: bool = True,
) -> str:
    """Text of a PDF by poppler's pdftotext (what a reader would copy out of it)."""
    path = tmp_path / "t.pdf"
    path.write_bytes(pdf)
    cmd = ["pdftotext", "-layout"] if layout else ["pdftotext"]
    if first:
        cmd += ["-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    return subprocess.run([*cmd, str(path), "-"], check=True, capture_output=True, text=True).stdout


_EXAMPLE_DATA: dict[str, object] = {}


def example_report_data(park: str):
    """``ReportData`` of a bundled example, evaluated once per session without the lever gap
    analysis (which only adds actions worded from the same catalogue)."""
    if park not in _EXAMPLE_DATA:
        from tests.conftest import EXAMPLES
        from zcp.report.assemble import report_data
        from zcp.rules.run import evaluate_park

        evaluation = evaluate_park(EXAMPLES / park, gaps=False)
        day = evaluation.folder.park.reporting_period.end
        _EXAMPLE_DATA[park] = report_data(evaluation, report_date=day)
    return _EXAMPLE_DATA[park]


@pytest.fixture
def mini_park(write_park) -> Path:
    """The shared minimal operating park plus an assessment.yaml with a fixed date."""
    return write_park(MINIMAL_PARK, **{"assessment.yaml": ASSESSMENT})


@pytest.fixture
def standards_copy(tmp_path: Path, monkeypatch) -> Path:
    """A private copy of the shipped standards that the catalogue reads instead."""
    import zcp.rules.ruleset_catalogue as catalogue
    from zcp.rules import shipped_standards_dir

    copy = tmp_path / "standards"
    shutil.copytree(shipped_standards_dir(), copy)
    monkeypatch.setattr(catalogue, "shipped_standards_dir", lambda: copy)
    return copy
