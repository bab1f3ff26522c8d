"""Building blocks shared by the park model: strict base model, periods, quantities."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from zcp.errors import did_you_mean
from zcp.limits import (
    ANY_QUANTITY_CEILING,
    BIDI_CONTROLS,
    MAX_NAME_CHARS,
    MAX_TEXT_CHARS,
    NAME_FIELDS,
    QUANTITY_CEILINGS,
)
from zcp.units import parse_quantity

Identifier = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$", max_length=120)]


def _norway(value: Any) -> Any:
    # YAML 1.1 reads a bare NO as false; in a country field it can only mean Norway
    return "NO" if value is False else value


CountryCode = Annotated[
    str,
    BeforeValidator(_norway),
    Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 code, e.g. CN, DE, GB"),
]


class Strict(BaseModel):
    """Unknown fields are errors: a misspelt key must not be silently ignored. Numbers must
    be finite (``.inf``, ``.nan`` and ``1e400`` are refused in every float field)."""

    model_config = ConfigDict(extra="forbid", frozen=False, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _no_unknown_fields(cls, data: Any) -> Any:
        # pydantic's own extra="forbid" error gives no hint; this one suggests the near miss
        if isinstance(data, dict):
            known = set(cls.model_fields) | {f.alias for f in cls.model_fields.values() if f.alias}
            for key in data:
                if key not in known:
                    hint = did_you_mean(str(key), sorted(known))
                    raise ValueError(f"unknown field {key!r}" + (f" — {hint}" if hint else ""))
        return data

    @field_validator("*", mode="after", check_fields=False)
    @classmethod
    def _bounded_text(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str):
            check_text(value, info.field_name or "")
        return value


_FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS)) + "]")


def check_text(text: str, field: str) -> None:
    """``ValueError`` for text beyond its length limit or holding control or bidi
    characters (limits in :mod:`zcp.limits`)."""
    limit = MAX_NAME_CHARS if field in NAME_FIELDS else MAX_TEXT_CHARS
    if len(text) > limit:
        raise ValueError(f"text of {len(text):,} characters is longer than {limit:,}")
    bad = _FORBIDDEN_CHARS.search(text)
    if bad:
        raise ValueError(
            f"character U+{ord(bad.group()):04X} at position {bad.start() + 1} is not allowed "
            "(control and bidirectional-override characters are refused)"
        )


def quantity(unit: str, *, ge: float | None = 0.0, description: str = ""):
    """A number in ``unit``, or a string with its own unit (``"12 GWh"``) converted to it
    [``unit``].

    Finite and at most the unit's plausible ceiling (:data:`zcp.limits.QUANTITY_CEILINGS`).
    """
    le = QUANTITY_CEILINGS.get(unit, ANY_QUANTITY_CEILING)
    text = f"{description} [{unit}]: a number in {unit}, or a string with a unit, e.g. '12 GWh'"
    number: dict[str, object] = {"type": "number", "maximum": le}
    if ge is not None:
        number["minimum"] = ge
    schema = {"anyOf": [number, {"type": "string"}], "description": text.strip()}
    return Annotated[
        float,
        BeforeValidator(lambda v: parse_quantity(v, unit)),
        Field(ge=ge, le=le),
        WithJsonSchema(schema),
    ]


MWh = quantity("MWh")
MW = quantity("MW")
Tonnes = quantity("t")
CubicMetres = quantity("m3")
GJ = quantity("GJ")
ValueAdded = quantity("wan_CNY", description="industrial value added (万元)")
Area = quantity("km**2", description="planned area")
RatedPower = quantity("kW", description="rated power")
Fraction = Annotated[float, Field(ge=0.0, le=1.0, description="a share between 0 and 1")]


class Period(Strict):
    """A reporting period; both dates inclusive (a calendar year is 01-01 to 12-31)."""

    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")
        return self

    @property
    def days(self) -> int:
        """Length of the period, both ends counted [d]."""
        return (self.end - self.start).days + 1

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end
