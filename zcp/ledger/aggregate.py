"""Energy quantities the accounts rest on, per flow × meter × period bucket, and hourly.

Two sources, one result (``Aggregates``):

* **metered** (an operating park with readings): the boundary meters (generation, grid,
  storage) are read hour by hour in a small query; clean supply is matched to the load; one
  scan then sums every accounted meter per bucket together with its load weighted
  by each hour's matched share r_h — the pro-rata-per-hour allocation of clean power to
  tenants, without ever holding tenant × hour in memory.
* **modelled** (a design-stage park): annual estimates spread over the hours with the shapes
  of :mod:`zcp.ledger.shapes`.

Flows without a meter but with an annual estimate are spread flat (a wind generator's along
its modelled wind year) and labelled estimated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from zcp.ledger import contracts as contract_rule
from zcp.ledger import shapes
from zcp.ledger.activity import GreenPowerContract
from zcp.ledger.matching import Matching, match
from zcp.ledger.topology import PARK_ENTITY, SINK_ROLES, SUPPLY_ROLES, FlowRole
from zcp.ledger.windows import Windows, annual_rate, per_bucket
from zcp.metering.thresholds import balance_tolerance_period
from zcp.model import ParkFolder
from zcp.model.design_figures import flow_figure
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
        """Supply of ``role`` summed per time bucket [MWh]."""
        return per_bucket(self.roles[role], self.windows)


def _flat(value: float, folder: ParkFolder, windows: Windows) -> np.ndarray:
    return np.full(len(windows.hours), value / annual_rate(folder))


def _generator(folder: ParkFolder, role: FlowRole) -> Generator | None:
    """The generator a flow comes from, if it comes from one."""
    gen = next((a for a in folder.park.assets if a.id == role.generator), None)
    return gen if isinstance(gen, Generator) else None


def _modelled_series(
    folder: ParkFolder, role: FlowRole, annual: float, windows: Windows, pv: np.ndarray | None
) -> tuple[np.ndarray, str]:
    """A flow's hourly series [carrier unit per hour] and the shape it follows."""
    gen = _generator(folder, role)
    if gen is not None and gen.technology == "pv" and pv is not None:
        return pv * (annual / annual_rate(folder)), shapes.PV_SHAPE
    if gen is not None and gen.technology == "wind":
        shape = shapes.wind_shape(folder, gen, annual, windows.hours)
        return shape * (annual / annual_rate(folder)), shapes.WIND_SHAPE
    return _flat(annual, folder, windows), shapes.FLAT_SHAPE


def _beyond_capacity(folder: ParkFolder, role: FlowRole, series: np.ndarray) -> str | None:
    """A warning when a generator's modelled hours exceed its capacity [MW = MWh per hour]:
    its annual figure asks more than the generic power curve gives."""
    gen = _generator(folder, role)
    if gen is None:
        return None
    hours_over = int((series > gen.capacity * (1 + 1e-9)).sum())
    if not hours_over:
        return None
    return (
        f"flow {role.flow_id!r}: {gen.id}'s modelled output exceeds its {gen.capacity:g} MW in "
        f"{hours_over} hours; its annual figure is more than a generic power curve gives from "
        "that capacity"
    )


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
    load_hourly: dict[str, np.ndarray], clean_hourly: dict[str, np.ndarray], windows: Windows
) -> pd.DataFrame:
    rows = []
    for entity, series in load_hourly.items():
        rows.append(
            pd.DataFrame(
                {
                    "entity": entity,
                    "bucket": windows.buckets["bucket"].to_numpy(),
                    "load": per_bucket(series, windows),
                    "clean_hourly": per_bucket(clean_hourly[entity], windows),
                }
            )
        )
    return _concat(rows, ["entity", "bucket", "load", "clean_hourly"])


