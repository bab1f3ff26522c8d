"""``zcp batch``: many park folders assessed on Dask distributed into one portfolio table.

Each park is one task (:func:`zcp.portfolio.park_run.run_park`) submitted to a
``distributed`` client: a ``LocalCluster`` of worker *processes* by default (the
accounting holds the GIL for long stretches, so threads would not help), or an existing
cluster given by its scheduler address. Results are written as they arrive, one part file
per park, so progress survives an interrupted run; the claims of all parks are then
compared across parks. ``sequential=True`` runs the very same function in a plain loop —
the baseline the measurements compare against, and the reference the tests check the
cluster's results with.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from zcp.errors import InputError, Problem
from zcp.portfolio.claims import (
    CLAIMS_DIR,
    CONFLICTS_FILE,
    cross_park_conflicts,
    read_claims,
    write_claims,
    write_conflicts,
)
from zcp.portfolio.park_run import BatchOptions, ParkOutcome, run_park
from zcp.portfolio.table import PARKS_DIR, part_name, read_parts, write_part

REPORTS_DIR = "reports"
SUMMARY_FILE = "batch.json"


@dataclass
class BatchSummary:
    """What a batch did: counts, cross-park conflicts, and per-park costs for capacity
    planning (``parks``: source, status, seconds per stage, worker pid, peak RSS [MB])."""

    engine: str
    workers: int
    wall_s: float
    assessed: int = 0
    skipped: int = 0
    errors: list[dict] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)
    parks: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "engine": self.engine,
            "workers": self.workers,
            "wall_s": round(self.wall_s, 3),
            "assessed": self.assessed,
            "skipped": self.skipped,
            "errors": self.errors,
            "claim_conflicts": [c["message"] for c in self.conflicts],
            "parks": self.parks,
        }


def run_batch(
    sources: Sequence[str],
    out: str | Path,
    *,
    options: BatchOptions | None = None,
    jobs: int | None = None,
    scheduler: str | None = None,
    sequential: bool = False,
    progress: TextIO | None = sys.stderr,
) -> BatchSummary:
    """Assess every park in ``sources`` into the portfolio folder ``out``.

    ``jobs`` worker processes on a local cluster (default 2), or the cluster at
    ``scheduler`` (``tcp://host:port``), or a plain loop with ``sequential``. Parks whose
    run key matches the previous run's in ``out`` are skipped.
    """
    if not sources:
        raise InputError(Problem("no park folders given", path=str(out)))
    duplicates = sorted({s for s in sources if list(sources).count(s) > 1})
    if duplicates:
        raise InputError(
            Problem(f"park listed twice in the batch: {', '.join(duplicates)}", path=str(out))
        )
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    previous = _previous_keys(out / PARKS_DIR)
    _drop_stale_parts(out, sources)
    clock = time.perf_counter()
    options = options or BatchOptions()
    tasks = [(s, options, previous.get(s)) for s in sources]
    if sequential:
        summary = BatchSummary(engine="sequential", workers=1, wall_s=0.0)
        _collect((run_park(*t) for t in tasks), len(tasks), out, summary, progress)
    else:
        summary = _run_on_dask(tasks, out, jobs, scheduler, progress)
    claims = read_claims(out / CLAIMS_DIR)
    summary.conflicts = cross_park_conflicts(claims)
    write_conflicts(out / CONFLICTS_FILE, summary.conflicts)
    summary.wall_s = time.perf_counter() - clock
    (out / SUMMARY_FILE).write_text(
        json.dumps(summary.to_json(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return summary


def _run_on_dask(
    tasks: list[tuple], out: Path, jobs: int | None, scheduler: str | None, progress
) -> BatchSummary:
    from distributed import Client, LocalCluster, as_completed

    if scheduler is not None:
        cluster = None
        try:
            client = Client(scheduler, timeout="10s")
        except OSError as exc:
            raise InputError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    else:
        cluster = LocalCluster(
            n_workers=jobs or 2,
            threads_per_worker=1,
            processes=True,
            # loopback only; the scheduler's HTTP server would otherwise try port 8787,
            # which another user's cluster on the same machine may hold
            dashboard_address="127.0.0.1:0",
            host="127.0.0.1",
            silence_logs=logging.ERROR,  # workers' shutdown chatter is not the user's business
        )
        client = Client(cluster)
    try:
        workers = len(client.scheduler_info().get("workers", {}))
        summary = BatchSummary(engine=f"dask {scheduler or 'local'}", workers=workers, wall_s=0.0)
        futures = [client.submit(run_park, *t, pure=False) for t in tasks]
        sources = {f.key: t[0] for f, t in zip(futures, tasks, strict=True)}
        outcomes = (_outcome(fut, sources[fut.key]) for fut in as_completed(futures))
        _collect(outcomes, len(tasks), out, summary, progress)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return summary


def _outcome(future, source: str) -> ParkOutcome:
    """The task's outcome; a worker lost while running it (killed, out of memory) becomes
    an error row for that park rather than the end of the batch."""
    from zcp.portfolio.table import error_row

    try:
        return future.result()
    except Exception as exc:
        message = f"worker failed: {type(exc).__name__}: {exc}"
        return ParkOutcome(source=source, run_key=None,
                           rows=[error_row(source, "internal", message, None)])  # fmt: skip


def _collect(
    outcomes: Iterable[ParkOutcome], total: int, out: Path, summary: BatchSummary, progress
) -> None:
    say: Callable[[str], None] = (lambda line: print(line, file=progress, flush=True)) if progress else (lambda line: None)  # fmt: skip
    for done, outcome in enumerate(outcomes, start=1):
        name = part_name(outcome.source)
        entry = {"source": outcome.source, "pid": outcome.pid,
                 "peak_rss_mb": round(outcome.peak_rss_mb, 1),
                 **{f"{k}_s": round(v, 4) for k, v in outcome.timings.items()}}  # fmt: skip
        if outcome.skipped:
            summary.skipped += 1
            entry["status"] = "skipped"
            say(f"[{done}/{total}] {outcome.source}: unchanged, skipped")
        else:
            run = {"elapsed_s": outcome.timings.get("total"), "cpu_s": outcome.timings.get("cpu"),
                   "peak_rss_mb": outcome.peak_rss_mb, "worker_pid": outcome.pid}  # fmt: skip
            write_part(out / PARKS_DIR, outcome.source, outcome.rows, run)
            write_claims(out / CLAIMS_DIR, name, outcome.claims)
            error = outcome.rows[0].get("error") if outcome.rows else None
            if error:
                summary.errors.append({"source": outcome.source, "error": error})
                entry["status"] = "error"
                say(f"[{done}/{total}] {outcome.source}: error — {error}")
            else:
                summary.assessed += 1
                entry["status"] = "ok"
                park_id = outcome.rows[0].get("park_id")
                say(f"[{done}/{total}] {outcome.source} ({park_id}): assessed in "
                    f"{outcome.timings.get('total', 0):.1f} s")  # fmt: skip
            if outcome.report is not None:
                reports = out / REPORTS_DIR
                reports.mkdir(exist_ok=True)
                suffix = "pdf" if outcome.report[:4] == b"%PDF" else "html"
                (reports / f"{Path(name).stem}.{suffix}").write_bytes(outcome.report)
        summary.parks.append(entry)
    summary.parks.sort(key=lambda e: e["source"])


def _previous_keys(folder: Path) -> dict[str, str]:
    table = read_parts(folder)
    keys: dict[str, str] = {}
    for source, status, key in zip(
        table.column("source").to_pylist(),
        table.column("status").to_pylist(),
        table.column("run_key").to_pylist(),
        strict=True,
    ):
        if status == "ok" and key:  # a park that failed is always tried again
            keys[source] = key
    return keys


def _drop_stale_parts(out: Path, sources: Sequence[str]) -> None:
    """The table describes this batch: parts of parks no longer listed are removed."""
    keep = {part_name(s) for s in sources}
    for sub in (PARKS_DIR, CLAIMS_DIR):
        folder = out / sub
        if folder.is_dir():
            for path in folder.glob("*.parquet"):
                if path.name not in keep:
                    path.unlink()
