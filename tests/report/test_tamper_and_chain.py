"""``zcp verify`` checks what a reader sees and the signing chain (#12 item 2, #13 item 3).

An unsigned report whose bytes differ from zcp's re-rendering is a mismatch even when its
embedded data is intact; signatures must be preparer → reviewer → approver, none missing,
nothing after them but later signatures, each signer trusted.
"""

from __future__ import annotations

import io
import shutil

import pytest
from click.testing import CliRunner

from tests.conftest import MINIMAL_PARK
from tests.report.conftest import ASSESSMENT
from tests.report.test_signing import make_identity
from zcp.cli import main

pytest.importorskip("pyhanko")

ENGAGEMENT = """\
engagement:
  report_number: ZCP-T-001
  client: {name: 小型园区管委会}
  scope:
    consolidation: operational_control
    included: [{entity: park, why: 园区运营控制}]
  assurance_level: reasonable
  team:
    - {name: 王敏, role: preparer}
    - {name: 陈立, role: reviewer}
    - {name: 刘洋, role: approver}
  independence: 无利益关系
"""


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The minimal park with an engagement, assessed once into a PDF and an HTML report."""
    base = tmp_path_factory.mktemp("tamper")
    park = base / "park"
    park.mkdir()
    (park / "park.yaml").write_text(MINIMAL_PARK, encoding="utf-8")
    (park / "assessment.yaml").write_text(ASSESSMENT + ENGAGEMENT, encoding="utf-8")
    pdf, html = base / "r.pdf", base / "r.html"
    result = run("assess", park, "--no-gaps", "--out", pdf, "--out", html)
    assert result.exit_code == 0, result.output
    assert "evaluating" in result.stderr and "rendering r.html" in result.stderr  # progress
    return park, pdf, html


#: each signer's certificate names the team member who holds the role (ENGAGEMENT above)
TEAM = {"preparer": "王敏", "reviewer": "陈立", "approver": "刘洋"}


@pytest.fixture(scope="module")
def signers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ids")
    return {role: make_identity(folder, name) for role, name in TEAM.items()}


def _copy(src, tmp_path, data: bytes | None = None):
    out = tmp_path / src.name
    if data is None:
        shutil.copy(src, out)
    else:
        out.write_bytes(data)
    return out


def _verify(report, park, *trust):
    args = ["verify", report, park]
    for cert in trust:
        args += ["--trust", cert]
    return run(*args)


def test_untouched_reports_verify(reports):
    park, pdf, html = reports
    for report in (pdf, html):
        result = _verify(report, park)
        assert result.exit_code == 0, result.output
        assert "document: identical to zcp's re-rendering" in result.output


def _pypdf_edit(pdf_path, edit) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(pdf_path))
    edit(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _overlay(writer) -> None:
    from pypdf.generic import ContentStream, NameObject

    page = writer.pages[0]
    stamp = ContentStream(None, writer)
    stamp.set_data(b"BT /Helv 28 Tf 60 400 Td (CERTIFIED: ALL RULES PASS) Tj ET")
    page.merge_page  # noqa: B018 — the overlay goes in as an extra content stream
    contents = page.get_contents()
    contents.set_data(contents.get_data() + b"\n" + stamp.get_data())
    page[NameObject("/Contents")] = writer._add_object(contents)


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda w: _overlay(w), id="overlay-text"),
        pytest.param(lambda w: w.remove_page(len(w.pages) - 1), id="dropped-page"),
        pytest.param(lambda w: w.add_blank_page(), id="added-page"),
    ],
)
def test_edited_unsigned_pdf_is_a_mismatch(reports, tmp_path, tamper):
    park, pdf, _ = reports
    edited = _copy(pdf, tmp_path, _pypdf_edit(pdf, tamper))
    result = _verify(edited, park)
    assert result.exit_code == 1, result.output
    # the embedded data survived the edit: only the re-rendering catches it
    assert "recomputed results match" in result.output
    assert "document: DIFFERS" in result.output and "MISMATCH" in result.output


def test_flipped_bytes_are_a_mismatch(reports, tmp_path):
    park, pdf, _ = reports
    data = bytearray(pdf.read_bytes())
    for offset in (len(data) // 3, len(data) // 3 + 7):
        data[offset] ^= 0xFF
    result = _verify(_copy(pdf, tmp_path, bytes(data)), park)
    assert result.exit_code == 1, result.output
    assert "MISMATCH" in result.output


def test_html_with_edited_park_name_is_a_mismatch(reports, tmp_path):
    park, _, html = reports
    text = html.read_text(encoding="utf-8")
    assert text.count("小型测试园区") >= 1
    edited = _copy(html, tmp_path, text.replace("小型测试园区", "示范零碳园区").encode("utf-8"))
    result = _verify(edited, park)
    assert result.exit_code == 1, result.output
    assert "document: DIFFERS" in result.output


def _sign(report, role, identity):
    key, _ = identity
    return run("sign", report, "--key", key, "--role", role)


def _raw_sign(pdf: bytes, identity, field: str) -> bytes:
    """Signs as an attacker would: any field name, no order check."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12(str(identity[0]), passphrase=None)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    meta = signers.PdfSignatureMetadata(field_name=field)
    return signers.sign_pdf(writer, meta, signer=signer).getvalue()