def _allocate(
    m: Matching,
    load_hourly: dict[str, np.ndarray],
    contracts: list[GreenPowerContract],
    generation: dict[str, np.ndarray],
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """r' for loads without a contract, and each entity's clean power hour by hour."""
    taken = contract_rule.contracted(contracts, generation, load_hourly) if contracts else {}
    r_prime = contract_rule.residual_share(m, taken) if taken else m.r
    clean = {
        e: contract_rule.entity_clean(series, taken.get(e, 0.0), r_prime)
        for e, series in load_hourly.items()
    }
    return r_prime, clean


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def reconcile(loads: pd.DataFrame, m: Matching, windows: Windows) -> tuple[pd.DataFrame, list[str]]:
    """Add the park's own row (load not behind any tenant meter: shared use, losses) so each
    bucket's entity loads add up to L and their clean shares to the matched clean
    (``loads``: entity, bucket, ``load`` and ``clean_hourly`` [MWh])."""
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
    folder: ParkFolder,
    roles: dict[str, FlowRole],
    windows: Windows,
    sold_mwh: float = 0.0,
    contracts: Sequence[GreenPowerContract] = (),
) -> tuple[Aggregates, Matching]:
    """Hourly figures [MWh] from design estimates (labelled modelled/estimated);
    ``sold_mwh``: certificates sold on the park's own generation [MWh]."""
    hours = windows.hours
    pv = shapes.pv_shape(folder, hours)
    arrays = {r: np.zeros(len(hours)) for r in ROLES}
    load_hourly: dict[str, np.ndarray] = {}
    generation: dict[str, np.ndarray] = {}
    traces, warnings, used_shapes = [], [], {shapes.FLAT_SHAPE}
    for role in roles.values():
        if role.kind == "internal":
            continue
        figure = flow_figure(folder, role.flow_id)
        if figure is None:
            warnings.append(
                f"flow {role.flow_id!r} has no annual estimate and none can be derived "
                "(no generator capacity to derive it from); counted as zero"
            )
            continue
        if figure.basis == "derived":
            warnings.append(f"design figure derived for flow {role.flow_id!r}: {figure.how}")
        annual = figure.value
        series, shape = _modelled_series(folder, role, annual, windows, pv)
        basis = "estimated" if shape == shapes.FLAT_SHAPE else "modelled"
        used_shapes.add(shape)
        if shape == shapes.WIND_SHAPE and (overrun := _beyond_capacity(folder, role, series)):
            warnings.append(overrun)
        traces.append(_trace_rows(role, None, series, windows, basis))
        _add_electricity(role, series, arrays, load_hourly, generation)
    # design estimates need not balance; the load is what the tenants are expected to use
    load = np.sum(list(load_hourly.values()), axis=0) if load_hourly else np.zeros(len(hours))
    m = match_roles(arrays, load, sold_mwh)
    _, clean = _allocate(m, load_hourly, list(contracts), generation)
    loads, more = reconcile(_entity_loads(load_hourly, clean, windows), m, windows)
    flows = _concat(traces, TRACE_COLUMNS)
    agg = Aggregates(windows, "modelled", arrays, load, flows, loads, warnings=more)
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
    generation: dict[str, np.ndarray] | None = None,
) -> None:
    if role.kind != "electricity":
        return
    if role.supply:
        arrays[role.supply] += series * (1.0 - role.loss)
        if generation is not None and role.generator and role.supply.startswith("clean"):
            generation[role.generator] = generation.get(role.generator, 0.0) + series * (
                1.0 - role.loss
            )
    if role.sink in SINK_ROLES:
        arrays[role.sink] += series
    if role.sink == "load" and role.entity is not None:
        delivered = series * (1.0 - role.loss) if role.supply else series
        load_hourly[role.entity] = load_hourly.get(role.entity, 0.0) + delivered


def match_roles(arrays: dict[str, np.ndarray], load: np.ndarray, sold_mwh: float) -> Matching:
    """Hour-by-hour matching of the supply roles' series with the load [MWh per hour],
    less certificates sold on [MWh]."""
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


def check_meter_warnings(sums: pd.DataFrame, primary: dict[str, str]) -> list[str]:
    """A check meter whose period total differs from its flow's counting meter by more
    than the period balance tolerance [fraction] (``sums``: meter_id, flow_id, basis,
    quantity [the carrier's unit])."""
    checks = sums[sums["basis"] == "check_meter"]
    if checks.empty:
        return []
    totals = sums.groupby("meter_id")["quantity"].sum()
    out = []
    for meter_id, flow_id in sorted(set(zip(checks["meter_id"], checks["flow_id"], strict=True))):
        counted, checked = float(totals.get(primary[flow_id], 0.0)), float(totals[meter_id])
        gap = checked - counted
        if abs(gap) > balance_tolerance_period() * max(abs(counted), abs(checked)):
            share = f"{gap / counted:+.1%}" if counted else "where the counting meter reads 0"
            out.append(
                f"check meter {meter_id!r} on flow {flow_id!r} reads {checked:,.3f}, "
                f"{share} against {primary[flow_id]!r} ({counted:,.3f}), which counts; "
                f"beyond the {balance_tolerance_period():.0%} tolerance"
            )
    return out


