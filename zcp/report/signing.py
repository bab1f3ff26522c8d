"""Optional digital signature of a PDF report by the certification body (pyHanko).

A standard PDF signature (PAdES-style CMS in an incremental update), so any PDF reader can
show it. The key is a PKCS#12 file (``.p12``/``.pfx``: key and certificate together) or a
PEM private key with its PEM certificate; a passphrase is read from the environment
(``ZCP_SIGN_PASSPHRASE``), never from the command line, where it would land in shell history.

The engagement's team signs in turn — preparer, then reviewer, then approver — each
signature an incremental update over the document exactly as the previous signer left it
(field ``zcp-preparer``, ``zcp-reviewer``, ``zcp-approver``). A signature records the
moment of signing, so a signed report is not byte-reproducible; the unsigned report it was
made from is, and stays the first bytes of the file. ``check_signatures`` reports, per
signature in file order, the role it signs for, whether the signed bytes are intact,
whether the document after it changed only by later signatures, and whether the signer
chains to a certificate the caller trusts.

A signature is also a person's: its certificate's subject common name must be the name (or
the English name) of the engagement team member who holds the role it signs for, as the
result embedded in the report lists the team. ``sign_pdf`` refuses another person's key,
and ``zcp verify`` reports a signer who is not that member as a mismatch.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from zcp.errors import InputError, Problem

PASSPHRASE_ENV = "ZCP_SIGN_PASSPHRASE"
FIELD_PREFIX = "zcp-"
#: who signs, in order (as ``zcp.rules.engagement.SIGNING_ROLES``)
SIGNING_ROLES = ("preparer", "reviewer", "approver")


def field_name(role: str) -> str:
    return FIELD_PREFIX + role


def role_of(field: str) -> str | None:
    """The signing role a signature field stands for, or None for any other field."""
    role = field.removeprefix(FIELD_PREFIX)
    return role if field.startswith(FIELD_PREFIX) and role in SIGNING_ROLES else None


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


def role_holder(pdf: bytes, role: str) -> dict | None:
    """The engagement team member (``name``, ``name_en``) who holds ``role``, from the
    result embedded in the report; None when the report carries no engagement."""
    from zcp.report.pdf import read_attachments

    raw = read_attachments(pdf).get("result.json")
    engagement = ((json.loads(raw) if raw else {}).get("certification") or {}).get("engagement")
    team = engagement.get("team", []) if engagement else []
    return next((m for m in team if m.get("role") == role), None)


def _plain(name: str) -> str:
    return " ".join(name.split()).casefold()


def is_holder(common_name: str | None, member: dict) -> bool:
    """Whether a certificate's common name is the member's name or English name (spaces
    and letter case aside)."""
    names = {_plain(n) for n in (member.get("name"), member.get("name_en")) if n}
    return common_name is not None and _plain(common_name) in names


def holder_text(member: dict) -> str:
    """The member as a message names them: '陈立' (Chen Li)."""
    english = member.get("name_en")
    return f"{member['name']!r}" + (f" ({english})" if english else "")


def common_name(cert) -> str | None:
    """The subject common name of an asn1crypto certificate, or None."""
    if cert is None:
        return None
    value = cert.subject.native.get("common_name")
    return str(value) if value is not None else None


def signed_roles(pdf: bytes) -> list[str | None]:
    """The role of each signature already in ``pdf``, in file order (no validation)."""
    if b"/ByteRange" not in pdf:
        return []

    from zcp.report.signed_pdf_reader import IndexedPdfReader

    reader = IndexedPdfReader(io.BytesIO(pdf), strict=False)
    return [role_of(s.field_name) for s in reader.embedded_signatures]


def next_role(pdf: bytes) -> str:
    """Who signs next: the first role of the chain not yet signed, after those in order."""
    roles = signed_roles(pdf)
    expected = list(SIGNING_ROLES[: len(roles)])
    if roles != expected:
        raise InputError(
            Problem(
                f"the report's signatures are {roles}, not the chain {expected}",
                hint="sign only a report whose chain is intact (zcp verify shows it)",
            )
        )
    if len(roles) == len(SIGNING_ROLES):
        raise InputError(Problem("the report is already signed by preparer, reviewer, approver"))
    return SIGNING_ROLES[len(roles)]


def sign_pdf(
    pdf: bytes, key: str | Path, cert: str | Path | None = None, *, role: str | None = None
) -> bytes:
    """``pdf`` with one more signature appended as an incremental update.

    ``role`` must be the next in the chain (preparer → reviewer → approver); omitted, it is.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    expected = next_role(pdf)
    if role is not None and role != expected:
        raise InputError(
            Problem(
                f"the next signature is the {expected}'s, not the {role}'s",
                hint=f"signing order: {' → '.join(SIGNING_ROLES)}",
            )
        )
    signer = _signer(Path(key), Path(cert) if cert else None)
    member = role_holder(pdf, expected)
    key_of = common_name(signer.signing_cert)
    if member is not None and not is_holder(key_of, member):
        raise InputError(
            Problem(
                f"this key belongs to {key_of!r}, but the engagement's {expected} is "
                f"{holder_text(member)}",
                path=str(key),
                hint=f"sign with the {expected}'s own key; if the team changed, correct it in "
                "assessment.yaml and assess again",
            )
        )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name(expected), reason=f"zcp assessment report: {expected}"
    )
    out = signers.sign_pdf(writer, meta, signer=signer)
    return out.getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    field: str
    signer: str
    intact: bool  # the signed bytes hash to what the signature says
    whole_file: bool  # what follows it in the file is only later signatures
    trusted: bool  # chains to a certificate given as trusted
    signed_bytes: int = 0  # length of the file revision it signs
    common_name: str | None = None  # the signer certificate's subject CN

    @property
    def role(self) -> str | None:
        return role_of(self.field)

    @property
    def ok(self) -> bool:
        return self.intact and self.whole_file


