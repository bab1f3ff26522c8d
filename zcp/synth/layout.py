"""The shape of a synthetic park: tenants, assets, flows and meters for given sizes.

One electricity bus feeds every tenant; grid import/export, on-site PV, an off-site wind
farm on a dedicated line (2 % stated losses) and a battery sit on it. Every fifth tenant
also takes natural gas from a gas network. The meter budget goes first to the boundary and
storage, then one meter per tenant supply, and the rest to equipment sub-meters spread
round-robin over the tenants. A few equipment meters are cumulative registers (some
rolling over) and a few read every 15 minutes, so the loader meets both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

#: Boundary and storage meters every synthetic park has: (meter id, flow id, carrier, level).
FIXED_METERS = [
    ("M-IMP", "f-import", "electricity", "park_boundary"),
    ("M-EXP", "f-export", "electricity", "park_boundary"),
    ("M-PV", "f-pv", "electricity", "park_boundary"),
    ("M-WIND", "f-wind", "electricity", "park_boundary"),
    ("M-BESS-IN", "f-bess-in", "electricity", "equipment"),
    ("M-BESS-OUT", "f-bess-out", "electricity", "equipment"),
    ("M-GAS", "f-gas", "natural_gas", "park_boundary"),
]
#: The import meter reads through a 100:1 transformer, so its readings are kWh / 100.
IMPORT_MULTIPLIER = 100.0
WIND_LOSS = 0.02
REGISTER_ROLLOVER = 1_000_000.0
SHIFTS = ("one", "two", "three")


@dataclass
class TenantSpec:
    id: str
    shift: str
    peak_kw: float
    gas_peak_m3: float | None  # None: no gas supply


@dataclass
class MeterSpec:
    id: str
    flow: str
    carrier: str
    unit: str
    level: str
    register: str = "interval"
    interval_minutes: int = 60
    multiplier: float = 1.0
    rollover: float | None = None
    register_start: float = 0.0
    calibrated_on: dt.date | None = None
    calibration_interval_months: int = 24
    #: what it measures: ("tenant", i) | ("tenant_gas", i) | ("equipment", i, share) | fixed id
    source: tuple = ()


@dataclass
class Layout:
    tenants: list[TenantSpec]
    meters: list[MeterSpec]
    #: equipment id → (tenant index, share of tenant demand, rated power [kW])
    equipment: dict[str, tuple[int, float, float]] = field(default_factory=dict)
    pv_kw: float = 0.0
    wind_kw: float = 0.0
    bess_kw: float = 0.0
    bess_kwh: float = 0.0


def min_meters(tenants: int) -> int:
    """The smallest meter budget: boundary, storage, and one per tenant supply."""
    return len(FIXED_METERS) + tenants + _gas_tenants(tenants)


def _gas_tenants(tenants: int) -> int:
    return (tenants + 4) // 5


def build_layout(
    tenants: int,
    meters: int,
    period_start: dt.date,
    rng: np.random.Generator,
    *,
    cumulative_share: float = 0.05,
    subhourly_share: float = 0.02,
) -> Layout:
    """A synthetic park of ``tenants`` and ``meters``; ``cumulative_share`` and
    ``subhourly_share`` [fraction] of the equipment meters read a cumulative register or
    more often than hourly."""
    if meters < min_meters(tenants):
        raise ValueError(
            f"{tenants} tenants need at least {min_meters(tenants)} meters "
            f"(boundary, storage and one per tenant supply)"
        )
    width = max(3, len(str(tenants)))
    specs = [
        TenantSpec(
            id=f"t{i + 1:0{width}d}",
            shift=SHIFTS[int(rng.integers(3))],
            peak_kw=float(np.round(rng.lognormal(np.log(1500), 0.6), 1)),
            gas_peak_m3=float(np.round(rng.uniform(50, 400), 1)) if i % 5 == 0 else None,
        )
        for i in range(tenants)
    ]
    peak = sum(t.peak_kw for t in specs)
    layout = Layout(
        tenants=specs,
        meters=[],
        pv_kw=round(0.30 * peak, -1),
        wind_kw=round(0.25 * peak, -1),
        bess_kw=round(0.10 * peak, -1),
        bess_kwh=round(0.20 * peak, -1),
    )
    for meter_id, flow, carrier, level in FIXED_METERS:
        layout.meters.append(
            MeterSpec(
                meter_id,
                flow,
                carrier,
                "m3" if carrier == "natural_gas" else "kWh",
                level,
                multiplier=IMPORT_MULTIPLIER if meter_id == "M-IMP" else 1.0,
                source=(meter_id,),
            )
        )
    for i, t in enumerate(specs):
        layout.meters.append(
            MeterSpec(
                f"M-{t.id}", f"f-{t.id}", "electricity", "kWh", "tenant", source=("tenant", i)
            )
        )
        if t.gas_peak_m3 is not None:
            layout.meters.append(
                MeterSpec(
                    f"M-{t.id}-gas",
                    f"f-{t.id}-gas",
                    "natural_gas",
                    "m3",
                    "tenant",
                    source=("tenant_gas", i),
                )
            )
    _add_equipment(layout, meters - len(layout.meters), rng, cumulative_share, subhourly_share)
    for m in layout.meters:
        m.calibrated_on = period_start - dt.timedelta(days=int(rng.integers(30, 300)))
    return layout


def _add_equipment(
    layout: Layout,
    count: int,
    rng: np.random.Generator,
    cumulative_share: float,
    subhourly_share: float,
) -> None:
    """Sub-meters on machines: each tenant's machines share up to 60–90 % of its demand."""
    tenants = layout.tenants
    per_tenant = np.bincount(np.arange(count) % len(tenants), minlength=len(tenants))
    width = max(4, len(str(count)))
    # Small parks still get two registers (one that rolls over) and a 15-minute meter.
    n_cumulative = round(count * cumulative_share)
    n_subhourly = round(count * subhourly_share)
    if count >= 10:
        n_cumulative = max(n_cumulative, 2 if cumulative_share > 0 else 0)
        n_subhourly = max(n_subhourly, 1 if subhourly_share > 0 else 0)
    kinds = np.array(["interval"] * count, dtype=object)
    order = rng.permutation(count)
    kinds[order[:n_cumulative]] = "cumulative"
    kinds[order[n_cumulative : n_cumulative + n_subhourly]] = "subhourly"
    k = n_registers = 0
    for i, tenant in enumerate(tenants):
        if per_tenant[i] == 0:
            continue
        shares = rng.dirichlet(np.ones(per_tenant[i])) * rng.uniform(0.6, 0.9)
        for share in shares:
            eid = f"e{k + 1:0{width}d}"
            layout.equipment[eid] = (i, float(share), round(float(share) * tenant.peak_kw, 1))
            spec = MeterSpec(
                f"M-{eid}",
                f"f-{eid}",
                "electricity",
                "kWh",
                "equipment",
                source=("equipment", i, float(share)),
            )
            if kinds[k] == "cumulative":
                spec.register = "cumulative"
                n_registers += 1
                # Half the registers start near the top of their range so they roll over.
                if n_registers % 2 == 1:
                    spec.rollover = REGISTER_ROLLOVER
                    spec.register_start = REGISTER_ROLLOVER - float(rng.uniform(1, 5000))
                else:
                    spec.register_start = float(np.round(rng.uniform(5e4, 5e5), 2))
            elif kinds[k] == "subhourly":
                spec.interval_minutes = 15
            layout.meters.append(spec)
            k += 1


