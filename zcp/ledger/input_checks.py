"""The inventory's input files checked without computing: what ``zcp validate`` adds.

``instruments.yaml`` and ``activity.yaml`` are read and every reference in them (entity,
beneficiary, carrier, generator) resolved with a did-you-mean; serials double-claimed, fuel
quantities that cannot be priced and sites abroad without a stated grid factor are errors;
an entity reporting over another period than the park is a warning, so the difference is
seen before any figure is.
"""

from __future__ import annotations

from zcp.errors import InputError, Problem
from zcp.factors import default_library
from zcp.ledger.activity import ACTIVITY_FILE, load_activity
from zcp.ledger.activity_checks import activity_problems
from zcp.ledger.entity_factors import entity_grid_factors
from zcp.ledger.factor_choice import FactorOverride
from zcp.ledger.instruments import double_claims, load_instruments
from zcp.ledger.profile import DEFAULT_PROFILE, load_profile
from zcp.ledger.registry_rules import gec_ccer_conflicts, unserialled_double_claims
from zcp.ledger.steam_flows import steam_flow_problems
from zcp.ledger.windows import entity_periods
from zcp.model import ParkFolder


def other_period_warnings(folder: ParkFolder) -> list[Problem]:
    """One warning per entity whose reporting period differs from the park's."""
    park = folder.park.reporting_period
    out = []
    for i, tenant in enumerate(folder.park.tenants):
        own = tenant.reporting_period
        if own is not None and own != park:
            out.append(
                folder.problem(
                    "tenants",
                    i,
                    "reporting_period",
                    f"entity {tenant.id!r} reports {own.start} – {own.end}, the park "
                    f"{park.start} – {park.end}: its figures are summed over its own period",
                    severity="warning",
                )  # fmt: skip
            )
    return out


def inventory_input_problems(folder: ParkFolder) -> list[Problem]:
    """Errors and warnings in the inventory's inputs (see the module docstring)."""
    problems: list[Problem] = list(other_period_warnings(folder))
    problems += steam_flow_problems(folder)
    known = {t.id for t in folder.park.tenants} | {folder.park.id}
    library = default_library()
    try:
        instruments = load_instruments(folder.resolve(folder.park.instruments_file))
        problems += double_claims(instruments, known)
        problems += unserialled_double_claims(instruments)
        problems += gec_ccer_conflicts(instruments)
    except ValueError as exc:  # a path that leaves the folder
        problems.append(Problem(str(exc), path=str(folder.document.path), field="instruments_file"))
    except InputError as exc:
        problems += exc.problems
    try:
        activity = load_activity(folder.root / ACTIVITY_FILE)
        problems += activity_problems(activity, folder, library, known)
    except InputError as exc:
        problems += exc.problems
    try:
        entity_grid_factors(folder, library, load_profile(DEFAULT_PROFILE),
                            entity_periods(folder), FactorOverride(None, None))  # fmt: skip
    except InputError as exc:
        problems += exc.problems
    return problems
