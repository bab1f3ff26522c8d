"""Units through pint, once per column — never a Quantity per value.

The registry knows the energy-statistics units the field uses: tonnes and kilograms of
standard coal equivalent (tce, kgce — their own dimension, so nothing converts MWh to tce
by accident),
tonnes of CO2 (counted as mass), and ``percent``/``fraction`` for shares. Conversions between
an energy unit and tce are *not* done here: which coefficient applies (calorific or
equivalent method) is a choice of the accounting profile, read from the factor library.
"""

from __future__ import annotations

import functools
import math
import re

import pint

from zcp.errors import InputError, Problem, did_you_mean

_DEFINITIONS = """
kgce = [coal_equivalent]
tce = 1000 * kgce
wan_tce = 10000 * tce = 万tce
tCO2 = tonne = tco2
tCO2e = tonne = tco2e
kgCO2 = kilogram
kgCO2e = kilogram
gCO2 = gram
gCO2e = gram
fraction = [] = frac
CNY = [currency] = yuan
wan_CNY = 10000 * CNY = 万元
m3 = meter ** 3
Nm3 = meter ** 3
"""

#: Short unit names users write that pint spells differently.
_ALIASES = {"Nm³": "Nm3", "m³": "m3", "℃": "degC", "%": "percent"}


@functools.cache
def registry() -> pint.UnitRegistry:
    reg: pint.UnitRegistry = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    for line in _DEFINITIONS.strip().splitlines():
        reg.define(line)
    return reg


@functools.cache
def parse_unit(text: str) -> pint.Unit:
    """A unit from its name, with a hint for near misses. Raises ``InputError``."""
    reg = registry()
    if not isinstance(text, str) or not text.strip():
        raise InputError(Problem("empty unit", hint="write a unit such as kWh, t or fraction"))
    spelled = _ALIASES.get(text.strip(), text.strip())
    try:
        return reg.parse_units(spelled)
    except Exception as exc:  # noqa: BLE001 — pint raises many kinds (TokenError too) on garbage text
        known = list(_ALIASES) + [
            "kWh",
            "MWh",
            "GWh",
            "GJ",
            "MJ",
            "t",
            "kg",
            "tce",
            "kgce",
            "percent",
            "fraction",
            "tCO2",
            "m3",
            "Nm3",
        ]
        raise InputError(Problem(f"unknown unit {text!r}", hint=did_you_mean(text, known))) from exc


@functools.cache
def conversion_factor(from_unit: str, to_unit: str) -> float:
    """Multiplier taking a value in ``from_unit`` to ``to_unit`` [to_unit per from_unit]
    (e.g. kWh → MWh = 0.001).

    Raises ``InputError`` if the dimensions differ (a % threshold against a 0–1 share is
    fine — both are dimensionless — but kWh against t is not).
    """
    reg = registry()
    src, dst = parse_unit(from_unit), parse_unit(to_unit)
    try:
        return float(reg.Quantity(1.0, src).to(dst).magnitude)
    except pint.errors.DimensionalityError:
        raise InputError(
            Problem(
                f"cannot convert {from_unit!r} to {to_unit!r}: "
                f"{dimension(from_unit)} is not {dimension(to_unit)}"
            )
        ) from None


def dimension(unit: str) -> str:
    """The physical dimension of a unit, as pint names it (e.g. '[mass]')."""
    dim = str(parse_unit(unit).dimensionality)
    return dim if dim != "dimensionless" else "dimensionless"


def same_dimension(a: str, b: str) -> bool:
    return parse_unit(a).dimensionality == parse_unit(b).dimensionality


_QUANTITY = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.+?)\s*$")


def parse_quantity(value: object, to_unit: str) -> float:
    """A model field given as a number (already in ``to_unit``) or a string ``"12 GWh"``,
    as a number [``to_unit``].

    Used for values typed into park files, not for readings (those convert per column).
    The result is always finite: ``inf``, ``NaN``, ``1e400`` or a 400-digit integer is a
    ``ValueError`` naming the value, never an infinity passed on.
    """
    if isinstance(value, bool):
        raise ValueError("expected a number or a quantity such as '12 GWh'")
    if isinstance(value, (int, float)):
        return finite(value)
    if not isinstance(value, str):
        raise ValueError("expected a number or a quantity such as '12 GWh'")
    try:  # a bare number written as text ("1e400", "NaN"): already in ``to_unit``
        return finite(float(value), written=value)
    except ValueError as exc:
        if "finite" in str(exc):
            raise
    match = _QUANTITY.match(value)
    if not match:
        raise ValueError(
            f"cannot read {value!r} as a quantity; write e.g. '12 GWh' or a number in {to_unit}"
        )
    number, unit = finite(float(match.group(1)), written=match.group(1)), match.group(2)
    try:
        return finite(number * conversion_factor(unit, to_unit))
    except InputError as exc:
        raise ValueError(
            exc.problems[0].message + (f" — {exc.problems[0].hint}" if exc.problems[0].hint else "")
        ) from None


def finite(value: int | float, written: str | None = None) -> float:
    """``value`` as a finite float, or a ``ValueError`` saying why it is not one
    (quoting the value as ``written`` in the file, where given)."""
    try:
        number = float(value)
    except OverflowError:
        digits = int(abs(int(value)).bit_length() * math.log10(2)) + 1
        raise ValueError(f"a number of about {digits} digits is too large") from None
    if not math.isfinite(number):
        raise ValueError(f"{written or value!r} is not a finite number")
    return number
