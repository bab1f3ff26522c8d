"""A meter's calibration falls due on the same day of the month, the interval later; a day
the due month lacks falls on its last day — never a few days early."""

from __future__ import annotations

import datetime as dt

import pytest

from zcp.metrics import EvaluationContext
from zcp.metrics.park_structure import meter_calibration_current_share
from zcp.model.park import Meter


def meter(calibrated_on: dt.date | None, months: int | None) -> Meter:
    return Meter(
        id="M1", flow="F1", carrier="electricity", unit="kWh", level="tenant",
        calibrated_on=calibrated_on, calibration_interval_months=months,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("calibrated", "months", "due"),
    [
        # 30 March + 12 months: 30 March next year (the old day-28 clamp said 28 March)
        (dt.date(2025, 3, 30), 12, dt.date(2026, 3, 30)),
        (dt.date(2025, 3, 31), 12, dt.date(2026, 3, 31)),
        # + 11 months lands in February: its last day, 28 in 2026 and 29 in 2024
        (dt.date(2025, 3, 30), 11, dt.date(2026, 2, 28)),
        (dt.date(2023, 3, 31), 11, dt.date(2024, 2, 29)),
        # 31 January + 3 months: April has 30 days
        (dt.date(2025, 1, 31), 3, dt.date(2025, 4, 30)),
        # across several years: 36 months after 15 December 2024
        (dt.date(2024, 12, 15), 36, dt.date(2027, 12, 15)),
    ],
)
def test_due_date_is_calendar_months_later(calibrated, months, due):
    assert meter(calibrated, months).calibration_due() == due


def test_no_date_or_interval_means_no_due_date():
    assert meter(None, 12).calibration_due() is None
    assert meter(dt.date(2025, 3, 30), None).calibration_due() is None


class _Park:
    def __init__(self, meters: list[Meter]) -> None:
        self.meters = meters


@pytest.mark.parametrize(
    ("as_of", "current"),
    [(dt.date(2026, 3, 29), 1.0), (dt.date(2026, 3, 30), 1.0), (dt.date(2026, 3, 31), 0.0)],
)
def test_a_meter_calibrated_on_30_march_is_current_until_30_march(as_of, current):
    ctx = EvaluationContext(park=_Park([meter(dt.date(2025, 3, 30), 12)]), as_of=as_of)  # type: ignore[arg-type]
    assert meter_calibration_current_share(ctx, None).value == current
