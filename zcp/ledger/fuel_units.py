"""Fuel quantities in the units ledgers are kept in, turned into the carrier's own unit.

Inventories write diesel in litres, gas in Nm³, coal in tonnes and bought fuel by its heat
in GJ. Each fuel's CO2 factor is per its carrier's unit (t, m3), so a quantity is carried
there by pint through at most a density (volume ↔ mass) and a net calorific value (energy ↔
mass or volume): the supplier's values on the line when given, else the factor library's
(``fuel_properties.yaml``, each with its source and confidence). Every step is written into
the line's trace. Anything that cannot be carried there is an error naming the accepted
units — never a traceback, never a silent zero.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import pint

from zcp.factors import Factor, FactorLibrary
from zcp.units import registry

#: Units a fuel quantity may be written in (with the spellings accepted for each).
ACCEPTED_FUEL_UNITS = ("L", "m3", "Nm3", "kg", "t", "GJ", "MJ", "kWh")
_SPELLINGS = {
    "l": "L", "litre": "L", "litres": "L", "liter": "L", "liters": "L", "升": "L",
    "m3": "m3", "m³": "m3", "立方米": "m3",
    "nm3": "Nm3", "nm³": "Nm3", "标方": "Nm3",
    "kg": "kg", "千克": "kg", "公斤": "kg",
    "t": "t", "tonne": "t", "tonnes": "t", "吨": "t",
    "gj": "GJ", "mj": "MJ", "kwh": "kWh",
}  # fmt: skip
_PINT_NAME = {"L": "liter", "m3": "m3", "Nm3": "Nm3", "kg": "kg", "t": "t", "GJ": "GJ",
              "MJ": "MJ", "kWh": "kWh"}  # fmt: skip
_NUMBER_UNIT = re.compile(r"^\s*([-+]?(?:\d[\d_]*\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")


class FuelUnitError(ValueError):
    """A fuel quantity that cannot be read or carried to its carrier's unit; ``field`` is
    the line's field at fault (quantity, density or ncv)."""

    def __init__(self, message: str, field: str = "quantity") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class FuelAmount:
    """A fuel quantity in its carrier's unit, with how it got there."""

    value: float  # [carrier unit]
    unit: str
    written: str
    steps: tuple[str, ...] = ()
    factor_ids: tuple[str, ...] = ()

    def trace(self) -> str | None:
        return "; ".join(self.steps) if self.steps else None


def accepted_units_text() -> str:
    return "accepted units: " + ", ".join(ACCEPTED_FUEL_UNITS)


def _split(quantity: float | str) -> tuple[float, str | None]:
    if isinstance(quantity, bool):
        raise FuelUnitError("expected a number or a quantity such as '441590 L'")
    if isinstance(quantity, (int, float)):
        try:
            number, unit = float(quantity), None
        except OverflowError:  # a 400-digit integer
            number, unit = math.inf, None
    else:
        if re.match(r"^\s*[-+]?\d+,\d", str(quantity)):
            raise FuelUnitError(
                f"{quantity!r}: decimal commas are not read — write a point (1.5), and no "
                "thousands separators"
            )
        match = _NUMBER_UNIT.match(str(quantity))
        if not match:
            raise FuelUnitError(
                f"cannot read {quantity!r} as a quantity; write e.g. '441590 L' "
                f"({accepted_units_text()})"
            )
        try:
            number = float(match.group(1).replace("_", ""))
        except OverflowError:
            number = math.inf
        unit = match.group(2) or None
    if not math.isfinite(number) or number < 0:
        raise FuelUnitError(f"{quantity!r} is not a finite, non-negative quantity")
    return number, unit


def _canonical_unit(unit: str) -> str:
    name = _SPELLINGS.get(unit.strip().lower()) or _SPELLINGS.get(unit.strip())
    if name is None:
        raise FuelUnitError(f"unit {unit!r} is not a fuel unit ({accepted_units_text()})")
    return name


