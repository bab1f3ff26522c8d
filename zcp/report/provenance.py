"""What a report was computed from: its date, and the SHA-256 of every file that fed it.

The same inputs must give a byte-identical report, so the report date is read from the
inputs (``assessment.yaml``'s ``assessment_date``), or from ``SOURCE_DATE_EPOCH`` (the
reproducible-builds convention), and otherwise is the last day of the reporting period —
never the clock. The manifest written into every report lists each park input, rule-set
and factor file with its hash; ``zcp verify`` re-hashes them and names any that changed.
Every file of the park folder is listed (so an added or edited stray file is still seen),
each marked ``read`` — used by the assessment — or not (schema version 2; version 1 had
no ``read`` and is still verified).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from zcp import jsontext
from zcp.errors import InputError, Problem
from zcp.hashing import display_package_path, sha256_file
from zcp.report.report_data import FileHash

MANIFEST_KIND = "report_manifest"
MANIFEST_VERSION = 2


def report_date(
    assessment_date: dt.date | None,
    period_end: dt.date,
    environ: Mapping[str, str] | None = None,
) -> dt.date:
    """The date printed on (and stamped into) the report; see the module docstring."""
    if assessment_date is not None:
        return assessment_date
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        except (ValueError, OverflowError):
            raise InputError(
                Problem(
                    f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix time in seconds",
                    hint="e.g. SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)",
                )
            ) from None
    return period_end


def file_hashes(
    park_hashes: Mapping[str, str],
    rule_files: Iterable[Path],
    factor_files: Iterable[Path],
    read: Mapping[str, bool],
) -> list[FileHash]:
    """Every file that fed a report, in a stable order: park files read, park files only in
    the folder (``read`` says which; a path it lacks counts as not read), rule sets, factors."""
    park = sorted(park_hashes.items(), key=lambda item: (not read.get(item[0], False), item[0]))
    out = [FileHash("input", rel, digest, read.get(rel, False)) for rel, digest in park]
    for role, paths in (("rule_set", rule_files), ("factors", factor_files)):
        seen: set[str] = set()
        for path in paths:
            shown = display_package_path(path)
            if shown not in seen:
                seen.add(shown)
                out.append(FileHash(role, shown, sha256_file(Path(path))))
    return out


def manifest(
    *,
    zcp_version: str,
    park_id: str,
    report_date: dt.date,
    lang: str,
    rule_sets: Iterable[tuple[str, str]],
    files: Iterable[FileHash],
    gap_analysis: bool = True,
) -> dict[str, Any]:
    """The hash manifest embedded in every report (PDF attachment, HTML script block)."""
    return {
        "kind": MANIFEST_KIND,
        "schema_version": MANIFEST_VERSION,
        "zcp_version": zcp_version,
        "park": park_id,
        "report_date": report_date.isoformat(),
        "lang": lang,
        "rule_sets": [f"{ident}@{version}" for ident, version in rule_sets],
        "gap_analysis": gap_analysis,
        "files": [
            {"role": f.role, "path": f.path, "sha256": f.sha256, "read": f.read} for f in files
        ],
    }


def canonical_json(data: Any) -> bytes:
    """Stable JSON bytes: sorted keys, UTF-8, fixed separators, trailing newline."""
    text = jsontext.dumps(data, sort_keys=True, indent=2)
    return (text + "\n").encode("utf-8")
