"""The ledger's result: inventory lines, energy, totals, indicators and their traces.

Everything is a pandas DataFrame underneath; totals and indicators are derived from those
frames only, so a breakdown (tenant, month, carrier) always adds up to the total it explains.
``to_json()`` is the versioned contract ``zcp emissions --json`` prints (see
``JSON_CONTRACT``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from zcp import __version__

JSON_VERSION = "zcp.emissions/1"

JSON_CONTRACT = """\
zcp.emissions/1 — tCO2e unless stated; shares are fractions 0–1; null values carry a reason.
  contract            "zcp.emissions/1"
  park, period        park id; {start, end} of the park's reporting period
  basis               "metered" | "modelled" (design-stage estimates and modelled shapes)
  totals              scope1_t, scope2_location_t, scope2_market_t, scope3_t, offsets_t, net_t
  net_basis           how net_t is formed (scope 1 + scope 2 market-based [+ scope 3] − offsets)
  indicators          carbon_per_energy_t_per_tce, clean_energy_share, green_electricity_share,
                      hourly_cfe_score, direct_supply_share, emissions_per_value_added_t_per_wan_cny:
                      each {value, unit, reason}
  energy              electricity_mwh, energy_tce, clean_energy_tce, green_electricity_mwh,
                      direct_supply_mwh, direct_on_site_mwh, direct_dedicated_line_mwh,
                      natural_gas_tce, losses_mwh, indicator_emissions_t
  profile             the accounting profile used (every method choice, provisional ones listed)
  factors             [{id, value, unit, year, source, confidence, rule, note}] used
  tenants             [{entity, scope1_t, scope2_location_t, scope2_market_t, scope3_t,
                        offsets_t, net_t, electricity_mwh, green_electricity_share,
                        hourly_cfe_score}] — entities inside the boundary; "_park" is the
                      park's own share (shared loads, losses, use behind no tenant meter)
  months              [{month, scope1_t, scope2_location_t, scope2_market_t, electricity_mwh}]
  instruments         {used: [{id, entity, type|standard, mwh|tonnes}], excluded: [{id, reason}]}
  scope3              {categories: [{category, name, t, by_data_quality: {supplier_specific|hybrid|
                       average_data|spend_based: t}}], category1_supplier_specific_share: {value,
                       reason}, excluded: [{category, name, reason,
                       explanation}], not_reported: [{category, name}]}
  entities_with_other_periods  [{entity, start, end}] — summed over their own periods
  excluded_lines      lines the profile leaves out or that have no factor (counted as zero),
                      with reasons
  estimated_lines     activity lines marked estimated: true
  reconciliation      {materiality, materiality_source, lines: [{entity, figure, stated_t,
                       computed_t, difference_t, relative_difference, material, likely_cause
                       (period|boundary|factor|activity|rounding|undetermined), detail, source}]}
  warnings            [text]
  toolkit             zcp version
