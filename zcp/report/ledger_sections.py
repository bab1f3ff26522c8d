"""Emissions, green power, instruments and factors from the accounting ledger.

Reads a ``zcp.ledger.LedgerResult`` through its versioned JSON contract (``zcp.emissions/1``)
plus two frames the contract does not carry: emissions by carrier and the hourly load and
matched green supply behind the heat map. Figures are copied, never recomputed here.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from zcp.factors import Source
from zcp.report.explain import engine_text
from zcp.report.i18n import bilingual, catalogue
from zcp.report.phrases import Citation, Code
from zcp.report.report_data import (
    BarSeries,
    Bilingual,
    Column,
    Emissions,
    FactorRow,
    GreenPower,
    InstrumentRow,
    Table,
)

PARK_ENTITY = "_park"
TOP_TENANTS = 15
SCOPE_ROWS = ("scope1", "scope2_location", "scope2_market", "scope3", "offsets", "net")
TONNES = "t CO2e"


def _t(key: str, label: str, digits: int = 1) -> Column:
    return Column(key, bilingual(label), unit=TONNES, numeric=True, digits=digits)


def _pct(value: Any) -> float | None:
    return None if value is None else 100.0 * float(value)


def _location(row: dict[str, Any]) -> float:
    return float(row.get("scope1_t") or 0.0) + float(row.get("scope2_location_t") or 0.0)


def _scope_columns() -> list[Column]:
    return [
        _t("scope1_t", "em_scope1"),
        _t("scope2_location_t", "em_scope2_location"),
        _t("scope2_market_t", "em_scope2_market"),
        _t("net_t", "em_net"),
    ]


def emissions(
    report: dict[str, Any],
    by_carrier: list[dict[str, Any]],
    names: dict[str, Bilingual],
    carrier_names: dict[str, Bilingual] | None = None,
) -> Emissions:
    """The emissions section from the ledger JSON and its by-carrier breakdown; ``names``
    and ``carrier_names`` give tenants and carriers their names in both languages."""
    totals = report["totals"]
    scope_rows = [{"scope": bilingual(f"em_{k}"), "t": totals.get(f"{k}_t")} for k in SCOPE_ROWS]
    by_scope = Table(
        "emissions_by_scope",
        bilingual("by_scope"),
        [Column("scope", bilingual("em_scope")), _t("t", "em_emissions")],
        scope_rows,
    )
    tenants = sorted(report["tenants"], key=lambda r: (-_location(r), r["entity"]))
    tenant_rows = [
        {
            "tenant": names.get(r["entity"], Bilingual(r["entity"])),
            **{k: r.get(k) for k in ("scope1_t", "scope2_location_t", "scope2_market_t", "net_t")},
            "electricity_mwh": r.get("electricity_mwh"),
            "green": _pct(r.get("green_electricity_share")),
            "hourly": _pct(r.get("hourly_cfe_score")),
        }
        for r in tenants
    ]
    by_tenant = Table(
        "emissions_by_tenant",
        bilingual("by_tenant"),
        [
            Column("tenant", bilingual("em_tenant")),
            *_scope_columns(),
            Column(
                "electricity_mwh", bilingual("em_electricity"), unit="MWh", numeric=True, digits=0
            ),
            Column("green", bilingual("em_green_share"), numeric=True),
            Column("hourly", bilingual("em_hourly_cfe"), numeric=True),
        ],
        tenant_rows,
        top_n=TOP_TENANTS,
    )
    month_rows = [{"month": r["month"], **r} for r in report["months"]]
    by_month = Table(
        "emissions_by_month",
        bilingual("by_month"),
        [Column("month", bilingual("em_month")), *_scope_columns()],
        month_rows,
    )
    carrier_table = Table(
        "emissions_by_carrier",
        bilingual("by_carrier"),
        [Column("carrier", bilingual("em_carrier")), *_scope_columns()],
        [
            {**r, "carrier": (carrier_names or {}).get(r["carrier"], r["carrier"])}
            for r in by_carrier
        ],
    )
    unit = bilingual("em_chart_unit")
    charts = {
        "by_scope": BarSeries(
            bilingual("by_scope"),
            TONNES,
            [bilingual(f"em_{k}") for k in SCOPE_ROWS[:4]],
            [float(totals.get(f"{k}_t") or 0.0) for k in SCOPE_ROWS[:4]],
        ),
        "by_tenant": BarSeries(
            bilingual("by_tenant"),
            unit,
            [names.get(r["entity"], Bilingual(r["entity"])) for r in tenants[:TOP_TENANTS]],
            [_location(r) for r in tenants[:TOP_TENANTS]],
        ),
        "by_month": BarSeries(
            bilingual("by_month"), unit, [r["month"] for r in report["months"]],
            [_location(r) for r in report["months"]],
        ),
    }  # fmt: skip
    gross = sum(float(totals.get(k) or 0.0) for k in ("scope1_t", "scope2_market_t", "scope3_t"))
    intensity = report["indicators"].get("emissions_per_value_added_t_per_wan_cny") or {}
    return Emissions(
        total=gross,
        net=totals.get("net_t"),
        by_scope=by_scope,
        by_carrier=carrier_table,
        by_tenant=by_tenant,
        by_month=by_month,
        charts=charts,
        net_basis=engine_text(report["net_basis"]) if report.get("net_basis") else None,
        basis=engine_text(report["basis"]) if report.get("basis") else None,
        per_value_added=intensity.get("value"),
        per_value_added_note=engine_text(intensity["reason"]) if intensity.get("reason") else None,
    )


def heat_map(
    hours: list[dt.datetime], load: list[float], matched: list[float], zone: str, start: dt.date
) -> list[list[float | None]]:
    """Matched share per local day (rows from ``start``) and local hour 0–23."""
    tz = zoneinfo.ZoneInfo(zone)
    rows: dict[int, list[float | None]] = {}
    for when, total, green in zip(hours, load, matched, strict=True):
        local = when.astimezone(tz)
        day = (local.date() - start).days
        if day < 0:
            continue
        row = rows.setdefault(day, [None] * 24)
        row[local.hour] = (green / total) if total and total > 0 else None
    if not rows:
        return []
    return [rows.get(d, [None] * 24) for d in range(max(rows) + 1)]


def green_power(report: dict[str, Any], matrix: list[list[float | None]] | None) -> GreenPower:
    energy, indicators = report["energy"], report["indicators"]
    keys = ("electricity_mwh", "green_electricity_mwh", "direct_supply_mwh",
            "direct_on_site_mwh", "direct_dedicated_line_mwh")  # fmt: skip
    table = Table(
        "green_power",
        bilingual("gp_table"),
        [Column("item", bilingual("gp_item")),
         Column("mwh", bilingual("gp_value"), unit="MWh", numeric=True, digits=0)],
        [{"item": bilingual(f"gp_{k}"), "mwh": energy.get(k)} for k in keys if k in energy],
    )  # fmt: skip
    hourly = indicators.get("hourly_cfe_score", {})
    return GreenPower(
        consumption=float(energy.get("electricity_mwh") or 0.0),
        annual_share=indicators.get("green_electricity_share", {}).get("value"),
        hourly_share=hourly.get("value"),
        heat_map=matrix or None,
        table=table,
        note=engine_text(hourly["reason"]) if hourly.get("reason") else None,
    )


def instruments(report: dict[str, Any]) -> list[InstrumentRow]:
    rows = []
    for item in report["instruments"]["used"]:
        quantity, unit = (item["mwh"], "MWh") if "mwh" in item else (item.get("tonnes"), TONNES)
        rows.append(
            InstrumentRow(item["id"], item.get("type", ""), quantity, unit, item.get("vintage"),
                          "retired")
        )  # fmt: skip
    for item in report["instruments"]["excluded"]:
        rows.append(
            InstrumentRow(item["id"], item.get("type", ""), None, None, None, "excluded",
                          engine_text(item["reason"]))
        )  # fmt: skip
    return rows


def factors(report: dict[str, Any]) -> list[FactorRow]:
    """The factors the ledger used, each with its source and why it was chosen."""
    rows = []
    for f in sorted(report["factors"], key=lambda f: f["id"]):
        src = f.get("source") or {}
        source = Source(**src).cite() if src else ""
        valid = str(f["year"]) if f.get("year") else ""
        rows.append(
            FactorRow(f["id"], f.get("quantity", ""), float(f["value"]), f["unit"], source, valid,
                      f.get("confidence", ""), engine_text(f["rule"]) if f.get("rule") else None)
        )  # fmt: skip
    return rows


def _profile_value(path: str, value: Any) -> Any:
    """A profile value for the table: yes/no, numbers as text, the basis as a citation,
    every other value (method and carrier ids) as code."""
    if isinstance(value, bool):
        return bilingual("yes" if value else "no")
    if isinstance(value, int | float):
        return str(value)
    if path == "basis":
        return Citation(str(value))
    if isinstance(value, list):
        return Code(", ".join(map(str, value)))
    return Code(str(value))


def profile_table(profile: dict[str, Any]) -> Table:
    """The profile's method choices, one row per choice, labelled in both languages
    (``pf_<path>`` messages; a choice without a message is shown by its path as code)."""
    rows: list[dict[str, Any]] = []
    known = catalogue()

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(f"{prefix}.{k}" if prefix else k, v)
            return
        key = "pf_" + prefix.replace(".", "_")
        label = bilingual(key) if key in known else Code(prefix)
        rows.append({"choice": label, "value": _profile_value(prefix, value)})

    walk("", {k: v for k, v in profile.items() if k not in ("title", "sources", "aliases")})
    return Table(
        "accounting_profile",
        bilingual("profile_table"),
        [
            Column("choice", bilingual("profile_choice")),
            Column("value", bilingual("profile_value")),
        ],
        rows,
    )