@pytest.fixture(scope="module")
def signed_chain(reports, signers, tmp_path_factory):
    park, pdf, _ = reports
    out = tmp_path_factory.mktemp("chain") / "signed.pdf"
    shutil.copy(pdf, out)
    for role in ("preparer", "reviewer", "approver"):
        result = _sign(out, role, signers[role])
        assert result.exit_code == 0, result.output
    return out


def test_three_signatures_verify_with_trust(signed_chain, reports, signers):
    park = reports[0]
    certs = [signers[r][1] for r in ("preparer", "reviewer", "approver")]
    result = _verify(signed_chain, park, *certs)
    assert result.exit_code == 0, result.output
    for role in ("preparer", "reviewer", "approver"):
        assert f"signature ({role}): " in result.output
    assert "document: identical" in result.output


def test_without_trust_signers_are_unverified(signed_chain, reports):
    result = _verify(signed_chain, reports[0])
    assert result.exit_code == 1
    assert result.output.count("UNVERIFIED (give --trust CERT)") == 3


def test_one_untrusted_signer_is_a_mismatch(signed_chain, reports, signers):
    certs = [signers["preparer"][1], signers["reviewer"][1]]
    result = _verify(signed_chain, reports[0], *certs)
    assert result.exit_code == 1
    assert "signature (approver): " in result.output
    assert "signer NOT in the trusted certificates" in result.output


def test_removed_last_signature_is_a_mismatch(signed_chain, reports, signers, tmp_path):
    from zcp.report.signing import check_signatures

    data = signed_chain.read_bytes()
    checks = check_signatures(data)
    truncated = data[: checks[1].signed_bytes]  # the file as the reviewer left it
    result = _verify(_copy(signed_chain, tmp_path, truncated), reports[0],
                     *[c for _, c in signers.values()])  # fmt: skip
    assert result.exit_code == 1
    assert "not signed by the approver" in result.output


def test_skipped_or_reordered_signers_are_a_mismatch(reports, signers, tmp_path):
    park, pdf, _ = reports
    certs = [c for _, c in signers.values()]
    unsigned = pdf.read_bytes()
    skipped = _raw_sign(_raw_sign(unsigned, signers["preparer"], "zcp-preparer"),
                        signers["approver"], "zcp-approver")  # fmt: skip
    result = _verify(_copy(pdf, tmp_path, skipped), park, *certs)
    assert result.exit_code == 1 and "not signed by the reviewer" in result.output
    assert "expected ['preparer', 'reviewer']" in result.output
    reordered = unsigned
    for role in ("reviewer", "preparer", "approver"):
        reordered = _raw_sign(reordered, signers[role], f"zcp-{role}")
    result = _verify(_copy(pdf, tmp_path, reordered), park, *certs)
    assert result.exit_code == 1
    assert "signed in the order ['reviewer', 'preparer', 'approver']" in result.output


