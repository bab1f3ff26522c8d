"""Steam conditions: what turns a mass of steam [t] into heat [GJ].

Steam is bought and metered by mass, but priced by its heat. The enthalpy at the stated
absolute pressure and temperature (IAPWS-IF97, computed in :mod:`zcp.ledger.activity_amounts`)
gives the heat per tonne; condensate returned to the supplier takes its own enthalpy back.
Used by activity lines (a returned mass) and by metered park.yaml flows (a returned share,
since the flow's mass is known only once readings are summed).
"""

from __future__ import annotations

from pydantic import Field

from zcp.model.common import Fraction, Strict


class SteamState(Strict):
    """Steam or condensate conditions (IAPWS-IF97): absolute pressure and temperature."""

    pressure: str | float = Field(description="absolute pressure, e.g. '1.0 MPa' [MPa]")
    temperature: str | float = Field(description="e.g. '250 degC' [°C]")


class CondensateShare(Strict):
    """The share of a steam flow's mass sent back as condensate, and its conditions."""

    share: Fraction = Field(description="returned mass ÷ steam mass [fraction]")
    temperature: str | float = Field(description="e.g. '80 degC' [°C]")
    pressure: str | float = Field("0.101325 MPa", description="absolute [MPa]")
