"""A seeded synthetic portfolio: many varied park folders, a manifest and seeded double claims.

Provincial screenings and certification bodies run zcp over hundreds of parks; this writes
such a portfolio to test and measure ``zcp batch`` on. Parks differ in size (tens to
thousands of meters, log-uniformly), stage (about a third are design-stage parks with
annual estimates, the rest operating parks written by :func:`zcp.synth.synthesize`) and
green supply. Every park claims its own green certificates (GEC serial ranges) and some
retire CCER credits; a few claims are then copied into a second park on purpose — the same
serial range written differently, the same single 32-digit GEC code, the same credit for a
tenant of another park — and ``manifest.yaml`` records each one as ground truth.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from zcp import __version__
from zcp.synth.generate import SynthSpec, synthesize
from zcp.synth.layout import min_meters

MANIFEST_FILE = "manifest.yaml"
DESIGN_SHARE = 0.3
#: Electricity to standard coal used only to size design parks into the core indicator's
#: bands (GB/T 2589 equivalent value); the ledger takes its own factor from the library.
_TCE_PER_MWH = 0.1229


@dataclass
class PortfolioSpec:
    """What to generate: ``parks`` folders named ``park-001``…; operating parks cover
    ``hours`` hourly readings from ``start``; sizes run from 10 to ``max_meters`` meters."""

    parks: int
    seed: int = 0
    hours: int = 744
    max_meters: int = 2000
    start: dt.date = dt.date(2026, 1, 1)
    readings_format: str = "parquet"
    double_claims: int | None = None  # None: one per 20 parks, at least three (one for 2–3 parks)


@dataclass
class _Claims:
    """One park's instruments.yaml content, as plain data."""

    certificates: list[dict] = field(default_factory=list)
    credits: list[dict] = field(default_factory=list)


def park_name(index: int) -> str:
    return f"park-{index + 1:03d}"


