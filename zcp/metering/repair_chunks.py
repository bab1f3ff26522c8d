"""The meters that are not clean, repaired a chunk at a time while the files are read.

The reading pass (:mod:`zcp.metering.runs`) hands over each dirty meter's readings as
soon as its block ends; once enough have gathered, they are put through the rules of
:mod:`zcp.metering.repair_steps` and :mod:`zcp.metering.resample` — every meter's readings are
all in one chunk, and the rules work meter by meter, so chunks are independent. The work
fills the time the pass would spend waiting for the next row group, and the dirty
readings never pile up in memory.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from zcp.metering.extract import NO_TIME, Extract, sort_by_meter_and_time
from zcp.metering.meter_table import PeriodBounds
from zcp.metering.nodes import NodeHours
from zcp.metering.repair_steps import (
    Intervals,
    MeterRules,
    classify,
    count_reasons,
    gap_runs,
    intervals,
    rejected_rows,
    spikes,
)
from zcp.metering.resample import Hours, to_hours

#: Dirty readings gathered before they are repaired.
CHUNK_ROWS = 1 << 18


class Repairs:
    """Hand readings over with :meth:`add` (whole meters, any number per call), then
    :meth:`finish`. Repaired hours are added to the per-node sums as they come."""

    def __init__(self, meters: pd.DataFrame, bounds: PeriodBounds, nodes: NodeHours):
        self.n = len(meters)
        self.ids = meters["meter_id"]
        self.start_ms = int(bounds.start.timestamp() * 1000)
        self.end_ms = int(bounds.end.timestamp() * 1000)
        self.n_hours = bounds.hours
        self.factor = meters["factor"].to_numpy(dtype=float)
        self.ceiling = meters["ceiling"].to_numpy(dtype=float)
        self.rules = MeterRules(
            cumulative=(meters["register"] == "cumulative").to_numpy(),
            interval_ms=meters["interval_s"].to_numpy(dtype=np.int64) * 1000,
            rollover=meters["rollover"].to_numpy(dtype=float),
        )
        self.nodes = nodes
        self.counts: dict[str, np.ndarray] = {}
        self._waiting: list[Extract] = []
        self._waiting_rows = 0
        self._hours: list[Hours] = []
        self._rejected: list[dict[str, np.ndarray]] = []

    def add(self, readings: Extract) -> None:
        self._waiting.append(readings)
        self._waiting_rows += len(readings)
        if self._waiting_rows >= CHUNK_ROWS:
            self._repair_waiting()

    def finish(self) -> tuple[Hours, pd.DataFrame]:
        """All repaired hours (sorted by meter and hour) and every rejected reading."""
        self._repair_waiting()
        hours = Hours.concat(self._hours)
        if len(hours.code) and (np.diff(hours.code) < 0).any():
            order = np.argsort(hours.code, kind="stable")  # hours stay in order per meter
            hours = Hours(*(getattr(hours, f)[order] for f in Hours.__dataclass_fields__))
        return hours, self._rejected_frame()

    def _repair_waiting(self) -> None:
        if not self._waiting:
            return
        data = sort_by_meter_and_time(Extract.concat(self._waiting), self.start_ms)
        self._waiting, self._waiting_rows = [], 0
        hours, counts = self._repair(data)
        self.nodes.add_hours(hours)
        self._hours.append(hours)
        for name, values in counts.items():
            self.counts[name] = self.counts[name] + values if name in self.counts else values

    def _repair(self, data: Extract) -> tuple[Hours, dict[str, np.ndarray]]:
        n, rules = self.n, self.rules
        reason = classify(data, rules, self.start_ms, self.end_ms)
        counts = count_reasons(data, reason, n)
        counts["gap_runs"] = gap_runs(data, reason, rules, n)
        self._rejected.append(rejected_rows(data, reason))
        data = data.take(np.flatnonzero(reason == 0))  # accepted readings only, from here on
        del reason
        iv, counts["resets"], counts["rollovers"], resets = intervals(data, rules, n)
        self._rejected.append(resets)
        del data
        # Physically impossible intervals go first, so they cannot sway the spike test.
        iv = self._drop(iv, "implausible", iv.energy / iv.slots > self.ceiling[iv.code], counts)
        iv = self._drop(iv, "spikes", spikes(iv, n), counts)
        hours = to_hours(iv, rules, self.factor, self.start_ms, self.n_hours)
        counts["hours_measured"] = np.bincount(hours.code[~hours.imputed], minlength=n)
        counts["hours_imputed"] = np.bincount(hours.code[hours.imputed], minlength=n)
        return hours, counts

    def _drop(
        self, iv: Intervals, rule: str, mask: np.ndarray, counts: dict[str, np.ndarray]
    ) -> Intervals:
        """Reject the intervals in ``mask`` under ``rule``: counted, listed, removed."""
        counts[rule] = np.bincount(iv.code[mask], minlength=self.n)
        self._rejected.append(
            {
                "code": iv.code[mask],
                "ts_ms": iv.start_ms[mask],
                "value": iv.energy[mask],
                "rule": np.full(int(mask.sum()), rule, dtype=object),
            }
        )
        keep = ~mask
        return Intervals(*(getattr(iv, f)[keep] for f in iv.__dataclass_fields__))

    def _rejected_frame(self) -> pd.DataFrame:
        parts = self._rejected or [rejected_rows(Extract.concat([]), np.empty(0, np.int8))]
        code = np.concatenate([p["code"] for p in parts]).astype(np.int64)
        ts = np.concatenate([p["ts_ms"] for p in parts])
        stamps = pd.to_datetime(np.where(ts == NO_TIME, np.iinfo(np.int64).min, ts * 1000),
                                unit="us", utc=True)  # fmt: skip
        frame = pd.DataFrame(
            {
                "meter_id": self.ids.to_numpy()[code],
                "timestamp": stamps,
                "value": np.concatenate([p["value"] for p in parts]),
                "rule": np.concatenate([p["rule"] for p in parts]),
            }
        )
        return frame.sort_values(["meter_id", "timestamp"], kind="stable", ignore_index=True)
