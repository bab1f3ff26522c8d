"""Energy quantities the accounts rest on, per flow × meter × period bucket, and hourly.

Two sources, one result (``Aggregates``):

* **metered** (an operating park with readings): the boundary meters (generation, grid,
  storage) are read hour by hour in a small query; clean supply is matched to the load; one
  scan then sums every accounted meter per bucket together with its load weighted
  by each hour's matched share r_h — the pro-rata-per-hour allocation of clean power to
  tenants, without ever holding tenant × hour in memory.
* **modelled** (a design-stage park): annual estimates spread over the hours with the shapes
  of :mod:`zcp.ledger.shapes`.

Flows without a meter but with an annual estimate are spread flat and labelled estimated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from zcp.ledger import shapes
from zcp.ledger.matching import Matching, match
from zcp.ledger.topology import PARK_ENTITY, SINK_ROLES, SUPPLY_ROLES, FlowRole
from zcp.ledger.windows import Windows, annual_rate, per_bucket
from zcp.model import ParkFolder
from zcp.model.park import Generator

ROLES = SUPPLY_ROLES + SINK_ROLES
TRACE_COLUMNS = ["flow_id", "meter_id", "entity", "carrier", "kind", "bucket", "quantity",
                 "hours", "imputed_hours", "basis"]  # fmt: skip


@dataclass
class Aggregates:
    windows: Windows
    basis: str  #: "metered" or "modelled"
    roles: dict[str, np.ndarray]  #: role → hourly [MWh], supplies after stated losses
    load: np.ndarray  #: L_h, electricity consumed in hour h [MWh]
    flows: pd.DataFrame  #: trace rows (TRACE_COLUMNS)
    loads: pd.DataFrame  #: entity, bucket, load, clean_hourly [MWh]
    shapes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    hourly_reason: str | None = None

    def supply_bucket(self, role: str) -> np.ndarray:
        return per_bucket(self.roles[role], self.windows)


def _flat(value: float, folder: ParkFolder, windows: Windows) -> np.ndarray:
    return np.full(len(windows.hours), value / annual_rate(folder))


def _estimate(folder: ParkFolder, flow_id: str) -> float | None:
    """Annual estimate of a flow, or a generator's capacity × capacity factor × 8,760 h."""
    if flow_id in folder.annual_estimates:
        return folder.annual_estimates[flow_id]
    flow = next(f for f in folder.park.flows if f.id == flow_id)
    gen = next((a for a in folder.park.assets if a.id == flow.from_), None)
    if isinstance(gen, Generator):
        if gen.annual_output is not None:
            return gen.annual_output
        if gen.capacity_factor is not None:
            return gen.capacity * gen.capacity_factor * 8760.0
    return None


def _modelled_series(
    folder: ParkFolder, role: FlowRole, annual: float, windows: Windows, pv: np.ndarray | None
) -> tuple[np.ndarray, str]:
    gen = next((a for a in folder.park.assets if a.id == role.generator), None)
    if isinstance(gen, Generator) and gen.technology == "pv" and pv is not None:
        return pv * (annual / annual_rate(folder)), "modelled"
    return _flat(annual, folder, windows), "estimated"


def _trace_rows(
    role: FlowRole, meter: str | None, series: np.ndarray, windows: Windows, basis: str
) -> pd.DataFrame:
    sums = per_bucket(series, windows)
    return pd.DataFrame(
        {
            "flow_id": role.flow_id,
            "meter_id": meter,
            "entity": role.entity,
            "carrier": role.carrier,
            "kind": role.kind,
            "bucket": windows.buckets["bucket"].to_numpy(),
            "quantity": sums,
            "hours": windows.bucket_hours(),
            "imputed_hours": 0,
            "basis": basis,
        }
    )


