"""``zcp batch`` throughput: Dask local cluster (2 worker processes) against a plain loop.

The full case (``-m full``) is the issue's measurement: 100 synthetic parks (10 to ~2,000
meters, a week of hourly readings, a third design-stage) each way; it asserts that the
cluster finishes in at most 0.75 of the loop's wall time on a 2-core machine and prints
per-park CPU, overhead and peak RSS per worker (docs/portfolio.md has the numbers and the
capacity model built on them). The small case runs in the default suite on one tiny park,
sequentially, and asserts only that it works.
"""

from __future__ import annotations

import statistics
import time

import pytest

from zcp.portfolio import manifest_sources, run_batch
from zcp.synth.portfolio import PortfolioSpec, synthesize_portfolio


def test_batch_small(benchmark, tmp_path):
    synthesize_portfolio(tmp_path / "pf", PortfolioSpec(parks=1, seed=1, hours=24, max_meters=12))
    sources = manifest_sources(tmp_path / "pf" / "manifest.yaml")
    summary = benchmark.pedantic(
        run_batch, args=(sources, tmp_path / "out"), kwargs={"sequential": True,
        "progress": None}, rounds=1, iterations=1,
    )  # fmt: skip
    assert summary.assessed == 1 and not summary.errors


@pytest.mark.full
def test_batch_100_parks_dask_vs_loop(benchmark, request, tmp_path_factory):
    if "full" not in (request.config.getoption("-m") or ""):
        pytest.skip("full-size benchmark: run with -m full")
    root = tmp_path_factory.mktemp("pf100")
    synthesize_portfolio(root / "pf", PortfolioSpec(parks=100, seed=2026, hours=168))
    sources = manifest_sources(root / "pf" / "manifest.yaml")
    walls = {}
    for engine in ("sequential", "dask"):
        start = time.perf_counter()
        summary = run_batch(sources, root / engine, jobs=2, sequential=engine == "sequential",
                            progress=None)  # fmt: skip
        walls[engine] = time.perf_counter() - start
        cpu = [p["cpu_s"] for p in summary.parks]
        peak = {}
        for p in summary.parks:
            peak[p["pid"]] = max(peak.get(p["pid"], 0.0), p["peak_rss_mb"])
        print(f"\n{engine}: {walls[engine]:.0f} s wall, CPU per park median "
              f"{statistics.median(cpu):.2f} s, sum {sum(cpu):.0f} s, "
              f"peak RSS per worker {sorted(round(v) for v in peak.values())} MB, "
              f"{len(summary.conflicts)} conflicts")  # fmt: skip
        assert summary.assessed == 100 and len(summary.conflicts) == 5
    benchmark.extra_info.update(walls)
    assert walls["dask"] <= 0.75 * walls["sequential"]