def check_signatures(pdf: bytes, trust: Sequence[str | Path] = ()) -> list[SignatureCheck]:
    """Every signature in ``pdf``; an empty list when it is not signed."""
    if b"/ByteRange" not in pdf:  # no signature dictionary: skip loading pyHanko
        return []
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    from zcp.report.signed_pdf_reader import IndexedPdfReader

    roots = [load_cert_from_pemder(str(p)) for p in trust]
    reader = IndexedPdfReader(io.BytesIO(pdf), strict=False)
    out = []
    entire_file: list[bool] = []
    for embedded in reader.embedded_signatures:
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        with _quiet("pyhanko", "pyhanko_certvalidator"):  # it logs untrusted chains as errors
            status = validate_pdf_signature(embedded, signer_validation_context=context)
        # An earlier signature covers its own revision; the document after it may change
        # only by form filling — the later signatures of the chain — never by new content.
        later_ok = (
            status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
            and status.docmdp_ok is not False
            and status.modification_level is not None
            and status.modification_level <= ModificationLevel.FORM_FILLING
        )
        entire_file.append(status.coverage == SignatureCoverageLevel.ENTIRE_FILE)
        out.append(
            SignatureCheck(
                field=embedded.field_name,
                signer=status.signing_cert.subject.human_friendly,
                intact=bool(status.intact and status.valid),
                whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE or later_ok,
                trusted=bool(status.trusted),
                signed_bytes=_revision_end(embedded),
                common_name=common_name(status.signing_cert),
            )
        )
    # Only a later signature may follow a signature: the last one must reach the file's end
    # (bytes appended after it — even a comment, which adds no revision — are not covered).
    if out:
        last = max(range(len(out)), key=lambda i: out[i].signed_bytes)
        out[last] = dataclasses.replace(out[last], whole_file=entire_file[last])
    return out


def _revision_end(embedded) -> int:
    """Bytes from the file's start that the signature's byte range reaches."""
    byte_range = list(embedded.sig_object["/ByteRange"])
    return int(byte_range[2]) + int(byte_range[3])
