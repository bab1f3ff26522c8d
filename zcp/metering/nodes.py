"""Hourly energy into and out of every tenant and bus, per carrier — the aggregation per
node, built while the readings are read.

A flow's value in an hour is the mean of its meters' values (a check meter beside a main
meter does not double the flow). A meter reads at the sending end of its flow, so the
receiving node also carries the flow's stated losses (value x ``loss_fraction``). The
per-bus balance (:mod:`zcp.metering.balance`) is these sums for the buses; the tenants'
sums are what they drew from the park and passed on to their sub-metered equipment.

Values are in the carrier's canonical unit; hours count from the period start.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zcp.metering.resample import Hours
from zcp.model.folder import ParkFolder

#: The nodes aggregated: where energy is accounted for (tenants) and balanced (buses).
NODE_KINDS = ("tenant", "bus")


def _zeros(shape: tuple[int, int]) -> np.ndarray:
    """Zeros, with every page touched now: filled row by row as meters come in, a lazily
    mapped array costs a page fault per page on the way (10x slower, measured)."""
    out = np.zeros(shape)
    out.fill(0.0)
    return out


class NodeHours:
    """``inflow``, ``outflow`` [carrier unit] and ``losses`` per key (node, carrier) and
    hour; ``meters_present`` says how many of the key's ``meters_expected`` meters had a
    value in that hour, ``imputed`` whether any of those values was imputed."""

    def __init__(self, folder: ParkFolder, meters: pd.DataFrame, n_hours: int):
        park = folder.park
        kind_of = {t.id: "tenant" for t in park.tenants} | {
            a.id: a.type for a in park.assets if a.type in NODE_KINDS
        }
        flows = {f.id: f for f in park.flows}
        per_flow = meters["flow_id"].value_counts()
        n = len(meters)
        self.in_row = np.full(n, -1, dtype=np.int64)
        self.out_row = np.full(n, -1, dtype=np.int64)
        self.weight = np.ones(n)
        self.loss = np.zeros(n)
        rows: dict[tuple[str, str], int] = {}
        for code, (flow_id, carrier) in enumerate(
            zip(meters["flow_id"], meters["carrier"], strict=True)
        ):
            flow = flows[flow_id]
            self.weight[code] = 1.0 / per_flow[flow_id]
            self.loss[code] = flow.loss_fraction or 0.0
            if flow.to in kind_of:
                self.in_row[code] = rows.setdefault((flow.to, carrier), len(rows))
            if flow.from_ in kind_of:
                self.out_row[code] = rows.setdefault((flow.from_, carrier), len(rows))
        self.keys = pd.DataFrame(
            [(node, kind_of[node], carrier) for node, carrier in rows],
            columns=["node", "kind", "carrier"],
        )
        k = len(rows)
        self.n_hours = n_hours
        self.inflow = _zeros((k, n_hours))
        self.outflow = _zeros((k, n_hours))
        lossy = np.unique(self.in_row[(self.loss > 0) & (self.in_row >= 0)])
        self.loss_row = np.full(k, -1, dtype=np.int64)
        self.loss_row[lossy] = np.arange(len(lossy))
        self._losses = _zeros((len(lossy), n_hours))
        self.meters_expected = np.bincount(self.in_row[self.in_row >= 0], minlength=k)
        self.meters_expected += np.bincount(self.out_row[self.out_row >= 0], minlength=k)
        self._always_present = np.zeros(k, dtype=np.int64)  # clean meters: every hour
        self._present = np.zeros((k, n_hours), dtype=np.int16)
        self.imputed = np.zeros((k, n_hours), dtype=bool)

    def add_full_meter(self, code: int, hours: np.ndarray, factor: float = 1.0) -> None:
        """A meter with a measured value in every hour of the period (``hours`` x
        ``factor`` in the carrier's unit)."""
        weighted = hours * (factor * self.weight[code])
        row = self.in_row[code]
        if row >= 0:
            self.inflow[row] += weighted
            if self.loss[code] > 0:
                self._losses[self.loss_row[row]] += weighted * self.loss[code]
            self._always_present[row] += 1
        row = self.out_row[code]
        if row >= 0:
            self.outflow[row] += weighted
            self._always_present[row] += 1

    def add_hours(self, hours: Hours) -> None:
        """Repaired meters: one value per meter and hour, some imputed, some hours
        missing."""
        value = hours.value * self.weight[hours.code]
        self._add(self.in_row[hours.code], hours, value, self.inflow)
        self._add(self.out_row[hours.code], hours, value, self.outflow)
        lossy = (self.in_row[hours.code] >= 0) & (self.loss[hours.code] > 0)
        if lossy.any():
            code = hours.code[lossy]
            at = (self.loss_row[self.in_row[code]], hours.hour[lossy])
            np.add.at(self._losses, at, value[lossy] * self.loss[code])

    def _add(self, row: np.ndarray, hours: Hours, value: np.ndarray, grid: np.ndarray) -> None:
        at = row >= 0
        r, h = row[at], hours.hour[at]
        np.add.at(grid, (r, h), value[at])
        np.add.at(self._present, (r, h), 1)
        imputed = hours.imputed[at]
        self.imputed[r[imputed], h[imputed]] = True

    def losses(self, row: int) -> np.ndarray:
        at = self.loss_row[row]
        return self._losses[at] if at >= 0 else np.zeros(self.n_hours)

    def meters_present(self, row: int) -> np.ndarray:
        return self._present[row] + self._always_present[row]

    def row(self, node: str, carrier: str) -> int | None:
        match = np.flatnonzero((self.keys["node"] == node) & (self.keys["carrier"] == carrier))
        return int(match[0]) if match.size else None

    def frame(self, kind: str | None = None, start: pd.Timestamp | None = None) -> pd.DataFrame:
        """Long table: node, kind, carrier, hour, inflow, losses, outflow, meters_present,
        meters_expected, imputed (``hour`` is the hour index, or its start if ``start`` is
        given). Meant for a few nodes or a small park: aggregate the arrays otherwise."""
        rows = (
            np.arange(len(self.keys)) if kind is None else np.flatnonzero(self.keys["kind"] == kind)
        )
        h = self.n_hours
        hour = np.tile(np.arange(h), len(rows))
        frame = pd.DataFrame(
            {
                "node": np.repeat(self.keys["node"].to_numpy()[rows], h),
                "kind": np.repeat(self.keys["kind"].to_numpy()[rows], h),
                "carrier": np.repeat(self.keys["carrier"].to_numpy()[rows], h),
                "hour": hour if start is None else start + pd.to_timedelta(hour, unit="h"),
                "inflow": self.inflow[rows].ravel(),
                "losses": np.concatenate([self.losses(r) for r in rows]) if len(rows) else [],
                "outflow": self.outflow[rows].ravel(),
                "meters_present": np.concatenate([self.meters_present(r) for r in rows])
                if len(rows)
                else [],
                "meters_expected": np.repeat(self.meters_expected[rows], h),
                "imputed": self.imputed[rows].ravel(),
            }
        )
        return frame
