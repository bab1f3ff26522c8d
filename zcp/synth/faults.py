"""Seeded faults: the ground truth that the data-quality report is tested against.

Each fault hits its own meter (drawn without replacement from hourly interval meters on
tenant and equipment supplies), so the expected counts per meter are exact: a gap of L
hours leaves L readings missing and L hours imputed; a spike, a negative value or a
register reset each rejects one reading and imputes one hour; a duplicate repeats one
reading (dropped, nothing imputed). Silent meters write nothing at all, and a few readings
name a meter the park does not have.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from zcp.synth.layout import Layout

SPIKE_FACTOR = 200.0
UNKNOWN_METER = "M-NOT-IN-PARK"


@dataclass
class FaultCounts:
    """How many faults of each kind to seed (``scaled`` gives defaults by park size)."""

    gaps: int = 0
    duplicates: int = 0
    spikes: int = 0
    negatives: int = 0
    resets: int = 0
    silent: int = 0
    unknown_rows: int = 0
    past_calibration: int = 0

    @classmethod
    def scaled(cls, meters: int) -> FaultCounts:
        n = max(2, meters // 500)
        return cls(
            gaps=n,
            duplicates=n,
            spikes=n,
            negatives=max(1, n // 2),
            resets=max(1, n // 2),
            silent=max(1, n // 2),
            unknown_rows=24,
            past_calibration=n,
        )


@dataclass
class FaultPlan:
    #: meter id → list of (kind, position, length): kind gap|duplicate|spike|negative|reset
    by_meter: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict)
    silent: list[str] = field(default_factory=list)
    past_calibration: list[str] = field(default_factory=list)
    unknown_rows: int = 0

    def truth(self) -> dict:
        """Expected totals and per-meter counts, as the quality report should find them."""
        per_meter: dict[str, dict[str, int]] = {}
        totals = dict.fromkeys(
            ("gap_runs", "missing_readings", "duplicates", "spikes", "negatives", "resets"), 0
        )
        for meter_id, faults in self.by_meter.items():
            counts = per_meter.setdefault(meter_id, {})
            for kind, _position, length in faults:
                if kind == "gap":
                    totals["gap_runs"] += 1
                    totals["missing_readings"] += length
                    counts["missing"] = counts.get("missing", 0) + length
                    counts["imputed_hours"] = counts.get("imputed_hours", 0) + length
                else:
                    key = kind + "s"
                    totals[key] += 1
                    counts[key] = counts.get(key, 0) + 1
                    if kind != "duplicate":
                        counts["imputed_hours"] = counts.get("imputed_hours", 0) + 1
        return {
            **totals,
            "imputed_hours": sum(c.get("imputed_hours", 0) for c in per_meter.values()),
            "silent_meters": sorted(self.silent),
            "unknown_meters": {UNKNOWN_METER: self.unknown_rows} if self.unknown_rows else {},
            "past_calibration": sorted(self.past_calibration),
            "per_meter": dict(sorted(per_meter.items())),
        }


def plan_faults(
    layout: Layout, hours: int, counts: FaultCounts, rng: np.random.Generator
) -> FaultPlan:
    plan = FaultPlan(unknown_rows=counts.unknown_rows)
    pool = [
        m.id
        for m in layout.meters
        if m.register == "interval"
        and m.interval_minutes == 60
        and m.source[0] in ("tenant", "equipment")
    ]
    pool = list(rng.permutation(pool))
    registers = [m.id for m in layout.meters if m.register == "cumulative" and m.rollover is None]
    registers = list(rng.permutation(registers))

    def take(from_pool: list[str]) -> str | None:
        return str(from_pool.pop()) if from_pool else None

    def interior(length: int) -> int:
        return int(rng.integers(1, max(2, hours - length - 1)))

    for kind, n in (
        ("gap", counts.gaps),
        ("duplicate", counts.duplicates),
        ("spike", counts.spikes),
        ("negative", counts.negatives),
    ):
        for _ in range(n):
            meter_id = take(pool)
            if meter_id is None:
                break
            length = int(rng.integers(1, 7)) if kind == "gap" else 1
            plan.by_meter[meter_id] = [(kind, interior(length), length)]
    for _ in range(counts.resets):
        meter_id = take(registers)
        if meter_id is None:
            break
        plan.by_meter[meter_id] = [("reset", interior(1) + 1, 1)]
    # Silent meters are equipment sub-meters, so the bus balance stays determinable.
    kinds = {m.id: m.source[0] for m in layout.meters}
    machines = [m for m in pool if kinds[m] == "equipment"]
    for _ in range(counts.silent):
        meter_id = take(machines)
        if meter_id is None:
            break
        pool.remove(meter_id)
        plan.silent.append(meter_id)
    ids = [m.id for m in layout.meters]
    chosen = rng.choice(len(ids), size=min(counts.past_calibration, len(ids)), replace=False)
    plan.past_calibration = [ids[i] for i in chosen]
    return plan


def apply_faults(
    times: np.ndarray, values: np.ndarray, faults: list[tuple[str, int, int]]
) -> tuple[np.ndarray, np.ndarray]:
    """The readings of one meter with its planned faults in place."""
    values = values.copy()
    drop = np.zeros(len(values), dtype=bool)
    repeat = np.ones(len(values), dtype=np.int64)
    for kind, position, length in faults:
        if kind == "gap":
            drop[position : position + length] = True
        elif kind == "spike":
            values[position] = abs(values[position]) * SPIKE_FACTOR + 1.0
        elif kind == "negative":
            values[position] = -abs(values[position]) - 1.0
        elif kind == "duplicate":
            repeat[position] = 2
        elif kind == "reset":
            # The register restarts from zero just before reading ``position``.
            values[position:] = np.round(values[position:] - values[position - 1], 2)
    repeat[drop] = 0
    return np.repeat(times, repeat), np.repeat(values, repeat)


def as_dict(counts: FaultCounts) -> dict:
    return asdict(counts)