def synthesize_portfolio(out: str | Path, spec: PortfolioSpec) -> dict:
    """Write ``spec.parks`` park folders and ``manifest.yaml`` under ``out``; return the manifest."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(spec.seed)
    entries, claims = [], []
    for i in range(spec.parks):
        name = park_name(i)
        design = rng.random() < DESIGN_SHARE
        meters = int(np.exp(rng.uniform(np.log(10), np.log(max(spec.max_meters, 11)))))
        tenants = int(np.clip(meters // 8, 2, 400))
        while min_meters(tenants) > meters:
            tenants -= 1
        park_id = f"{'design' if design else 'op'}-{i + 1:03d}"
        folder = out / name
        if design:
            start = dt.date(spec.start.year + 1, 1, 1)
            period = (start, dt.date(start.year, 12, 31))
            tenant_ids, meters, demand_mwh = _write_design_park(
                folder, park_id, tenants, meters, period, rng
            )
        else:
            synth = SynthSpec(
                tenants=tenants,
                meters=meters,
                hours=spec.hours,
                seed=int(rng.integers(2**31)),
                start=spec.start,
                park_id=park_id,
                name=f"合成运营园区{i + 1:03d}（模拟数据）",
                readings_format=spec.readings_format,
            )
            synthesize(folder, synth)
            tenant_ids = [f"t{k + 1:0{max(3, len(str(tenants)))}d}" for k in range(tenants)]
            period = (synth.start, synth.period_end)
            # tenant peaks are about 1.5 MW (zcp.synth.layout), running at about half of it
            demand_mwh = tenants * 1.5 * 0.5 * spec.hours
        claims.append(_own_claims(i, park_id, tenant_ids, period, demand_mwh, rng))
        entries.append(
            {
                "path": name,
                "id": park_id,
                "stage": "design" if design else "operation",
                "meters": meters,
                "tenants": tenants,
                "beneficiaries": [park_id, *tenant_ids],
            }
        )
    seeded = _seed_double_claims(entries, claims, spec, rng)
    for entry, park_claims in zip(entries, claims, strict=True):
        _write_instruments(out / entry["path"], park_claims)
        del entry["beneficiaries"]
    manifest = {
        "kind": "portfolio_manifest",
        "schema_version": 1,
        "generator": f"zcp synth --portfolio {spec.parks} --seed {spec.seed} "
        f"--hours {spec.hours} --max-meters {spec.max_meters} ({__version__})",
        "note": "SYNTHETIC DATA — not real parks.",
        "parks": entries,
        "seeded_double_claims": seeded,
    }
    (out / MANIFEST_FILE).write_text(
        yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return manifest


# --- instruments -------------------------------------------------------------------------


def _own_claims(
    index: int,
    park_id: str,
    tenants: list[str],
    period: tuple[dt.date, dt.date],
    demand_mwh: float,
    rng,
) -> _Claims:
    """A retired GEC range for 5–30 % of the park's expected demand [MWh], and for every
    third park a CCER credit for a tenant."""
    claims = _Claims()
    mwh = max(1, int(demand_mwh * rng.uniform(0.05, 0.3)))
    first = 10_000_000 * (index + 1)
    vintage = {"start": period[0].isoformat(), "end": period[1].isoformat()}
    claims.certificates.append(
        {
            "id": f"gec-{park_id}",
            "type": "GEC",
            "serials": {
                "first": f"GEC{period[0].year}-{first:09d}",
                "last": f"GEC{period[0].year}-{first + mwh - 1:09d}",
            },  # fmt: skip
            "mwh": mwh,
            "vintage": vintage,
            "generator": {"name": "合成风电场", "technology": "wind", "country": "CN"},
            "retired": True,
            "retired_on": period[1].isoformat(),
            "beneficiary": park_id,
        }
    )
    if index % 3 == 0:
        tonnes = max(1, int(demand_mwh * rng.uniform(0.0005, 0.002)))
        lo = 1_000_000 * (index + 1)
        claims.credits.append(
            {
                "id": f"ccer-{park_id}",
                "standard": "CCER",
                "project": "CCER synthetic wind project",
                "serials": {"first": f"CCER-{lo:08d}", "last": f"CCER-{lo + tonnes - 1:08d}"},
                "tonnes": tonnes,
                "vintage": period[0].year,
                "retired": True,
                "retired_on": period[1].isoformat(),
                "beneficiary": tenants[0],
            }
        )
    return claims


def _plain(serial: str) -> str:
    head, digits = re.match(r"^(.*?)(\d+)$", serial).groups()
    return f"{head.lower()} {int(digits)}"


def _gec_code(rng) -> str:
    """A 32-digit code: 17 digits of project filing code and 15 of date, serial and class."""
    return "".join(str(d) for d in rng.integers(0, 10, 32))


def _seed_double_claims(entries: list[dict], claims: list[_Claims], spec: PortfolioSpec, rng):
    """Copy a few claims into a second park, cycling through three kinds; return the record."""
    if len(entries) < 2:
        return []
    default = max(3, len(entries) // 20) if len(entries) >= 4 else 1
    count = spec.double_claims if spec.double_claims is not None else default
    kinds = ("serial_range", "gec_code", "credit")
    seeded = []
    for k in range(count):
        a, b = (int(x) for x in rng.choice(len(entries), size=2, replace=False))
        kind = kinds[k % 3]
        source, target = claims[a], claims[b]
        tag = f"dup{k + 1}"
        if kind == "serial_range":
            cert = dict(source.certificates[0])
            first, last = cert["serials"]["first"], cert["serials"]["last"]
            # The same range as another registry export writes it: lower case, a space, no
            # zero padding — the canonical comparison must still see one range.
            cert["serials"] = {"first": _plain(first), "last": _plain(last)}
            claim_a = cert["id"]
            cert.update(id=f"{cert['id']}-{tag}", beneficiary=entries[b]["id"])
            _align_vintage(cert, target)
            target.certificates.append(cert)
            claim_b = cert["id"]
        elif kind == "gec_code":
            code = _gec_code(rng)
            base = dict(source.certificates[0])
            one = {**base, "serials": {"first": code, "last": code}, "mwh": 1}
            claim_a = f"gec1-{entries[a]['id']}-{tag}"
            claim_b = f"gec1-{entries[b]['id']}-{tag}"
            source.certificates.append({**one, "id": claim_a, "beneficiary": entries[a]["id"]})
            copy = {**one, "id": claim_b, "beneficiary": entries[b]["id"]}
            _align_vintage(copy, target)
            target.certificates.append(copy)
        else:
            if not source.credits:
                source.credits.append(_credit(entries[a], k, rng))
            credit = dict(source.credits[0])
            claim_a = credit["id"]
            tenant = entries[b]["beneficiaries"][-1]
            credit.update(id=f"{credit['id']}-{tag}", beneficiary=tenant)
            credit["vintage"] = int(target.certificates[0]["vintage"]["start"][:4])
            target.credits.append(credit)
            claim_b = credit["id"]
        seeded.append(
            {
                "kind": kind,
                "parks": [entries[a]["id"], entries[b]["id"]],
                "claims": [claim_a, claim_b],
            }  # fmt: skip
        )
    return seeded


def _credit(entry: dict, k: int, rng) -> dict:
    tonnes = int(rng.integers(10, 100))
    lo = 900_000_000 + 1000 * k
    year = 2026 if entry["stage"] == "operation" else 2027
    return {
        "id": f"ccer-extra-{entry['id']}",
        "standard": "CCER",
        "project": "CCER synthetic PV project",
        "serials": {"first": f"CCER-{lo:09d}", "last": f"CCER-{lo + tonnes - 1:09d}"},
        "tonnes": tonnes,
        "vintage": year,
        "retired": True,
        "retired_on": f"{year}-12-31",
        "beneficiary": entry["beneficiaries"][1],
    }


def _align_vintage(cert: dict, target: _Claims) -> None:
    """The copy takes the target park's vintage, so it is eligible there too."""
    own = target.certificates[0]
    cert["vintage"] = dict(own["vintage"])
    cert["retired_on"] = own["retired_on"]


