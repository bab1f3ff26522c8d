"""Energy carriers are data: the shipped carrier file plus any a park adds."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from zcp.errors import InputError, Problem
from zcp.model.common import Identifier, Strict
from zcp.units import parse_unit
from zcp.yamlio import expect_kind, load_yaml, pydantic_problems

CARRIER_FILE = Path(__file__).resolve().parent.parent / "data" / "carriers.yaml"


class Carrier(Strict):
    """An energy carrier or metered resource and the unit its figures are kept in."""

    id: Identifier
    name_zh: str | None = None
    unit: str
    dimension: Literal["energy", "mass", "volume", "power"]
    colour: str = Field("#666666", pattern=r"^#[0-9a-fA-F]{6}$", description="colour in drawings")
    #: fossil | non_fossil | secondary (made from other carriers) | resource (e.g. water)
    category: Literal["fossil", "non_fossil", "secondary", "resource"] = Field(
        "secondary", alias="class"
    )

    model_config = Strict.model_config | {"populate_by_name": True}

    def check_unit(self) -> None:
        unit = parse_unit(self.unit)
        expected = {
            "energy": "[mass] * [length] ** 2 / [time] ** 2",
            "mass": "[mass]",
            "volume": "[length] ** 3",
            "power": "[mass] * [length] ** 2 / [time] ** 3",
        }
        if str(unit.dimensionality) != expected[self.dimension]:
            raise ValueError(f"carrier {self.id!r}: unit {self.unit!r} is not a {self.dimension}")


class CarrierSet(Strict):
    kind: Literal["carriers"]
    schema_version: Literal[1]
    carriers: list[Carrier]


class Carriers:
    """Carriers by id; ``Carriers.shipped()`` plus the park's own via ``with_extra``."""

    def __init__(self, carriers: Iterable[Carrier]):
        self.by_id: dict[str, Carrier] = {}
        for carrier in carriers:
            carrier.check_unit()
            self.by_id[carrier.id] = carrier

    def __contains__(self, carrier_id: str) -> bool:
        return carrier_id in self.by_id

    def __getitem__(self, carrier_id: str) -> Carrier:
        return self.by_id[carrier_id]

    def get(self, carrier_id: str) -> Carrier | None:
        return self.by_id.get(carrier_id)

    def ids(self) -> list[str]:
        return list(self.by_id)

    def with_extra(self, extra: Iterable[Carrier]) -> Carriers:
        return Carriers([*self.by_id.values(), *extra])

    @classmethod
    @functools.cache
    def shipped(cls) -> Carriers:
        doc = load_yaml(CARRIER_FILE)
        expect_kind(doc, ["carriers"], {"carriers": [1]})
        try:
            data = CarrierSet.model_validate(doc.data)
            return cls(data.carriers)
        except (ValidationError, ValueError) as exc:
            problems = (
                pydantic_problems(doc, exc)
                if isinstance(exc, ValidationError)
                else [Problem(str(exc), path=str(CARRIER_FILE))]
            )
            raise InputError(problems) from None
