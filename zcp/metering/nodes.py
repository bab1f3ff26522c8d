"""Hourly energy into every tenant and bus, and out of every bus, per carrier — the
aggregation per node, built while the readings are read.

A flow's value in an hour is the mean of its meters' values (a check meter beside a main
meter does not double the flow). A meter reads at the sending end of its flow, so the
receiving node also carries the flow's stated losses (value x ``loss_fraction``). The
per-bus balance (:mod:`zcp.metering.balance`) is these sums for the buses; a tenant's
inflow is what it drew from the park, hour by hour. (What a tenant passes on to its
sub-metered equipment is left per meter in the ``hourly`` view: an hourly grid of it
would double the memory for a figure nothing reads hour by hour.)

Values are in the carrier's canonical unit; hours count from the period start.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zcp.metering.resample import Hours
from zcp.model.folder import ParkFolder

#: The nodes aggregated: where energy is accounted for (tenants) and balanced (buses).
NODE_KINDS = ("tenant", "bus")


class _SomeRows:
    """A grid (rows x hours) for the few keys that need one (losses, outflow)."""

    def __init__(self, keys: np.ndarray, n_keys: int, n_hours: int):
        self.row = np.full(n_keys, -1, dtype=np.int64)
        self.row[keys] = np.arange(len(keys))
        self.grid = np.zeros((len(keys), n_hours))

    def of(self, key: int) -> np.ndarray:
        at = self.row[key]
        return self.grid[at] if at >= 0 else np.zeros(self.grid.shape[1])


class NodeHours:
    """``inflow`` [carrier unit] per key (node, carrier) and hour; ``losses(key)`` and
    ``outflow(key)`` (buses) likewise. ``meters_present(key)`` says how many of the key's
    ``meters_expected`` meters had a value in each hour, ``imputed`` whether any of those
    values was imputed."""

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
            if kind_of.get(flow.from_) == "bus":
                self.out_row[code] = rows.setdefault((flow.from_, carrier), len(rows))
        self.keys = pd.DataFrame(
            [(node, kind_of[node], carrier) for node, carrier in rows],
            columns=["node", "kind", "carrier"],
        )
        k = len(rows)
        self.n_hours = n_hours
        # Zero pages are mapped as rows are first written, during the reading pass, while
        # the reader threads decode the next row groups. Filling the grid up front cost
        # 0.3-0.5 s more on a 1,000-tenant park (huge-page compaction stalls, measured).
        self.inflow = np.zeros((k, n_hours))
        self._outflow = _SomeRows(np.unique(self.out_row[self.out_row >= 0]), k, n_hours)
        lossy = np.unique(self.in_row[(self.loss > 0) & (self.in_row >= 0)])
        self._losses = _SomeRows(lossy, k, n_hours)
        self.meters_expected = np.bincount(self.in_row[self.in_row >= 0], minlength=k)
        self.meters_expected += np.bincount(self.out_row[self.out_row >= 0], minlength=k)
        self._always_present = np.zeros(k, dtype=np.int64)  # clean meters: every hour
        self._present = np.zeros((k, n_hours), dtype=np.int16)
        self.imputed = np.zeros((k, n_hours), dtype=bool)

    def aggregates(self, codes: np.ndarray) -> np.ndarray:
        """Whether each meter feeds any node's sums (most equipment meters do not)."""
        return (self.in_row[codes] >= 0) | (self.out_row[codes] >= 0)

    def add_full_meter(self, code: int, hours: np.ndarray, factor: float = 1.0) -> None:
        """A meter with a measured value in every hour of the period (``hours`` [reading
        unit] x ``factor`` [carrier unit per reading unit])."""
        weighted = hours * (factor * self.weight[code])
        row = self.in_row[code]
        if row >= 0:
            self.inflow[row] += weighted
            if self.loss[code] > 0:
                self._losses.grid[self._losses.row[row]] += weighted * self.loss[code]
            self._always_present[row] += 1
        row = self.out_row[code]
        if row >= 0:
            self._outflow.grid[self._outflow.row[row]] += weighted
            self._always_present[row] += 1

    def add_hours(self, hours: Hours) -> None:
        """Repaired meters: one value per meter and hour [carrier unit], some imputed, some
        hours missing."""
        feeding = self.aggregates(hours.code)
        if not feeding.all():  # most repaired meters are equipment meters: none of ours
            hours = Hours(*(getattr(hours, f)[feeding] for f in Hours.__dataclass_fields__))
        value = hours.value * self.weight[hours.code]
        in_row, out_row = self.in_row[hours.code], self.out_row[hours.code]
        self._add(in_row, hours, value)
        self._add(out_row, hours, value, self._outflow)
        lossy = in_row >= 0
        lossy &= self.loss[hours.code] > 0
        self._add(in_row, hours, value * self.loss[hours.code], self._losses, only=lossy)

    def _add(
        self,
        row: np.ndarray,
        hours: Hours,
        value: np.ndarray,
        some: _SomeRows | None = None,
        only: np.ndarray | None = None,
    ) -> None:
        """Add values at (key row, hour), to ``inflow`` or to ``some`` grid; the inflow
        and outflow also count the meters present and imputed."""
        at = row >= 0 if only is None else only
        r, h = row[at], hours.hour[at]
        if some is None:
            np.add.at(self.inflow, (r, h), value[at])
        else:
            np.add.at(some.grid, (some.row[r], h), value[at])
        if only is None:
            np.add.at(self._present, (r, h), 1)
            imputed = hours.imputed[at]
            self.imputed[r[imputed], h[imputed]] = True

    def losses(self, row: int) -> np.ndarray:
        """Stated line losses of the flows into a node [carrier unit] per hour."""
        return self._losses.of(row)

    def outflow(self, row: int) -> np.ndarray:
        """Out of a bus [carrier unit] per hour (zeros for a tenant: not aggregated)."""
        return self._outflow.of(row)

    def meters_present(self, row: int) -> np.ndarray:
        return self._present[row] + self._always_present[row]

    def row(self, node: str, carrier: str) -> int | None:
        match = np.flatnonzero((self.keys["node"] == node) & (self.keys["carrier"] == carrier))
        return int(match[0]) if match.size else None

    def frame(self, kind: str | None = None, start: pd.Timestamp | None = None) -> pd.DataFrame:
        """Long table: node, kind, carrier, hour, inflow, losses, outflow [carrier unit],
        meters_present, meters_expected [count], imputed (``hour`` is the hour index, or its
        start if ``start`` is given). Meant for a few nodes or a small park: aggregate the
        arrays otherwise."""

        def each(per_row) -> np.ndarray:
            return np.concatenate([per_row(r) for r in rows]) if len(rows) else np.empty(0)

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
                "losses": each(self.losses),
                "outflow": each(self.outflow),
                "meters_present": each(self.meters_present),
                "meters_expected": np.repeat(self.meters_expected[rows], h),
                "imputed": self.imputed[rows].ravel(),
            }
        )
        return frame
