"""Writing a report as PDF, HTML or JSON (by suffix), atomically, with its evidence inside.

Every format carries what ``zcp verify`` needs: the PDF as attachments (``result.json``,
``manifest.json`` and each full table as CSV), the HTML as ``application/json`` script
blocks, the JSON as the result document itself (its ``inputs`` hold the park file hashes).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from zcp.errors import InputError, Problem
from zcp.report.atomic import atomic_write_bytes
from zcp.report.html import cell, render_html
from zcp.report.pdf import AttachedFile, read_attachments, render_pdf
from zcp.report.provenance import canonical_json
from zcp.report.report_data import ReportData, Table

FORMATS = (".pdf", ".html", ".json")
RESULT_NAME = "result.json"
MANIFEST_NAME = "manifest.json"
#: the previous result a year-on-year comparison was made with (``zcp assess --previous``)
PREVIOUS_NAME = "previous_result.json"


def report_format(out: str | Path) -> str:
    suffix = Path(out).suffix.lower()
    if suffix not in FORMATS:
        raise InputError(
            Problem(
                f"cannot write a report as {suffix or 'a file without suffix'}",
                path=str(out),
                hint="use .pdf, .html or .json",
            )
        )
    return suffix


def _csv_number(value: float | int | None) -> str:
    """Full precision, integers without a decimal point, empty for missing."""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return repr(float(value))


def table_csv(table: Table, lang: str = "zh") -> bytes:
    """A full table as CSV (UTF-8 with BOM, so spreadsheet programs read Chinese right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.label.get(lang) + (f" [{c.unit}]" if c.unit else "") for c in table.columns])
    for row in table.rows:
        writer.writerow(
            [
                _csv_number(row.get(c.key)) if c.numeric else cell(table, row, c.key, lang)
                for c in table.columns
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def result_document(data: ReportData, manifest: dict[str, Any]) -> dict[str, Any]:
    """The result JSON with the park file hashes filled in (``inputs``, by path)."""
    result = dict(data.result or {})
    result["inputs"] = {f["path"]: f["sha256"] for f in manifest["files"] if f["role"] == "input"}
    return result


def attachments(data: ReportData, manifest: dict[str, Any], lang: str) -> list[AttachedFile]:
    files = [
        AttachedFile(
            RESULT_NAME,
            canonical_json(result_document(data, manifest)),
            "evaluation result (zcp/schemas/result.schema.json)",
        ),
        AttachedFile(
            MANIFEST_NAME,
            canonical_json(manifest),
            "SHA-256 of every input, rule-set and factor file",
        ),
    ]
    if data.comparison is not None:
        files.append(
            AttachedFile(
                PREVIOUS_NAME,
                canonical_json(data.comparison.previous),
                f"previous result compared with, year on year ({data.comparison.source})",
            )
        )
    for table in data.tables():
        files.append(AttachedFile(f"{table.id}.csv", table_csv(table, lang), table.title.get(lang)))
    return files


def render(data: ReportData, manifest: dict[str, Any], fmt: str, lang: str = "zh") -> bytes:
    """The report's bytes in format ``fmt`` (".pdf", ".html" or ".json")."""
    if fmt == ".json":
        return canonical_json(result_document(data, manifest))
    embedded = {
        "zcp-manifest": manifest,
        "zcp-result": result_document(data, manifest),
    }
    if data.comparison is not None:
        embedded["zcp-previous"] = data.comparison.previous
    html = render_html(data, lang, embedded=embedded if fmt == ".html" else None)
    if fmt == ".html":
        return html.encode("utf-8")
    return render_pdf(
        html, report_date=data.cover.report_date, attachments=attachments(data, manifest, lang)
    )


def write_report(
    data: ReportData,
    manifest: dict[str, Any],
    out: str | Path,
    lang: str = "zh",
    *,
    sign_key: str | Path | None = None,
    sign_cert: str | Path | None = None,
) -> Path:
    """Render (and sign, with ``sign_key``) then write atomically: ``out`` is the complete
    new report or is left as it was."""
    out = Path(out)
    fmt = report_format(out)
    if sign_key is not None and fmt != ".pdf":
        raise InputError(
            Problem("only a PDF report can be signed", path=str(out), hint="write a .pdf")
        )
    body = render(data, manifest, fmt, lang)
    if sign_key is not None:
        from zcp.report.signing import sign_pdf

        body = sign_pdf(body, sign_key, sign_cert)
    atomic_write_bytes(out, body)
    return out


_SCRIPT = re.compile(r'<script type="application/json" id="(zcp-[a-z]+)">(.*?)</script>', re.DOTALL)


def read_report(path: str | Path) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """(manifest or None, result) from a report written by ``write_report``."""
    path = Path(path)
    fmt = report_format(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(Problem(f"cannot read report: {exc.strerror}", path=str(path))) from None
    try:
        if fmt == ".json":
            return None, json.loads(raw)
        if fmt == ".html":
            blocks = {m[1]: json.loads(m[2]) for m in _SCRIPT.finditer(raw.decode("utf-8"))}
            return blocks["zcp-manifest"], blocks["zcp-result"]
        files = read_attachments(raw)
        return json.loads(files[MANIFEST_NAME]), json.loads(files[RESULT_NAME])
    except (KeyError, ValueError, UnicodeDecodeError) as exc:
        raise InputError(
            Problem(
                f"not a zcp report, or its embedded result is damaged ({exc.__class__.__name__})",
                path=str(path),
            )
        ) from None


def read_previous(path: str | Path) -> dict[str, Any] | None:
    """The previous result a zcp report (PDF or HTML) carries, or None when it has none."""
    raw = Path(path).read_bytes()
    fmt = report_format(path)
    try:
        if fmt == ".html":
            blocks = {m[1]: m[2] for m in _SCRIPT.finditer(raw.decode("utf-8"))}
            return json.loads(blocks["zcp-previous"]) if "zcp-previous" in blocks else None
        if fmt == ".pdf":
            files = read_attachments(raw)
            return json.loads(files[PREVIOUS_NAME]) if PREVIOUS_NAME in files else None
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(
            Problem(f"its embedded previous result is damaged ({exc.__class__.__name__})",
                    path=str(path))
        ) from None  # fmt: skip
    return None
