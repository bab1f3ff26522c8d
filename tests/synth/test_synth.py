"""The synthetic park generator: reproducible, valid, shaped like a park, faults as planned."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from zcp.cli import main
from zcp.model import load_park
from zcp.synth import FaultCounts, SynthSpec, synthesize
from zcp.synth.layout import min_meters
from zcp.synth.profiles import dispatch_storage, local_hours, off_days, pv_shape


def digest(folder) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_folder_other_seed_other_readings(tmp_path):
    spec = SynthSpec(tenants=4, meters=16, hours=48, seed=7)
    synthesize(tmp_path / "a", spec)
    synthesize(tmp_path / "b", spec)
    synthesize(tmp_path / "c", SynthSpec(tenants=4, meters=16, hours=48, seed=8))
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    other = digest(tmp_path / "c")
    assert other["readings/readings.parquet"] != digest(tmp_path / "a")["readings/readings.parquet"]


def test_folder_is_a_valid_park_of_the_asked_size(tmp_path):
    synthesize(tmp_path, SynthSpec(tenants=6, meters=30, hours=72, seed=1))
    folder = load_park(tmp_path)
    park = folder.park
    assert len(park.tenants) == 6 and len(park.meters) == 30
    assert park.stage == "operation"
    assert (park.reporting_period.start, park.reporting_period.end) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 1, 3),
    )
    text = (tmp_path / "park.yaml").read_text(encoding="utf-8")
    assert text.startswith("# SYNTHETIC DATA")
    assert "zcp synth --tenants 6 --meters 30 --hours 72 --seed 1" in text
    kinds = {m.register_kind for m in park.meters}
    assert kinds == {"interval", "cumulative"}
    assert {m.interval_minutes for m in park.meters} == {15, 60}


def test_too_few_meters_is_refused(tmp_path):
    assert min_meters(10) == 7 + 10 + 2
    with pytest.raises(ValueError, match="at least 19 meters"):
        synthesize(tmp_path, SynthSpec(tenants=10, meters=18, hours=24))
    result = CliRunner().invoke(
        main, ["synth", "--tenants", "10", "--meters", "18", "--out", str(tmp_path / "x")]
    )
    assert result.exit_code == 2 and "at least 19" in result.output


def test_readings_follow_the_plan(tmp_path):
    hours = 96
    record = synthesize(tmp_path, SynthSpec(tenants=5, meters=25, hours=hours, seed=2))
    truth = record["truth"]
    table = pq.read_table(tmp_path / "readings/readings.parquet").to_pandas()
    counts = table.groupby("meter_id", observed=True).size()
    meters = pd.read_csv(tmp_path / "meters.csv").set_index("id")
    for meter_id, row in meters.iterrows():
        if meter_id in truth["silent_meters"]:
            assert meter_id not in counts.index or counts[meter_id] == 0
            continue
        per = truth["per_meter"].get(meter_id, {})
        expected = hours * 60 // row["interval_minutes"] + (row["register"] == "cumulative")
        expected += per.get("duplicates", 0) - per.get("missing", 0)
        assert counts[meter_id] == expected, meter_id
    assert counts["M-NOT-IN-PARK"] == truth["unknown_meters"]["M-NOT-IN-PARK"] == 24
    saved = json.loads((tmp_path / "synth.json").read_text())
    assert saved["truth"] == json.loads(json.dumps(truth))


def test_no_faults_means_none(tmp_path):
    record = synthesize(tmp_path, SynthSpec(tenants=3, meters=12, hours=24, faults=FaultCounts()))
    truth = record["truth"]
    assert truth["per_meter"] == {} and truth["silent_meters"] == []
    assert truth["unknown_meters"] == {}


def test_pv_is_dark_at_night_and_bright_at_noon():
    times = local_hours(dt.date(2026, 6, 21), 24, "Asia/Shanghai")
    shape = pv_shape(times, 30.9, 121.9, np.random.default_rng(0))
    assert shape[0] == 0 and shape[23] == 0
    assert shape[12] > 0.3 and shape.max() <= 1.0


def test_weekends_and_spring_festival_are_off():
    times = local_hours(dt.date(2026, 2, 13), 24 * 12, "Asia/Shanghai")  # Fri 13 → Tue 24
    off = off_days(times).reshape(12, 24)[:, 0]
    # 13 Fri working; 14 Sat, 15–23 Spring Festival; 24 Tue working.
    assert list(off) == [False] + [True] * 10 + [False]


def test_storage_stays_within_power_and_capacity():
    rng = np.random.default_rng(0)
    surplus = rng.normal(0, 80, 500)
    charge, discharge = dispatch_storage(surplus, power=50, energy=200, efficiency=0.9)
    assert charge.max() <= 50 + 1e-9 and discharge.max() <= 50 + 1e-9
    assert not ((charge > 0) & (discharge > 0)).any()
    stored = 100 + np.cumsum(charge * 0.9 - discharge)
    assert stored.min() >= -1e-9 and stored.max() <= 200 + 1e-9


def test_cli_writes_csv_readings(tmp_path):
    out = tmp_path / "p"
    args = ["synth", "--tenants", "3", "--meters", "12", "--hours", "24", "--format", "csv"]
    result = CliRunner().invoke(main, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "readings/readings.csv").read_text().startswith("meter_id,timestamp,value\n")
    assert load_park(out).park.readings[0].path == "readings/readings.csv"
