"""HTML → PDF with weasyprint: restricted fetching, embedded attachments, reproducible bytes.

Reproducibility comes from three choices: every date in the file (document info, attachment
dates) is the report date, never the clock; the PDF identifier is a hash of the content;
and weasyprint itself writes the same bytes for the same input (measured on weasyprint 70).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import weasyprint

from zcp.report.fetcher import ASSET_DIR, RestrictedFetcher

PDF_VARIANT = "pdf/a-3b"


@dataclass(frozen=True)
class AttachedFile:
    """A file carried inside the PDF (result JSON, hash manifest, full CSV tables)."""

    name: str
    data: bytes
    description: str = ""


@contextmanager
def _quiet_weasyprint() -> Iterator[None]:
    # weasyprint logs each refused URL and CSS property it ignores as a warning; the
    # fetcher records refusals itself, so keep the user's terminal clean.
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def render_pdf(
    html: str,
    *,
    report_date: dt.date,
    attachments: list[AttachedFile] = (),  # type: ignore[assignment]
    fetcher: RestrictedFetcher | None = None,
) -> bytes:
    """Render ``html`` to PDF bytes, attaching ``attachments`` with dates fixed to the report's."""
    fetcher = fetcher or RestrictedFetcher()
    stamp = dt.datetime.combine(report_date, dt.time(0, 0))
    digest = hashlib.sha256(html.encode("utf-8"))
    files = []
    for item in attachments:
        digest.update(item.name.encode("utf-8") + b"\0" + item.data)
        files.append(
            weasyprint.Attachment(
                file_obj=io.BytesIO(item.data),
                name=item.name,
                description=item.description or item.name,
                created=stamp,
                modified=stamp,
                url_fetcher=fetcher,
            )
        )
    with _quiet_weasyprint():
        document = weasyprint.HTML(
            string=html, base_url=ASSET_DIR.as_uri() + "/", url_fetcher=fetcher
        )
        # PDF/A-3b: the archival form that may carry data files (result JSON, CSV tables)
        # as associated attachments; tagged so screen readers get the structure.
        return document.write_pdf(
            attachments=files,
            pdf_identifier=digest.hexdigest()[:32].encode("ascii"),
            pdf_variant=PDF_VARIANT,
            pdf_tags=True,
        )


def read_attachments(pdf: bytes) -> dict[str, bytes]:
    """The files embedded in a PDF, by name (what ``zcp verify`` reads back)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(pdf))
        return {name: contents[0] for name, contents in reader.attachments.items()}
    except PyPdfError as exc:
        raise ValueError(f"unreadable PDF: {exc}") from None
