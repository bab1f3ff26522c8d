"""Per-bus energy balance from the hourly readings: what enters a bus must leave it.

For each bus (internal grid, pipe network) whose flows are all metered:
``inflow - losses = outflow`` within a tolerance, where ``losses`` are the stated
``loss_fraction`` of each incoming flow (a meter reads at the sending end of its flow, so
a flow delivers value x (1 - loss_fraction)). Checked per hour (hours where every flow
has a value) and per period (the whole reporting period and each local calendar month).
A bus with an unmetered flow cannot be balanced; it is listed with the flows missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from zcp.metering.resample import Hours
from zcp.metering.rules import BALANCE_TOLERANCE_HOUR, BALANCE_TOLERANCE_PERIOD
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
    tolerance_period: float = BALANCE_TOLERANCE_PERIOD
    tolerance_hour: float = BALANCE_TOLERANCE_HOUR

    @property
    def imbalances(self) -> pd.DataFrame:
        """Periods out of tolerance (periods with incomplete hours are ``undetermined``)."""
        if self.periods.empty:
            return self.periods
        return self.periods[self.periods["status"] == "imbalanced"]

    def to_dict(self) -> dict:
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
    """(bus, carrier, flow_id, incoming, loss, meters) for balanceable buses, and why the
    others cannot be balanced."""
    park = folder.park
    buses = {a.id: a.carrier for a in park.assets if a.type == "bus"}
    metered: dict[str, int] = {}
    for m in park.meters:
        metered[m.flow] = metered.get(m.flow, 0) + 1
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


def clean_bus_sums(
    con: duckdb.DuckDBPyConnection,
    flows: pd.DataFrame,
    meters: pd.DataFrame,
    clean: set,
    start_ms: int,
    n_hours: int,
) -> dict[str, np.ndarray]:
    """Per bus, the hourly sums over its *clean* meters, straight from the files in one
    query: columns inflow, losses, outflow [carrier unit] and the meters present, as an
    array of shape (4, hours). Clean meters need no repair, so their readings need not
    leave DuckDB."""
    columns = ["meter_id", "flow_id", "factor", "interval_s"]
    frame = meters[meters["meter_id"].isin(clean)][columns].merge(flows, on="flow_id")
    frame["weight"] = frame["factor"] / frame["meters"]
    # A clean meter has every reading of every hour: its readings in an hour add up to 1.
    frame["per_reading"] = frame["interval_s"] / 3600
    sums = {bus: np.zeros((4, n_hours)) for bus in flows["bus"].unique()}
    if frame.empty:
        return sums
    columns = ["meter_id", "bus", "incoming", "loss", "weight", "per_reading"]
    con.register("clean_bus_frame", frame[columns])
    rows = con.execute(
        f"""
        SELECT b.bus, (epoch_ms(r.ts) - {start_ms}) // 3600000 AS hour,
               sum(CASE WHEN b.incoming THEN r.value * b.weight ELSE 0 END),
               sum(CASE WHEN b.incoming THEN r.value * b.weight * b.loss ELSE 0 END),
               sum(CASE WHEN NOT b.incoming THEN r.value * b.weight ELSE 0 END),
               sum(b.per_reading)
        FROM raw r JOIN clean_bus_frame b ON r.meter_id = b.meter_id::VARCHAR
        GROUP BY ALL
        """
    ).df()
    con.unregister("clean_bus_frame")
    for bus, group in rows.groupby(rows.columns[0]):
        hour = group.iloc[:, 1].to_numpy(dtype=np.int64)
        sums[bus][:, hour] = group.iloc[:, 2:].to_numpy(dtype=float).T
    return sums


def compute_balance(
    folder: ParkFolder,
    meters: pd.DataFrame,
    base: dict[str, np.ndarray],
    hours: Hours,
    start: pd.Timestamp,
    n_hours: int,
) -> BalanceReport:
    """Balance every bus: ``base`` holds the sums over clean meters
    (:func:`clean_bus_sums`), ``hours`` (sorted by meter code, the row number in
    ``meters``) the repaired meters."""
    flows, reasons = bus_flows(folder)
    if flows.empty:
        empty = pd.DataFrame()
        return BalanceReport(hourly=empty, periods=empty, not_computable=reasons)
    code_of = pd.Series(np.arange(len(meters)), index=meters["meter_id"])
    flow_meters = meters.groupby("flow_id")["meter_id"].apply(list)
    frames = []
    for (bus, carrier), group in flows.groupby(["bus", "carrier"], sort=True):
        inflow, losses, outflow, counted = base[bus].copy()
        present = counted.astype(np.int64)
        imputed = np.zeros(n_hours, dtype=bool)
        n_meters = 0
        for row in group.itertuples():
            for meter_id in flow_meters[row.flow_id]:
                n_meters += 1
                at = _slice(hours, int(code_of[meter_id]))
                # One value per meter and hour, so fancy-index addition is exact.
                hour, value = hours.hour[at], hours.value[at] / row.meters
                if row.incoming:
                    inflow[hour] += value
                    losses[hour] += value * row.loss
                else:
                    outflow[hour] += value
                present[hour] += 1
                imputed[hour] |= hours.imputed[at]
        frames.append(
            pd.DataFrame(
                {
                    "bus": bus,
                    "carrier": carrier,
                    "hour": start + pd.to_timedelta(np.arange(n_hours), unit="h"),
                    "inflow": inflow,
                    "losses": losses,
                    "outflow": outflow,
                    "imputed": imputed,
                    "complete": present == n_meters,
                }
            )
        )
    hourly = pd.concat(frames, ignore_index=True)
    _judge(hourly, BALANCE_TOLERANCE_HOUR)
    hourly.loc[~hourly["complete"], "within"] = True  # not judged: a flow has no value
    zone = folder.park.location.timezone
    hourly["month"] = pd.DatetimeIndex(hourly["hour"]).tz_convert(zone).strftime("%Y-%m")
    periods = _periods(hourly)
    return BalanceReport(
        hourly=hourly.drop(columns=["month"]), periods=periods, not_computable=reasons
    )


def _slice(hours: Hours, code: int) -> slice:
    # Needles of the array's own dtype: otherwise numpy converts the whole array each call.
    lo, hi = np.searchsorted(hours.code, np.array([code, code + 1], dtype=hours.code.dtype))
    return slice(int(lo), int(hi))


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


def _periods(hourly: pd.DataFrame) -> pd.DataFrame:
    """Sums per bus and period. A period with hours where some flow has no value cannot
    be judged: its status is ``undetermined``, and its sums cover what was there."""
    parts = []
    for group in (hourly.assign(month="total"), hourly):
        parts.append(
            group.groupby(["bus", "carrier", "month"], as_index=False).agg(
                inflow=("inflow", "sum"),
                losses=("losses", "sum"),
                outflow=("outflow", "sum"),
                hours=("hour", "size"),
                hours_incomplete=("complete", lambda c: int((~c).sum())),
                hours_out_of_tolerance=("within", lambda w: int((~w).sum())),
            )
        )
    periods = pd.concat(parts, ignore_index=True).rename(columns={"month": "period"})
    _judge(periods, BALANCE_TOLERANCE_PERIOD)
    periods["status"] = np.where(
        periods["hours_incomplete"] > 0,
        "undetermined",
        np.where(periods["within"], "balanced", "imbalanced"),
    )
    return periods
