"""Matching invariants: hourly CFE never exceeds the annual share, shares stay in 0–1."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from zcp.ledger.matching import match

hours = st.integers(min_value=1, max_value=48)


@settings(max_examples=200, deadline=None)
@given(hours, st.integers(0, 2**31 - 1), st.floats(0, 500))
def test_hourly_never_exceeds_annual(n, seed, sold):
    rng = np.random.default_rng(seed)
    arrays = [rng.random(n) * rng.choice([0, 1, 10]) for _ in range(5)]
    load = rng.random(n) * 10
    m = match(*arrays, load, sold)
    assert m.matched.sum() <= m.pool + 1e-9
    assert m.pool <= load.sum() + 1e-9
    assert np.all(m.matched <= load + 1e-12)
    if m.annual_share is not None:
        assert 0 <= m.hourly_cfe <= m.annual_share + 1e-12 <= 1 + 2e-12


def test_surplus_in_one_hour_does_not_cover_another():
    m = match(
        np.array([10.0, 0.0]), np.zeros(2), np.zeros(2), np.zeros(2), np.zeros(2),
        np.array([5.0, 5.0]),
    )  # fmt: skip
    assert m.hourly_cfe == 0.5
    assert m.annual_share == 1.0