def _entity_loads(
    load_hourly: dict[str, np.ndarray], r: np.ndarray, windows: Windows
) -> pd.DataFrame:
    rows = []
    for entity, series in load_hourly.items():
        rows.append(
            pd.DataFrame(
                {
                    "entity": entity,
                    "bucket": windows.buckets["bucket"].to_numpy(),
                    "load": per_bucket(series, windows),
                    "clean_hourly": per_bucket(series * r, windows),
                }
            )
        )
    return _concat(rows, ["entity", "bucket", "load", "clean_hourly"])


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def reconcile(loads: pd.DataFrame, m: Matching, windows: Windows) -> tuple[pd.DataFrame, list[str]]:
    """Add the park's own row (load not behind any tenant meter: shared use, losses) so each
    bucket's entity loads add up to L and their clean shares to the matched clean."""
    warnings = []
    total_b = per_bucket(m.load, windows)
    matched_b = per_bucket(m.matched, windows)
    sums = loads.groupby("bucket")[["load", "clean_hourly"]].sum()
    sums = sums.reindex(windows.buckets["bucket"], fill_value=0.0)
    residual = total_b - sums["load"].to_numpy()
    clean_rest = matched_b - sums["clean_hourly"].to_numpy()
    over = clean_rest < -1e-6 * np.maximum(matched_b, 1.0)
    if over.any():
        scale = np.where(over, matched_b / np.maximum(sums["clean_hourly"].to_numpy(), 1e-12), 1.0)
        loads = loads.assign(clean_hourly=loads["clean_hourly"] * scale[loads["bucket"]])
        clean_rest = np.where(over, 0.0, clean_rest)
        months = ", ".join(windows.buckets["month"].to_numpy()[over])
        warnings.append(
            f"tenant meters exceed the park-boundary balance in {months}; their hourly clean "
            "shares were scaled down to the matched clean supply"
        )
    park = pd.DataFrame(
        {
            "entity": PARK_ENTITY,
            "bucket": windows.buckets["bucket"].to_numpy(),
            "load": np.maximum(residual, 0.0),
            "clean_hourly": np.clip(clean_rest, 0.0, None),
        }
    )
    loads = loads[loads["entity"] != PARK_ENTITY]
    return _concat([loads, park], ["entity", "bucket", "load", "clean_hourly"]), warnings


def modelled_aggregates(
    folder: ParkFolder, roles: dict[str, FlowRole], windows: Windows, sold_mwh: float = 0.0
) -> tuple[Aggregates, Matching]:
    """Hourly figures from design estimates (labelled modelled/estimated)."""
    hours = windows.hours
    pv = shapes.pv_shape(folder, hours)
    arrays = {r: np.zeros(len(hours)) for r in ROLES}
    load_hourly: dict[str, np.ndarray] = {}
    traces, warnings, used_shapes = [], [], {shapes.FLAT_SHAPE}
    for role in roles.values():
        if role.kind == "internal":
            continue
        annual = _estimate(folder, role.flow_id)
        if annual is None:
            warnings.append(f"flow {role.flow_id!r} has no annual estimate; counted as zero")
            continue
        series, basis = _modelled_series(folder, role, annual, windows, pv)
        if basis == "modelled":
            used_shapes.add(shapes.PV_SHAPE)
        traces.append(_trace_rows(role, None, series, windows, basis))
        _add_electricity(role, series, arrays, load_hourly)
    agg, m = _finish(folder, windows, arrays, load_hourly, traces, sold_mwh, "modelled")
    agg.shapes = sorted(used_shapes)
    agg.warnings += warnings
    has_pv = any(isinstance(a, Generator) and a.technology == "pv" for a in folder.park.assets)
    if has_pv and pv is None:
        agg.hourly_reason = "design-stage park without latitude/longitude: no PV profile"
    return agg, m


def _add_electricity(
    role: FlowRole,
    series: np.ndarray,
    arrays: dict[str, np.ndarray],
    load_hourly: dict[str, np.ndarray],
) -> None:
    if role.kind != "electricity":
        return
    if role.supply:
        arrays[role.supply] += series * (1.0 - role.loss)
    if role.sink in SINK_ROLES:
        arrays[role.sink] += series
    if role.sink == "load" and role.entity is not None:
        delivered = series * (1.0 - role.loss) if role.supply else series
        load_hourly[role.entity] = load_hourly.get(role.entity, 0.0) + delivered


def _finish(
    folder: ParkFolder,
    windows: Windows,
    arrays: dict[str, np.ndarray],
    load_hourly: dict[str, np.ndarray],
    traces: list[pd.DataFrame],
    sold_mwh: float,
    basis: str,
) -> tuple[Aggregates, Matching]:
    # design estimates need not balance; the load is what the tenants are expected to use
    load = sum(load_hourly.values()) if load_hourly else np.zeros(len(windows.hours))
    m = match_roles(arrays, load, sold_mwh)
    loads = _entity_loads(load_hourly, m.r, windows)
    loads, warnings = reconcile(loads, m, windows)
    flows = _concat(traces, TRACE_COLUMNS)
    return Aggregates(windows, basis, arrays, load, flows, loads, warnings=warnings), m


