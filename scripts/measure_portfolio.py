"""Measure ``zcp batch`` on a portfolio: Dask local cluster against a plain sequential loop.

    PYTHONPATH=. .venv/bin/python scripts/measure_portfolio.py MANIFEST OUT_DIR [--jobs 2] [--rounds 1]

Runs the same batch ``--rounds`` times each way (alternating, fresh output folders so no
park is skipped), and prints per engine the wall time, the sum and median of per-park task
times, the per-park overhead (worker-seconds not spent inside the park task, per park),
and the peak resident memory of each worker process [MB]. The numbers feed the capacity
model in docs/portfolio.md. The machine load (``os.getloadavg``) is printed alongside:
on a shared machine only medians and ratios mean anything.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

import yaml


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("manifest")
    parser.add_argument("out")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--engines", default="dask,sequential", help="comma-separated, in order")
    args = parser.parse_args()

    from zcp.portfolio import manifest_sources, run_batch

    sources = manifest_sources(args.manifest)
    manifest = yaml.safe_load(Path(args.manifest).read_text(encoding="utf-8"))
    sizes = {
        source: {"meters": entry["meters"], "stage": entry["stage"]}
        for source, entry in zip(sources, manifest["parks"], strict=True)
    }
    out = Path(args.out)
    runs = []
    for round_ in range(args.rounds):
        for engine in args.engines.split(","):
            folder = out / f"{engine}-{round_}"
            shutil.rmtree(folder, ignore_errors=True)
            load_before = os.getloadavg()[0]
            clock = time.perf_counter()
            summary = run_batch(sources, folder, jobs=args.jobs,
                                sequential=engine == "sequential", progress=sys.stderr)  # fmt: skip
            wall = time.perf_counter() - clock
            runs.append(_describe(engine, summary, wall, load_before, os.getloadavg()[0]))
            for park in runs[-1]["per_park"]:
                park.update(sizes.get(park["source"], {}))
            print(json.dumps(runs[-1]), flush=True)
    (out / "measurements.json").write_text(json.dumps(runs, indent=1) + "\n")


def _describe(engine: str, summary, wall: float, load_before: float, load_after: float) -> dict:
    tasks = [p["total_s"] for p in summary.parks if "total_s" in p]
    workers = summary.workers
    peak: dict[int, float] = {}
    for park in summary.parks:
        peak[park["pid"]] = max(peak.get(park["pid"], 0.0), park["peak_rss_mb"])
    evaluate = [p["evaluate_s"] for p in summary.parks if "evaluate_s" in p]
    cpu = [p["cpu_s"] for p in summary.parks if "cpu_s" in p]
    return {
        "engine": engine,
        "workers": workers,
        "parks": len(summary.parks),
        "assessed": summary.assessed,
        "errors": len(summary.errors),
        "conflicts": len(summary.conflicts),
        "wall_s": round(wall, 1),
        "task_sum_s": round(sum(tasks), 1),
        "task_median_s": round(statistics.median(tasks), 2),
        "task_p90_s": round(sorted(tasks)[int(0.9 * (len(tasks) - 1))], 2),
        "task_max_s": round(max(tasks), 2),
        "evaluate_median_s": round(statistics.median(evaluate), 2) if evaluate else None,
        "cpu_sum_s": round(sum(cpu), 1),
        "cpu_median_s": round(statistics.median(cpu), 2),
        "overhead_per_park_s": round((wall * workers - sum(tasks)) / len(tasks), 3),
        "peak_rss_mb_by_worker": sorted(round(v) for v in peak.values()),
        "load_before": round(load_before, 1),
        "load_after": round(load_after, 1),
        "per_park": [
            {
                k: p.get(k)
                for k in ("source", "status", "total_s", "evaluate_s", "cpu_s", "peak_rss_mb")
            }  # fmt: skip
            for p in summary.parks
        ],
    }


if __name__ == "__main__":  # process workers re-import this module: start nothing on import
    main()
