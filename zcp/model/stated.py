"""Figures an entity has already reported or had verified, stated so zcp can reconcile them.

A verifier's core job is to compare what an organisation published with what its data
gives. Each stated figure names its scope (and scope-2 method or scope-3 category), value,
unit and source; optionally the period it covers and the activity and factor behind it, which
let the reconciliation name the likely cause of a difference.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from zcp.errors import InputError
from zcp.model.common import Period, Strict
from zcp.units import conversion_factor


class StatedBasis(Strict):
    """The activity or factor behind a stated figure, as the publisher gave it."""

    value: float = Field(ge=0, allow_inf_nan=False)
    unit: str = Field(description="e.g. MWh (activity) or tCO2/MWh (factor)")


class StatedFigure(Strict):
    """One published figure: scope 1, scope 2 (location or market) or scope 3 (a category
    or all of it) [unit, a mass of CO2e]."""

    scope: Literal[1, 2, 3]
    method: Literal["location", "market"] | None = Field(
        None, description="scope 2 only: location- or market-based"
    )
    category: int | None = Field(None, ge=1, le=15, description="scope 3 only; omit for all")
    value: float = Field(ge=0, allow_inf_nan=False)
    unit: str = Field("tCO2e", description="e.g. tCO2e, t, kgCO2e")
    source: str = Field(min_length=1, description="report, page or verification statement")
    period: Period | None = Field(None, description="period the figure covers, if not the entity's")
    activity: StatedBasis | None = None
    factor: StatedBasis | None = None

    @field_validator("unit")
    @classmethod
    def _mass(cls, unit: str) -> str:
        try:
            conversion_factor(unit, "tCO2e")
        except InputError as exc:
            raise ValueError(f"{exc.problems[0].message} — a mass of CO2e, e.g. tCO2e") from None
        return unit

    @model_validator(mode="after")
    def _method_and_category(self) -> StatedFigure:
        if self.scope == 2 and self.method is None:
            raise ValueError("a scope-2 figure needs its method: location or market")
        if self.scope != 2 and self.method is not None:
            raise ValueError("method applies to scope 2 only")
        if self.scope != 3 and self.category is not None:
            raise ValueError("category applies to scope 3 only")
        return self

    def tonnes(self) -> float:
        """The figure [tCO2e]."""
        return self.value * conversion_factor(self.unit, "tCO2e")

    def label(self) -> str:
        if self.scope == 2:
            return f"scope 2 {self.method}-based"
        if self.scope == 3 and self.category is not None:
            return f"scope 3 category {self.category}"
        return f"scope {self.scope}"