def match_roles(arrays: dict[str, np.ndarray], load: np.ndarray, sold_mwh: float) -> Matching:
    return match(
        arrays["clean_direct"],
        arrays["clean_contract"],
        arrays["storage_in"],
        arrays["storage_out"],
        arrays["export"],
        load,
        sold_mwh,
    )


def primary_meters(folder: ParkFolder) -> dict[str, str]:
    """Flow id → the meter whose readings count for it (the first listed; others check it)."""
    out: dict[str, str] = {}
    for meter in folder.park.meters:
        out.setdefault(meter.flow, meter.id)
    return out


def metered_aggregates(
    folder: ParkFolder,
    roles: dict[str, FlowRole],
    windows: Windows,
    readings: Any,
    sold_mwh: float = 0.0,
) -> tuple[Aggregates, Matching]:
    """Hourly figures from readings (``readings.con`` holds the ``hourly`` table)."""
    from zcp.ledger import scan

    con = readings.con
    primary = primary_meters(folder)
    arrays = {r: np.zeros(len(windows.hours)) for r in ROLES}
    warnings: list[str] = []
    boundary = {
        primary[f]: r
        for f, r in roles.items()
        if r.kind == "electricity" and (r.supply or r.sink in SINK_ROLES) and f in primary
    }
    for meter_id, series in scan.hourly_by_meter(con, list(boundary), windows).items():
        role = boundary[meter_id]
        _add_electricity(
            FlowRole(
                role.flow_id, role.carrier, role.kind, role.supply, role.sink, None, role.loss
            ),
            series,
            arrays,
            {},
        )
    estimated_loads: dict[str, np.ndarray] = {}
    traces = []
    for role in roles.values():
        if role.kind == "internal" or role.flow_id in primary:
            continue
        annual = _estimate(folder, role.flow_id)
        if annual is None:
            warnings.append(f"flow {role.flow_id!r} has no meter and no estimate; not counted")
            continue
        series = _flat(annual, folder, windows)
        traces.append(_trace_rows(role, None, series, windows, "estimated"))
        sink_only = FlowRole(role.flow_id, role.carrier, role.kind, role.supply, role.sink,
                             role.entity, role.loss)  # fmt: skip
        _add_electricity(sink_only, series, arrays, estimated_loads)
    balance = sum(arrays[r] for r in SUPPLY_ROLES) - arrays["export"] - arrays["storage_in"]
    load = np.maximum(balance, 0.0)
    m = match_roles(arrays, load, sold_mwh)
    accounted = sorted(
        {meter for flow, meter in primary.items() if roles[flow].kind != "internal"}
        | {meter.id for meter in folder.park.meters if roles[meter.flow].kind != "internal"}
    )
    sums = scan.meter_bucket_sums(con, windows, m.r, accounted)
    meter_flow = {meter.id: meter.flow for meter in folder.park.meters}
    sums["flow_id"] = sums["meter_id"].map(meter_flow)
    unknown = sums["flow_id"].isna()
    if unknown.any():
        warnings.append(f"{int(unknown.sum())} reading rows from meters not in the park; ignored")
        sums = sums[~unknown]
    role_of = sums["flow_id"].map(roles)
    sums["entity"] = [r.entity for r in role_of]
    sums["carrier"] = [r.carrier for r in role_of]
    sums["kind"] = [r.kind for r in role_of]
    is_primary = sums["meter_id"].to_numpy() == sums["flow_id"].map(primary).to_numpy()
    sums["basis"] = np.where(is_primary, "metered", "check_meter")
    is_load = np.array([r.sink == "load" for r in role_of]) & is_primary
    loss = np.array([r.loss if r.supply else 0.0 for r in role_of])
    tenant = sums[is_load].assign(
        load=sums["quantity"][is_load] * (1 - loss[is_load]),
        clean_hourly=sums["r_sum"][is_load] * (1 - loss[is_load]),
    )
    loads = tenant.groupby(["entity", "bucket"], as_index=False)[["load", "clean_hourly"]].sum()
    if estimated_loads:
        loads = _concat([loads, _entity_loads(estimated_loads, m.r, windows)], list(loads.columns))
        loads = loads.groupby(["entity", "bucket"], as_index=False)[["load", "clean_hourly"]].sum()
    loads, more = reconcile(loads, m, windows)
    flows = _concat([sums[TRACE_COLUMNS], *traces], TRACE_COLUMNS)
    agg = Aggregates(windows, "metered", arrays, load, flows, loads, warnings=warnings + more)
    return agg, m
