"""The data-quality report computed at every load: what was read, rejected and imputed.

Nothing is dropped silently: every park meter has a row in ``per_meter`` counting its
readings by the rule applied to them (see :mod:`zcp.metering`), readings for meters the
park does not have are counted by id, silent meters and meters past their calibration
date are listed, and the metered share says how much of the energy is covered:

* per carrier: energy metered at tenant supplies / net energy metered at the park
  boundary (flows from grid connections, fuel supplies and generators, less flows back to
  grid connections);
* per tenant and carrier: energy metered at the tenant's equipment / energy metered at its
  supplies (sub-metering coverage);
* per level: meters configured, meters reporting, and the energy they metered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

COUNT_COLUMNS = [
    "readings", "accepted", "empty", "non_finite", "flagged", "estimated", "outside_period",
    "misaligned", "dst_nonexistent", "dst_ambiguous", "duplicates", "negatives", "implausible",
    "spikes", "resets", "rollovers", "missing_readings", "gap_runs", "hours_measured",
    "hours_imputed", "hours_missing",
]  # fmt: skip
#: The counts that are rejections, with the rule that applied, for listings.
REJECTION_RULES = {
    "empty": "reading without a value",
    "non_finite": "value is infinite (e.g. inf, 1e400)",
    "flagged": "quality flag marks it invalid",
    "outside_period": "timestamp outside the reporting period",
    "misaligned": "timestamp not on the meter's interval grid",
    "dst_nonexistent": "local time skipped by daylight-saving time",
    "duplicates": "same meter and timestamp again (first kept)",
    "negatives": "negative value",
    "implausible": "above what the meter can physically measure in one interval",
    "spikes": "above 10x the 99th percentile of the meter's positive values",
    "resets": "register fell without rolling over (interval dropped)",
}
SUPPLY_KINDS = ("grid_connection", "fuel_supply", "generator")


@dataclass
class QualityReport:
    """Counts over the whole load; ``per_meter`` has one row per park meter."""

    period_start: dt.datetime
    period_end: dt.datetime
    hours_expected: int
    per_meter: pd.DataFrame
    unknown_meters: dict[str, int] = field(default_factory=dict)
    metered_share: pd.DataFrame = field(default_factory=pd.DataFrame)
    sources: list[str] = field(default_factory=list)
    #: every rejected reading: meter_id, timestamp (UTC; NaT if it had none), value
    #: (reading unit; for a spike its interval energy, for a reset the register reading
    #: after the fall), rule (a key of REJECTION_RULES)
    rejected: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def silent_meters(self) -> list[str]:
        return sorted(self.per_meter.loc[self.per_meter["readings"] == 0, "meter_id"])

    @property
    def past_calibration(self) -> list[tuple[str, dt.date]]:
        """Meters whose calibration fell due before the end of the reporting period."""
        end = (self.period_end - dt.timedelta(seconds=1)).date()
        due = self.per_meter.dropna(subset=["calibration_due"])
        late = due[due["calibration_due"] <= end]
        return sorted(zip(late["meter_id"], late["calibration_due"], strict=True))

    def totals(self) -> dict[str, int]:
        out = {c: int(self.per_meter[c].sum()) for c in COUNT_COLUMNS}
        out["meters"] = len(self.per_meter)
        out["meters_reporting"] = int((self.per_meter["readings"] > 0).sum())
        out["silent_meters"] = len(self.silent_meters)
        out["past_calibration"] = len(self.past_calibration)
        out["unknown_meter_readings"] = sum(self.unknown_meters.values())
        out["rejected"] = sum(out[c] for c in REJECTION_RULES if c != "resets")
        return out

    def meters_with(self, column: str) -> dict[str, int]:
        """Meter id → count, for meters where ``column`` is non-zero."""
        rows = self.per_meter[self.per_meter[column] > 0]
        return {m: int(v) for m, v in zip(rows["meter_id"], rows[column], strict=True)}

    def to_dict(self) -> dict:
        return {
            "period": {"start": self.period_start.isoformat(), "end": self.period_end.isoformat()},
            "hours_expected": self.hours_expected,
            "sources": self.sources,
            "totals": self.totals(),
            "rules": REJECTION_RULES,
            "by_meter": {
                column: self.meters_with(column)
                for column in [
                    *REJECTION_RULES,
                    "rollovers",
                    "estimated",
                    "dst_ambiguous",
                    "hours_imputed",
                    "hours_missing",
                ]
            },  # fmt: skip
            "silent_meters": self.silent_meters,
            "unknown_meters": dict(sorted(self.unknown_meters.items())),
            "past_calibration": {m: d.isoformat() for m, d in self.past_calibration},
            "metered_share": _records(self.metered_share),
        }


def _records(frame: pd.DataFrame) -> list[dict]:
    """JSON-ready rows: numpy scalars as Python numbers, NaN as None."""
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    return value


def build_per_meter(
    meters: pd.DataFrame, readings: np.ndarray, repaired: pd.DataFrame, clean: np.ndarray,
    hours: int,
) -> pd.DataFrame:  # fmt: skip
    """One row per park meter (``readings`` and ``clean`` are per meter row): clean meters
    from the reading pass, the others from the repair (``repaired``: counts by meter id).
    Readings and rule hits [count], hours measured, imputed, missing and expected [h] of a
    period of ``hours`` [h]."""
    frame = meters[
        ["meter_id", "flow_id", "carrier", "level", "tenant", "register", "interval_s",
         "calibration_due"]
    ].reset_index(drop=True)  # fmt: skip
    counts = repaired.set_index("meter_id").reindex(frame["meter_id"])
    for column in COUNT_COLUMNS:
        values = counts[column].to_numpy() if column in counts else np.zeros(len(frame))
        frame[column] = np.nan_to_num(values.astype(float)).astype("int64")
    frame.loc[clean, "readings"] = readings[clean]
    frame.loc[clean, "accepted"] = readings[clean]
    frame.loc[clean, "hours_measured"] = hours
    frame["hours_expected"] = hours
    frame["hours_missing"] = hours - frame["hours_measured"] - frame["hours_imputed"]
    # Expected readings: one per interval; a register is also read at the period's end.
    # Missing = no row at all for that time (rows rejected for their value are counted
    # under their rule instead).
    expected = hours * 3600 // frame["interval_s"] + (frame["register"] == "cumulative")
    present = (
        frame["accepted"]
        + frame["empty"]
        + frame["non_finite"]
        + frame["flagged"]
        + frame["negatives"]
    )
    frame["missing_readings"] = (expected - present).clip(lower=0)
    return frame.drop(columns=["register", "interval_s"])


def metered_share(
    meters: pd.DataFrame, totals: np.ndarray, node_kinds: dict[str, str]
) -> pd.DataFrame:
    """Rows (scope, key, carrier, metered, reference, share) — see the module docstring.
    ``totals``: energy per meter row [carrier unit], NaN for a meter without data."""
    m = meters.assign(
        total=np.nan_to_num(totals),
        reporting=~np.isnan(totals),
        from_kind=meters["from_node"].map(node_kinds),
        to_kind=meters["to_node"].map(node_kinds),
    )
    rows = []
    for carrier, group in m.groupby("carrier"):
        boundary = group[group["level"] == "park_boundary"]
        entering = boundary["from_kind"].isin(SUPPLY_KINDS)
        leaving = boundary["to_kind"].eq("grid_connection")
        net = boundary.loc[entering, "total"].sum() - boundary.loc[leaving, "total"].sum()
        at_tenants = group.loc[group["to_kind"].eq("tenant"), "total"].sum()
        rows.append(("carrier", carrier, carrier, at_tenants, net))
        supplied = group[group["to_kind"].eq("tenant")].groupby("to_node")
        equipment = group[group["from_kind"].eq("tenant")].groupby("from_node")
        sub = equipment["total"].sum()
        for tenant, supply in supplied["total"].sum().items():
            rows.append(("tenant", tenant, carrier, float(sub.get(tenant, 0.0)), supply))
    for level, group in m.groupby("level"):
        for carrier, by_carrier in group.groupby("carrier"):
            rows.append(("level", level, carrier, by_carrier["total"].sum(), np.nan))
    frame = pd.DataFrame(rows, columns=["scope", "key", "carrier", "metered", "reference"])
    ref = frame["reference"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["share"] = np.where(ref > 0, frame["metered"].to_numpy(dtype=float) / ref, np.nan)
    counts = m.groupby(["level", "carrier"])
    summary = counts.agg(meters=("meter_id", "size"), reporting=("reporting", "sum"))
    frame = frame.merge(
        summary.reset_index().rename(columns={"level": "key"}).assign(scope="level"),
        on=["scope", "key", "carrier"],
        how="left",
    )
    return frame


def summary_lines(report: QualityReport, carriers_unit: dict[str, str]) -> list[str]:
    """Human-readable lines for ``zcp validate`` (no trailing newline)."""
    t = report.totals()
    lines = [
        f"readings: {t['readings']:,} for {t['meters_reporting']} of {t['meters']} meters "
        f"over {report.hours_expected:,} h; {t['accepted']:,} accepted, {t['rejected']:,} rejected",
        f"  missing readings: {t['missing_readings']:,} ({t['gap_runs']} gaps inside the data)",
        f"  hours: {t['hours_measured']:,} measured, {t['hours_imputed']:,} imputed, "
        f"{t['hours_missing']:,} missing",
    ]
    for column, rule in REJECTION_RULES.items():
        hits = report.meters_with(column)
        if hits:
            lines.append(f"  {column}: {sum(hits.values())} ({rule}) — {_listing(hits)}")
    for column, what in (("rollovers", "register rollovers (handled)"),
                         ("dst_ambiguous", "ambiguous local times (resolved)"),
                         ("estimated", "estimated by the meter system (imputed)")):  # fmt: skip
        hits = report.meters_with(column)
        if hits:
            lines.append(f"  {column}: {sum(hits.values())} {what} — {_listing(hits)}")
    if report.silent_meters:
        lines.append(f"  silent meters: {len(report.silent_meters)} — "
                     f"{_listing(dict.fromkeys(report.silent_meters, 0))}")  # fmt: skip
    if report.unknown_meters:
        lines.append(f"  readings for unknown meters: {t['unknown_meter_readings']} — "
                     f"{_listing(report.unknown_meters)}")  # fmt: skip
    if report.past_calibration:
        late = {m: str(d) for m, d in report.past_calibration}
        lines.append(f"  past calibration: {len(late)} — "
                     + ", ".join(f"{m} (due {d})" for m, d in list(late.items())[:8])
                     + (" …" if len(late) > 8 else ""))  # fmt: skip
    share = report.metered_share
    for row in share[share["scope"] == "carrier"].itertuples():
        unit = carriers_unit.get(row.carrier, "")
        pct = "n/a" if np.isnan(row.share) else f"{row.share:.1%}"
        lines.append(f"  metered share {row.carrier}: {pct} ({row.metered:,.1f} {unit} "
                     f"at tenants of {row.reference:,.1f} {unit} net boundary supply)")  # fmt: skip
    return lines


def _listing(hits: dict, limit: int = 6) -> str:
    items = list(hits.items())
    text = ", ".join(f"{k} ({v})" if v else str(k) for k, v in items[:limit])
    return text + (f" and {len(items) - limit} more" if len(items) > limit else "")
