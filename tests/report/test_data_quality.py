"""The data-quality appendix of an operating park with seeded faults (``zcp synth``)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.report.conftest import pdf_text
from zcp.report import assess
from zcp.report.pdf import read_attachments
from zcp.synth import SynthSpec, synthesize


@pytest.fixture(scope="module")
def synth_park(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth") / "park"
    truth = synthesize(folder, SynthSpec(tenants=3, meters=12, hours=24 * 31, seed=7))
    return folder, truth


def test_appendix_counts_the_seeded_faults(synth_park, tmp_path):
    folder, truth = synth_park
    pdf = assess(folder, tmp_path / "r.pdf", gaps=False).read_bytes()
    files = read_attachments(pdf)
    rows = list(csv.reader(io.StringIO(files["data_quality_summary.csv"].decode("utf-8-sig"))))
    counts = {label: int(n) for label, n in rows[1:]}
    expected = truth["truth"]  # what the generator seeded, counted independently
    assert counts["表计总数"] == 12
    assert counts["剔除：重复读数（保留第一条）"] == expected["duplicates"]
    assert counts["剔除：负值"] == expected["negatives"]
    assert counts["超过检定有效期的表计"] == len(expected["past_calibration"])
    assert counts["未登记表计的读数（未使用）"] == sum(expected["unknown_meters"].values())
    per_meter = list(
        csv.reader(io.StringIO(files["data_quality_per_meter.csv"].decode("utf-8-sig")))
    )
    assert len(per_meter) == 1 + 12
    text = pdf_text(pdf, tmp_path)
    assert "读数质量汇总" in text and "母线能量平衡" in text
    manifest = json.loads(files["manifest.json"])
    assert any(f["path"].startswith("readings/") for f in manifest["files"])


def test_design_park_says_it_has_no_readings(mini_park, tmp_path):
    html = assess(mini_park, tmp_path / "r.html", gaps=False).read_text(encoding="utf-8")
    assert "本园区未提供计量读数" in html
