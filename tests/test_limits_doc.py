"""docs/limits.md quotes every limit zcp enforces; each quoted value must be the code's own
(the value lives in one place, the code; the page is checked against it)."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "limits.md"
ROW = re.compile(r"^\| `(?P<name>zcp\.[\w.]+)(?:\[\"(?P<key>[^\"]+)\"\])?` \| (?P<value>[^|]+) \|")


def _rows() -> list[tuple[str, str | None, str]]:
    rows = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            rows.append((match["name"], match["key"], match["value"].strip()))
    return rows


def _constant(dotted: str):
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def test_every_quoted_limit_is_the_codes_value():
    rows = _rows()
    assert len(rows) >= 20, "the limits tables were not found"
    for name, key, quoted in rows:
        actual = _constant(name)
        if key is not None:
            actual = actual[key]
        expected = quoted if isinstance(actual, str) else ast.literal_eval(quoted)
        assert actual == expected, (
            f"docs/limits.md says {name}{key or ''} = {quoted}, code has {actual!r}"
        )


def test_every_unit_ceiling_is_documented():
    from zcp.limits import QUANTITY_CEILINGS, READING_CEILING_PER_HOUR

    keys = {(name, key) for name, key, _ in _rows()}
    for unit in QUANTITY_CEILINGS:
        assert ("zcp.limits.QUANTITY_CEILINGS", unit) in keys, unit
    for dimension in READING_CEILING_PER_HOUR:
        assert ("zcp.limits.READING_CEILING_PER_HOUR", dimension) in keys, dimension
