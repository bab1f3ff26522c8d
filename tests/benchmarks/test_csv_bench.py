"""CSV readings stream in bounded memory (#12 item 8).

A whole-file CSV read once took ~9x the file's size in memory (a 3.7 GB CSV of 10,000
meters x 8,760 h passed 20 GB). The workload here is ``load_readings`` on the same park
as the Parquet benchmark with its readings written as CSV, run in a child process so its
peak RSS (``ru_maxrss``) is its own. The full size (3.7 GB of CSV) runs with
``pytest tests/benchmarks/test_csv_bench.py -m full --benchmark-enable -s`` (the CSV is
kept in ``$ZCP_BENCH_DIR`` between runs); the default run loads a small park.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import pytest

from tests.benchmarks.test_metering_bench import _LOAD, park, run_script

RSS_LIMIT_MB = 2048


def csv_park(parquet_park: Path) -> Path:
    """The same park with its readings as CSV (zoned ISO 8601 timestamps), written by
    DuckDB straight from the Parquet file (streamed, so writing 3.7 GB stays small)."""
    folder = parquet_park.with_name(parquet_park.name + "-csv")
    target = folder / "readings" / "readings.csv"
    if target.exists():
        return folder
    shutil.copytree(parquet_park, folder, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("*.parquet"))  # fmt: skip
    text = (folder / "park.yaml").read_text(encoding="utf-8")
    assert "readings/readings.parquet" in text
    (folder / "park.yaml").write_text(
        text.replace("readings/readings.parquet", "readings/readings.csv"), encoding="utf-8"
    )
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'; SET enable_progress_bar = false")
    source = str(parquet_park / "readings" / "readings.parquet").replace("'", "''")
    partial = str(target) + ".partial"
    con.execute(
        f"""COPY (SELECT meter_id, strftime(timestamp, '%Y-%m-%dT%H:%M:%S+00:00') AS timestamp,
                         value FROM read_parquet('{source}'))
            TO '{partial.replace("'", "''")}' (HEADER, DELIMITER ',')"""
    )
    os.replace(partial, target)
    return folder


def measure(folder: Path) -> dict:
    result = run_script(_LOAD, folder)
    result["csv_mb"] = (folder / "readings" / "readings.csv").stat().st_size / 2**20
    return result


def test_small_csv_park_loads_like_its_parquet(tmp_path, benchmark):
    parquet = park(tmp_path, tenants=20, meters=100, hours=720)
    from_parquet = run_script(_LOAD, parquet)
    result = benchmark.pedantic(measure, args=(csv_park(parquet),), rounds=1, iterations=1)
    assert result["readings"] == from_parquet["readings"] > 100 * 700
    assert result["totals"] == from_parquet["totals"]
    assert result["balance"] == from_parquet["balance"]


@pytest.mark.full
def test_full_size_csv_in_bounded_memory(benchmark):
    root = Path(os.environ.get("ZCP_BENCH_DIR", tempfile.gettempdir()))
    folder = csv_park(park(root, tenants=1_000, meters=10_000, hours=8_760))
    result = benchmark.pedantic(measure, args=(folder,), rounds=1, iterations=1)
    print(
        f"\n10,000 meters x 8,760 h as CSV ({result['csv_mb']:,.0f} MB): "
        f"{result['readings']:,} readings loaded in {result['load_s']:.1f} s, "
        f"peak RSS {result['rss_mb']:,.0f} MB\n  steps [s]: {result['steps']}"
    )
    benchmark.extra_info.update({k: result[k] for k in ("csv_mb", "load_s", "rss_mb")})
    assert result["rss_mb"] < RSS_LIMIT_MB
