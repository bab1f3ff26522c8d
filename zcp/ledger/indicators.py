"""Energy use in tce and the indicators built on the inventory.

综合能源消费量 counts the energy entering the boundary once: electricity consumed (by the
profile's electricity-to-tce method), fuels burnt and heat bought, each by its GB/T 2589
coefficient. Carbon per unit energy (910号 附件3 core indicator) divides the profile's
emissions (gases, process CO2 and scope-2 basis as the profile says) by that energy.
Clean energy (清洁能源消费占比) counts what the profile lists: non-fossil carriers, natural
gas under the Chinese statistical convention, and green electricity.
"""

from __future__ import annotations

import math

import pandas as pd

from zcp.factors import FactorLibrary
from zcp.ledger.profile import AccountingProfile
from zcp.ledger.result import Indicator, skipna_sum
from zcp.model import ParkFolder


def tce_factor(library: FactorLibrary, carrier: str) -> tuple[float, str] | None:
    """(standard-coal coefficient [tce per the carrier's unit], factor id), or None."""
    found = library.find("standard_coal", carrier=carrier, method=None)
    return (found[-1].value, found[-1].id) if found else None


def energy_table(
    electricity: pd.DataFrame,
    fuel_lines: pd.DataFrame,
    folder: ParkFolder,
    library: FactorLibrary,
    profile: AccountingProfile,
) -> tuple[pd.DataFrame, list[str]]:
    """Entity × bucket × carrier: ``quantity`` [the carrier's unit], ``tce``, ``clean_tce``,
    ``non_fossil_tce`` [tce]; ``electricity`` in [MWh] as ``physical_clean`` gives it.

    "Clean" follows the profile (the national convention counts natural gas as clean);
    "non-fossil" never does: green electricity and non-fossil fuels only.
    """
    fuels, notes = fuel_energy(fuel_lines, folder, library, profile)
    return with_electricity(electricity, fuels, library, profile), notes


def with_electricity(
    electricity: pd.DataFrame,
    fuels: pd.DataFrame | None,
    library: FactorLibrary,
    profile: AccountingProfile,
) -> pd.DataFrame:
    """The energy table: electricity rows (``electricity`` [MWh] as ``physical_clean``
    gives it, in tce by the profile's method) followed by the ``fuels`` rows
    (:func:`fuel_energy`) [tce]."""
    el_factor = library.get(profile.electricity.to_tce)
    clean_el = "green_electricity" in profile.clean_energy
    rows = pd.DataFrame(
        {
            "entity": electricity["entity"],
            "bucket": electricity["bucket"],
            "carrier": "electricity",
            "quantity": electricity["load"],
            "tce": electricity["load"] * el_factor.value,
            "clean_tce": electricity["green"] * el_factor.value if clean_el else 0.0,
            "non_fossil_tce": electricity["green"] * el_factor.value,
            "in_boundary": electricity["in_boundary"],
        }
    )
    return pd.concat([rows] if fuels is None else [rows, fuels], ignore_index=True)


def fuel_energy(
    fuel_lines: pd.DataFrame,
    folder: ParkFolder,
    library: FactorLibrary,
    profile: AccountingProfile,
) -> tuple[pd.DataFrame | None, list[str]]:
    """Energy rows of fuels, heat and cooling (entity × bucket × carrier: ``quantity``
    [the carrier's unit], ``tce``, ``clean_tce``, ``non_fossil_tce`` [tce]), None if there
    are none; and notes on carriers without a standard-coal coefficient."""
    notes = []
    rows = []
    clean_categories = {"non_fossil"} & set(profile.clean_energy)
    for (entity, bucket, carrier, inside), qty in (
        fuel_lines.groupby(["entity", "bucket", "carrier", "in_boundary"], dropna=False)["activity"]
        .sum()
        .items()
    ):
        found = tce_factor(library, carrier)
        if found is None:
            notes.append(f"no standard-coal coefficient for {carrier}; left out of energy use")
            continue
        category = folder.carriers[carrier].category
        clean = category in clean_categories or (
            carrier == "natural_gas" and "natural_gas" in profile.clean_energy
        )
        rows.append(
            pd.DataFrame(
                {
                    "entity": [entity],
                    "bucket": [bucket],
                    "carrier": [carrier],
                    "quantity": [qty],
                    "tce": [qty * found[0]],
                    "clean_tce": [qty * found[0] if clean else 0.0],
                    "non_fossil_tce": [qty * found[0] if category == "non_fossil" else 0.0],
                    "in_boundary": [inside],
                }
            )  # fmt: skip
        )
    fuels = pd.concat(rows, ignore_index=True) if rows else None
    return fuels, sorted(set(notes))


