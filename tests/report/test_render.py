"""Rendering the hand-made sample report: text, figures, attachments, pages, bytes."""

from __future__ import annotations

import csv
import io
import json
import subprocess

from pypdf import PdfReader

from tests.report.conftest import pdf_text, sample_manifest
from tests.report.sample import SCOPES, TENANTS, sample_report
from zcp.report.html import render_html
from zcp.report.output import render, table_csv
from zcp.report.pdf import read_attachments


def test_chinese_text_and_key_figures_are_text(sample_pdf, tmp_path):
    text = pdf_text(sample_pdf, tmp_path)
    for phrase in (
        "零碳园区评价报告",
        "鄂尔多斯零碳产业园",
        "评价结论摘要",
        "逐条合规评价",
        "附录D 可复现性",
        "中国质量认证中心",
        "2028年3月1日",
    ):
        assert phrase in text
    total = sum(SCOPES.values())
    assert f"{total:,.0f}" in text  # gross emissions, computed here independently
    assert "93.4%" in text and "71.2%" in text  # green shares
    assert "待补充证据" in text and "无法判定（数据缺失）" in text


def test_table_of_contents_page_numbers_and_running_headers(sample_pdf, tmp_path):
    reader = PdfReader(io.BytesIO(sample_pdf))
    n = len(reader.pages)
    # the contents follow the cover and the engagement page: find the page that holds them
    toc = next(
        text
        for text in (pdf_text(sample_pdf, tmp_path, i, i) for i in range(2, 6))
        if "目录" in text and "附录D 可复现性" in text
    )
    line = next(x for x in toc.splitlines() if "附录D 可复现性" in x)
    repro_page = int(line.split()[-1].strip("."))
    assert "附录D 可复现性" in pdf_text(sample_pdf, tmp_path, repro_page, repro_page)
    page5 = pdf_text(sample_pdf, tmp_path, 5, 5)
    assert f"5 / {n}" in page5
    assert "鄂尔多斯零碳产业园" in page5.splitlines()[0]  # running header, left


def test_long_table_repeats_its_header_on_the_next_page(tmp_path):
    data = sample_report(tenant_names=[f"租户{i}" for i in range(120)])
    data.emissions.by_tenant.top_n = None
    pdf = render(data, sample_manifest(data), ".pdf")
    pages = [
        pdf_text(pdf, tmp_path, i, i) for i in range(1, len(PdfReader(io.BytesIO(pdf)).pages) + 1)
    ]
    with_tenants = [p for p in pages if "租户1" in p or "租户9" in p]
    assert len(with_tenants) >= 2
    assert all("排放量 [t CO2e]" in p for p in with_tenants)


def test_english_report(sample_pdf_en, tmp_path):
    text = pdf_text(sample_pdf_en, tmp_path)
    assert "Zero-Carbon Park Assessment Report" in text
    assert "Rule-by-rule compliance" in text
    assert "Key indicators" in text and "Appendix D: Reproducibility" in text
    assert "Ordos Zero-Carbon Park" in text


def test_attachments_carry_result_manifest_and_full_tables(sample_pdf):
    files = read_attachments(sample_pdf)
    assert {"result.json", "manifest.json", "emissions_by_tenant.csv"} <= set(files)
    manifest = json.loads(files["manifest.json"])
    first = {"role": "input", "path": "park.yaml", "sha256": "cd" * 32, "read": True}
    assert manifest["files"][0] == first
    result = json.loads(files["result.json"])
    assert result["kind"] == "evaluation_result"
    assert result["inputs"] == {"park.yaml": "cd" * 32}
    rows = list(csv.reader(io.StringIO(files["emissions_by_tenant.csv"].decode("utf-8-sig"))))
    assert len(rows) == 1 + len(TENANTS)  # the full table, though the body shows the top 15
    assert sum(float(r[1]) for r in rows[1:]) == sum(v for _, v in TENANTS)


def test_top_n_note_names_the_attachment(sample_pdf, tmp_path):
    text = pdf_text(sample_pdf, tmp_path)
    assert f"仅列出前 15 项（共 {len(TENANTS)} 项）" in text
    assert "emissions_by_tenant.csv" in text


def test_same_inputs_give_identical_bytes(sample_pdf):
    data = sample_report()
    assert render(data, sample_manifest(data), ".pdf") == sample_pdf


def test_report_date_sets_pdf_dates(sample_pdf):
    info = PdfReader(io.BytesIO(sample_pdf)).metadata
    assert info["/CreationDate"].startswith("D:20280301")


def test_missing_sections_say_not_available(tmp_path):
    data = sample_report()
    data.emissions = data.green_power = data.instruments = data.data_quality = None
    html = render_html(data, "zh")
    # the four above, the flow diagram, and the uncertainty statement (it rests on the emissions)
    assert html.count("本版本暂无此部分") == 6
    assert "23,600" not in html  # no emissions figure anywhere


def test_pages_are_not_blank(sample_pdf, tmp_path):
    (tmp_path / "r.pdf").write_bytes(sample_pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "30",
            "-gray",
            "-f",
            "1",
            "-l",
            "5",
            str(tmp_path / "r.pdf"),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    images = sorted(tmp_path.glob("p-*.pgm"))
    assert len(images) == 5
    for image in images:
        pixels = image.read_bytes().split(b"\n", 3)[3]  # P5 header: magic, size, maxval
        inked = sum(1 for b in pixels if b < 200)
        assert inked > 0.005 * len(pixels), f"{image.name} looks blank"


def test_csv_keeps_full_precision():
    data = sample_report()
    body = table_csv(data.emissions.by_scope).decode("utf-8-sig")
    assert "18400.5" in body and body.startswith("范围,排放量 [t CO2e]")
