"""``zcp pack``: the verifier's evidence pack, one zip a certification body can archive.

Layout of the zip::

    result.json      the evaluation result (findings, opinions, evidence register inside)
    manifest.json    SHA-256 of every other member of the pack
    index.html       an offline page to browse it (no scripts, no network)
    park/...         the park folder's input files, byte for byte (evidence/ included)
    tables/...       every input table (meters, readings) as CSV and as Parquet

``zcp verify pack.zip`` checks each member against the manifest, then verifies
``result.json`` against ``park/`` as it verifies a JSON report (hashes, recomputation).
Members are written in a fixed order with a fixed timestamp, so the same inputs give the
same zip.
"""

from __future__ import annotations

import html
import io
import json
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from zcp.errors import InputError, Problem
from zcp.hashing import park_input_files, sha256_bytes
from zcp.report.atomic import atomic_write_bytes
from zcp.report.provenance import canonical_json
from zcp.rules.run import Progress

PACK_KIND = "evidence_pack"
MANIFEST = "manifest.json"
RESULT = "result.json"
PARK_PREFIX = "park/"
TABLE_SUFFIXES = (".csv", ".parquet")
_STAMP = (2000, 1, 1, 0, 0, 0)  # fixed member time: the pack is reproducible


def _table_members(path: Path, rel: str) -> list[tuple[str, bytes]]:
    """An input table as CSV and Parquet (``tables/<path>.csv``, ``.parquet``)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path) if path.suffix == ".parquet" else pacsv.read_csv(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(Problem(f"cannot read the table: {exc}", path=str(path))) from None
    stem = "tables/" + str(PurePosixPath(rel).with_suffix(""))
    csv_buffer, parquet_buffer = io.BytesIO(), io.BytesIO()
    pacsv.write_csv(table, csv_buffer)
    pq.write_table(table, parquet_buffer, compression="zstd")
    return [(stem + ".csv", csv_buffer.getvalue()), (stem + ".parquet", parquet_buffer.getvalue())]


def _index_html(result: dict[str, Any], members: dict[str, str]) -> bytes:
    e = html.escape
    cert = result.get("certification") or {}
    rows = "".join(
        f"<tr><td>{e(c['rule_set_id'])}{' / ' + e(c['subject']) if c.get('subject') else ''}"
        f"</td><td>{e(c.get('level') or '—')}</td><td>{e(c['opinion'])} ({e(c['origin'])})</td></tr>"
        for c in cert.get("conclusions", [])
    )
    findings = "".join(
        f"<tr><td>{e(f['id'])}</td><td>{e(f['type'])}</td><td>{e(f.get('grade') or '')}</td>"
        f"<td>{e(f['status'])}</td><td>{e(f['finding'])}</td></tr>"
        for f in cert.get("findings", [])
    )
    files = "".join(
        f'<tr><td><a href="{e(name)}">{e(name)}</a></td><td><code>{digest}</code></td></tr>'
        for name, digest in members.items()
    )
    engagement = cert.get("engagement") or {}
    title = f"zcp evidence pack — {e(str(result.get('park')))}"
    page = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}}</style></head>
<body><h1>{title}</h1>
<p>Report number / 报告编号: {e(str(engagement.get("report_number", "—")))} ·
zcp {e(str(result.get("zcp_version")))}</p>
<p>Check the pack / 校验: <code>zcp verify pack.zip</code></p>
<h2>Opinions / 评价结论</h2><table><tr><th>rule set / subject</th><th>level</th><th>opinion</th></tr>{rows}</table>
<h2>Findings / 发现项</h2><table><tr><th>id</th><th>type</th><th>grade</th><th>status</th><th>finding</th></tr>{findings}</table>
<h2>Files / 文件 (SHA-256)</h2><table><tr><th>file</th><th>SHA-256</th></tr>{files}</table>
</body></html>
"""
    return page.encode("utf-8")


def build_pack(
    park_dir: str | Path,
    *,
    rule_refs: Sequence[str] = (),
    gaps: bool = False,
    exclude: Sequence[str | Path] = (),
    progress: Progress | None = None,
) -> bytes:
    """The pack's zip bytes (see the module docstring)."""
    from zcp.rules.run import evaluate_park

    root = Path(park_dir)
    evaluation = evaluate_park(
        root, rule_refs=rule_refs, gaps=gaps, exclude=exclude, progress=progress
    )
    if progress:
        progress("packing inputs, tables and evidence")
    result = evaluation.result_json()
    members: list[tuple[str, bytes]] = [(RESULT, canonical_json(result))]
    tables: list[tuple[str, bytes]] = []
    for path in park_input_files(root, exclude):
        rel = path.relative_to(root).as_posix()
        members.append((PARK_PREFIX + rel, path.read_bytes()))
        if path.suffix.lower() in TABLE_SUFFIXES:
            tables += _table_members(path, rel)
    members += tables
    digests = {name: sha256_bytes(data) for name, data in members}
    members.append(("index.html", _index_html(result, digests)))
    digests["index.html"] = sha256_bytes(members[-1][1])
    manifest = {"kind": PACK_KIND, "schema_version": 1, "park": result.get("park"),
                "files": digests}  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in [(MANIFEST, canonical_json(manifest)), *members]:
            zf.writestr(zipfile.ZipInfo(name, date_time=_STAMP), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def write_pack(park_dir: str | Path, out: str | Path, **options: Any) -> Path:
    out = Path(out)
    if out.suffix.lower() != ".zip":
        raise InputError(Problem("a pack is a .zip file", path=str(out), hint="--out pack.zip"))
    atomic_write_bytes(out, build_pack(park_dir, exclude=[out], **options))
    return out


def is_pack(path: str | Path) -> bool:
    return Path(path).suffix.lower() == ".zip"


def check_pack(pack: str | Path, into: Path) -> tuple[list[str], Path]:
    """Unpack into ``into`` and compare each member with the manifest.

    Returns (problems, path of result.json). Members are extracted only under ``into``
    (names with ``..`` or absolute paths are refused).
    """
    problems: list[str] = []
    try:
        zf = zipfile.ZipFile(pack)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(Problem(f"not a zip file: {exc}", path=str(pack))) from None
    with zf:
        names = zf.namelist()
        if MANIFEST not in names or RESULT not in names:
            raise InputError(Problem("not a zcp evidence pack (no manifest.json/result.json)",
                                     path=str(pack)))  # fmt: skip
        try:
            manifest = json.loads(zf.read(MANIFEST))
            expected: dict[str, str] = dict(manifest["files"])
        except (ValueError, KeyError, TypeError):
            return ["manifest.json is damaged"], into / RESULT
        for name in names:
            rel = PurePosixPath(name)
            if rel.is_absolute() or ".." in rel.parts:
                raise InputError(Problem(f"unsafe member name {name!r}", path=str(pack)))
            if name == MANIFEST:
                continue
            data = zf.read(name)
            if name not in expected:
                problems.append(f"added: {name}")
            elif sha256_bytes(data) != expected[name]:
                problems.append(f"changed: {name}")
            target = into / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        problems += [f"removed: {name}" for name in sorted(expected.keys() - set(names))]
    return problems, into / RESULT


def unpack_dir() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="zcp-pack-")
