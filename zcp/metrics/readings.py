"""Metrics from the park's loaded readings (:mod:`zcp.metering`): how complete they are and
how well the buses balance — what the metering rule set judges of the data itself.

The readings are the costliest input, so they are loaded once per evaluation and shared
with the accounting (a ledger's copy is reused when there is one).
"""

from __future__ import annotations

from typing import Any

from zcp.metrics.context import NO_PARK
from zcp.metrics.registry import MetricContext, MetricValue, metric_function


def _meter_data(ctx: MetricContext) -> tuple[Any | None, str | None]:
    folder = ctx.inputs.get("park_folder")
    if folder is None:
        return None, NO_PARK
    if not folder.park.readings:
        return None, "the park names no readings (a design has none)"
    from zcp.metering import load_readings

    def load() -> Any:
        # Readings are the costliest input: reuse a ledger's copy, and leave ours under
        # the ``readings`` key the accounting metrics read (zcp.metrics.ledger_metrics).
        for key, value in ctx.inputs.items():
            if key.startswith("ledger:") and getattr(value, "readings", None) is not None:
                return value.readings
        return load_readings(folder, progress=False)

    return ctx.memo("readings", load), None


@metric_function
def readings_completeness(ctx: MetricContext, subject: str | None) -> MetricValue:
    """Measured meter-hours ÷ expected meter-hours over all park meters [fraction] (imputed
    and missing hours count as absent), from zcp.metering's quality report."""
    data, why = _meter_data(ctx)
    if data is None:
        return MetricValue(None, "fraction", why)
    per_meter, hours = data.quality.per_meter, data.quality.hours_expected
    expected = len(per_meter) * hours
    if expected == 0:
        return MetricValue(None, "fraction", "no meter-hours expected in the period")
    measured = float(per_meter["hours_measured"].sum())
    trace = {"meter_hours_expected": expected, "measured": measured,
             "imputed": float(per_meter["hours_imputed"].sum()),
             "missing": float(per_meter["hours_missing"].sum())}  # fmt: skip
    return MetricValue(measured / expected, "fraction", None, trace)


@metric_function
def bus_balance_error_max(ctx: MetricContext, subject: str | None) -> MetricValue:
    """Largest |in − losses − out| ÷ in [fraction] over the park's buses for the whole
    period, from zcp.metering's balance report; unknown while any bus cannot be balanced."""
    data, why = _meter_data(ctx)
    if data is None:
        return MetricValue(None, "fraction", why)
    balance = data.balance
    periods = balance.periods
    totals = periods[periods["period"] == "total"] if not periods.empty else periods
    trace = {"not_computable": dict(balance.not_computable)}
    if totals.empty:
        return MetricValue(None, "fraction", "no bus could be balanced", trace)
    if balance.not_computable:
        return MetricValue(
            None, "fraction", f"{len(balance.not_computable)} bus(es) cannot be balanced", trace
        )
    errors = totals.set_index("bus")["relative"].abs()
    if errors.isna().any():
        return MetricValue(None, "fraction", "a bus had no inflow in the period", trace)
    worst = str(errors.idxmax())
    return MetricValue(float(errors.max()), "fraction", None, {**trace, "worst_bus": worst})
