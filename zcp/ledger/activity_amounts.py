"""From an activity line as written to its emissions: quantity, factor, tonnes and trace.

A fuel line's quantity is carried to its carrier's unit (for the energy balance) and to its
factor's unit (for the tonnes), each step written down. Purchased steam in tonnes becomes
heat by its enthalpy (IAPWS-IF97, the ``iapws`` package) minus the enthalpy of condensate
returned; heat is then priced per GJ. A line's own factor replaces the library's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from zcp.factors import Factor, FactorLibrary
from zcp.ledger.activity import CondensateReturn, FuelUse, PurchasedEnergy
from zcp.ledger.factor_choice import carrier_factor
from zcp.ledger.fuel_units import FuelAmount, FuelUnitError, fuel_in_carrier_unit
from zcp.model.steam import CondensateShare, SteamState
from zcp.units import parse_quantity, registry

#: Largest emission one activity line may give [tCO2]: a thousand times the world's annual
#: CO2 (~37 Gt) — anything above is a typo or an overflow, never an inventory.
MAX_LINE_TCO2 = 4e13


class ActivityAmountError(ValueError):
    """An activity line that cannot be priced; ``field`` names the offending field."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class LineAmount:
    """One activity line priced: ``quantity`` [``unit``], ``tco2`` [tCO2], how, and with what."""

    quantity: float
    unit: str
    carrier: str
    factor: Factor | None
    tco2: float
    trace: str | None
    reason: str | None = None  # why the line is not counted (no factor), else None


def _tonnes(factor: Factor, amount: float) -> float:
    """``amount`` [factor's per-unit] × factor → [tCO2], finite and plausible."""
    reg = registry()
    per = factor.unit.split("/", 1)[1]
    q = reg.Quantity(factor.value, factor.unit) * reg.Quantity(amount, per)
    try:
        tonnes = float(q.to("tCO2").magnitude)
    except Exception:  # noqa: BLE001 — pint: DimensionalityError and kin
        raise ActivityAmountError(
            f"factor unit {factor.unit!r} does not give a mass of CO2", "factor.unit"
        ) from None
    if not math.isfinite(tonnes) or tonnes > MAX_LINE_TCO2:
        raise ActivityAmountError(
            f"{amount:g} {per} gives {tonnes:g} tCO2, beyond any plausible inventory "
            f"(limit {MAX_LINE_TCO2:g} t per line)",
            "quantity",
        )
    return tonnes


def fuel_emission(
    use: FuelUse, carrier_unit: str, library: FactorLibrary, factor_id: str
) -> LineAmount:
    """A combustion line: the fuel in its carrier's unit and its CO2 [t]."""
    kw = {"density": use.density, "ncv": use.ncv}
    try:
        in_carrier = fuel_in_carrier_unit(use.quantity, use.carrier, carrier_unit, library, **kw)
    except FuelUnitError as exc:
        raise ActivityAmountError(str(exc), exc.field) from None
    factor = (
        use.factor.as_factor(factor_id, carrier=use.carrier)
        if use.factor
        else carrier_factor(library, use.carrier)
    )
    if factor is None:
        return LineAmount(in_carrier.value, carrier_unit, use.carrier, None, 0.0,
                          in_carrier.trace(), f"no CO2 factor for {use.carrier}: give the "
                          "line a factor (value, unit, source, year)")  # fmt: skip
    per = factor.unit.split("/", 1)[-1]
    try:
        in_factor: FuelAmount = fuel_in_carrier_unit(use.quantity, use.carrier, per, library, **kw)
    except FuelUnitError as exc:
        raise ActivityAmountError(str(exc), exc.field) from None
    tco2 = _tonnes(factor, in_factor.value)
    trace = in_carrier.trace() if per == carrier_unit else in_factor.trace()
    return LineAmount(in_carrier.value, carrier_unit, use.carrier, factor, tco2, trace)


def _number(value: str | float, unit: str, field: str) -> float:
    try:
        number = parse_quantity(value, unit)
    except (ValueError, OverflowError) as exc:
        raise ActivityAmountError(str(exc), field) from None
    if not math.isfinite(number):
        raise ActivityAmountError(f"{value!r} is not a finite number", field)
    return number


