"""New wind in a what-if (and so in the gap levers and the planner) follows a modelled wind
year of the park's own, not a flat profile: calm hours leave load unmatched."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.ledger.test_wind_shape import park as wind_park
from tests.ledger.test_wind_shape import wind_hourly
from zcp.ledger import Ledger, run_ledger
from zcp.ledger.shapes import NEW_WIND_SERIES
from zcp.ledger.whatif import AddedCapacity, WhatIf, added_output, run_what_if
from zcp.model import wind_series

GRID_PARK = """\
kind: park
schema_version: 1
id: calm
name: A design park on grid power alone
location: {province: Inner Mongolia, grid_region: north}
reporting_period: {start: 2023-01-01, end: 2023-12-31}
stage: design
tenants:
  - {id: a, name: Plant A, industry: parts}
assets:
  - {id: grid, type: grid_connection, carrier: electricity}
  - {id: bus, type: bus, carrier: electricity}
flows:
  - {id: f-imp, from: grid, to: bus, carrier: electricity, annual_estimate: 2628 MWh}
  - {id: f-a, from: bus, to: a, carrier: electricity, annual_estimate: 2628 MWh}
"""
LOAD_MWH = 2628.0  # flat: 0.3 MWh every hour of 2023
HOURS = 8760


def new_wind_per_mw(park_id: str, capacity_factor: float) -> np.ndarray:
    """The park's new-wind year from the wind model itself [MWh/MW per hour of 2023]."""
    seed = wind_series.series_seed(park_id, NEW_WIND_SERIES)
    start = pd.Timestamp("2023-01-01", tz="Asia/Shanghai")  # the park's default zone
    return wind_series.wind_year(seed, start, HOURS, capacity_factor).per_mw


def test_new_wind_is_capacity_times_the_parks_wind_year(write_park):
    ledger = Ledger(write_park(GRID_PARK))
    out = added_output(ledger, AddedCapacity("wind", 0.4, 0.3))
    assert out.sum() == pytest.approx(0.4 * 0.3 * HOURS, rel=1e-9)
    assert out == pytest.approx(0.4 * new_wind_per_mw("calm", 0.3), rel=1e-12, abs=1e-12)
    assert (out == 0).sum() > 100 and out.max() <= 0.4 + 1e-9  # calm hours; within 0.4 MW


def test_hourly_matching_with_new_wind_by_hand(write_park):
    ledger = Ledger(write_park(GRID_PARK))
    after = run_what_if(ledger, WhatIf(capacity=(AddedCapacity("wind", 0.4, 0.3),)))
    # each hour's 0.3 MWh of load takes the new wind there is, up to the load
    by_hand = np.minimum(LOAD_MWH / HOURS, 0.4 * new_wind_per_mw("calm", 0.3)).sum() / LOAD_MWH
    assert after.indicators["hourly_cfe_score"].value == pytest.approx(by_hand, abs=5e-4)
    # flat, its 0.12 MWh every hour would all have matched: 0.4 of the load
    assert by_hand < 0.4 * 0.3 * HOURS / LOAD_MWH - 0.02


def test_new_wind_is_its_own_draw_beside_a_design_turbine(write_park):
    folder = wind_park(write_park, 1)
    design = wind_hourly(run_ledger(folder))
    new = added_output(Ledger(folder), AddedCapacity("wind", 1.0, 0.3))
    assert new.sum() == pytest.approx(design.sum(), rel=1e-9)  # 1 MW at 0.3 each
    assert not np.allclose(new, design)  # another wind year, not the turbine's copy
    assert new == pytest.approx(new_wind_per_mw("windy", 0.3), rel=1e-12, abs=1e-12)


_IN_ANOTHER_PROCESS = """\
import hashlib, sys
from zcp.ledger import Ledger
from zcp.ledger.whatif import AddedCapacity, added_output
from zcp.model import load_park
out = added_output(Ledger(load_park(sys.argv[1])), AddedCapacity("wind", 0.4, 0.3))
print(hashlib.sha256(out.tobytes()).hexdigest())
"""


def test_new_wind_is_byte_identical_in_another_process(write_park):
    folder = write_park(GRID_PARK)
    here = added_output(Ledger(folder), AddedCapacity("wind", 0.4, 0.3))
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONHASHSEED": "12345"}
    there = subprocess.run(
        [sys.executable, "-c", _IN_ANOTHER_PROCESS, str(folder.root)],
        capture_output=True, text=True, check=True, env=env,
    )  # fmt: skip
    assert there.stdout.strip() == hashlib.sha256(here.tobytes()).hexdigest()
