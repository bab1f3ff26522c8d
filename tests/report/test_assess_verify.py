"""``zcp assess`` and ``zcp verify`` end to end on small parks."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

import zcp
from tests.conftest import EXAMPLES
from tests.report.conftest import pdf_text
from zcp.cli import main
from zcp.hashing import sha256_file
from zcp.report.pdf import read_attachments
from zcp.rules import EvaluationResult


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def assessed(tmp_path_factory):
    """The minimal park and its PDF report, made once for the module (rendering is slow)."""
    from tests.conftest import MINIMAL_PARK
    from tests.report.conftest import ASSESSMENT

    base = tmp_path_factory.mktemp("assessed")
    park = base / "park"
    park.mkdir()
    (park / "park.yaml").write_text(MINIMAL_PARK, encoding="utf-8")
    (park / "assessment.yaml").write_text(ASSESSMENT, encoding="utf-8")
    out = base / "out" / "mini.pdf"
    result = run("assess", park, "--out", out)
    assert result.exit_code == 0, result.output
    return park, out


@pytest.fixture
def mini_pdf(assessed):
    return assessed[1]


@pytest.fixture
def mini_park(assessed, tmp_path):
    """A private copy of the assessed park that a test may edit."""
    copy = tmp_path / "park"
    shutil.copytree(assessed[0], copy)
    return copy


def test_assess_writes_a_pdf_with_its_evidence(mini_pdf, mini_park, tmp_path):
    pdf = mini_pdf.read_bytes()
    text = pdf_text(pdf, tmp_path)
    assert "小型测试园区" in text and "中国质量认证中心" in text and "李四" in text
    assert "2026年3月15日" in text  # the report date is assessment.yaml's, not today's
    assert "国家级零碳园区" in text or "zero_carbon_park" in text
    files = read_attachments(pdf)
    manifest = json.loads(files["manifest.json"])
    park_hashes = {f["path"]: f["sha256"] for f in manifest["files"] if f["role"] == "input"}
    assert park_hashes == {
        "park.yaml": sha256_file(mini_park / "park.yaml"),
        "assessment.yaml": sha256_file(mini_park / "assessment.yaml"),
    }
    roles = {f["role"] for f in manifest["files"]}
    assert roles == {"input", "rule_set", "factors"}
    result = EvaluationResult.model_validate(json.loads(files["result.json"]))
    assert result.park == "mini" and result.rule_sets


def test_verify_untouched_folder_matches(mini_pdf, mini_park):
    result = run("verify", mini_pdf, mini_park)
    assert result.exit_code == 0, result.output
    assert "files: all hashes match" in result.output
    assert "recomputed results match" in result.output


def test_comment_only_edit_is_named(mini_pdf, mini_park):
    with (mini_park / "park.yaml").open("a", encoding="utf-8") as fh:
        fh.write("# a harmless comment\n")
    result = run("verify", mini_pdf, mini_park)
    assert result.exit_code == 1
    assert "changed: park.yaml" in result.output
    assert "recomputed results match" in result.output  # a comment changes no verdict
    assert "MISMATCH" in result.output


def test_added_and_removed_files_are_named(mini_pdf, mini_park):
    (mini_park / "evidence").mkdir()
    (mini_park / "evidence" / "new.pdf").write_bytes(b"%PDF-1.7")
    (mini_park / "assessment.yaml").unlink()
    result = run("verify", mini_pdf, mini_park)
    assert result.exit_code == 1
    assert "added: evidence/new.pdf" in result.output
    assert "removed: assessment.yaml" in result.output


def test_changed_rule_file_is_named_and_changes_the_verdict(standards_copy, tmp_path):
    park = tmp_path / "ordos"
    shutil.copytree(EXAMPLES / "ordos-design", park)
    out = tmp_path / "ordos.json"
    assert run("assess", park, "--no-gaps", "--out", out).exit_code == 0
    assert run("verify", out, park).exit_code == 0
    rule_file = standards_copy / "national" / "zero_carbon_park" / "2025-trial.yaml"
    text = rule_file.read_text(encoding="utf-8")
    # the solid-waste threshold: 80 % → 95 %; the example park reaches about 90.7 %
    head, tail = text.split("solid_waste_utilisation_min:", 1)
    rule_file.write_text(
        head + "solid_waste_utilisation_min:" + tail.replace("value: 80", "value: 95", 1),
        encoding="utf-8",
    )
    result = run("verify", out, park)
    assert result.exit_code == 1
    assert "changed: " in result.output and "2025-trial.yaml" in result.output
    assert "solid_waste_utilisation: pass → fail" in result.output


def test_json_report_follows_the_result_model(mini_park, tmp_path):
    out = tmp_path / "r.json"
    assert run("assess", mini_park, "--out", out).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    EvaluationResult.model_validate(data)
    schema = json.loads((Path(zcp.__file__).parent / "schemas" / "result.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(data)
    assert set(data["inputs"]) == {"park.yaml", "assessment.yaml"}


def test_html_report_verifies_and_english_is_english(mini_park, tmp_path):
    out = tmp_path / "r.html"
    assert run("assess", mini_park, "--lang", "en", "--out", out).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "Rule-by-rule compliance" in html
    result = run("verify", out, mini_park)
    assert result.exit_code == 0, result.output


def test_same_park_gives_identical_pdf_bytes(mini_park, mini_pdf, tmp_path):
    again = tmp_path / "again.pdf"  # another folder, another run, the same bytes
    assert run("assess", mini_park, "--out", again).exit_code == 0
    assert again.read_bytes() == mini_pdf.read_bytes()
    assert len(PdfReader(io.BytesIO(again.read_bytes())).pages) >= 10


def test_source_date_epoch_sets_the_date_without_assessment_date(write_park, tmp_path, monkeypatch):
    from tests.conftest import MINIMAL_PARK

    park = write_park(MINIMAL_PARK, name="nodate")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    out = tmp_path / "r.html"
    assert run("assess", park, "--out", out).exit_code == 0
    assert "2026年1月1日" in out.read_text(encoding="utf-8")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert run("assess", park, "--out", out).exit_code == 0
    assert "2025年12月31日" in out.read_text(encoding="utf-8")  # the period's last day


@pytest.mark.parametrize("bad", ["missing.pdf", "notes.pdf", "r.txt"])
def test_verify_errors_exit_2(mini_park, tmp_path, bad):
    (tmp_path / "notes.pdf").write_bytes(b"not a pdf at all")
    result = run("verify", tmp_path / bad, mini_park)
    assert result.exit_code == 2, result.output
    assert "error:" in result.output


def test_assess_refuses_unknown_suffix_and_leaves_nothing(mini_park, tmp_path):
    result = run("assess", mini_park, "--out", tmp_path / "r.docx")
    assert result.exit_code == 2
    assert ".pdf, .html or .json" in result.output
    assert not (tmp_path / "r.docx").exists()


def test_gap_analysis_is_recorded_and_verified_the_same_way(assessed, tmp_path):
    park, pdf = assessed
    files = read_attachments(pdf.read_bytes())
    assert json.loads(files["manifest.json"])["gap_analysis"] is True
    quick = tmp_path / "quick.pdf"
    assert run("assess", park, "--no-gaps", "--out", quick).exit_code == 0
    manifest = json.loads(read_attachments(quick.read_bytes())["manifest.json"])
    assert manifest["gap_analysis"] is False
    assert "本报告未运行改进措施测算" in pdf_text(quick.read_bytes(), tmp_path)
    result = run("verify", quick, park)  # recomputed without gaps too, so it matches
    assert result.exit_code == 0, result.output


def test_a_report_inside_the_park_folder_is_not_its_own_input(mini_park):
    out = mini_park / "reports" / "r.json"
    assert run("assess", mini_park, "--no-gaps", "--out", out).exit_code == 0
    assert run("assess", mini_park, "--no-gaps", "--out", out).exit_code == 0  # overwrite
    assert "reports/r.json" not in json.loads(out.read_text(encoding="utf-8"))["inputs"]
    result = run("verify", out, mini_park)
    assert result.exit_code == 0, result.output