def park_document(
    layout: Layout,
    *,
    park_id: str,
    name: str,
    period: tuple[dt.date, dt.date],
    latitude: float,
    longitude: float,
    timezone: str,
    header: str,
    readings_path: str,
) -> str:
    """park.yaml text: hand-written YAML so it stays readable and diffs well."""
    lines = [
        header.rstrip(),
        "kind: park",
        "schema_version: 1",
        f"id: {park_id}",
        f"name: {name}",
        "location: {province: 上海市, city: 上海市浦东新区, "
        f"latitude: {latitude}, longitude: {longitude}, timezone: {timezone}, "
        "grid_region: east}",
        f"reporting_period: {{start: {period[0]}, end: {period[1]}}}",
        "stage: operation",
        "meters_file: meters.csv",
        "readings:",
        f"  - {{path: {readings_path}}}",
        "tenants:",
    ]
    for t in layout.tenants:
        lines.append(
            f"  - {{id: {t.id}, name: 企业{t.id[1:]}, industry: 'synthetic, {t.shift} shift(s)'}}"
        )
    gas = any(t.gas_peak_m3 is not None for t in layout.tenants)
    lines += [
        "assets:",
        "  - {id: grid, type: grid_connection, carrier: electricity, voltage_kv: 110}",
        f"  - {{id: pv1, type: generator, technology: pv, capacity: {layout.pv_kw / 1000:.2f}}}",
        f"  - {{id: wind1, type: generator, technology: wind, site: off_site, capacity: {layout.wind_kw / 1000:.2f}}}",
        f"  - {{id: bess1, type: storage, technology: battery, carrier: electricity, "
        f"energy_capacity: {layout.bess_kwh / 1000:.2f}, power: {layout.bess_kw / 1000:.2f}}}",
        "  - {id: bus, type: bus, carrier: electricity, voltage_kv: 10}",
        "  - {id: gasin, type: fuel_supply, carrier: natural_gas}",
        "  - {id: gasnet, type: bus, bus_type: pipe_network, carrier: natural_gas}",
    ]
    for eid, (i, _share, rated) in layout.equipment.items():
        lines.append(
            f"  - {{id: {eid}, type: equipment, tenant: {layout.tenants[i].id}, "
            f"rated_power: {max(rated, 0.1)} kW}}"
        )
    lines += [
        "flows:",
        "  - {id: f-import, from: grid, to: bus, carrier: electricity}",
        "  - {id: f-export, from: bus, to: grid, carrier: electricity}",
        "  - {id: f-pv, from: pv1, to: bus, carrier: electricity}",
        f"  - {{id: f-wind, from: wind1, to: bus, carrier: electricity, dedicated_line: true, "
        f"loss_fraction: {WIND_LOSS}}}",
        "  - {id: f-bess-in, from: bus, to: bess1, carrier: electricity}",
        "  - {id: f-bess-out, from: bess1, to: bus, carrier: electricity}",
    ]
    if gas:
        lines.append("  - {id: f-gas, from: gasin, to: gasnet, carrier: natural_gas}")
    for t in layout.tenants:
        lines.append(f"  - {{id: f-{t.id}, from: bus, to: {t.id}, carrier: electricity}}")
        if t.gas_peak_m3 is not None:
            lines.append(
                f"  - {{id: f-{t.id}-gas, from: gasnet, to: {t.id}, carrier: natural_gas}}"
            )
    for eid, (i, _share, _rated) in layout.equipment.items():
        lines.append(
            f"  - {{id: f-{eid}, from: {layout.tenants[i].id}, to: {eid}, carrier: electricity}}"
        )
    return "\n".join(lines) + "\n"
