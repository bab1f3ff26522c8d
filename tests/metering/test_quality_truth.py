"""The quality report against the synthetic generator's ground truth (synth.json)."""

from __future__ import annotations

from collections import Counter

import pytest

from zcp.cli.metering_commands import quality_summary_lines
from zcp.metering import load_readings
from zcp.model import load_park
from zcp.synth import FaultCounts, SynthSpec, synthesize

FAULTS = FaultCounts(
    gaps=3, duplicates=3, spikes=2, negatives=2, resets=1, silent=1, unknown_rows=5,
    past_calibration=2,
)  # fmt: skip


@pytest.fixture(scope="module", params=["parquet", "csv"])
def loaded(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param)
    spec = SynthSpec(
        tenants=6, meters=60, hours=24 * 14, seed=11, faults=FAULTS,
        readings_format=request.param, cumulative_share=0.1,
    )  # fmt: skip
    record = synthesize(folder, spec)
    return load_readings(load_park(folder), progress=False), record["truth"]


def per_meter(truth: dict, key: str) -> dict[str, int]:
    return {m: c[key] for m, c in truth["per_meter"].items() if c.get(key)}


def test_counts_match_the_seeded_faults_meter_by_meter(loaded):
    data, truth = loaded
    q = data.quality
    assert q.meters_with("duplicates") == per_meter(truth, "duplicates")
    # An injected spike is rejected either as a spike or, where it exceeds what the meter
    # can physically read (rated power of its equipment), as implausible.
    rejected_high = Counter(q.meters_with("spikes")) + Counter(q.meters_with("implausible"))
    assert dict(rejected_high) == per_meter(truth, "spikes")
    assert q.meters_with("negatives") == per_meter(truth, "negatives")
    assert q.meters_with("resets") == per_meter(truth, "resets")
    assert q.meters_with("missing_readings") == {
        **per_meter(truth, "missing"),
        **{m: 24 * 14 for m in truth["silent_meters"]},
    }
    assert q.meters_with("hours_imputed") == per_meter(truth, "imputed_hours")
    assert q.totals()["rollovers"] == truth["rollovers"] > 0
    assert q.totals()["gap_runs"] == truth["gap_runs"]
    assert q.silent_meters == truth["silent_meters"]
    assert q.unknown_meters == truth["unknown_meters"]
    assert [m for m, _ in q.past_calibration] == truth["past_calibration"]


def test_nothing_else_is_flagged(loaded):
    data, _ = loaded
    totals = data.quality.totals()
    for rule in (
        "empty",
        "non_finite",
        "flagged",
        "outside_period",
        "misaligned",
        "dst_nonexistent",
    ):
        assert totals[rule] == 0, rule
    hours = data.quality.per_meter
    assert (hours["hours_measured"] + hours["hours_imputed"] + hours["hours_missing"]
            == 24 * 14).all()  # fmt: skip


def test_balance_holds_on_both_buses(loaded):
    data, _ = loaded
    totals = data.balance.periods.query("period == 'total'").set_index("bus")
    assert set(totals.index) == {"bus", "gasnet"}
    assert (totals["status"] == "balanced").all()
    assert totals["relative"].abs().max() < 0.005
    # The wind line's stated 2 % loss is what the balance subtracts.
    wind = data.period_totals("total").set_index("meter_id").loc["M-WIND", "value"]
    assert totals.loc["bus", "losses"] == pytest.approx(0.02 * wind)


def test_metered_share_is_tenants_over_net_boundary(loaded):
    data, _ = loaded
    totals = data.period_totals("total").set_index("meter_id")["value"]
    meters = data.meters.set_index("meter_id")
    gas_tenants = totals[(meters["carrier"] == "natural_gas") & (meters["level"] == "tenant")]
    share = data.quality.metered_share.query("scope == 'carrier'").set_index("carrier")
    assert share.loc["natural_gas", "share"] == pytest.approx(
        gas_tenants.sum() / totals["M-GAS"], rel=1e-9
    )


def test_summary_lines_name_the_problems(loaded):
    data, truth = loaded
    text = "\n".join(quality_summary_lines(data))
    assert f"duplicates: {truth['duplicates']}" in text
    assert "silent meters: 1" in text
    assert "balance bus (electricity): balanced" in text
    assert quality_summary_lines(None) == []
