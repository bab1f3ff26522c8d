"""Metered steam in tonnes on park.yaml flows, priced by its heat.

A heat plant's steam enters the park through a meter that reads mass [t]; the CO2 factor
for purchased heat is per GJ. A steam flow that states its conditions (``steam: {pressure,
temperature}``, optionally ``condensate_return: {share, temperature}``) is turned into heat
by the same IAPWS-IF97 arithmetic as an activity line (:func:`steam_heat`), and every line
says so in its ``conversion``. One without conditions stays in the table, not counted, with
the reason — and ``zcp validate`` warns about it.
"""

from __future__ import annotations

from zcp.errors import Problem
from zcp.ledger.activity_amounts import ActivityAmountError, steam_heat
from zcp.ledger.topology import flow_roles
from zcp.model import ParkFolder
from zcp.model.park import Flow
from zcp.units import conversion_factor


def steam_flow_heat(flow: Flow, quantity: float, unit: str) -> tuple[float, str]:
    """Heat [GJ] of ``quantity`` [unit, a mass] of a flow's steam, and the conversion text."""
    assert flow.steam is not None
    tonnes = quantity * conversion_factor(unit, "t")
    back = flow.condensate_return
    returned = tonnes * back.share if back is not None else 0.0
    gj, steps = steam_heat(tonnes, flow.steam, returned, back)
    if back is not None:
        steps[1] = f"{steps[1]} ({back.share:g} of the mass)"
    return gj, f"flow {flow.id}: " + "; ".join(steps)


def steam_flow_problems(folder: ParkFolder) -> list[Problem]:
    """Conditions on a flow that is not steam, conditions IAPWS-IF97 cannot evaluate (errors),
    and purchased steam metered in mass with no conditions (a warning: it is not counted)."""
    problems = []
    roles = flow_roles(folder)
    doc = folder.document
    for i, flow in enumerate(folder.park.flows):
        mass = folder.carriers[flow.carrier].dimension == "mass"
        if flow.steam is None:
            if flow.condensate_return is not None:
                problems.append(doc.problem("condensate_return needs the steam's conditions "
                                            "(steam: {pressure, temperature})", ("flows", i, "condensate_return")))  # fmt: skip
            elif flow.carrier == "steam" and mass and roles[flow.id].kind == "heat":
                problems.append(doc.problem(
                    f"purchased steam in {folder.carriers[flow.carrier].unit} is not counted "
                    "without its conditions", ("flows", i),
                    hint="add steam: {pressure: 1.0 MPa, temperature: 250 degC}",
                    severity="warning"))  # fmt: skip
            continue
        if flow.carrier != "steam" or not mass:
            problems.append(doc.problem(f"steam conditions on a {flow.carrier} flow",
                                        ("flows", i, "steam"),
                                        hint="only a steam flow in mass [t] takes them"))  # fmt: skip
            continue
        try:
            steam_flow_heat(flow, 1.0, "t")
        except ActivityAmountError as exc:
            problems.append(doc.problem(str(exc), ("flows", i, *exc.field.split("."))))
    return problems