def metered_aggregates(
    folder: ParkFolder,
    roles: dict[str, FlowRole],
    windows: Windows,
    readings: Any,
    sold_mwh: float = 0.0,
    contracts: Sequence[GreenPowerContract] = (),
) -> tuple[Aggregates, Matching]:
    """Hourly figures [MWh] from readings (``readings.con`` holds the ``hourly`` table);
    ``sold_mwh``: certificates sold on the park's own generation [MWh]."""
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
    generation: dict[str, np.ndarray] = {}
    for meter_id, series in scan.hourly_by_meter(con, list(boundary), windows).items():
        _add_electricity(replace(boundary[meter_id], entity=None), series, arrays, {}, generation)
    estimated_loads: dict[str, np.ndarray] = {}
    traces = []
    for role in roles.values():
        if role.kind == "internal" or role.flow_id in primary:
            continue
        figure = flow_figure(folder, role.flow_id)
        if figure is None:
            warnings.append(f"flow {role.flow_id!r} has no meter and no estimate; not counted")
            continue
        if figure.basis == "derived":
            warnings.append(f"unmetered flow {role.flow_id!r} estimated from {figure.how}")
        # a wind generator's figure comes with its modelled hourly profile (its how says so)
        series, _ = _modelled_series(folder, role, figure.value, windows, None)
        traces.append(_trace_rows(role, None, series, windows, "estimated"))
        _add_electricity(role, series, arrays, estimated_loads, generation)
    balance = sum(arrays[r] for r in SUPPLY_ROLES) - arrays["export"] - arrays["storage_in"]
    load = np.maximum(balance, 0.0)
    m = match_roles(arrays, load, sold_mwh)
    contracted = _contracted_loads(con, roles, primary, windows, contracts, estimated_loads)
    r_prime, clean = _allocate(m, contracted, list(contracts), generation)
    accounted = sorted(
        {meter for flow, meter in primary.items() if roles[flow].kind != "internal"}
        | {meter.id for meter in folder.park.meters if roles[meter.flow].kind != "internal"}
    )
    sums = scan.meter_bucket_sums(con, windows, r_prime, accounted)
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
    warnings += check_meter_warnings(sums, primary)
    is_load = np.array([r.sink == "load" for r in role_of]) & is_primary
    loss = np.array([r.loss if r.supply else 0.0 for r in role_of])
    tenant = sums[is_load].assign(
        load=sums["quantity"][is_load] * (1 - loss[is_load]),
        clean_hourly=sums["r_sum"][is_load] * (1 - loss[is_load]),
    )
    loads = tenant.groupby(["entity", "bucket"], as_index=False)[["load", "clean_hourly"]].sum()
    if estimated_loads:
        shares = {e: series * r_prime for e, series in estimated_loads.items()}
        loads = _concat(
            [loads, _entity_loads(estimated_loads, shares, windows)], list(loads.columns)
        )
        loads = loads.groupby(["entity", "bucket"], as_index=False)[["load", "clean_hourly"]].sum()
    if contracted:  # entities with a contract: exact hourly figures replace the r' sums
        exact = _entity_loads(contracted, clean, windows)
        loads = _concat(
            [loads[~loads["entity"].isin(list(contracted))], exact], list(loads.columns)
        )
    loads, more = reconcile(loads, m, windows)
    flows = _concat([sums[TRACE_COLUMNS], *traces], TRACE_COLUMNS)
    agg = Aggregates(windows, "metered", arrays, load, flows, loads, warnings=warnings + more)
    return agg, m


def _contracted_loads(
    con: Any,
    roles: dict[str, FlowRole],
    primary: dict[str, str],
    windows: Windows,
    contracts: Sequence[GreenPowerContract],
    estimated: dict[str, np.ndarray],
) -> dict[str, np.ndarray]:
    """Hourly loads of the entities holding a contract (a small query over their meters)."""
    from zcp.ledger import scan

    holders = {c.entity for c in contracts}
    if not holders:
        return {}
    meters = {
        primary[f]: r
        for f, r in roles.items()
        if r.sink == "load" and r.entity in holders and f in primary
    }
    out = {e: np.array(estimated[e]) for e in holders if e in estimated}
    for meter_id, series in scan.hourly_by_meter(con, list(meters), windows).items():
        role = meters[meter_id]
        delivered = series * (1.0 - role.loss) if role.supply else series
        entity = str(role.entity)
        out[entity] = out.get(entity, 0.0) + delivered
    return out
