"""The indexed reader reads exactly the objects pyHanko's own reader reads (signature speed)."""

from __future__ import annotations

import datetime as dt
import io

import pytest

pytest.importorskip("pyhanko")

from pyhanko.pdf_utils import generic  # noqa: E402
from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: E402

from zcp.report.pdf import AttachedFile, read_attachments, render_pdf  # noqa: E402
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


def test_attachments_read_through_the_index_equal_pypdfs():
    """``read_attachments`` walks only the name tree; pypdf parses the whole file first. Both
    must return the same files, byte for byte, including a nested (``/Kids``) name tree
    pypdf builds when many files are attached."""
    from pypdf import PdfReader

    files = [AttachedFile(f"t{i:02d}.csv", f"a,b\n{i},{i * 2}\n".encode()) for i in range(40)]
    files.append(AttachedFile("result.json", b'{"\xe5\x9b\xad": 1}'))
    pdf = render_pdf("<html><body><p>x</p></body></html>", report_date=dt.date(2026, 12, 1),
                     attachments=files)  # fmt: skip
    expected = {name: data[0] for name, data in PdfReader(io.BytesIO(pdf)).attachments.items()}
    assert read_attachments(pdf) == expected == {f.name: f.data for f in files}


def test_a_damaged_pdf_is_a_value_error():
    with pytest.raises(ValueError, match="unreadable PDF"):
        read_attachments(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF")
