"""What the ledger takes from ``assessment.yaml``: the materiality threshold for
reconciliation and the date claims are made on (for certificate retirement and validity).

The assessment file belongs to the rules stage; the ledger reads only these two optional
keys, safely, and everything else stays the assessment's business.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from zcp.errors import InputError, Problem
from zcp.model import ParkFolder
from zcp.units import parse_quantity
from zcp.yamlio import Document, load_yaml

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


def materiality_threshold(folder: ParkFolder) -> tuple[float, str]:
    """The assessment's ``materiality`` (a fraction or '5 %'), else 5 %: (share [fraction],
    where from)."""
    doc = _assessment(folder)
    if doc is None:
        return DEFAULT_MATERIALITY, "default 5 % (no assessment file)"
    raw = _value(doc, "materiality")
    engagement = _value(doc, "engagement")
    if raw is None and isinstance(engagement, dict):  # where the certification engagement states it
        raw = engagement.get("materiality")
    if isinstance(raw, dict):  # {threshold: ..., basis: ...} if the assessment spells it out
        raw = raw.get("threshold", raw.get("value"))
    if raw is None:
        return DEFAULT_MATERIALITY, "default 5 % (the assessment states none)"
    try:
        share = parse_quantity(raw, "fraction")
    except (ValueError, OverflowError) as exc:
        raise InputError(doc.problem(f"materiality: {exc}", ("materiality",))) from None
    if not 0 < share < 1:
        raise InputError(
            doc.problem(
                f"materiality {raw!r} must lie between 0 and 100 %", ("materiality",),
                hint="write a fraction (0.05) or a percentage ('5 %')",
            )
        )  # fmt: skip
    return share, f"{doc.path.name}: materiality"


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
