"""Fuzz: whatever quantity and unit activity.yaml holds, zcp answers with a result or a
located exit-2 error — never a traceback."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.ledger.test_inventory_defects import GRID_ONLY
from zcp.errors import ZcpError
from zcp.ledger import Ledger
from zcp.ledger.activity import parse_activity
from zcp.model import load_park

UNITS = ["L", "l", "litre", "m3", "m³", "Nm3", "kg", "t", "吨", "GJ", "MJ", "kWh", "MWh",
         "gallon", "kg/L", "degC", "", " ", "t/t", "%", "1e400", "GJ GJ", "e", "x" * 300]  # fmt: skip
NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.sampled_from([1e308, 1.7e308, 1e300, 5e12, 10**19]),
    st.sampled_from(["1e400", "-0", "0x10", "1_000", "1,5", ".5", "5.", "١٢"]),
)
QUANTITY = st.one_of(
    st.tuples(NUMBERS, st.sampled_from(UNITS)).map(lambda p: f"{p[0]} {p[1]}"),
    NUMBERS,
    st.text(max_size=30),
)
SECTION = st.sampled_from(["stationary_combustion", "mobile_combustion", "purchased_energy"])
CARRIER = st.sampled_from(["diesel", "natural_gas", "lpg", "coal", "steam", "heat", "cooling"])


def _yaml_number(number: float | int) -> str:
    if isinstance(number, float) and number != number:
        return ".nan"
    if isinstance(number, float) and number in (float("inf"), float("-inf")):
        return ".inf" if number > 0 else "-.inf"
    return repr(number)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    quantity=QUANTITY,
    section=SECTION,
    carrier=CARRIER,
    density=st.one_of(
        st.none(), st.sampled_from(["0.84 kg/L", "0 kg/L", "-1 kg/L", "inf kg/L", "7 GJ", "x"])
    ),
)
def test_activity_quantities_never_end_in_a_traceback(tmp_path_factory, quantity, section,
                                                       carrier, density):  # fmt: skip
    root = tmp_path_factory.mktemp("fuzz")
    (root / "park.yaml").write_text(GRID_ONLY, "utf-8")
    folder = load_park(root)
    if section == "purchased_energy" and carrier not in ("steam", "heat", "cooling"):
        carrier = "steam"
    if section != "purchased_energy" and carrier in ("steam", "heat", "cooling"):
        carrier = "diesel"
    line = {"entity": "a", "carrier": carrier}
    if section == "purchased_energy":
        line["steam"] = {"pressure": "1 MPa", "temperature": "250 degC"}
    elif density is not None:
        line["density"] = density
    # numbers go in as YAML numbers (.inf, .nan, 400-digit integers), text as strings
    value = json.dumps(quantity) if isinstance(quantity, str) else _yaml_number(quantity)
    text = (
        f"kind: activity\nschema_version: 1\n{section}:\n"
        f'  - {json.dumps(line)[:-1]}, "quantity": {value}}}\n'
    )
    try:
        result = Ledger(folder, activity=parse_activity(text)).result()
    except ZcpError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
        return
    totals = result.to_json()["totals"]
    assert all(v == v and abs(v) < float("inf") for v in totals.values())
