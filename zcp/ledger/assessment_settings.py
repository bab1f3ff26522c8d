"""What the ledger takes from ``assessment.yaml``: the materiality threshold for
reconciliation and the date claims are made on (for certificate retirement and validity).

The assessment file belongs to the rules stage; the ledger reads only these two optional
keys, safely, and everything else stays the assessment's business. Materiality has one
home, the certification engagement's ``engagement.materiality`` (default 5 %): the rules
stage checks it with the same :func:`parse_materiality`, so the reconciliation and the
report's engagement page always state the same number.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from zcp.errors import InputError, Problem
from zcp.model import ParkFolder
from zcp.units import parse_quantity
from zcp.yamlio import Document, load_yaml

#: materiality when the engagement states none [fraction of the reported total]; 5 % is the
#: threshold ISO 14064-3 practice and the CDM validation standard use for large emitters
DEFAULT_MATERIALITY = 0.05


def _assessment(folder: ParkFolder) -> Document | None:
    try:
        path = folder.resolve(folder.park.assessment_file)
    except ValueError as exc:
        line, col = folder.document.where(("assessment_file",))
        raise InputError(
            Problem(
                str(exc),
                path=str(folder.document.path),
                line=line,
                col=col,
                field="assessment_file",
            )  # fmt: skip
        ) from None
    return load_yaml(path) if path.is_file() else None


def _value(doc: Document | None, key: str) -> Any:
    return doc.data.get(key) if doc is not None and isinstance(doc.data, dict) else None


def parse_materiality(raw: object) -> float:
    """A materiality threshold written as a fraction (0.05) or a percentage ('5 %')
    [fraction of the reported total]; ValueError unless it lies strictly between 0 and 1."""
    try:
        share = parse_quantity(raw, "fraction")
    except OverflowError as exc:
        raise ValueError(str(exc)) from None
    if not 0 < share < 1:
        raise ValueError(
            f"materiality {raw!r} must lie between 0 and 100 % "
            "(write a fraction, 0.05, or a percentage, '5 %')"
        )
    return share


def materiality_threshold(folder: ParkFolder) -> tuple[float, str]:
    """``engagement.materiality`` of the assessment, else 5 %: (share [fraction], where it
    came from)."""
    doc = _assessment(folder)
    if doc is None:
        return DEFAULT_MATERIALITY, "default 5 % (no assessment file)"
    if _value(doc, "materiality") is not None:  # not a key of the format: say where it goes
        raise InputError(
            doc.problem(
                "unknown field 'materiality' at the top level", ("materiality",),
                hint="materiality belongs to the certification engagement: "
                "write it as engagement: {materiality: 0.05}",
            )
        )  # fmt: skip
    engagement = _value(doc, "engagement")
    raw = engagement.get("materiality") if isinstance(engagement, dict) else None
    if raw is None:
        return DEFAULT_MATERIALITY, "default 5 % (the engagement states none)"
    try:
        share = parse_materiality(raw)
    except ValueError as exc:
        where = ("engagement", "materiality")
        raise InputError(doc.problem(f"engagement.materiality: {exc}", where)) from None
    return share, f"{doc.path.name}: engagement.materiality"


def claim_date(folder: ParkFolder) -> dt.date | None:
    """``assessment_date`` of the assessment: the day claims are made on, or None."""
    doc = _assessment(folder)
    raw = _value(doc, "assessment_date")
    if raw is None or isinstance(raw, dt.date):
        return raw
    assert doc is not None
    raise InputError(
        doc.problem(
            f"assessment_date {raw!r} is not a date",
            ("assessment_date",),
            hint="write it as YYYY-MM-DD",
        )  # fmt: skip
    )
