"""Per-bus energy balance from the hourly readings: what enters a bus must leave it.

For each bus (internal grid, pipe network) whose flows are all metered:
``inflow - losses = outflow`` within a tolerance, where ``losses`` are the stated
``loss_fraction`` of each incoming flow (a meter reads at the sending end of its flow, so
a flow delivers value x (1 - loss_fraction)). The sums are the bus's per-node hours
(:class:`~zcp.metering.nodes.NodeHours`). Checked per hour (hours where every flow
has a value) and per period (the whole reporting period and each local calendar month).
A bus with an unmetered flow cannot be balanced; it is listed with the flows missing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from zcp.metering.nodes import NodeHours
from zcp.metering.thresholds import BALANCE_TOLERANCE_HOUR, balance_tolerance_period
from zcp.model.folder import ParkFolder


@dataclass
class BalanceReport:
    """``hourly``: bus, carrier, hour, inflow, losses, outflow, imputed, complete,
    imbalance, relative, within; ``periods``: the same summed per period (``total`` and
    local ``YYYY-MM``) with hours incomplete and out of tolerance, and a ``status``:
    balanced | imbalanced | undetermined. Quantities in the carrier's unit."""

    hourly: pd.DataFrame
    periods: pd.DataFrame
    not_computable: dict[str, str] = field(default_factory=dict)
    tolerance_period: float = field(default_factory=balance_tolerance_period)
    tolerance_hour: float = BALANCE_TOLERANCE_HOUR

    @property
    def imbalances(self) -> pd.DataFrame:
        """Periods out of tolerance [fraction of inflow] (periods with incomplete hours are
        ``undetermined``)."""
        if self.periods.empty:
            return self.periods
        return self.periods[self.periods["status"] == "imbalanced"]

    def to_dict(self) -> dict:
        """The report as JSON-ready data: tolerances [fraction], per-period sums [the
        carrier's unit] with ``relative`` imbalance [fraction] (None where undefined)."""
        periods = [
            {k: (v.item() if isinstance(v, np.generic) else v) for k, v in row.items()}
            for row in self.periods.to_dict(orient="records")
        ]
        for row in periods:
            if isinstance(row.get("relative"), float) and np.isnan(row["relative"]):
                row["relative"] = None
        return {
            "tolerance": {"period": self.tolerance_period, "hour": self.tolerance_hour},
            "periods": periods,
            "not_computable": self.not_computable,
        }


def bus_flows(folder: ParkFolder) -> tuple[pd.DataFrame, dict[str, str]]:
    """(bus, carrier, flow_id, incoming, loss [fraction], meters) for balanceable buses, and
    why the others cannot be balanced."""
    park = folder.park
    buses = {a.id: a.carrier for a in park.assets if a.type == "bus"}
    metered = Counter(m.flow for m in park.meters)
    rows, reasons = [], {}
    for bus in buses:
        touching = [f for f in park.flows if bus in (f.from_, f.to)]
        missing = [f.id for f in touching if f.id not in metered]
        if not touching:
            reasons[bus] = "no flows"
        elif missing:
            reasons[bus] = "unmetered flows: " + ", ".join(missing)
        else:
            rows += [
                (bus, buses[bus], f.id, f.to == bus, f.loss_fraction, metered[f.id])
                for f in touching
            ]
    columns = ["bus", "carrier", "flow_id", "incoming", "loss", "meters"]
    return pd.DataFrame(rows, columns=columns), reasons


def compute_balance(folder: ParkFolder, nodes: NodeHours, start: pd.Timestamp) -> BalanceReport:
    """Balance every bus whose flows are all metered, from the per-node hours [the carrier's
    unit]; ``start``: the first hour of the period [UTC]."""
    flows, reasons = bus_flows(folder)
    hours = start + pd.to_timedelta(np.arange(nodes.n_hours), unit="h")
    zone = folder.park.location.timezone
    months = hours.tz_convert(zone).strftime("%Y-%m")  # once, for every bus
    frames = []
    for bus, carrier in flows[["bus", "carrier"]].drop_duplicates().itertuples(index=False):
        row = nodes.row(bus, carrier)
        if row is None:
            reasons[bus] = f"no meter on its flows reads {carrier}"
            continue
        frames.append(
            pd.DataFrame(
                {
                    "bus": bus,
                    "carrier": carrier,
                    "hour": hours,
                    "inflow": nodes.inflow[row],
                    "losses": nodes.losses(row),
                    "outflow": nodes.outflow(row),
                    "imputed": nodes.imputed[row],
                    "complete": nodes.meters_present(row) == nodes.meters_expected[row],
                    "month": months,
                }
            )
        )
    if not frames:
        empty = pd.DataFrame()
        return BalanceReport(hourly=empty, periods=empty, not_computable=reasons)
    hourly = pd.concat(frames, ignore_index=True).sort_values(["bus", "hour"], ignore_index=True)
    _judge(hourly, BALANCE_TOLERANCE_HOUR)
    hourly.loc[~hourly["complete"], "within"] = True  # not judged: a flow has no value
    tolerance = balance_tolerance_period()
    periods = _periods(hourly, tolerance)
    return BalanceReport(
        hourly=hourly.drop(columns=["month"]),
        periods=periods,
        not_computable=reasons,
        tolerance_period=tolerance,
    )


def _judge(frame: pd.DataFrame, tolerance: float) -> None:
    frame["imbalance"] = frame["inflow"] - frame["losses"] - frame["outflow"]
    inflow = frame["inflow"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["relative"] = np.where(inflow > 0, frame["imbalance"] / inflow, np.nan)
    frame["within"] = np.where(
        inflow > 0,
        np.abs(frame["relative"].fillna(0.0)) <= tolerance,
        np.abs(frame["imbalance"]) <= 1e-9,
    )


def _periods(hourly: pd.DataFrame, tolerance: float) -> pd.DataFrame:
    """Sums per bus and period, judged against ``tolerance`` [fraction of the inflow]. A period with hours where some flow has no value cannot
    be judged: its status is ``undetermined``, and its sums cover what was there."""
    parts = []
    counted = hourly.assign(incomplete=~hourly["complete"], outside=~hourly["within"])
    for group in (counted.assign(month="total"), counted):
        parts.append(
            group.groupby(["bus", "carrier", "month"], as_index=False).agg(
                inflow=("inflow", "sum"),
                losses=("losses", "sum"),
                outflow=("outflow", "sum"),
                hours=("hour", "size"),
                hours_incomplete=("incomplete", "sum"),
                hours_out_of_tolerance=("outside", "sum"),
            )
        )
    periods = pd.concat(parts, ignore_index=True).rename(columns={"month": "period"})
    _judge(periods, tolerance)
    periods["status"] = np.where(
        periods["hours_incomplete"] > 0,
        "undetermined",
        np.where(periods["within"], "balanced", "imbalanced"),
    )
    return periods