def test_a_signer_who_is_not_the_teams_member_for_the_role(reports, signers, tmp_path):
    """zcp sign refuses another person's key; a chain signed in the right order but by the
    wrong people (the approver signing as reviewer) fails zcp verify, naming both."""
    park, pdf, _ = reports
    out = _copy(pdf, tmp_path)
    refused = _sign(out, "preparer", signers["reviewer"])
    assert refused.exit_code == 2
    assert "this key belongs to '陈立', but the engagement's preparer is '王敏'" in refused.output
    assert out.read_bytes() == pdf.read_bytes()  # nothing written
    wrong = pdf.read_bytes()
    for role, person in (("preparer", "preparer"), ("reviewer", "approver"),
                         ("approver", "approver")):  # fmt: skip
        wrong = _raw_sign(wrong, signers[person], f"zcp-{role}")
    result = _verify(_copy(pdf, tmp_path, wrong), park, *[c for _, c in signers.values()])
    assert result.exit_code == 1, result.output
    assert (
        "the reviewer's signature is by '刘洋', but the engagement's reviewer is '陈立'"
        in result.output
    )
    assert result.output.count("but the engagement's") == 1  # the other two are the holders


def test_zcp_sign_refuses_out_of_order(reports, signers, tmp_path):
    out = _copy(reports[1], tmp_path)
    result = _sign(out, "reviewer", signers["reviewer"])
    assert result.exit_code == 2
    assert "the next signature is the preparer's, not the reviewer's" in result.output


def test_bytes_after_the_last_signature_are_a_mismatch(signed_chain, reports, signers, tmp_path):
    data = signed_chain.read_bytes() + b"\n% appended\n"
    result = _verify(_copy(signed_chain, tmp_path, data), reports[0],
                     *[c for _, c in signers.values()])  # fmt: skip
    assert result.exit_code == 1
    assert "DOCUMENT CHANGED AFTER SIGNING" in result.output or "DIFFERS" in result.output


def test_overlay_between_signatures_breaks_the_earlier_one(reports, signers, tmp_path):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    park, pdf, _ = reports
    signed = _copy(pdf, tmp_path)
    assert _sign(signed, "preparer", signers["preparer"]).exit_code == 0
    writer = IncrementalPdfFileWriter(io.BytesIO(signed.read_bytes()), strict=False)
    stamp = generic.StreamObject(stream_data=b"BT /F1 30 Tf 50 500 Td (CERTIFIED) Tj ET")
    writer.add_stream_to_page(0, writer.add_object(stamp))
    buffer = io.BytesIO()
    writer.write(buffer)
    signed.write_bytes(buffer.getvalue())
    for role in ("reviewer", "approver"):
        assert _sign(signed, role, signers[role]).exit_code == 0
    result = _verify(signed, park, *[c for _, c in signers.values()])
    assert result.exit_code == 1
    assert "signature (preparer): " in result.output
    assert "DOCUMENT CHANGED AFTER SIGNING" in result.output


def test_a_chain_in_progress_verifies_up_to_the_role_given(reports, signers, tmp_path):
    """The reviewer checks the preparer's signature before adding their own."""
    park, pdf, _ = reports
    report = _copy(pdf, tmp_path)
    assert _sign(report, "preparer", signers["preparer"]).exit_code == 0
    certs = [c for _, c in signers.values()]
    args = ["verify", report, park, *[a for c in certs for a in ("--trust", c)]]
    result = run(*args, "--signed-through", "preparer")
    assert result.exit_code == 0, result.output
    assert "chain in progress: checked through the preparer; the reviewer, approver" in (
        result.output
    )
    result = run(*args, "--signed-through", "reviewer")
    assert result.exit_code == 1
    assert "not signed by the reviewer" in result.output
    assert "approver" not in result.output.split("signature chain:")[1].splitlines()[0]
