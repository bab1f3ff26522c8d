"""Fuzz: any number written into a park, instruments or activity file — huge, tiny,
non-finite, a huge integer — gives a result or a located ``ZcpError``, never a traceback
and never a non-finite figure (#12 item 6)."""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.ledger.conftest import GROUP_INSTRUMENTS, GROUP_PARK
from zcp import jsontext
from zcp.errors import ZcpError
from zcp.ledger import run_ledger
from zcp.model import load_park

#: Numbers as they may be typed into YAML (YAML reads some as floats, some as strings).
NUMBERS = st.one_of(
    st.sampled_from(
        [".inf", "-.inf", ".nan", "inf", "Infinity", "NaN", "1e400", "-1e400", "1e-400",
         "1.7e308", "1e30", "5e-324", "0", "-0.0", "0.5", "12 GWh", "1e400 GWh"]
    ),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**400), max_value=10**400).map(str),
    st.integers(min_value=300, max_value=6000).map(lambda digits: "9" * digits),
)  # fmt: skip

#: (file, text in the file, a placeholder-free template where {n} takes the number)
FIELDS = [
    ("park.yaml", "annual_estimate: 2000 MWh", "annual_estimate: {n}"),
    ("park.yaml", "technology: wind, capacity: 1,", "technology: wind, capacity: {n},"),
    ("park.yaml", "stage: design\n", "stage: design\neconomics: {{industrial_value_added: {n}}}\n"),
    ("instruments.yaml", "mwh: 3000,", "mwh: {n},"),
    ("instruments.yaml", "tonnes: 200,", "tonnes: {n},"),
    ("activity.yaml", "quantity: 120 t", "quantity: {n}"),
    ("activity.yaml", "co2: 50 t", "co2: {n}"),
    ("activity.yaml", "top_up: 20 kg", "top_up: {n}"),
]

ACTIVITY = """\
kind: activity
schema_version: 1
stationary_combustion:
  - {entity: a, carrier: diesel, quantity: 120 t}
fugitive:
  - {entity: a, gas: sf6, top_up: 20 kg}
process:
  - {entity: a, description: lime kiln, co2: 50 t}
"""


def _write(folder: Path, file: str, old: str, new: str) -> None:
    texts = {
        "park.yaml": GROUP_PARK,
        "instruments.yaml": GROUP_INSTRUMENTS,
        "activity.yaml": ACTIVITY,
    }
    assert old in texts[file], old
    texts[file] = texts[file].replace(old, new, 1)
    for name, text in texts.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")


def _finite_everywhere(data: object) -> bool:
    if isinstance(data, float):
        return math.isfinite(data)
    if isinstance(data, dict):
        return all(_finite_everywhere(v) for v in data.values())
    if isinstance(data, list):
        return all(_finite_everywhere(v) for v in data)
    return True


def test_the_unchanged_files_account():
    """The fuzz below starts from files that are valid as they stand."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        _write(Path(tmp), "park.yaml", "stage: design\n", "stage: design\n")
        result = run_ledger(load_park(tmp)).to_json()
        assert _finite_everywhere(result)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(FIELDS), number=NUMBERS)
def test_no_number_gives_a_traceback(tmp_path_factory, field, number):
    folder = tmp_path_factory.mktemp("fuzz")
    file, old, template = field
    _write(folder, file, old, template.format(n=number))
    try:
        result = run_ledger(load_park(folder)).to_json()
    except ZcpError as exc:
        assert exc.problems and all(p.path for p in exc.problems), exc
        return
    assert _finite_everywhere(result), number
    jsontext.dumps(result)  # strict JSON


def test_a_value_added_too_small_to_divide_by_gives_no_infinite_intensity(tmp_path):
    """Found by the fuzz above: 5e-324 wan CNY made the intensity infinite."""
    _write(tmp_path, "park.yaml", "stage: design\n",
           "stage: design\neconomics: {industrial_value_added: 5e-324}\n")  # fmt: skip
    result = run_ledger(load_park(tmp_path)).to_json()
    intensity = result["indicators"]["emissions_per_value_added_t_per_wan_cny"]
    assert intensity["value"] is None and "too small to divide by" in intensity["reason"]
    assert _finite_everywhere(result)
