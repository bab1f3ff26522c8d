"""The PDF is PDF/A-3b with its data files as associated attachments, and tagged (item 6).

PDF/A-3 is the archival form that may carry data files; conformance is declared in the
XMP metadata (``pdfaid:part`` 3, ``pdfaid:conformance`` B) and every attachment is listed
in the catalogue's associated files (``/AF``). Tags (``/StructTreeRoot``, ``/MarkInfo``)
give screen readers the structure. Chinese must still be text, and signing (an incremental
update) must keep all of it.
"""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.report.conftest import pdf_text
from tests.report.test_signing import make_identity
from zcp.report.pdf import read_attachments
from zcp.report.signing import check_signatures, sign_pdf


def _archival_marks(pdf: bytes) -> dict:
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    xmp = reader.xmp_metadata.stream.get_data().decode("utf-8")
    associated = [spec.get_object()["/F"] for spec in root["/AF"]]
    return {
        "part": 'pdfaid:part="3"' in xmp,
        "conformance": 'pdfaid:conformance="B"' in xmp,
        "tagged": bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root,
        "associated": sorted(set(associated)),
        "attached": sorted(read_attachments(pdf)),
    }


def test_report_is_tagged_pdf_a_3b_with_every_attachment_associated(sample_pdf, tmp_path):
    marks = _archival_marks(sample_pdf)
    assert marks["part"] and marks["conformance"] and marks["tagged"]
    assert marks["associated"] == marks["attached"]
    assert {"result.json", "manifest.json", "emissions_by_tenant.csv"} <= set(marks["attached"])
    assert "评价结论摘要" in pdf_text(sample_pdf, tmp_path)  # CJK still text, not boxes


def test_signed_archival_report_keeps_its_marks_and_verifies(sample_pdf, tmp_path):
    key, cert = make_identity(tmp_path)
    signed = sign_pdf(sample_pdf, key)
    (sig,) = check_signatures(signed, [cert])
    assert sig.intact and sig.whole_file and sig.trusted
    marks = _archival_marks(signed)
    assert marks["part"] and marks["tagged"] and marks["associated"] == marks["attached"]
