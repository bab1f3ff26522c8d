"""The data-quality appendix from ``zcp.metering``'s quality and balance reports.

The body prints the totals (one row per check), the metered share and the bus balance per
period; the per-meter counts, which run to thousands of rows for a large park, are only
attached as CSV.
"""

from __future__ import annotations

from typing import Any

from zcp.report.i18n import bilingual, catalogue
from zcp.report.phrases import Code
from zcp.report.report_data import Column, DataQuality, Table

#: Rows of the summary, in order: totals keys of ``QualityReport.totals()``.
SUMMARY_ROWS = (
    "meters", "meters_reporting", "silent_meters", "past_calibration", "readings", "accepted",
    "rejected", "empty", "non_finite", "flagged", "outside_period", "misaligned",
    "dst_nonexistent", "duplicates", "negatives", "implausible", "spikes", "resets", "rollovers", "estimated", "hours_imputed",
    "hours_missing", "unknown_meter_readings",
)  # fmt: skip
PER_METER_COLUMNS = (
    "readings", "accepted", "empty", "non_finite", "flagged", "estimated", "outside_period",
    "misaligned", "duplicates", "negatives", "implausible", "spikes", "resets", "rollovers", "hours_imputed", "hours_missing",
)  # fmt: skip


def _col(key: str, label: str | None = None, *, digits: int | None = None) -> Column:
    """A column labelled by catalogue entry ``dq_<label or key>``; numeric when ``digits``."""
    return Column(
        key, bilingual(f"dq_{label or key}"), numeric=digits is not None, digits=digits or 0
    )


def _count(key: str, label: str | None = None) -> Column:
    return _col(key, label, digits=0)


def _percent(value: Any) -> float | None:
    value = _clean(value)
    return None if value is None else 100.0 * float(value)


def _clean(value: Any) -> Any:
    """pandas/numpy scalars → plain Python; NaN → None."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def _word(prefix: str, value: Any) -> Any:
    """A code the catalogue has words for (``<prefix>_<value>``), else the code itself."""
    value = _clean(value)
    if value is None:
        return None
    key = f"{prefix}_{value}"
    return bilingual(key) if key in catalogue() else Code(str(value))


def no_readings() -> DataQuality:
    return DataQuality(summary=None, note=bilingual("dq_no_readings"))


def data_quality(meter_data: Any) -> DataQuality:
    """Build the appendix from a ``zcp.metering.MeterData``."""
    quality, balance = meter_data.quality, meter_data.balance
    totals = quality.totals()
    summary = Table(
        "data_quality_summary",
        bilingual("dq_summary"),
        [_col("check"), _count("n", "count")],
        [{"check": bilingual(f"dq_{k}"), "n": totals[k]} for k in SUMMARY_ROWS],
    )
    share = Table(
        "data_quality_metered_share",
        bilingual("dq_metered_share"),
        [_col("scope"), _col("key"), _col("carrier"), _col("metered", digits=0),
         _col("reference", digits=0), _col("share", digits=1)],
        [{"scope": _word("dq_scope", r["scope"]), "key": _word("dq_key", r["key"]),
          "carrier": _word("carrier", r["carrier"]),
          "metered": _clean(r["metered"]), "reference": _clean(r["reference"]),
          "share": _percent(r["share"])}
         for r in quality.metered_share.to_dict(orient="records") if r["scope"] != "tenant"],
    )  # fmt: skip
    balance_table = Table(
        "data_quality_balance",
        bilingual("dq_balance"),
        [_col("bus"), _col("carrier"), _col("period"), _col("relative", "imbalance", digits=3),
         _col("status", "balance_status")],
        [{"bus": Code(str(r["bus"])), "carrier": _word("carrier", r["carrier"]),
          "period": _word("dq_period", r["period"]),
          "relative": _percent(r.get("relative")), "status": _word("dq_status", r["status"])}
         for r in balance.periods.to_dict(orient="records")],
        top_n=40,
    )  # fmt: skip
    per_meter = Table(
        "data_quality_per_meter",
        bilingual("dq_per_meter"),
        [
            _col("meter_id", "meter"),
            _col("carrier"),
            _col("level"),
            *[_count(c) for c in PER_METER_COLUMNS],
        ],
        [
            {k: _clean(r.get(k)) for k in ("meter_id", "carrier", "level", *PER_METER_COLUMNS)}
            for r in quality.per_meter.to_dict(orient="records")
        ],
    )
    return DataQuality(summary=summary, shown=[share, balance_table], details=[per_meter])
