"""Cost parameters of the levers, as data: dated, sourced or marked illustrative.

The bundled defaults live in ``zcp/data/costs/levers.yaml``; a park may put a
``costs.yaml`` (same kind) in its folder whose entries replace the defaults lever by lever.
Capex is annualised with the capital recovery factor

    CRF = r (1 + r)^n / ((1 + r)^n − 1)     (r: discount rate, n: lifetime [a])

so a lever's yearly cost per unit is ``capex × CRF + opex_per_year``; traded instruments
(certificates, credits, green-power premiums) have a ``price`` per unit instead.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from zcp.errors import InputError, Problem, did_you_mean
from zcp.yamlio import load_yaml, validate_document

DEFAULTS = Path(__file__).resolve().parents[1] / "data" / "costs" / "levers.yaml"
PARK_FILE = "costs.yaml"
Confidence = Literal["reported", "estimated", "illustrative"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DiscountRate(_Strict):
    value: float = Field(ge=0, le=0.5)
    confidence: Confidence
    note: str | None = None


class LeverCost(_Strict):
    """One lever's cost per ``unit``: capex (with opex and lifetime) or a price per year."""

    unit: str
    capex: float | None = Field(None, ge=0, description="[CNY per unit]")
    opex_per_year: float = Field(0.0, ge=0, description="[CNY per unit per year]")
    lifetime_years: float | None = Field(None, gt=0)
    price: float | None = Field(None, ge=0, description="[CNY per unit], bought each year")
    round_trip_efficiency: float | None = Field(
        None, gt=0, le=1, description="[fraction] energy out ÷ energy in, for storage energy"
    )
    confidence: Confidence
    source: str
    date: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> LeverCost:
        if (self.capex is None) == (self.price is None):
            raise ValueError("give either capex (with lifetime_years) or price, not both")
        if self.capex is not None and self.lifetime_years is None:
            raise ValueError("capex needs lifetime_years to be annualised")
        return self

    def annual_per_unit(self, discount_rate: float) -> float:
        """Yearly cost [CNY per unit per year]."""
        if self.price is not None:
            return self.price
        assert self.capex is not None and self.lifetime_years is not None
        return self.capex * capital_recovery_factor(discount_rate, self.lifetime_years) + (
            self.opex_per_year
        )


class CostBook(_Strict):
    kind: Literal["cost_parameters"]
    schema_version: Literal[1]
    currency: Literal["CNY"] = "CNY"
    as_of: dt.date | None = None
    discount_rate: DiscountRate | None = None
    levers: dict[str, LeverCost] = Field(default_factory=dict)

    def annual_per_unit(self, lever: str) -> float:
        """Yearly cost of one unit of ``lever`` [CNY per unit per year]."""
        if lever not in self.levers:
            raise InputError(
                Problem(f"no cost parameters for lever {lever!r}",
                        hint=did_you_mean(lever, self.levers)))  # fmt: skip
        rate = self.discount_rate.value if self.discount_rate else 0.0
        return self.levers[lever].annual_per_unit(rate)


def capital_recovery_factor(rate: float, years: float) -> float:
    """Share of a capital cost paid back each year over ``years`` at ``rate`` [1/a]."""
    if rate == 0:
        return 1.0 / years
    growth = (1.0 + rate) ** years
    return rate * growth / (growth - 1.0)


def load_costs(park_dir: str | Path | None = None) -> CostBook:
    """The bundled cost book, with the park folder's ``costs.yaml`` entries on top."""
    book = _read(DEFAULTS)
    if park_dir is None:
        return book
    own = Path(park_dir) / PARK_FILE
    if not own.is_file():
        return book
    override = _read(own)
    merged = {**book.levers, **override.levers}
    return book.model_copy(
        update={
            "levers": merged,
            "discount_rate": override.discount_rate or book.discount_rate,
            "as_of": override.as_of or book.as_of,
        }
    )


def _read(path: Path) -> CostBook:
    return validate_document(load_yaml(path), CostBook, "cost_parameters")
