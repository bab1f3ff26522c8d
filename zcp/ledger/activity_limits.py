"""Every amount in ``activity.yaml`` finite and within the plausible ceilings.

:mod:`zcp.ledger.activity_checks` reports amounts that cannot be read or converted; this
adds the bound: ``1.7e308 t`` of diesel converts fine and would still swamp the report.
Amounts are read as the ledger reads them, before any line is computed, so ``1e400`` or an
absurd figure is a located error instead of a traceback or a wrong total.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from zcp.errors import InputError, Problem
from zcp.factors import FactorLibrary
from zcp.ledger.activity import Activity
from zcp.ledger.fuel_units import fuel_in_carrier_unit
from zcp.limits import ANY_QUANTITY_CEILING, QUANTITY_CEILINGS
from zcp.model.carriers import Carriers
from zcp.units import finite, parse_quantity

#: Largest mass of CO2e (or of a gas released) a line may hold [t].
MAX_TONNES = QUANTITY_CEILINGS["t"]


def amount_problems(
    activity: Activity, carriers: Carriers, library: FactorLibrary
) -> list[Problem]:
    """Located problems with the amounts of an activity file (empty when all are fine)."""
    data = activity.data
    found: list[Problem] = []

    def check(
        section: str, index: int, field: str, read: Callable[[], float], unit: str, ceiling: float
    ) -> None:
        try:
            value = finite(read())
        except (ValueError, InputError) as exc:
            message = str(exc.problems[0].message if isinstance(exc, InputError) else exc)
        else:
            if abs(value) <= ceiling:
                return
            message = f"{value:g} {unit} is beyond any park (at most {ceiling:g} {unit})"
        loc = (section, index, field)
        found.append(activity.problem(message, loc))

    for section in ("stationary_combustion", "mobile_combustion"):
        for i, use in enumerate(getattr(data, section)):
            if use.carrier not in carriers:
                continue  # reported as an unknown carrier
            unit = carriers[use.carrier].unit
            try:
                fuel_in_carrier_unit(use.quantity, use.carrier, unit, library,
                                     density=use.density, ncv=use.ncv)  # fmt: skip
            except (ValueError, InputError):
                continue  # reported by activity_checks, with the accepted units
            ceiling = QUANTITY_CEILINGS.get(unit, ANY_QUANTITY_CEILING)

            def read(u: Any = use, n: str = unit) -> float:
                return fuel_in_carrier_unit(
                    u.quantity, u.carrier, n, library, density=u.density, ncv=u.ncv
                ).value

            check(section, i, "quantity", read, unit, ceiling)
    for i, leak in enumerate(data.fugitive):
        check("fugitive", i, "top_up" if leak.top_up is not None else "charge",
              leak.mass_t, "t", MAX_TONNES)  # fmt: skip
    for i, process in enumerate(data.process):
        check("process", i, "co2", functools.partial(parse_quantity, process.co2, "t"), "t",
              MAX_TONNES)  # fmt: skip
    for i, item in enumerate(data.scope3):
        try:
            item.tonnes(activity.disclosures)
        except (ValueError, InputError):
            continue  # reported when the activity file is read
        check("scope3", i, "amount", functools.partial(item.tonnes, activity.disclosures),
              "tCO2e", MAX_TONNES)  # fmt: skip
    return found
