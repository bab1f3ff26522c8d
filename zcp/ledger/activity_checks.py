"""Checks of ``activity.yaml`` against the park: every reference resolves, every line prices.

Run by the commands that compute and by ``zcp validate`` alike, so a misspelt entity on a
scope-3 line or a fuel in an unknown unit is an error located by file, line and field —
never a line that silently drops out of the inventory.
"""

from __future__ import annotations

from zcp.errors import Problem, did_you_mean
from zcp.factors import FactorLibrary
from zcp.ledger.activity import Activity
from zcp.ledger.activity_amounts import ActivityAmountError, fuel_emission, heat_emission
from zcp.model import ParkFolder

_ENTITY_SECTIONS = (
    "stationary_combustion",
    "mobile_combustion",
    "purchased_energy",
    "fugitive",
    "process",
    "scope3",
)


def _problem(
    activity: Activity, message: str, loc: tuple[str | int, ...], hint: str | None = None
) -> Problem:
    return activity.problem(message, loc, hint=hint)


def activity_problems(
    activity: Activity, folder: ParkFolder, library: FactorLibrary, known: set[str]
) -> list[Problem]:
    """Unknown entities and carriers (with a did-you-mean) and lines that cannot be priced."""
    data, problems = activity.data, []
    for section in _ENTITY_SECTIONS:
        for i, item in enumerate(getattr(data, section)):
            entity = getattr(item, "entity", None)
            if entity is not None and entity not in known:
                problems.append(
                    _problem(activity, f"unknown entity {entity!r}", (section, i, "entity"),
                             hint=did_you_mean(entity, known) or "a tenant id or the park id")
                )  # fmt: skip
    for section in ("stationary_combustion", "mobile_combustion"):
        for i, use in enumerate(getattr(data, section)):
            if use.carrier not in folder.carriers:
                problems.append(
                    _problem(activity, f"unknown carrier {use.carrier!r}", (section, i, "carrier"),
                             hint=did_you_mean(use.carrier, folder.carriers.ids()))
                )  # fmt: skip
                continue
            unit = folder.carriers[use.carrier].unit
            try:
                fuel_emission(use, unit, library, f"user.{section}.{i}")
            except ActivityAmountError as exc:
                problems.append(_problem(activity, str(exc), (section, i, *exc.field.split("."))))
    for i, item in enumerate(data.purchased_energy):
        try:
            heat_emission(item, library, f"user.purchased_energy.{i}")
        except ActivityAmountError as exc:
            loc: tuple[str | int, ...] = ("purchased_energy", i, *exc.field.split("."))
            problems.append(_problem(activity, str(exc), loc))
    return problems
