"""Units at the seams: a public function whose name or a parameter says it is a quantity in
some unit (``sold_mwh``, ``start_ms``, ``clean_share``) states that unit in brackets in its
docstring (``[MWh]``, ``[ms since the epoch]``, ``[fraction]``), pvlib style.

The names are what can be checked mechanically; the other quantities' units are a matter
of review (the conventions ask for them on every public function that takes or returns
one).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "zcp"

#: Name endings that say "a quantity in this unit".
UNIT_SUFFIX = re.compile(
    r"_(mwh|kwh|gwh|mw|kw|tce|tco2|tco2e|t|gj|m3|mm|ms|us|s|h|share|fraction)$"
)
#: A unit in brackets: ``[MWh]``, ``[tCO2/MWh]``, ``[% of reading]``, ``[the metric's unit]``.
BRACKETED_UNIT = re.compile(r"\[[^\]\s\[][^\]\[]{0,80}\]")


def unstated_units(source: str) -> list[tuple[int, str, list[str]]]:
    """(line, function, the unit-bearing names) for public functions stating no unit."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if node.name.startswith("_"):
            continue
        args = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
        named = [a.arg for a in args if UNIT_SUFFIX.search(a.arg)]
        if UNIT_SUFFIX.search(node.name):
            named.append(node.name)
        if named and not BRACKETED_UNIT.search(ast.get_docstring(node) or ""):
            found.append((node.lineno, node.name, named))
    return found


def test_functions_named_in_a_unit_state_it():
    missing = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: {name} ({', '.join(named)})"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line, name, named in unstated_units(path.read_text(encoding="utf-8"))
    ]
    assert not missing, "state the unit in brackets in the docstring:\n" + "\n".join(missing)


def test_the_check_finds_a_quantity_without_its_unit():
    source = '''
def sold(sold_mwh: float) -> float:
    """Certificates sold."""

def sold_with_unit(sold_mwh: float) -> float:
    """Certificates sold [MWh]."""

def green_share(load: float) -> float:
    return 0.0

def _private(sold_mwh: float) -> float:
    return sold_mwh
'''
    assert unstated_units(source) == [
        (2, "sold", ["sold_mwh"]),
        (8, "green_share", ["green_share"]),
    ]
