"""The indexed reader reads exactly the objects pyHanko's own reader reads (signature speed)."""

from __future__ import annotations

import datetime as dt
import io

import pytest

pytest.importorskip("pyhanko")

from pyhanko.pdf_utils import generic  # noqa: E402
from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: E402

from zcp.report.pdf import render_pdf  # noqa: E402
from zcp.report.signed_pdf_reader import IndexedPdfReader  # noqa: E402


@pytest.fixture(scope="module")
def tagged_pdf() -> bytes:
    rows = "".join(f"<tr><td>行 {i}</td><td>{i * 1.5}</td></tr>" for i in range(300))
    html = f"<html lang='zh-CN'><body><h1>测试</h1><table>{rows}</table></body></html>"
    return render_pdf(html, report_date=dt.date(2026, 12, 1))


def test_every_object_reads_the_same(tagged_pdf):
    plain = PdfFileReader(io.BytesIO(tagged_pdf), strict=False)
    indexed = IndexedPdfReader(io.BytesIO(tagged_pdf), strict=False)
    for number in range(1, int(plain.trailer["/Size"])):
        ref = generic.Reference(number, 0)
        assert repr(indexed.get_object(ref)) == repr(plain.get_object(ref)), number
    indexed_objects = sum(len(s.offsets) for s in indexed._object_streams.values() if s)
    # a tagged report keeps its structure elements in one large object stream: the case
    # the index exists for (one table row is several structure elements)
    assert indexed_objects > 900
