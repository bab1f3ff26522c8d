"""Data-quality outliers of the portfolio report: median + 3 MAD, and a material floor."""

from __future__ import annotations

from zcp.portfolio.report import _outliers


def _park(name: str, missing: int, rejected: int = 0, silent: int = 0) -> dict:
    return {"source": name, "park_id": name, "dq_meters": 100, "dq_silent_meters": silent,
            "dq_readings": 10_000, "dq_rejected": rejected, "dq_hours_measured": 1_000 - missing,
            "dq_hours_imputed": 0, "dq_hours_missing": missing}  # fmt: skip


def test_the_park_far_above_the_rest_is_flagged():
    parks = [_park(f"p{i}", missing) for i, missing in enumerate([10, 12, 11, 13, 300])]
    parks.append({**_park("design", 0), "dq_meters": None})  # no readings: not judged
    out = _outliers(parks)
    # missing shares 1.0 %, 1.2 %, 1.1 %, 1.3 %, 30 %: median 1.2 %, MAD 0.1 %, limit 1.5 %
    assert [(o["park_id"], o["flags"]) for o in out] == [("p4", ["missing"])]
    assert out[0]["missing"] == 300 / 1_000


def test_small_shares_below_the_floor_are_not_outliers():
    # all tiny: 0.1 % is far above a median of 0 but below the 1 % floor
    parks = [_park(f"p{i}", 0) for i in range(4)] + [_park("p9", 0, rejected=10)]
    assert _outliers(parks) == []