def indicators(
    *,
    lines: pd.DataFrame,
    energy: pd.DataFrame,
    electricity: pd.DataFrame,
    hourly_cfe: float | None,
    hourly_reason: str | None,
    profile: AccountingProfile,
    value_added: float | None,
    losses_mwh: float = 0.0,
) -> tuple[dict[str, Indicator], dict[str, float]]:
    """The park's indicators (each with its unit: [tCO2/tce], [fraction], [tCO2/wan_CNY])
    and the energy summary (``*_mwh`` [MWh], ``*_tce`` [tce], ``indicator_emissions_t``
    [tCO2]); ``hourly_cfe`` [fraction], ``value_added`` [wan CNY], ``losses_mwh`` [MWh]."""
    # plain numpy over the columns (every what-if run forms the indicators); the sums add
    # the same values in the same order as the Series sums did
    inside = energy["in_boundary"].to_numpy(dtype=bool)
    el = electricity["in_boundary"].to_numpy(dtype=bool)
    counted = lines["counted"].to_numpy(dtype=bool) & lines["in_boundary"].to_numpy(dtype=bool)
    if profile.gases == "co2_only":
        counted &= lines["gas"].to_numpy() == "co2"
    scope, basis = lines["scope"].to_numpy(), lines["basis"].to_numpy()
    scope2 = "market" if profile.indicator_scope2 == "market" else "location"
    in_indicator = (scope == "1") | ((scope == "2") & ((basis == scope2) | (basis == "both")))
    numerator = skipna_sum(lines["tco2e"].to_numpy(dtype=float)[counted & in_indicator])
    tce = skipna_sum(energy["tce"].to_numpy(dtype=float)[inside])
    clean_tce = skipna_sum(energy["clean_tce"].to_numpy(dtype=float)[inside])

    def el_sum(column: str) -> float:
        return skipna_sum(electricity[column].to_numpy(dtype=float)[el])

    load, green, direct = el_sum("load"), el_sum("green"), el_sum("clean_direct")
    denominator = load
    if profile.direct_supply_denominator == "electricity_consumed_and_lost":
        denominator = load + losses_mwh
    none_el = "no electricity consumed in the boundary"
    out = {
        "carbon_per_energy_t_per_tce": Indicator(
            numerator / tce if tce > 0 else None, "tCO2/tce", None if tce > 0 else "no energy use"
        ),
        "clean_energy_share": Indicator(
            clean_tce / tce if tce > 0 else None,
            "fraction",
            None if tce > 0 else "no energy use",
        ),
        "green_electricity_share": Indicator(
            green / load if load > 0 else None, "fraction", None if load > 0 else none_el
        ),
        "hourly_cfe_score": Indicator(
            hourly_cfe if hourly_reason is None and load > 0 else None,
            "fraction",
            hourly_reason if hourly_reason or load > 0 else none_el,
        ),
        "direct_supply_share": Indicator(
            direct / denominator if denominator > 0 else None,
            "fraction",
            None if denominator > 0 else none_el,
        ),
        "emissions_per_value_added_t_per_wan_cny": _per_value_added(numerator, value_added),
    }
    summary = {
        "electricity_mwh": load,
        "green_electricity_mwh": green,
        "direct_supply_mwh": direct,
        "energy_tce": tce,
        "clean_energy_tce": clean_tce,
        "indicator_emissions_t": numerator,
        "losses_mwh": losses_mwh,
    }
    return out, summary


def _per_value_added(tonnes: float, value_added: float | None) -> Indicator:
    """Emissions per industrial value added [tCO2/wan CNY]; None with the reason when there
    is no value added or it is too small to divide by (the quotient overflows)."""
    if not value_added:
        return Indicator(None, "tCO2/wan_CNY", "no industrial value added in park.yaml (economics)")
    ratio = tonnes / value_added
    if not math.isfinite(ratio):
        return Indicator(None, "tCO2/wan_CNY", f"industrial value added {value_added:g} wan CNY "
                         "is too small to divide by")  # fmt: skip
    return Indicator(ratio, "tCO2/wan_CNY", None)
