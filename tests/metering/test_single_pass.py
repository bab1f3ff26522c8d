"""The single pass over the readings against slower, plainer ways to the same result:
every meter through the rule-by-rule repair, a sorted copy for shuffled files, tiny
batches (runs cut at every batch end), CSV and naive local timestamps."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import EXAMPLES
from zcp.errors import ReadingsError
from zcp.metering import data as data_module
from zcp.metering import load_readings, runs
from zcp.metering.extract import Extract
from zcp.metering.repair_steps import Intervals, spikes
from zcp.metering.runs import MeterKinds, spiky
from zcp.model import load_park

LINGANG = EXAMPLES / "lingang-operation"


@pytest.fixture(scope="module")
def reference():
    return load_readings(load_park(LINGANG), progress=False)


def _park_with_files(tmp_path, parts: list[pa.Table], *, row_group_size=5000, csv=False):
    """The example park with its readings replaced by ``parts``, one file each."""
    folder = tmp_path / "park"
    shutil.copytree(LINGANG, folder)
    (folder / "readings" / "readings.parquet").unlink()
    names = []
    for i, part in enumerate(parts):
        names.append(f"readings/part-{i:02d}.{'csv' if csv else 'parquet'}")
        if csv:
            frame = part.to_pandas()
            frame["timestamp"] = frame["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%S+00:00")
            frame.to_csv(folder / names[-1], index=False)
        else:
            pq.write_table(part, folder / names[-1], row_group_size=row_group_size)
    listing = "".join(f"\n  - {{path: {name}}}" for name in names)
    text = (folder / "park.yaml").read_text()
    (folder / "park.yaml").write_text(
        text.replace("\n  - {path: readings/readings.parquet}", listing)
    )
    return folder


def _copy_with_readings(tmp_path, table: pa.Table, *, row_group_size=None, csv=False):
    folder = _park_with_files(tmp_path, [table], row_group_size=row_group_size, csv=csv)
    return load_readings(load_park(folder), progress=False)


def _readings() -> pa.Table:
    return pq.read_table(LINGANG / "readings" / "readings.parquet")


def assert_same_load(got, expected) -> None:
    """Same quality report, same rejected readings, same hours and per-node sums."""
    pd.testing.assert_frame_equal(got.quality.per_meter, expected.quality.per_meter)
    pd.testing.assert_frame_equal(got.quality.rejected, expected.quality.rejected)
    assert got.quality.unknown_meters == expected.quality.unknown_meters
    pd.testing.assert_frame_equal(
        got.quality.metered_share, expected.quality.metered_share, check_exact=False, rtol=1e-12
    )
    pd.testing.assert_frame_equal(
        got.period_totals("month"), expected.period_totals("month"), check_exact=False, rtol=1e-12
    )
    hourly = "SELECT meter_id, hour, value, imputed FROM hourly ORDER BY meter_id, hour"
    pd.testing.assert_frame_equal(
        got.con.execute(hourly).df(), expected.con.execute(hourly).df(), check_exact=False,
        rtol=1e-12,
    )  # fmt: skip
    pd.testing.assert_frame_equal(got.nodes.keys, expected.nodes.keys)
    np.testing.assert_allclose(got.nodes.inflow, expected.nodes.inflow, rtol=1e-12)
    for row in range(len(got.nodes.keys)):
        np.testing.assert_allclose(got.nodes.outflow(row), expected.nodes.outflow(row), rtol=1e-12)
        np.testing.assert_allclose(got.nodes.losses(row), expected.nodes.losses(row), rtol=1e-12)
    np.testing.assert_array_equal(got.nodes.imputed, expected.nodes.imputed)
    pd.testing.assert_frame_equal(
        got.balance.periods, expected.balance.periods, check_exact=False, rtol=1e-9
    )


def test_every_meter_through_the_repair_gives_the_same_load(reference, monkeypatch):
    of = MeterKinds.of

    def all_repaired(meters, n_hours):
        kinds = of(meters, n_hours)
        kinds.kind[:] = runs.OTHER
        return kinds

    monkeypatch.setattr(MeterKinds, "of", staticmethod(all_repaired))
    repaired = load_readings(load_park(LINGANG), progress=False)
    assert not repaired.quality.per_meter.empty
    assert_same_load(repaired, reference)


def test_runs_cut_by_small_row_groups(reference, tmp_path):
    # 1,000-row groups: every meter's year of readings spans nine or ten batches.
    assert_same_load(_copy_with_readings(tmp_path, _readings(), row_group_size=1000), reference)


def test_shuffled_readings_go_through_a_sorted_copy(reference, tmp_path, monkeypatch):
    table = _readings()
    order = np.random.default_rng(5).permutation(table.num_rows)
    calls = []
    real = runs.ReadingPass.finish

    def finish(self):
        calls.append(1)
        return real(self)

    monkeypatch.setattr(runs.ReadingPass, "finish", finish)
    # A memory limit this small makes DuckDB's sort spill to disk (into its scratch folder).
    monkeypatch.setattr(data_module, "MEMORY_LIMIT", "64MB")
    got = _copy_with_readings(tmp_path, table.take(order), row_group_size=50_000)
    assert len(calls) == 1  # the first pass gave up; the sorted copy's pass finished
    scratch = Path(got.scratch.name)
    assert (scratch / "duckdb").is_dir()  # the sort spilled there
    assert not (scratch / "sorted.parquet").exists()
    # Duplicates keep "the first in file order": after shuffling, that may be the other
    # reading of the pair — everything else is the same.
    same = ["meter_id", "readings", "duplicates", "hours_imputed", "missing_readings"]
    pd.testing.assert_frame_equal(got.quality.per_meter[same], reference.quality.per_meter[same])
    np.testing.assert_allclose(got.nodes.inflow, reference.nodes.inflow, rtol=1e-6)


def test_csv_readings_stream_from_duckdb(reference, tmp_path):
    assert_same_load(_copy_with_readings(tmp_path, _readings(), csv=True), reference)


def test_naive_local_timestamps_in_a_zone_without_dst(reference, tmp_path):
    table = _readings()
    local = (
        pd.DatetimeIndex(table.column("timestamp").to_pandas())
        .tz_convert("Asia/Shanghai")
        .tz_localize(None)
    )
    naive = table.set_column(1, "timestamp", pa.array(local.as_unit("us")))
    assert naive.schema.field("timestamp").type.tz is None
    assert_same_load(_copy_with_readings(tmp_path, naive), reference)


@pytest.mark.parametrize("seed", range(40))
def test_spike_verdict_matches_the_repair_rule(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(50, 400))
    values = rng.gamma(2.0, 5.0, n) * (rng.random(n) < rng.uniform(0.3, 1.0))
    if seed % 3 == 0:
        values[rng.integers(n)] *= rng.uniform(5, 60)
    iv = Intervals(
        code=np.zeros(n, dtype=np.int32),
        start_ms=np.arange(n, dtype=np.int64),
        slots=np.ones(n, dtype=np.int32),
        energy=values,
        estimated=np.zeros(n, dtype=bool),
    )
    assert spiky(values, values.sum(), values.max()) == bool(spikes(iv, 1).any())


def test_extract_parts_join_in_meter_order():
    def part(code, ts):
        n = len(ts)
        zeros = np.zeros(n, dtype=np.int8)
        return Extract(np.full(n, code, np.int32), np.array(ts, np.int64), np.ones(n), zeros,
                       zeros, np.arange(n, dtype=np.int64))  # fmt: skip

    joined = Extract.concat([part(3, [1, 2]), part(1, [5, 6, 7])])
    assert joined.code.tolist() == [1, 1, 1, 3, 3]
    assert joined.ts_ms.tolist() == [5, 6, 7, 1, 2]
    assert len(Extract.concat([])) == 0


def test_node_hours_are_the_flows_into_each_tenant_and_bus(reference):
    """Per node, recomputed from the hourly view with pandas: the mean of each flow's
    meters, summed over the flows into the node (and out of a bus)."""
    data = reference
    hourly = data.hourly_frame()
    meters = data.meters.set_index("meter_id")
    hourly["to"] = hourly["meter_id"].map(meters["to_node"])
    hourly["from"] = hourly["meter_id"].map(meters["from_node"])
    per_flow = meters.groupby("flow_id").size()
    hourly["share"] = hourly["value"] / hourly["flow_id"].map(per_flow)
    hourly["i"] = (hourly["hour"] - pd.Timestamp(data.bounds.start)) // pd.Timedelta("1h")
    checked = 0
    for row, key in data.nodes.keys.iterrows():
        for side, got in (("to", data.nodes.inflow[row]), ("from", data.nodes.outflow(row))):
            if side == "from" and key["kind"] != "bus":
                assert not got.any()  # tenants' outflow is not aggregated
                continue
            mine = hourly[(hourly[side] == key["node"]) & (hourly["carrier"] == key["carrier"])]
            expected = np.zeros(data.nodes.n_hours)
            np.add.at(expected, mine["i"].to_numpy(), mine["share"].to_numpy())
            np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-9)
            checked += 1
    kinds = set(data.nodes.keys["kind"])
    assert kinds == {"tenant", "bus"} and checked > len(data.nodes.keys)
    frame = data.nodes.frame(kind="bus")
    assert set(frame["kind"]) == {"bus"} and len(frame) % data.nodes.n_hours == 0


def test_quality_flags_read_alike_from_parquet_and_csv(tmp_path):
    table = _readings()
    rng = np.random.default_rng(8)
    flags = np.full(table.num_rows, None, dtype=object)
    flags[rng.choice(table.num_rows, 200, replace=False)] = "ok"
    estimated = rng.choice(table.num_rows, 30, replace=False)
    flags[estimated] = "Estimated"
    bad = np.setdiff1d(rng.choice(table.num_rows, 20, replace=False), estimated)
    flags[bad] = "bad"
    flagged = table.append_column("quality", pa.array(flags, pa.string()))
    from_parquet = _copy_with_readings(tmp_path / "p", flagged)
    from_csv = _copy_with_readings(tmp_path / "c", flagged, csv=True)
    assert_same_load(from_parquet, from_csv)
    totals = from_parquet.quality.totals()
    assert totals["flagged"] == len(bad)
    # Estimated readings are kept (and marked imputed) unless another rule rejects them.
    assert 0 < totals["estimated"] <= len(estimated)


def test_readings_of_unknown_meters_are_counted_batch_by_batch(reference, tmp_path, monkeypatch):
    """A long stretch of ids the park lacks is counted as it goes, not carried along."""
    table = _readings()
    stray = pa.table(
        {
            "meter_id": pa.array([f"X-{i % 7}" for i in range(50_000)]).dictionary_encode(),
            "timestamp": pa.array(
                np.full(50_000, table.column("timestamp")[0].value),
                table.schema.field("timestamp").type,
            ),
            "value": pa.array(np.ones(50_000)),
        }
    )
    carried = []
    real = runs.Batch.gather

    def gather(blocks, n_meters):
        carried.append(sum(hi - lo for _, lo, hi in blocks))
        return real(blocks, n_meters)

    monkeypatch.setattr(runs.Batch, "gather", staticmethod(gather))
    both = pa.concat_tables([stray, table.cast(stray.schema)])
    got = _copy_with_readings(tmp_path, both, row_group_size=1000)
    unknown = dict(reference.quality.unknown_meters)
    for i in range(7):
        unknown[f"X-{i}"] = len(range(i, 50_000, 7))
    assert got.quality.unknown_meters == dict(sorted(unknown.items()))
    longest = reference.quality.per_meter["readings"].max()
    assert max(carried) <= longest < 50_000  # one meter's readings at most, never the strays
    pd.testing.assert_frame_equal(got.quality.per_meter, reference.quality.per_meter)


def test_the_reading_pool_is_put_back():
    from zcp.metering.file_reader import reading_memory_pool

    before = pa.default_memory_pool().backend_name
    with pytest.raises(RuntimeError), reading_memory_pool():
        buffer = pa.allocate_buffer(1 << 20)
        raise RuntimeError("a pass given up")
    assert pa.default_memory_pool().backend_name == before
    assert buffer.size == 1 << 20  # a buffer from the reading pool outlives the switch


@pytest.fixture
def no_sorted_copy(monkeypatch):
    def refuse(*args):
        raise AssertionError("the sorted copy was not needed")

    monkeypatch.setattr(data_module, "sorted_copy_batches", refuse)


@pytest.mark.parametrize("order", ["park", "id"])
def test_monthly_files_are_merged_meter_by_meter(reference, tmp_path, no_sorted_copy, order):
    table = _readings()
    if order == "id":  # meters by ascending id, each meter's readings kept in file order
        ids = np.asarray(table.column("meter_id").to_pylist())
        table = table.take(np.argsort(ids, kind="stable"))
    local = pd.DatetimeIndex(table.column("timestamp").to_pandas()).tz_convert("Asia/Shanghai")
    months = [table.filter(pa.array(local.month == m)) for m in range(1, 13)]
    assert sum(p.num_rows for p in months) == table.num_rows
    got = load_readings(load_park(_park_with_files(tmp_path, months)), progress=False)
    assert_same_load(got, reference)


def test_files_of_different_meters_are_read_in_turn(reference, tmp_path, no_sorted_copy):
    table = _readings()
    ids = np.asarray(table.column("meter_id").to_pylist())
    first = np.isin(ids, sorted(set(ids))[::2])
    # Meters in descending id order inside each file: no merge, but each meter in one block.
    parts = [table.filter(pa.array(keep)) for keep in (first, ~first)]
    parts = [p.take(np.argsort(-np.arange(p.num_rows), kind="stable")) for p in parts]
    got = load_readings(load_park(_park_with_files(tmp_path, parts)), progress=False)
    pd.testing.assert_frame_equal(got.quality.per_meter, reference.quality.per_meter)
    np.testing.assert_allclose(got.nodes.inflow, reference.nodes.inflow, rtol=1e-12)


def test_parquet_rows_without_meter_or_time_are_named(tmp_path):
    table = _readings()
    ids = table.column("meter_id").to_pylist()
    stamps = table.column("timestamp").to_pylist()
    ids[5], stamps[100] = None, None
    broken = table.set_column(0, "meter_id", pa.array(ids)).set_column(
        1, "timestamp", pa.array(stamps, table.schema.field("timestamp").type)
    )
    with pytest.raises(ReadingsError) as caught:
        _copy_with_readings(tmp_path, broken, row_group_size=50)  # found mid-file
    found = [(p.line, p.message) for p in caught.value.problems]
    assert found == [(5, "meter_id is empty"), (100, "timestamp is empty")]
    assert all(p.path == "readings/part-00.parquet" for p in caught.value.problems)
