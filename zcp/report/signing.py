"""Optional digital signature of a PDF report by the certification body (pyHanko).

A standard PDF signature (PAdES-style CMS in an incremental update), so any PDF reader can
show it. The key is a PKCS#12 file (``.p12``/``.pfx``: key and certificate together) or a
PEM private key with its PEM certificate; a passphrase is read from the environment
(``ZCP_SIGN_PASSPHRASE``), never from the command line, where it would land in shell history.

A signature records the moment of signing, so a signed report is not byte-reproducible;
the unsigned report it was made from is. ``check_signatures`` reports, per signature,
whether the signed bytes are intact, whether they cover the whole file (nothing appended
after signing) and whether the signer chains to a certificate the caller trusts.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from zcp.errors import InputError, Problem

PASSPHRASE_ENV = "ZCP_SIGN_PASSPHRASE"
FIELD_NAME = "zcp-certification"


@contextlib.contextmanager
def _quiet(*names: str) -> Iterator[None]:
    loggers = [logging.getLogger(n) for n in names]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def _signer(key: Path, cert: Path | None):
    from pyhanko.sign import signers

    passphrase = os.environ.get(PASSPHRASE_ENV)
    secret = passphrase.encode("utf-8") if passphrase else None
    if not key.is_file():
        raise InputError(Problem("signing key not found", path=str(key)))
    if key.suffix.lower() in (".p12", ".pfx"):
        signer = signers.SimpleSigner.load_pkcs12(str(key), passphrase=secret)
    else:
        if cert is None:
            raise InputError(
                Problem(
                    "a PEM key needs its certificate",
                    path=str(key),
                    hint="give --cert CERT.pem, or use a PKCS#12 (.p12) file",
                )
            )
        signer = signers.SimpleSigner.load(str(key), str(cert), key_passphrase=secret)
    if signer is None:
        raise InputError(
            Problem(
                "cannot load the signing key (wrong passphrase or format?)",
                path=str(key),
                hint=f"set {PASSPHRASE_ENV} if the key is encrypted",
            )
        )
    return signer


def sign_pdf(pdf: bytes, key: str | Path, cert: str | Path | None = None) -> bytes:
    """``pdf`` with a signature appended as an incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    signer = _signer(Path(key), Path(cert) if cert else None)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, reason="zcp assessment report")
    out = signers.sign_pdf(writer, meta, signer=signer)
    return out.getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    field: str
    signer: str
    intact: bool  # the signed bytes hash to what the signature says
    whole_file: bool  # nothing was appended after signing
    trusted: bool  # chains to a certificate given as trusted

    @property
    def ok(self) -> bool:
        return self.intact and self.whole_file


def check_signatures(pdf: bytes, trust: Sequence[str | Path] = ()) -> list[SignatureCheck]:
    """Every signature in ``pdf``; an empty list when it is not signed."""
    if b"/ByteRange" not in pdf:  # no signature dictionary: skip loading pyHanko
        return []
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    roots = [load_cert_from_pemder(str(p)) for p in trust]
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    out = []
    for embedded in reader.embedded_signatures:
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        with _quiet("pyhanko", "pyhanko_certvalidator"):  # it logs untrusted chains as errors
            status = validate_pdf_signature(embedded, signer_validation_context=context)
        out.append(
            SignatureCheck(
                field=embedded.field_name,
                signer=status.signing_cert.subject.human_friendly,
                intact=bool(status.intact and status.valid),
                whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
                trusted=bool(status.trusted),
            )
        )
    return out
