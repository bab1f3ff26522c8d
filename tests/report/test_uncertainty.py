"""The uncertainty statement: each total split by the basis of its data, and verdicts whose
margin is smaller than the unmeasured share marked "within uncertainty" (item 6)."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from zcp.report.report_data import Bilingual, RuleRow, RuleSetRef, RuleSetSection
from zcp.report.uncertainty import data_basis, largest_share, mark_within_uncertainty


def _ledger():
    meters = pd.DataFrame(
        {
            "meter_id": ["m1", "m2", "g1"],
            "kind": ["electricity", "electricity", "fuel"],
            "basis": ["metered", "estimated", "metered"],
            "quantity": [1000.0, 200.0, 50.0],
            "hours": [100, 100, 100],
            "imputed_hours": [10, 0, 0],
        }
    )
    lines = pd.DataFrame(
        {
            "scope": ["1", "1", "3"],
            "meter_id": ["g1", None, None],
            "estimated": [False, True, False],
            "tco2e": [90.0, 10.0, 40.0],
            "counted": [True, True, True],
        }
    )
    trace = pd.DataFrame(
        {
            "basis": ["location", "location", "market"],
            "basis_meter": ["metered", "estimated", "metered"],
            "tco2e": [500.0, 100.0, 999.0],
            "hours": [100, 100, 100],
            "imputed_hours": [10, 0, 10],
        }
    )
    return SimpleNamespace(meters=meters, lines=lines, trace=lambda: trace)


def test_totals_split_by_the_basis_of_their_data():
    splits = data_basis(_ledger())
    el = splits["electricity_mwh"]
    assert el["metered"] == pytest.approx(1000 * 0.9) and el["imputed"] == pytest.approx(100)
    assert el["estimated"] == pytest.approx(200)
    assert splits["scope1_t"] == pytest.approx(
        {"metered": 90.0, "imputed": 0.0, "estimated": 10.0, "stated": 0.0}
    )
    s2 = splits["scope2_location_t"]  # market-basis lines are not part of this total
    assert (s2["metered"], s2["imputed"], s2["estimated"]) == pytest.approx((450, 50, 100))
    assert splits["scope3_t"]["stated"] == 40.0
    # scope 3 rests entirely on stated figures: the largest unmeasured share is 100 %
    assert largest_share(splits) == pytest.approx(1.0)
    del splits["scope3_t"]
    assert largest_share(splits) == pytest.approx(150 / 600)  # scope 2: (50 + 100) / 600


def test_verdicts_closer_than_the_share_are_marked():
    rows = [
        RuleRow("near", Bilingual("近"), "1", "pass", ""),
        RuleRow("far", Bilingual("远"), "1", "fail", ""),
    ]
    section = RuleSetSection(RuleSetRef("rs", "1", Bilingual("规则")), rows)
    result = {"rule_sets": [{"rule_set_id": "rs", "subject": None, "rules": [
        {"id": "near", "margin": 0.02, "threshold": 0.9},  # 2.2 % of the threshold
        {"id": "far", "margin": -0.3, "threshold": 0.9},  # 33 %
    ]}]}  # fmt: skip
    assert mark_within_uncertainty([section], result, 0.05) == 1
    assert rows[0].within_uncertainty and not rows[1].within_uncertainty


def test_meter_hours_with_no_reading_are_stated_and_count_as_uncertain(tmp_path):
    """A synthetic park with one meter's readings deleted: its hours are in no total, the
    report says how many, and the share is the largest uncertain share."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from zcp.report import assess
    from zcp.synth import FaultCounts, SynthSpec, synthesize

    hours, meters = 48, 12
    folder = tmp_path / "park"
    synthesize(
        folder, SynthSpec(tenants=2, meters=meters, hours=hours, seed=3, faults=FaultCounts())
    )
    readings = folder / "readings" / "readings.parquet"
    table = pq.read_table(readings)
    silent = sorted(set(table.column("meter_id").to_pylist()))[-1]
    pq.write_table(table.filter(pc.not_equal(table.column("meter_id"), silent)), readings)
    park_meters = pd.read_csv(folder / "meters.csv")
    assert len(park_meters) == meters and silent in set(park_meters["id"].astype(str))
    out = tmp_path / "r.html"
    assess(folder, out, gaps=False, lang="en")
    html = out.read_text(encoding="utf-8")
    expected = meters * hours
    share = hours / expected  # 1 of 12 meters silent
    assert (
        f"A further {hours} meter-hours ({100 * share:.1f}% of the {expected} expected; "
        "meters concerned: 1) have no reading" in html
    )
    assert (
        f"The largest uncertain share — of a total not metered, or of meter-hours with no reading — is {100 * share:.1f}%"
        in html
    )
