"""JSON text zcp writes: always valid JSON — no ``NaN`` or ``Infinity`` tokens.

Python's ``json`` writes a float NaN as the bare token ``NaN``, which no strict parser
accepts. Here a NaN (a figure that is unknown, e.g. a share of nothing) becomes ``null``;
an infinity cannot arise from inputs (every number read is finite, see :mod:`zcp.limits`),
so meeting one is a programming error and raises ``ValueError`` naming where it sits.
"""

from __future__ import annotations

import contextlib
import json
import math
from typing import Any


def finite_only(data: Any, where: str = "$") -> Any:
    """``data`` with NaN floats as None and numpy scalars as Python numbers."""
    if hasattr(data, "item") and not isinstance(data, (str, bytes, dict, list, tuple)):
        with contextlib.suppress(TypeError, ValueError):
            data = data.item()
    if isinstance(data, float):
        if math.isnan(data):
            return None
        if math.isinf(data):
            raise ValueError(f"infinite number at {where} cannot be written as JSON")
        return data
    if isinstance(data, dict):
        return {k: finite_only(v, f"{where}.{k}") for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [finite_only(v, f"{where}[{i}]") for i, v in enumerate(data)]
    return data


def dumps(data: Any, *, indent: int | None = 2, sort_keys: bool = False) -> str:
    """Strict JSON text of ``data`` (UTF-8 characters kept; dates and paths as strings)."""
    return json.dumps(
        finite_only(data),
        indent=indent,
        sort_keys=sort_keys,
        ensure_ascii=False,
        allow_nan=False,
        default=str,
    )