def _property(
    library: FactorLibrary, quantity: str, carrier: str, on_line: float | str | None, label: str
) -> tuple[pint.Quantity[Any], str, str | None] | None:
    """(value as a pint quantity, description, factor id) from the line or the library."""
    reg = registry()
    if on_line is not None:
        try:
            q: pint.Quantity[Any] | None = (
                reg.Quantity(on_line) if isinstance(on_line, str) else None
            )
        except Exception:  # noqa: BLE001 — pint raises many kinds on garbage text
            q = None
        if q is None or not math.isfinite(float(q.magnitude)) or q.magnitude <= 0:
            raise FuelUnitError(
                f"{label} {on_line!r} must be a positive quantity with a unit",
                "ncv" if quantity == "net_calorific_value" else quantity,
            )
        return q, f"{label} {on_line} (given on the line)", None
    found: list[Factor] = library.find(quantity, carrier=carrier)
    if not found:
        return None
    f = found[-1]
    return (
        reg.Quantity(f.value, f.unit),
        f"{label} {f.value:g} {f.unit} ({f.id}: {f.source.cite()}; {f.confidence})",
        f.id,
    )


def fuel_in_carrier_unit(
    quantity: float | str,
    carrier: str,
    carrier_unit: str,
    library: FactorLibrary,
    *,
    density: float | str | None = None,
    ncv: float | str | None = None,
) -> FuelAmount:
    """``quantity`` of ``carrier`` in ``carrier_unit`` [carrier unit].

    A bare number is already in the carrier's unit. Raises ``FuelUnitError`` naming the
    accepted units, or the property (density, net calorific value) that is missing.
    """
    number, unit = _split(quantity)
    written = str(quantity)
    if unit is None:
        return FuelAmount(number, carrier_unit, written)
    name = _canonical_unit(unit)
    reg = registry()
    given = reg.Quantity(number, _PINT_NAME[name])
    target = reg.parse_units(carrier_unit)
    if given.dimensionality == target.dimensionality:
        value = float(given.to(target).magnitude)
        return FuelAmount(value, carrier_unit, written, (f"{written} = {value:g} {carrier_unit}",))
    rho = _property(library, "density", carrier, density, "density")
    heat = _property(library, "net_calorific_value", carrier, ncv, "net calorific value")
    # try: density alone, NCV alone, then both (volume → mass → energy or back)
    options: list[tuple[pint.Quantity[Any], list[tuple[pint.Quantity[Any], str, str | None]]]] = []
    for r_op in (None, "mul", "div"):
        for h_op in (None, "mul", "div"):
            if (r_op and rho is None) or (h_op and heat is None) or not (r_op or h_op):
                continue
            q, used = given, []
            if r_op and rho is not None:
                q = q * rho[0] if r_op == "mul" else q / rho[0]
                used.append(rho)
            if h_op and heat is not None:
                q = q * heat[0] if h_op == "mul" else q / heat[0]
                used.append(heat)
            options.append((q, used))
    options.sort(key=lambda o: len(o[1]))
    for q, used in options:
        if q.dimensionality == target.dimensionality:
            value = float(q.to(target).magnitude)
            steps = tuple(u[1] for u in used) + (f"{written} = {value:g} {carrier_unit}",)
            ids = tuple(u[2] for u in used if u[2])
            return FuelAmount(value, carrier_unit, written, steps, ids)
    missing = []
    if rho is None:
        missing.append(f"a density (e.g. density: '0.84 kg/L') for {carrier}")
    if heat is None:
        missing.append(f"a net calorific value (e.g. ncv: '42.652 GJ/t') for {carrier}")
    need = " or ".join(missing) if missing else "a density and a net calorific value"
    raise FuelUnitError(
        f"{written} of {carrier} cannot be carried to {carrier_unit}: give {need} on the line "
        f"({accepted_units_text()})"
    )
