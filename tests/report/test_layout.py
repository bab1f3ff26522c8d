"""No table is clipped or squeezed, read from the rendered PDF's text positions (item 6).

The Ordos example (11 tenants, every section filled) and the hand-made sample are rendered
in both languages; ``tests.report.layout`` names any word off the page and any column that
wraps one glyph per line. Two hand-made bad pages prove the checks can fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.report.conftest import example_report_data, pdf_text, sample_manifest
from tests.report.layout import layout_faults
from zcp.report.output import render
from zcp.report.pdf import render_pdf


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_example_report_tables_stay_on_the_page_and_readable(lang, tmp_path):
    data = example_report_data("ordos-design")
    pdf = tmp_path / f"ordos-{lang}.pdf"
    pdf.write_bytes(render(data, sample_manifest(data, lang), ".pdf", lang))
    assert layout_faults(pdf) == []
    # the cover, with the engagement's rows, fits its page: the contents start page 2
    page2 = pdf_text(pdf.read_bytes(), tmp_path, 2, 2).split()
    assert {"zh": "目录", "en": "Contents"}[lang] in page2[:12]


def test_sample_report_has_no_layout_faults(sample_pdf, sample_pdf_en, tmp_path):
    for name, body in (("zh.pdf", sample_pdf), ("en.pdf", sample_pdf_en)):
        (tmp_path / name).write_bytes(body)
        assert layout_faults(tmp_path / name) == [], name


def _page(tmp_path: Path, body: str) -> Path:
    html = (
        '<html lang="zh-CN"><head><style>@page { size: A4; margin: 20mm }'
        'html { font-family: "Noto Sans CJK SC", sans-serif; font-size: 9pt }</style></head>'
        f"<body>{body}</body></html>"
    )
    import datetime as dt

    out = tmp_path / "bad.pdf"
    out.write_bytes(render_pdf(html, report_date=dt.date(2026, 1, 1)))
    return out


def test_a_squeezed_column_is_found(tmp_path):
    cells = "".join(f"<td>{n:,}.5</td>" for n in range(1_000_000, 1_000_009))
    body = f'<table style="width:100%"><tr><td>园区公共设施</td>{cells}</tr></table>'
    faults = layout_faults(_page(tmp_path, body))
    assert any("one glyph per line" in f for f in faults), faults


def test_clipped_text_is_found(tmp_path):
    body = '<p style="white-space: nowrap">' + "排放量 12,345.6 t " * 40 + "</p>"
    faults = layout_faults(_page(tmp_path, body))
    assert any("runs off the page" in f for f in faults), faults