def _write_instruments(folder: Path, claims: _Claims) -> None:
    doc = {
        "kind": "instruments",
        "schema_version": 1,
        "certificates": claims.certificates,
        "credits": claims.credits,
    }
    text = "# SYNTHETIC DATA — claims written by `zcp synth --portfolio`.\n"
    text += yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    (folder / "instruments.yaml").write_text(text, encoding="utf-8")


# --- design-stage parks ------------------------------------------------------------------


def _write_design_park(
    folder: Path, park_id: str, tenants: int, meters: int, period: tuple[dt.date, dt.date], rng
) -> tuple[list[str], int, float]:
    """A design park of annual estimates: wind on a dedicated line, PV, grid import/export,
    tenants on one bus, some taking gas. Sizes span the core indicator's bands. Returns the
    tenant ids, the planned meter count and the demand [MWh]."""
    folder.mkdir(parents=True, exist_ok=True)
    total_tce = float(np.exp(rng.uniform(np.log(2e4), np.log(2.5e6))))
    demand_gwh = total_tce / _TCE_PER_MWH / 1000
    weights = rng.dirichlet(np.ones(tenants))
    green_share = float(rng.uniform(0.6, 1.05))
    wind_gwh = demand_gwh * green_share * 0.7 / 0.98
    pv_gwh = demand_gwh * green_share * 0.3
    delivered = wind_gwh * 0.98 + pv_gwh
    export_gwh = max(delivered - demand_gwh, 0.0) + 0.02 * demand_gwh
    import_gwh = demand_gwh + export_gwh - delivered
    width = max(3, len(str(tenants)))
    ids = [f"t{k + 1:0{width}d}" for k in range(tenants)]
    gas = [k for k in range(tenants) if k % 5 == 0]
    lines = [
        "# SYNTHETIC DATA — a design-stage park written by `zcp synth --portfolio`.",
        "kind: park",
        "schema_version: 1",
        f"id: {park_id}",
        f"name: 合成设计园区{park_id[-3:]}（模拟数据）",
        "location: {province: 内蒙古自治区, city: 鄂尔多斯市, latitude: 39.6, longitude: 109.8, "
        "timezone: Asia/Shanghai, grid_region: north}",
        f"reporting_period: {{start: {period[0]}, end: {period[1]}}}",
        "stage: design",
        "tenants:",
        *(f"  - {{id: {t}, name: 企业{t[1:]}, industry: synthetic}}" for t in ids),
        "assets:",
        f"  - {{id: wind1, type: generator, technology: wind, capacity: {wind_gwh / 2.8:.1f}, "
        "site: off_site}",
        f"  - {{id: pv1, type: generator, technology: pv, capacity: {pv_gwh / 1.5:.1f}}}",
        "  - {id: grid, type: grid_connection, carrier: electricity, voltage_kv: 220}",
        "  - {id: bus, type: bus, carrier: electricity, voltage_kv: 35}",
        "  - {id: gasin, type: fuel_supply, carrier: natural_gas}",
        "  - {id: gasnet, type: bus, bus_type: pipe_network, carrier: natural_gas}",
        "flows:",
        f"  - {{id: f-wind, from: wind1, to: bus, carrier: electricity, dedicated_line: true, "
        f"loss_fraction: 0.02, annual_estimate: {wind_gwh:.3f} GWh}}",
        f"  - {{id: f-pv, from: pv1, to: bus, carrier: electricity, annual_estimate: {pv_gwh:.3f} GWh}}",
        f"  - {{id: f-import, from: grid, to: bus, carrier: electricity, "
        f"annual_estimate: {import_gwh:.3f} GWh}}",
        f"  - {{id: f-export, from: bus, to: grid, carrier: electricity, "
        f"annual_estimate: {export_gwh:.3f} GWh}}",
    ]
    gas_m3 = [float(rng.uniform(1e5, 3e6)) for _ in gas]
    lines.append(
        f"  - {{id: f-gas, from: gasin, to: gasnet, carrier: natural_gas, "
        f"annual_estimate: {sum(gas_m3):.0f} m3}}"
    )
    for k, t in enumerate(ids):
        lines.append(
            f"  - {{id: f-{t}, from: bus, to: {t}, carrier: electricity, "
            f"annual_estimate: {demand_gwh * weights[k]:.4f} GWh}}"
        )
    for k, m3 in zip(gas, gas_m3, strict=True):
        lines.append(
            f"  - {{id: f-{ids[k]}-gas, from: gasnet, to: {ids[k]}, carrier: natural_gas, "
            f"annual_estimate: {m3:.0f} m3}}"
        )
    planned = [("M-IMP", "f-import", "park_boundary"), ("M-EXP", "f-export", "park_boundary"),
               ("M-PV", "f-pv", "park_boundary"), ("M-WIND", "f-wind", "park_boundary")]  # fmt: skip
    planned += [(f"M-{t}", f"f-{t}", "tenant") for t in ids][: max(meters - len(planned), 0)]
    lines.append("meters:")
    for meter_id, flow, level in planned:
        lines.append(
            f"  - {{id: {meter_id}, flow: {flow}, carrier: electricity, unit: kWh, "
            f"level: {level}, interval_minutes: 15}}"
        )
    (folder / "park.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ids, len(planned), demand_gwh * 1000
