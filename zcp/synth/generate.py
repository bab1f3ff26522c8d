"""Write a synthetic park folder: park.yaml, meters.csv, readings and ``synth.json``.

Readings are produced meter by meter and written in chunks with pyarrow, so memory stays
bounded by the tenants' demand matrix (tenants x hours) and one chunk of meters, whatever
the meter count. The same seed gives the same folder, byte for byte.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from zcp import __version__
from zcp.synth.faults import UNKNOWN_METER, FaultCounts, FaultPlan, apply_faults, plan_faults
from zcp.synth.layout import WIND_LOSS, Layout, MeterSpec, build_layout, park_document
from zcp.synth.profiles import (
    demand_shape,
    dispatch_storage,
    local_hours,
    off_days,
    pv_shape,
    wind_shape,
)

METER_CHUNK = 250
READINGS_PATH = "readings/readings.parquet"


@dataclass
class SynthSpec:
    """What to generate. ``hours`` start at local midnight of ``start``."""

    tenants: int = 12
    meters: int = 40
    hours: int = 8760
    seed: int = 0
    start: dt.date = dt.date(2026, 1, 1)
    park_id: str = "synthetic-park"
    name: str = "合成零碳产业园（模拟数据）"
    latitude: float = 30.9
    longitude: float = 121.9
    timezone: str = "Asia/Shanghai"
    faults: FaultCounts | None = None  # None: scaled defaults
    readings_format: str = "parquet"  # parquet | csv
    cumulative_share: float = 0.05
    subhourly_share: float = 0.02

    @property
    def period_end(self) -> dt.date:
        return self.start + dt.timedelta(days=-(-self.hours // 24) - 1)


class _Profiles:
    """True hourly energies [kWh, or m3 for gas] that the meters measure."""

    def __init__(self, layout: Layout, spec: SynthSpec, rng: np.random.Generator):
        times = local_hours(spec.start, spec.hours, spec.timezone)
        off = off_days(times)
        self.demand = np.stack(
            [t.peak_kw * demand_shape(times, t.shift, off, rng) for t in layout.tenants]
        )
        self.gas = {
            i: t.gas_peak_m3 * demand_shape(times, t.shift, off, rng)
            for i, t in enumerate(layout.tenants)
            if t.gas_peak_m3 is not None
        }
        pv = layout.pv_kw * pv_shape(times, spec.latitude, spec.longitude, rng)
        wind = layout.wind_kw * wind_shape(spec.hours, rng)
        load = self.demand.sum(axis=0)
        surplus = pv + (1 - WIND_LOSS) * wind - load
        charge, discharge = dispatch_storage(surplus, layout.bess_kw, layout.bess_kwh, 0.9)
        net = load + charge - pv - (1 - WIND_LOSS) * wind - discharge
        self.fixed = {
            "M-IMP": np.maximum(net, 0.0),
            "M-EXP": np.maximum(-net, 0.0),
            "M-PV": pv,
            "M-WIND": wind,
            "M-BESS-IN": charge,
            "M-BESS-OUT": discharge,
            "M-GAS": sum(self.gas.values()),
        }
        self.times_utc = times.tz_convert("UTC").tz_localize(None).to_numpy().astype("M8[us]")

    def series(self, meter: MeterSpec, rng: np.random.Generator) -> np.ndarray:
        kind = meter.source[0]
        if kind == "tenant":
            return self.demand[meter.source[1]]
        if kind == "tenant_gas":
            return self.gas[meter.source[1]]
        if kind == "equipment":
            _, tenant, share = meter.source
            return self.demand[tenant] * share * rng.uniform(0.97, 1.03, self.demand.shape[1])
        return self.fixed[meter.source[0]]


def readings_of(
    meter: MeterSpec, energy: np.ndarray, times: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """(UTC timestamps, values in the meter's reading unit) before faults."""
    energy = energy / meter.multiplier
    if meter.register == "cumulative":
        # A register read at each hour start and once more at the end of the last hour.
        stamps = np.append(times, times[-1] + np.timedelta64(3600, "s"))
        register = meter.register_start + np.concatenate([[0.0], np.cumsum(energy)])
        if meter.rollover:
            register = np.mod(register, meter.rollover)
        return stamps, np.round(register, 2)
    if meter.interval_minutes == 15:
        weights = rng.dirichlet(np.full(4, 20.0), size=len(energy))
        stamps = (times[:, None] + np.arange(4) * np.timedelta64(900, "s")).ravel()
        return stamps, np.round((energy[:, None] * weights).ravel(), 3)
    return times, np.round(energy, 2)


def synthesize(out: str | Path, spec: SynthSpec) -> dict:
    """Write the park folder ``out`` and return what ``synth.json`` records."""
    rng = np.random.default_rng(spec.seed)
    out = Path(out)
    (out / "readings").mkdir(parents=True, exist_ok=True)
    layout = build_layout(
        spec.tenants,
        spec.meters,
        spec.start,
        rng,
        cumulative_share=spec.cumulative_share,
        subhourly_share=spec.subhourly_share,
    )
    counts = spec.faults if spec.faults is not None else FaultCounts.scaled(spec.meters)
    plan = plan_faults(layout, spec.hours, counts, rng)
    for meter in layout.meters:
        if meter.id in plan.past_calibration:
            meter.calibrated_on = spec.start - dt.timedelta(days=3 * 365)
    profiles = _Profiles(layout, spec, rng)
    rollovers = _write_readings(out, spec, layout, plan, profiles, rng)
    _write_meters(out / "meters.csv", layout)
    header = _header(spec)
    (out / "park.yaml").write_text(
        park_document(
            layout,
            park_id=spec.park_id,
            name=spec.name,
            period=(spec.start, spec.period_end),
            latitude=spec.latitude,
            longitude=spec.longitude,
            timezone=spec.timezone,
            header=header,
            readings_path=_readings_path(spec),
        ),
        encoding="utf-8",
    )
    record = {
        "generator": f"zcp synth {__version__}",
        "spec": {
            k: str(v) if isinstance(v, dt.date) else v
            for k, v in vars(spec).items()
            if k != "faults"
        },
        "fault_counts": vars(counts),
        "truth": {**plan.truth(), "rollovers": rollovers},
    }
    (out / "synth.json").write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n")
    return record


def _readings_path(spec: SynthSpec) -> str:
    return READINGS_PATH if spec.readings_format == "parquet" else "readings/readings.csv"


def command_line(spec: SynthSpec) -> str:
    """The ``zcp synth`` command that regenerates this folder."""
    words = [
        f"zcp synth --tenants {spec.tenants} --meters {spec.meters} --hours {spec.hours}",
        f"--seed {spec.seed} --start {spec.start} --id {spec.park_id}",
    ]
    if spec.name != SynthSpec.name:
        words.append(f"--name '{spec.name}'")
    if spec.readings_format != "parquet":
        words.append(f"--format {spec.readings_format}")
    if spec.faults is not None and not any(vars(spec.faults).values()):
        words.append("--no-faults")
    return " ".join(words)


def _header(spec: SynthSpec) -> str:
    return (
        "# SYNTHETIC DATA — not a real park. Generated by `zcp synth` with\n"
        f"#   {command_line(spec)} --out <this folder>\n"
        "# Shapes: pvlib clear-sky PV, AR(1) wind, shift patterns, weekends and Chinese public\n"
        "# holidays, a daily-cycling battery. Seeded faults (gaps, duplicates, spikes, negative\n"
        "# values, register resets, silent meters, readings for an unknown meter) are listed\n"
        "# with their exact counts in synth.json, the ground truth for the quality report.\n"
    )


def _write_readings(
    out: Path,
    spec: SynthSpec,
    layout: Layout,
    plan: FaultPlan,
    profiles: _Profiles,
    rng: np.random.Generator,
) -> int:
    """Write every meter's readings; returns how many register rollovers they contain."""
    ids = [m.id for m in layout.meters] + [UNKNOWN_METER]
    dictionary = pa.array(ids, type=pa.string())
    schema = pa.schema(
        [
            ("meter_id", pa.dictionary(pa.int32(), pa.string())),
            ("timestamp", pa.timestamp("us", tz="UTC")),
            ("value", pa.float64()),
        ]
    )
    sink = _Sink(out / _readings_path(spec), schema, spec.timezone)
    rollovers = 0
    for first in range(0, len(layout.meters), METER_CHUNK):
        idx, stamps, values = [], [], []
        for k in range(first, min(first + METER_CHUNK, len(layout.meters))):
            meter = layout.meters[k]
            energy = profiles.series(meter, rng)
            t, v = readings_of(meter, energy, profiles.times_utc, rng)
            if meter.rollover:
                rollovers += int((np.diff(v) < 0).sum())
            if meter.id in plan.silent:
                continue
            t, v = apply_faults(t, v, plan.by_meter.get(meter.id, []))
            idx.append(np.full(len(t), k, dtype=np.int32))
            stamps.append(t)
            values.append(v)
        if first + METER_CHUNK >= len(layout.meters) and plan.unknown_rows:
            idx.append(np.full(plan.unknown_rows, len(ids) - 1, dtype=np.int32))
            stamps.append(profiles.times_utc[: plan.unknown_rows])
            values.append(np.round(rng.uniform(1, 100, plan.unknown_rows), 2))
        if idx:
            sink.write(
                dictionary, np.concatenate(idx), np.concatenate(stamps), np.concatenate(values)
            )
    sink.close()
    return rollovers


class _Sink:
    """Parquet (dictionary-encoded meter ids, UTC timestamps) or CSV with local offsets."""

    def __init__(self, path: Path, schema: pa.Schema, timezone: str):
        self.path, self.schema, self.timezone = path, schema, timezone
        if path.suffix == ".parquet":
            self.writer = pq.ParquetWriter(path, schema)
        else:
            self.writer = None
            path.write_text("meter_id,timestamp,value\n", encoding="utf-8")

    def write(
        self, dictionary: pa.Array, idx: np.ndarray, stamps: np.ndarray, values: np.ndarray
    ) -> None:
        if self.writer is not None:
            table = pa.table(
                [
                    pa.DictionaryArray.from_arrays(pa.array(idx), dictionary),
                    pa.array(stamps, type=pa.timestamp("us", tz="UTC")),
                    pa.array(values, type=pa.float64()),
                ],
                schema=self.schema,
            )
            self.writer.write_table(table, row_group_size=1 << 20)
            return
        local = pd.DatetimeIndex(stamps).tz_localize("UTC").tz_convert(self.timezone)
        frame = pd.DataFrame(
            {
                "meter_id": np.asarray(dictionary.to_pylist(), dtype=object)[idx],
                "timestamp": [t.isoformat() for t in local],
                "value": values,
            }
        )
        frame.to_csv(self.path, mode="a", header=False, index=False)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


def _write_meters(path: Path, layout: Layout) -> None:
    columns = [
        "id",
        "flow",
        "carrier",
        "unit",
        "level",
        "register",
        "interval_minutes",
        "multiplier",
        "rollover",
        "resolution",
        "accuracy_class",
        "calibrated_on",
        "calibration_interval_months",
    ]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        for m in layout.meters:
            writer.writerow(
                [
                    m.id,
                    m.flow,
                    m.carrier,
                    m.unit,
                    m.level,
                    m.register,
                    m.interval_minutes,
                    f"{m.multiplier:g}",
                    f"{m.rollover:g}" if m.rollover else "",
                    "0.01",
                    "0.5S" if m.level == "park_boundary" else "1.0",
                    m.calibrated_on.isoformat() if m.calibrated_on else "",
                    m.calibration_interval_months,
                ]
            )
