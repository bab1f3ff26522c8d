"""The seeded wind year: reproducible, distinct per generator, true to its annual figure, and
through a power curve whose regions are checked by hand."""

from __future__ import annotations

import hashlib
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from zcp.model import wind_series
from zcp.model.wind_series import (
    CUT_IN_SPEED,
    CUT_OUT_SPEED,
    RATED_SPEED,
    power_curve,
    series_seed,
    wind_year,
)

START = pd.Timestamp("2027-01-01", tz="Asia/Shanghai")
YEAR = 8760


def test_same_generator_same_series_in_another_process():
    seed = series_seed("ordos-zcp-design", "wind1")
    here = wind_year(seed, START, YEAR, 0.32).per_mw
    code = (
        "import hashlib, pandas as pd; from zcp.model.wind_series import series_seed, wind_year; "
        "s = series_seed('ordos-zcp-design', 'wind1'); "
        "y = wind_year(s, pd.Timestamp('2027-01-01', tz='Asia/Shanghai'), 8760, 0.32); "
        "print(s, hashlib.sha256(y.per_mw.tobytes()).hexdigest())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    other_seed, digest = out.stdout.split()
    assert int(other_seed) == seed  # not Python's salted hash()
    assert digest == hashlib.sha256(here.tobytes()).hexdigest()
    # the seed is the first 16 bytes of a SHA-256 of the ids, written out here
    expected = hashlib.sha256(b"zcp-wind-series/ordos-zcp-design/wind1").digest()[:16]
    assert seed == int.from_bytes(expected, "big")


def test_different_generators_get_different_series():
    one = wind_year(series_seed("park", "wind1"), START, YEAR, 0.3).per_mw
    two = wind_year(series_seed("park", "wind2"), START, YEAR, 0.3).per_mw
    elsewhere = wind_year(series_seed("other-park", "wind1"), START, YEAR, 0.3).per_mw
    assert not np.array_equal(one, two) and not np.array_equal(one, elsewhere)
    assert np.corrcoef(one, two)[0, 1] < 0.5  # independent weather, not a shifted copy


@pytest.mark.parametrize("capacity_factor", [0.0, 0.05, 0.25, 0.32, 0.45])
def test_the_year_carries_the_capacity_factor_and_never_exceeds_capacity(capacity_factor):
    year = wind_year(series_seed("park", "wind1"), START, YEAR, capacity_factor)
    # 100 MW at this factor over the year [MWh]
    assert (100 * year.per_mw).sum() == pytest.approx(100 * capacity_factor * YEAR, abs=1e-6)
    assert year.reached
    assert year.per_mw.min() >= 0 and year.per_mw.max() <= 1 + 1e-9
    if capacity_factor > 0:
        # calm hours and hours at rated power both occur: the year is not flat
        assert (year.per_mw == 0).any()
        assert year.per_mw.max() > min(3 * capacity_factor, 0.99)


def test_a_windier_site_needs_a_higher_mean_speed():
    seed = series_seed("park", "wind1")
    calm, windy = wind_year(seed, START, YEAR, 0.2), wind_year(seed, START, YEAR, 0.35)
    assert 3.0 < calm.mean_speed < windy.mean_speed < 12.0  # [m/s]


def test_a_factor_beyond_the_curve_is_reached_by_scaling_and_said_so():
    year = wind_year(series_seed("park", "wind1"), START, YEAR, 0.9)
    assert not year.reached
    assert year.per_mw.mean() == pytest.approx(0.9)


def test_power_curve_regions():
    speeds = np.array([0.0, 2.9, CUT_IN_SPEED, 7.5, RATED_SPEED, 18.0, 24.99, CUT_OUT_SPEED, 30.0])
    cubic = (7.5**3 - 3.0**3) / (12.0**3 - 3.0**3)  # between cut-in 3 and rated 12 m/s
    expected = [0.0, 0.0, 0.0, cubic, 1.0, 1.0, 1.0, 0.0, 0.0]
    assert power_curve(speeds) == pytest.approx(expected)


def test_speeds_are_persistent_and_weibull_like():
    unit = wind_series.unit_speeds(series_seed("park", "wind1"), START, YEAR)
    lag1 = np.corrcoef(unit[:-1], unit[1:])[0, 1]
    assert lag1 > 0.85  # hour-to-hour persistence (white noise would give ~0)
    # a Weibull of shape 2 has coefficient of variation sqrt(4/π − 1) ≈ 0.52; one
    # persistent year with a ±10 % seasonal swing stays near it
    assert unit.std() / unit.mean() == pytest.approx(math.sqrt(4 / math.pi - 1), abs=0.08)
    with pytest.raises(ValueError):
        unit[0] = 1.0  # shared by every caller: read-only


def test_a_negative_or_infinite_factor_is_an_error():
    with pytest.raises(ValueError, match="capacity factor"):
        wind_year(series_seed("park", "wind1"), START, YEAR, -0.1)
    with pytest.raises(ValueError, match="capacity factor"):
        wind_year(series_seed("park", "wind1"), START, YEAR, math.inf)