"""


@dataclass
class Indicator:
    value: float | None
    unit: str
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "unit": self.unit, "reason": self.reason}


@dataclass
class LedgerResult:
    """One inventory under one profile. ``entity`` is a tenant id or the park's common
    part; ``bucket`` indexes the time buckets of :class:`zcp.ledger.windows.Windows`
    (None: a whole-period figure); ``in_boundary`` says whether it counts for the park.

    ``lines`` — every emission line, counted or not: ``scope`` ("1", "2", "3"),
    ``category``, ``basis`` (location | market | both, scope 2), ``carrier``, ``gas``,
    ``activity`` [``activity_unit``, e.g. MWh, t, GJ], ``factor_id``, ``factor_value``
    [``factor_unit``, e.g. tCO2/MWh], ``factor_year``, ``factor_source``,
    ``factor_confidence``, ``instrument`` (certificate/contract id), ``tco2e`` [tCO2e],
    ``counted`` and ``excluded_reason``, ``meter_id``/``flow_id`` (metered lines),
    ``conversion`` (unit steps), ``estimated``, ``month``.

    ``energy`` — entity × bucket × carrier: ``quantity`` [the carrier's unit], ``tce``,
    ``clean_tce`` (clean as the profile counts it), ``non_fossil_tce`` [tce].

    ``electricity`` — entity × bucket, all [MWh]: ``load``; clean supply matched hourly,
    annually and directly (``clean_hourly``, ``clean_annual``, ``clean_direct``); green
    (``green_hourly``, ``green_annual``, ``green_direct``, ``green`` = green_annual +
    ``instruments``); ``own_fossil`` (from the park's own fuel-fired generators).

    ``meters`` — flow × meter × bucket, the trace base: ``quantity`` [the carrier's unit],
    ``hours`` and ``imputed_hours`` [h], ``kind``, ``basis`` (metered | modelled |
    check_meter).

    ``hourly`` — per hour [MWh]: ``load``, ``matched`` and ``supply_<role>`` per supply
    role. ``totals`` [tCO2e]: ``scope1_t``, ``scope2_location_t``, ``scope2_market_t``,
    ``scope3_t``, ``offsets_t``, ``net_t``. ``energy_summary``: ``*_tce`` [tce],
    ``*_mwh`` [MWh], ``indicator_emissions_t`` [tCO2].
    """

    park_id: str
    period: tuple[str, str]
    basis: str
    lines: pd.DataFrame
    energy: pd.DataFrame
    electricity: pd.DataFrame
    meters: pd.DataFrame
    totals: dict[str, float]
    indicators: dict[str, Indicator]
    profile: dict[str, Any]
    factors: list[dict[str, Any]]
    instruments_used: list[dict[str, Any]] = field(default_factory=list)
    instruments_excluded: list[dict[str, Any]] = field(default_factory=list)
    other_periods: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    net_basis: str = ""
    energy_summary: dict[str, float] = field(default_factory=dict)
    scope3: dict[str, Any] = field(default_factory=dict)
    scope3_in_net: bool = True
    hourly: pd.DataFrame | None = None
    reconciliation: dict[str, Any] = field(default_factory=dict)
    #: ``by_tenant()`` once made (rule sets read it per tenant metric; the tables above are
    #: not changed after the result is made)
    _tenants: pd.DataFrame | None = field(default=None, init=False, repr=False, compare=False)

    # -- breakdowns -----------------------------------------------------------------
    def counted(self) -> pd.DataFrame:
        """The lines counted for the park (inside the boundary), ``tco2e`` [tCO2e]."""
        return self.lines[self.lines["counted"] & self.lines["in_boundary"]]

    def by(self, key: str) -> pd.DataFrame:
        """Scope totals by ``entity``, ``month`` or ``carrier`` [tCO2e]."""
        counted = (self.lines["counted"] & self.lines["in_boundary"]).to_numpy()
        # only the columns the sums read: the same rows in the same order as counted()
        lines = self.lines.loc[counted, list(dict.fromkeys([key, "scope", "basis", "tco2e"]))]
        out = pd.DataFrame(index=pd.Index(sorted(lines[key].dropna().unique()), name=key))
        tco2e, keys = lines["tco2e"], lines[key]
        for column, mask in _scope_masks(lines).items():
            out[column] = tco2e[mask].groupby(keys[mask]).sum()
        out = out.fillna(0.0)
        out["offsets_t"] = 0.0 - out["offsets_t"]  # not -x: that gives -0.0
        out["net_t"] = (
            out["scope1_t"]
            + out["scope2_market_t"]
            + (out["scope3_t"] if self.scope3_in_net else 0.0)
            - out["offsets_t"]
        )
        return out.reset_index()

    def by_tenant(self) -> pd.DataFrame:
        """Scope totals per entity [tCO2e] with ``electricity_mwh`` [MWh] and the green and
        hourly-CFE shares [fraction]."""
        if self._tenants is None:
            self._tenants = self._by_tenant()
        return self._tenants.copy()

    def _by_tenant(self) -> pd.DataFrame:
        out = self.by("entity")
        elec = self.electricity[self.electricity["in_boundary"]].groupby("entity")
        sums = elec[["load", "green_hourly", "green"]].sum()
        out = out.merge(sums, left_on="entity", right_index=True, how="outer").fillna(0.0)
        out["green_electricity_share"] = _ratio(out["green"], out["load"])
        out["hourly_cfe_score"] = _ratio(out["green_hourly"], out["load"])
        return out.rename(columns={"load": "electricity_mwh"}).drop(
            columns=["green_hourly", "green"]
        )

    def by_month(self) -> pd.DataFrame:
        """Scope totals per month [tCO2e]."""
        return self.by("month")

    def by_carrier(self) -> pd.DataFrame:
        """Scope totals per carrier [tCO2e]."""
        return self.by("carrier")

    def trace(self) -> pd.DataFrame:
        """Electricity lines spread over the meters behind them (meter × bucket): each meter's
        share of its entity's load carries the same share of every line's tonnes
        (``tco2e`` [tCO2e], ``activity`` [MWh])."""
        lines = self.counted()
        elec = lines[lines["category"] == "electricity"]
        m = self.meters[self.meters["kind"] == "electricity"]
        m = m[m["basis"].isin(["metered", "estimated", "modelled"])]
        share = m.groupby(["entity", "bucket"])["quantity"].transform("sum")
        m = m.assign(share=m["quantity"] / share.where(share > 0))
        keep = ["entity", "bucket", "basis", "factor_id", "factor_value", "factor_year",
                "factor_source", "instrument", "tco2e", "activity"]  # fmt: skip
        out = m.merge(elec[keep], on=["entity", "bucket"], how="inner", suffixes=("_meter", ""))
        out["tco2e"] = out["tco2e"] * out["share"]
        out["activity"] = out["activity"] * out["share"]
        return out

    # -- JSON ---------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """The ``zcp.emissions/1`` document: [tCO2e] unless a key says otherwise (``_mwh``
        [MWh], ``_tce`` [tce]), shares [fraction] (``JSON_CONTRACT``)."""
        tenants = self.by_tenant()
        months = self.by_month()
        excluded = self.lines[~self.lines["counted"]]
        return {
            "contract": JSON_VERSION,
            "park": self.park_id,
            "period": {"start": self.period[0], "end": self.period[1]},
            "basis": self.basis,
            "totals": {k: round(v, 6) for k, v in self.totals.items()},
            "net_basis": self.net_basis,
            "indicators": {k: v.as_dict() for k, v in self.indicators.items()},
            "energy": {k: round(v, 6) for k, v in self.energy_summary.items()},
            "profile": self.profile,
            "factors": self.factors,
            "tenants": _records(tenants),
            "months": _records(months),
            "instruments": {"used": self.instruments_used, "excluded": self.instruments_excluded},
            "scope3": self.scope3,
            "entities_with_other_periods": self.other_periods,
            "excluded_lines": _records(
                excluded[
                    [
                        "entity",
                        "scope",
                        "category",
                        "gas",
                        "activity",
                        "activity_unit",
                        "tco2e",
                        "excluded_reason",
                    ]
                ]  # fmt: skip
                .groupby(
                    ["entity", "scope", "category", "gas", "activity_unit", "excluded_reason"],
                    dropna=False,
                    as_index=False,
                )  # fmt: skip
                .agg({"activity": "sum", "tco2e": "sum"})
            ),
            "estimated_lines": _records(
                self.lines.loc[
                    self.lines["estimated"].fillna(False).astype(bool)
                    if "estimated" in self.lines
                    else pd.Series(False, index=self.lines.index),
                    [
                        "entity",
                        "scope",
                        "category",
                        "carrier",
                        "activity",
                        "activity_unit",
                        "tco2e",
                    ],
                ]
            ),
            "reconciliation": self.reconciliation,
            "warnings": self.warnings,
            "toolkit": f"zcp {__version__}",
        }


def _scope_masks(lines: pd.DataFrame) -> dict[str, np.ndarray]:
    """Which lines each scope total adds (boolean arrays over ``lines``)."""
    scope, basis = lines["scope"].to_numpy(), lines["basis"].to_numpy()
    scope2 = scope == "2"
    return {
        "scope1_t": scope == "1",
        "scope2_location_t": scope2 & ((basis == "location") | (basis == "both")),
        "scope2_market_t": scope2 & ((basis == "market") | (basis == "both")),
        "scope3_t": scope == "3",
        "offsets_t": scope == "offset",
    }


def scope_totals(lines: pd.DataFrame) -> dict[str, float]:
    """Scope sums [tCO2e]; ``offsets_t`` as a positive number of tonnes retired."""
    tco2e = lines["tco2e"].to_numpy(dtype=float)
    out = {k: skipna_sum(tco2e[m]) for k, m in _scope_masks(lines).items()}
    out["offsets_t"] = 0.0 - out["offsets_t"] + 0.0  # + 0.0 turns -0.0 into 0.0
    return out


def skipna_sum(values: np.ndarray) -> float:
    """Σ ``values`` skipping NaN, as ``pandas.Series.sum`` adds them (NaN as 0, then one
    numpy sum), so totals stay bit-for-bit what the Series sums gave (every what-if run
    totals its lines: plain numpy is cheaper)."""
    missing = np.isnan(values)
    return float((np.where(missing, 0.0, values) if missing.any() else values).sum())


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    return (num / den.where(den > 0)).astype(float)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    frame = frame.astype(object).where(frame.notna(), None)
    out = []
    for rec in frame.to_dict(orient="records"):
        out.append({k: (round(v, 6) if isinstance(v, float) else v) for k, v in rec.items()})
    return out
