"""Inventory lines other than grid electricity: fuels, purchased heat, fugitive, process,
scope 3 and offsets.

Methods as the founding report's GHG practice states them (digest §0): combustion = fuel ×
factor; fugitive = top-up (or charge × leak rate) × GWP; purchased heat = GJ × factor;
scope 3 = activity or spend × the user's factor. Lines the profile leaves out (non-CO2
gases under a CO2-only profile, process CO2 where excluded) stay in the table with
``counted = False`` and the reason, so nothing disappears silently.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from zcp.factors import Factor, FactorLibrary
from zcp.ledger.activity import Activity, Scope3Item
from zcp.ledger.activity_amounts import LineAmount, fuel_emission, heat_emission
from zcp.ledger.factor_choice import carrier_factor, gwp
from zcp.ledger.instruments import Credit
from zcp.ledger.profile import AccountingProfile
from zcp.ledger.steam_flows import steam_flow_heat
from zcp.ledger.supplier_disclosures import find_disclosed
from zcp.model import ParkFolder
from zcp.units import parse_quantity

SCOPE3_NAMES = {
    1: "purchased goods and services", 2: "capital goods", 3: "fuel- and energy-related activities",
    4: "upstream transportation and distribution", 5: "waste generated in operations",
    6: "business travel", 7: "employee commuting", 8: "upstream leased assets",
    9: "downstream transportation and distribution", 10: "processing of sold products",
    11: "use of sold products", 12: "end-of-life treatment of sold products",
    13: "downstream leased assets", 14: "franchises", 15: "investments",
}  # fmt: skip


def _line(
    entity: str,
    bucket: int | None,
    scope: str,
    category: str,
    carrier: str | None,
    gas: str,
    activity: float | None,
    unit: str,
    factor: Factor | None,
    tco2e: float,
    **kw: Any,
) -> dict[str, Any]:
    row = {
        "entity": entity, "bucket": bucket, "scope": scope, "category": category,
        "basis": "both", "carrier": carrier, "gas": gas, "activity": activity,
        "activity_unit": unit, "factor_id": factor.id if factor else None,
        "factor_value": factor.value if factor else None,
        "factor_unit": factor.unit if factor else None,
        "factor_year": factor.year if factor else None,
        "factor_source": factor.source.cite() if factor else kw.pop("source", None),
        "factor_confidence": factor.confidence if factor else None,
        "instrument": None, "tco2e": tco2e, "counted": True, "excluded_reason": None,
        "meter_id": None, "flow_id": None,
    }  # fmt: skip
    row.update(kw)
    return row


def _scope3_line(line: Scope3Item, activity: Activity, park_id: str) -> dict[str, Any]:
    """A scope-3 line priced by the user's factor or by a supplier's disclosure."""
    tonnes = line.tonnes(activity.disclosures)
    source = ""
    if line.supplier_product is not None:
        found = find_disclosed(activity.disclosures, line.supplier_product)
        if not isinstance(found, str):  # a bad reference was refused when the file loaded
            product = found[0]
            source = (f"supplier disclosure {line.supplier_product}: {product.footprint.value} "
                      f"{product.footprint.unit} per {product.declared_unit} ({product.method}, "
                      f"{product.verification.status}, reference {product.reference_period.start}"
                      f"…{product.reference_period.end})")  # fmt: skip
    elif line.factor is not None:
        source = f"user factor {line.factor.value} {line.factor.unit}: {line.factor.source}"
    return _line(line.entity or park_id, None, "3", f"scope3_cat{line.category}", None, "co2e",
                 None, str(line.amount), None, tonnes, source=source, estimated=line.estimated,
                 data_quality=line.quality())  # fmt: skip


def flow_lines(
    flows: pd.DataFrame, folder: ParkFolder, library: FactorLibrary
) -> tuple[list[dict[str, Any]], list[str]]:
    """Stationary combustion and purchased heat from metered or estimated flows: lines with
    ``activity`` [the carrier's unit] and ``tco2e`` [tCO2e]."""
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    park_flows = {f.id: f for f in folder.park.flows}
    heat = carrier_factor(library, "heat")
    for row in flows[flows["kind"].isin(["fuel", "heat"])].itertuples(index=False):
        if row.basis == "check_meter":
            continue
        unit = folder.carriers[row.carrier].unit
        flow = park_flows.get(row.flow_id)
        if row.kind == "heat" and flow is not None and flow.steam is not None and heat is not None:
            gj, conversion = steam_flow_heat(flow, row.quantity, unit)
            rows.append(_line(row.entity, row.bucket, "2", "heat", "heat", "co2", gj, "GJ", heat,
                              gj * heat.value, meter_id=row.meter_id, flow_id=row.flow_id,
                              conversion=conversion))  # fmt: skip
            continue
        factor = carrier_factor(library, row.carrier)
        scope, category = ("1", "stationary_combustion") if row.kind == "fuel" else ("2", "heat")
        extra = {"meter_id": row.meter_id, "flow_id": row.flow_id}
        if factor is None or factor.unit.split("/")[-1] != unit:
            reason = (
                f"no CO2 factor for {row.carrier} in {unit}"
                if factor is None
                else f"factor in {factor.unit}, flow in {unit} (give the heat content)"
            )
            if row.carrier == "steam" and row.kind == "heat":
                reason = (f"steam in {unit} needs its conditions to become heat: give the flow "
                          "its steam pressure and temperature")  # fmt: skip
            if row.carrier in ("biomass",):
                reason = "biogenic CO2 reported outside the scopes"
            extra.update(counted=False, excluded_reason=reason)
            rows.append(_line(row.entity, row.bucket, scope, category, row.carrier, "co2",
                              row.quantity, unit, None, 0.0, **extra))  # fmt: skip
            continue
        rows.append(_line(row.entity, row.bucket, scope, category, row.carrier, "co2",
                          row.quantity, unit, factor, row.quantity * factor.value, **extra))  # fmt: skip
    return rows, notes


def activity_lines(
    activity: Activity, folder: ParkFolder, library: FactorLibrary, profile: AccountingProfile
) -> list[dict[str, Any]]:
    """Lines from ``activity.yaml`` (whole-period figures: bucket is None): ``activity``
    [``activity_unit``] and ``tco2e`` [tCO2e]."""
    data, rows = activity.data, []
    for category, uses in (
        ("stationary_combustion", data.stationary_combustion),
        ("mobile_combustion", data.mobile_combustion),
    ):
        for i, use in enumerate(uses):
            unit = folder.carriers[use.carrier].unit
            priced = fuel_emission(use, unit, library, f"user.{category}.{i}")
            rows.append(_priced_line(use.entity, "1", category, priced, use.estimated))
    for i, item in enumerate(data.purchased_energy):
        priced = heat_emission(item, library, f"user.purchased_energy.{i}")
        category = "cooling" if item.carrier == "cooling" else "heat"
        rows.append(_priced_line(item.entity, "2", category, priced, item.estimated))
    for leak in data.fugitive:
        factor = gwp(library, leak.gas, profile.gwp_basis)
        mass = leak.mass_t()
        kw: dict[str, Any] = {}
        if profile.gases == "co2_only" and leak.gas != "co2":
            kw = {"counted": False, "excluded_reason": f"profile {profile.id} counts CO2 only"}
        rows.append(_line(leak.entity, None, "1", "fugitive", None, leak.gas, mass, "t", factor,
                          mass * factor.value, **kw))  # fmt: skip
    for process in data.process:
        co2 = parse_quantity(process.co2, "t")
        kw = {}
        if profile.process_co2 == "exclude":
            kw = {"counted": False, "excluded_reason": f"profile {profile.id} excludes process CO2"}
        rows.append(_line(process.entity, None, "1", "process", None, "co2", co2, "t", None, co2,
                          source=process.description, **kw))  # fmt: skip
    for line in data.scope3:
        rows.append(_scope3_line(line, activity, folder.park.id))
    return rows


def _priced_line(
    entity: str, scope: str, category: str, priced: LineAmount, estimated: bool
) -> dict[str, Any]:
    """An activity line from its priced amount; not counted (with the reason) without a factor."""
    kw: dict[str, Any] = {"conversion": priced.trace, "estimated": estimated}
    if priced.factor is None:
        kw.update(counted=False, excluded_reason=priced.reason)
    return _line(entity, None, scope, category, priced.carrier, "co2", priced.quantity,
                 priced.unit, priced.factor, priced.tco2, **kw)  # fmt: skip


def offset_lines(credits: list[Credit]) -> list[dict[str, Any]]:
    """Eligible retired credits as negative lines [tCO2e] (1 credit = 1 tCO2e)."""
    return [
        _line(
            c.beneficiary,
            None,
            "offset",
            "removal" if c.removal else "avoidance",
            None,
            "co2e",
            c.tonnes,
            "t",
            None,
            -c.tonnes,
            instrument=c.id,
            source=f"{c.standard} vintage {c.vintage}",
        )  # fmt: skip
        for c in credits
    ]
