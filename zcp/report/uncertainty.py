"""How much of each total rests on data that was not measured, and which verdicts that can tip.

Each total is split by the basis of the figures behind it, read from the ledger run the
verdicts used:

- metered: meter readings as read;
- imputed: meter-hours filled in for missing readings (share ``imputed_hours / hours`` of
  a meter's quantity);
- estimated / modelled: annual estimates spread over the hours, design-stage figures and
  modelled shapes (``basis`` of the meter row);
- stated: activity figures given in the park's files without a meter (fuel, scope 3).

The uncertain share of a total is everything but ``metered``. Meter-hours with no reading
at all — neither measured nor imputed (a silent meter, a gap too long to fill) — are in no
total, so they cannot be split like the rest; their share of the meter-hours expected is
stated beside the table and counts as uncertain too. A verdict is *within uncertainty*
when its margin, relative to the threshold, is smaller than the largest uncertain share —
the metric-to-total mapping is not traced, so the report uses the largest share and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from zcp.report.i18n import bilingual
from zcp.report.report_data import Column, RuleSetSection, Table

BASES = ("metered", "imputed", "estimated", "stated")
TOTALS = (
    ("electricity_mwh", "unc_electricity", "MWh"),
    ("scope1_t", "em_scope1", "t CO2e"),
    ("scope2_location_t", "em_scope2_location", "t CO2e"),
    ("scope3_t", "em_scope3", "t CO2e"),
)


def _split_meters(frame: pd.DataFrame, value: str) -> dict[str, float]:
    """``value`` by basis, metered rows split into metered and imputed by imputed hours."""
    out = dict.fromkeys(BASES, 0.0)
    if frame.empty:
        return out
    hours = frame["hours"].astype(float)
    imputed_share = (frame["imputed_hours"].astype(float) / hours.where(hours > 0)).fillna(0.0)
    metered = frame["basis"].eq("metered")
    out["metered"] = float((frame[value] * (1 - imputed_share))[metered].sum())
    out["imputed"] = float((frame[value] * imputed_share)[metered].sum())
    out["estimated"] = float(frame.loc[~metered, value].sum())
    return out


def _split_lines(lines: pd.DataFrame, meters: pd.DataFrame) -> dict[str, float]:
    """Activity lines [t CO2e]: by their meter's basis where metered, else estimated or stated."""
    out = dict.fromkeys(BASES, 0.0)
    basis = meters.drop_duplicates("meter_id").set_index("meter_id")["basis"]
    for _, line in lines.iterrows():
        t = float(line["tco2e"] or 0.0)
        meter = line.get("meter_id")
        if isinstance(meter, str) and meter in basis.index:
            out["metered" if basis[meter] == "metered" else "estimated"] += t
        elif bool(line.get("estimated")) is True:
            out["estimated"] += t
        else:
            out["stated"] += t
    return out


def data_basis(ledger_result: Any) -> dict[str, dict[str, float]]:
    """{total: {basis: amount}} for the totals in ``TOTALS`` (units as there)."""
    meters = ledger_result.meters
    elec = meters[meters["kind"].eq("electricity") & meters["basis"].ne("check_meter")]
    lines = ledger_result.lines
    counted = lines[lines["counted"].fillna(False).astype(bool)]
    out = {"electricity_mwh": _split_meters(elec, "quantity")}
    out["scope1_t"] = _split_lines(counted[counted["scope"].astype(str) == "1"], meters)
    # Scope-2 lines spread over the meters behind them; "basis" is the line's (location,
    # market or both), "basis_meter" the meter row's.
    trace = ledger_result.trace()
    location = trace[trace["basis"].isin(["location", "both"])] if not trace.empty else trace
    location = location.drop(columns="basis").rename(columns={"basis_meter": "basis"})
    out["scope2_location_t"] = _split_meters(location, "tco2e")
    out["scope3_t"] = _split_lines(counted[counted["scope"].astype(str) == "3"], meters)
    return out


def uncertain_share(split: dict[str, float]) -> float | None:
    """The part of a total not read from meters [fraction]; None for an empty total."""
    total = sum(split.values())
    return None if total <= 0 else 1.0 - split["metered"] / total


def basis_table(splits: dict[str, dict[str, float]]) -> Table:
    rows = []
    for key, label, unit in TOTALS:
        split = splits.get(key)
        if split is None or sum(split.values()) <= 0:
            continue
        share = uncertain_share(split)
        rows.append({"total": bilingual(label), "unit": unit, **split,
                     "uncertain": None if share is None else 100.0 * share})  # fmt: skip
    return Table(
        "data_basis",
        bilingual("unc_table"),
        [
            Column("total", bilingual("unc_total")),
            Column("unit", bilingual("unit")),
            *[Column(b, bilingual(f"unc_{b}"), numeric=True, digits=0) for b in BASES],
            Column("uncertain", bilingual("unc_share"), numeric=True, digits=1),
        ],
        rows,
    )


@dataclass(frozen=True)
class MissingHours:
    """Meter-hours of the period with no reading, measured or imputed [h]."""

    missing: int
    expected: int
    meters: int  # meters with at least one such hour [count]

    @property
    def share(self) -> float:
        """Missing meter-hours over those expected [fraction]."""
        return self.missing / self.expected if self.expected else 0.0


def missing_hours(per_meter: pd.DataFrame | None) -> MissingHours | None:
    """From the data-quality table (one row per park meter, ``hours_missing`` and
    ``hours_expected`` [h]); None when the park has no readings."""
    if per_meter is None or per_meter.empty:
        return None
    missing = per_meter["hours_missing"].clip(lower=0)
    return MissingHours(
        missing=int(missing.sum()),
        expected=int(per_meter["hours_expected"].sum()),
        meters=int((missing > 0).sum()),
    )


def largest_share(
    splits: dict[str, dict[str, float]], missing: MissingHours | None = None
) -> float | None:
    """The largest part of any total not read from meters, or of the meter-hours with no
    reading [fraction]; None if there is no total."""
    shares = [s for s in (uncertain_share(v) for v in splits.values()) if s is not None]
    if missing is not None and missing.missing:
        shares.append(missing.share)
    return max(shares) if shares else None


def mark_within_uncertainty(
    sections: list[RuleSetSection], result: dict[str, Any], share: float | None
) -> int:
    """Flag verdicts whose relative margin is smaller than ``share``; returns how many."""
    if share is None or share <= 0:
        return 0
    raw = {
        (rs["rule_set_id"], rs.get("subject"), r["id"]): r
        for rs in result.get("rule_sets", [])
        for r in rs["rules"]
    }
    flagged = 0
    for section in sections:
        for row in section.rules:
            rule = raw.get((section.ref.id, section.subject, row.id)) or {}
            margin, threshold = rule.get("margin"), rule.get("threshold")
            if row.status not in ("pass", "fail", "partial") or margin is None:
                continue
            if isinstance(threshold, list):
                threshold = threshold[-1]
            if not isinstance(threshold, int | float) or threshold == 0:
                continue
            if abs(margin) / abs(threshold) < share:
                row.within_uncertainty = True
                flagged += 1
    return flagged
