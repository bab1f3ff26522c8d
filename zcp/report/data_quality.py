"""The data-quality appendix from ``zcp.metering``'s quality and balance reports.

The body prints the totals (one row per check), the metered share and the bus balance per
period; the per-meter counts, which run to thousands of rows for a large park, are only
attached as CSV.
"""

from __future__ import annotations

from typing import Any

from zcp.report.i18n import bilingual
from zcp.report.model import Column, DataQuality, Table

#: Rows of the summary, in order: totals keys of ``QualityReport.totals()``.
SUMMARY_ROWS = (
    "meters", "meters_reporting", "silent_meters", "past_calibration", "readings", "accepted",
    "rejected", "empty", "flagged", "outside_period", "misaligned", "dst_nonexistent",
    "duplicates", "negatives", "spikes", "resets", "rollovers", "estimated", "hours_imputed",
    "hours_missing", "unknown_meter_readings",
)  # fmt: skip
PER_METER_COLUMNS = (
    "readings", "accepted", "empty", "flagged", "estimated", "outside_period", "misaligned",
    "duplicates", "negatives", "spikes", "resets", "rollovers", "hours_imputed", "hours_missing",
)  # fmt: skip


def _count(key: str, label_key: str | None = None) -> Column:
    return Column(key, bilingual(label_key or f"dq_{key}"), numeric=True, digits=0)


def _clean(value: Any) -> Any:
    """pandas/numpy scalars → plain Python; NaN → None."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def no_readings() -> DataQuality:
    return DataQuality(summary=None, note=bilingual("dq_no_readings"))


def data_quality(meter_data: Any) -> DataQuality:
    """Build the appendix from a ``zcp.metering.MeterData``."""
    quality, balance = meter_data.quality, meter_data.balance
    totals = quality.totals()
    summary = Table(
        "data_quality_summary",
        bilingual("dq_summary"),
        [Column("check", bilingual("dq_check")), _count("n", "dq_count")],
        [{"check": bilingual(f"dq_{k}"), "n": totals[k]} for k in SUMMARY_ROWS],
    )
    share = Table(
        "data_quality_metered_share",
        bilingual("dq_metered_share"),
        [
            Column("scope", bilingual("dq_scope")),
            Column("key", bilingual("dq_key")),
            Column("carrier", bilingual("dq_carrier")),
            Column("metered", bilingual("dq_metered"), numeric=True, digits=0),
            Column("reference", bilingual("dq_reference"), numeric=True, digits=0),
            Column("share", bilingual("dq_share"), numeric=True, digits=1),
        ],
        [
            {
                "scope": r["scope"],
                "key": r["key"],
                "carrier": r["carrier"],
                "metered": _clean(r["metered"]),
                "reference": _clean(r["reference"]),
                "share": None if _clean(r["share"]) is None else 100.0 * float(r["share"]),
            }
            for r in quality.metered_share.to_dict(orient="records")
            if r["scope"] != "tenant"
        ],
    )
    periods = balance.periods
    balance_rows = [
        {
            "bus": r["bus"],
            "carrier": r["carrier"],
            "period": r["period"],
            "relative": None if _clean(r.get("relative")) is None else 100 * float(r["relative"]),
            "status": r["status"],
        }
        for r in periods.to_dict(orient="records")
    ]
    balance_table = Table(
        "data_quality_balance",
        bilingual("dq_balance"),
        [
            Column("bus", bilingual("dq_bus")),
            Column("carrier", bilingual("dq_carrier")),
            Column("period", bilingual("dq_period")),
            Column("relative", bilingual("dq_imbalance"), numeric=True, digits=3),
            Column("status", bilingual("dq_balance_status")),
        ],
        balance_rows,
        top_n=40,
    )
    per_meter = Table(
        "data_quality_per_meter",
        bilingual("dq_per_meter"),
        [
            Column("meter_id", bilingual("dq_meter")),
            Column("carrier", bilingual("dq_carrier")),
            Column("level", bilingual("dq_level")),
            *[_count(c) for c in PER_METER_COLUMNS],
        ],
        [
            {k: _clean(r.get(k)) for k in ("meter_id", "carrier", "level", *PER_METER_COLUMNS)}
            for r in quality.per_meter.to_dict(orient="records")
        ],
    )
    return DataQuality(summary=summary, shown=[share, balance_table], details=[per_meter])
