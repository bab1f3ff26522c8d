"""The dated factor library: every coefficient zcp uses, with its unit, source and validity.

Factors live in YAML files of ``kind: factor_set`` (``zcp/data/factors/`` ships the
standard-coal coefficients; the accounting layer adds emission factors and GWP sets).
Rule files and accounting profiles refer to factors by id and never copy values.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from zcp.errors import InputError, Problem, did_you_mean
from zcp.units import parse_unit
from zcp.yamlio import load_yaml, validate_document

DATA_DIR = Path(__file__).parent / "data"


class Source(BaseModel):
    """Where a value comes from: the document and clause first, a URL only as a pointer."""

    model_config = ConfigDict(extra="forbid")
    document: str
    clause: str | None = None
    url: str | None = None
    published: dt.date | Annotated[str, Field(pattern=r"^\d{4}(-\d{2})?$")] | None = Field(
        None,
        description="when the source was published: a date, or 'YYYY-MM' / 'YYYY' if "
        "only that much is known",
    )


class Factor(BaseModel):
    """One coefficient: ``value`` [``unit``], valid from ``valid_from`` until ``valid_until``."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[A-Za-z0-9_.:@-]+$")
    quantity: str = Field(description="what it converts to, e.g. standard_coal, co2, gwp")
    carrier: str | None = None
    gas: str | None = None
    method: str | None = None
    region: str | None = None
    year: int | None = Field(None, description="data year the factor describes")
    value: float
    unit: str
    gwp_basis: str | None = None
    source: Source
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    confidence: Literal["verified", "provisional"]
    note: str | None = None

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, unit: str) -> str:
        try:
            parse_unit(unit)
        except InputError as exc:
            raise ValueError(str(exc.problems[0])) from None
        return unit

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


class FactorSet(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["factor_set"]
    schema_version: Literal[1]
    id: str
    title: dict[str, str]
    factors: list[Factor]


class FactorLibrary:
    """All factors from one or more factor-set files, looked up by id or by what they convert."""

    def __init__(self, factor_sets: Iterable[tuple[Path, FactorSet]]):
        self.factors: dict[str, Factor] = {}
        self.files: dict[str, Path] = {}
        problems = []
        for path, fset in factor_sets:
            for factor in fset.factors:
                if factor.id in self.factors:
                    problems.append(
                        Problem(
                            f"factor id {factor.id!r} defined twice (also in "
                            f"{self.files[factor.id]})",
                            path=str(path),
                        )
                    )
                self.factors[factor.id] = factor
                self.files[factor.id] = path
        if problems:
            raise InputError(problems)

    def get(self, factor_id: str) -> Factor:
        try:
            return self.factors[factor_id]
        except KeyError:
            raise InputError(
                Problem(f"unknown factor {factor_id!r}", hint=did_you_mean(factor_id, self.factors))
            ) from None

    def find(
        self, quantity: str, *, on: dt.date | None = None, **match: str | int | None
    ) -> list[Factor]:
        """Factors for ``quantity`` whose attributes equal ``match`` (and valid on ``on``)."""
        found = [
            f
            for f in self.factors.values()
            if f.quantity == quantity
            and all(getattr(f, k) == v for k, v in match.items())
            and (on is None or f.valid_on(on))
        ]
        return sorted(found, key=lambda f: (f.year or 0, f.id))


def load_factor_set(path: Path) -> FactorSet:
    return validate_document(load_yaml(path), FactorSet, "factor_set")


def load_library(extra_dirs: Iterable[Path] = ()) -> FactorLibrary:
    """The shipped factor sets plus any in ``extra_dirs`` (files ``*.yaml``)."""
    paths = sorted((DATA_DIR / "factors").glob("*.yaml"))
    for folder in extra_dirs:
        paths.extend(sorted(Path(folder).glob("*.yaml")))
    return FactorLibrary((p, load_factor_set(p)) for p in paths)


@functools.cache
def default_library() -> FactorLibrary:
    return load_library()