def steam_enthalpy(pressure_mpa: float, temperature_c: float, field: str) -> float:
    """Specific enthalpy of water or steam [kJ/kg] (IAPWS-IF97; absolute pressure [MPa])."""
    from iapws import IAPWS97

    if not (0.000611 <= pressure_mpa <= 100 and 0 <= temperature_c <= 800):
        raise ActivityAmountError(
            f"{pressure_mpa:g} MPa, {temperature_c:g} °C is outside IAPWS-IF97's range "
            "(0.000611–100 MPa, 0–800 °C)",
            field,
        )
    try:
        h = IAPWS97(P=pressure_mpa, T=temperature_c + 273.15).h
    except Exception:  # noqa: BLE001 — iapws raises NotImplementedError/ValueError at edges
        h = None
    if h is None or not math.isfinite(h):
        raise ActivityAmountError(
            f"no IAPWS-IF97 state at {pressure_mpa:g} MPa, {temperature_c:g} °C", field
        )
    return float(h)


def steam_heat(
    tonnes: float,
    steam: SteamState,
    returned: float = 0.0,
    condensate: CondensateReturn | CondensateShare | None = None,
) -> tuple[float, list[str]]:
    """Heat [GJ] of ``tonnes`` of steam at its conditions, less ``returned`` t of condensate
    at its own (IAPWS-IF97 enthalpies), and the steps as the trace states them."""
    p = _number(steam.pressure, "MPa", "steam.pressure")
    t = _number(steam.temperature, "degC", "steam.temperature")
    h = steam_enthalpy(p, t, "steam")
    gj = tonnes * h / 1000.0  # t × kJ/kg = MJ per kg·t/1000 → GJ
    steps = [f"{tonnes:g} t steam at {p:g} MPa, {t:g} °C: h = {h:.1f} kJ/kg (IAPWS-IF97)"]
    if condensate is not None:
        pc = _number(condensate.pressure, "MPa", "condensate_return.pressure")
        tc = _number(condensate.temperature, "degC", "condensate_return.temperature")
        hc = steam_enthalpy(pc, tc, "condensate_return")
        gj -= returned * hc / 1000.0
        steps.append(f"minus {returned:g} t condensate returned at {tc:g} °C: h = {hc:.1f} kJ/kg")
    steps.append(f"heat = {gj:g} GJ")
    return gj, steps


def heat_emission(item: PurchasedEnergy, library: FactorLibrary, factor_id: str) -> LineAmount:
    """Purchased heat, steam, hot water or cooling: its heat [GJ] and CO2 [t]."""
    steps: list[str] = []
    written = str(item.quantity)
    as_mass = item.carrier == "steam" and not _is_energy(item.quantity)
    if as_mass:
        if item.steam is None:
            raise ActivityAmountError(
                f"steam {written} in mass needs its conditions (steam: {{pressure, "
                "temperature}}) or give the heat in GJ",
                "steam",
            )
        tonnes = _number(item.quantity, "t", "quantity")
        back = item.condensate_return
        returned = _number(back.quantity, "t", "condensate_return.quantity") if back else 0.0
        if returned > tonnes:
            raise ActivityAmountError(
                f"{returned:g} t of condensate returned exceed the {tonnes:g} t of steam bought",
                "condensate_return.quantity",
            )
        gj, steam_steps = steam_heat(tonnes, item.steam, returned, back)
        steps += steam_steps
    else:
        gj = _number(item.quantity, "GJ", "quantity")
        if not isinstance(item.quantity, (int, float)):
            steps.append(f"{written} = {gj:g} GJ")
    carrier = "cooling" if item.carrier == "cooling" else "heat"
    factor = (
        item.factor.as_factor(factor_id, carrier=carrier)
        if item.factor
        else carrier_factor(library, "heat" if carrier == "heat" else "cooling")
    )
    trace = "; ".join(steps) or None
    if factor is None:
        return LineAmount(gj, "GJ", carrier, None, 0.0, trace,
                          f"no CO2 factor for {item.carrier}: give the line a factor (value, "
                          "unit, source, year)")  # fmt: skip
    per = factor.unit.split("/", 1)[-1]
    try:
        amount = float(registry().Quantity(gj, "GJ").to(per).magnitude)
    except Exception:  # noqa: BLE001 — pint: DimensionalityError and kin
        raise ActivityAmountError(
            f"factor unit {factor.unit!r} is not per unit of energy", "factor.unit"
        ) from None
    return LineAmount(gj, "GJ", carrier, factor, _tonnes(factor, amount), trace)


def _is_energy(quantity: str | float) -> bool:
    if isinstance(quantity, (int, float)):
        return False
    try:
        parse_quantity(quantity, "GJ")
    except (ValueError, OverflowError):
        return False
    return True
