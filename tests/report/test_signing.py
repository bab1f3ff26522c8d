"""Signing a PDF report (``zcp assess --sign``) and checking it (``zcp verify --trust``)."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from tests.report.conftest import sample_manifest
from tests.report.sample import sample_report
from zcp.cli import main
from zcp.report.output import render
from zcp.report.pdf import read_attachments
from zcp.report.signing import check_signatures, sign_pdf

pytest.importorskip("pyhanko")


def make_identity(folder, name: str = "认证机构 test CA"):
    """A self-signed certificate and key (PKCS#12 and PEM), as a certification body has."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    usage = x509.KeyUsage(
        digital_signature=True, content_commitment=True, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=False,
        encipher_only=False, decipher_only=False,
    )  # fmt: skip
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )
    p12 = folder / f"{abs(hash(name))}.p12"
    pem = p12.with_suffix(".pem")
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(b"cb", key, cert, None, serialization.NoEncryption())
    )
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return p12, pem


@pytest.fixture(scope="module")
def unsigned() -> bytes:
    data = sample_report(n_rules=2, days=20)
    return render(data, sample_manifest(data), ".pdf")


def test_signature_is_intact_trusted_and_keeps_the_attachments(unsigned, tmp_path):
    key, cert = make_identity(tmp_path)
    signed = sign_pdf(unsigned, key)
    assert signed.startswith(unsigned)  # an incremental update: the report bytes are kept
    assert check_signatures(unsigned) == []
    (sig,) = check_signatures(signed, [cert])
    assert sig.intact and sig.whole_file and sig.trusted
    assert "认证机构 test CA" in sig.signer
    assert read_attachments(signed).keys() == read_attachments(unsigned).keys()
    other_key, other_cert = make_identity(tmp_path, "someone else")
    (untrusted,) = check_signatures(signed, [other_cert])
    assert untrusted.intact and not untrusted.trusted


def test_bytes_appended_after_signing_are_detected(unsigned, tmp_path):
    key, _ = make_identity(tmp_path)
    signed = sign_pdf(unsigned, key)
    (sig,) = check_signatures(signed + b"\n% edited later\n")
    assert sig.intact and not sig.whole_file


def test_assess_sign_and_verify_trust(mini_park, tmp_path):
    key, cert = make_identity(tmp_path)
    out = tmp_path / "signed.pdf"
    run = CliRunner().invoke
    assert (
        run(main, ["assess", str(mini_park), "--out", str(out), "--sign", str(key)]).exit_code == 0
    )
    ok = run(main, ["verify", str(out), str(mini_park), "--trust", str(cert)])
    assert ok.exit_code == 0, ok.output
    assert "intact, covers the document, trusted" in ok.output
    _, stranger = make_identity(tmp_path, "stranger")
    bad = run(main, ["verify", str(out), str(mini_park), "--trust", str(stranger)])
    assert bad.exit_code == 1 and "signer NOT in the trusted certificates" in bad.output
    html = run(
        main, ["assess", str(mini_park), "--out", str(tmp_path / "r.html"), "--sign", str(key)]
    )
    assert html.exit_code == 2 and "only a PDF report can be signed" in html.output
