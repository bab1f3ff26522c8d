"""One park of a batch: validate, account, evaluate (and assess when asked), as table rows.

This is the function a Dask worker runs (and the sequential loop, for comparison). It only
calls the single-park library — :func:`zcp.validate.check_park`, the evaluation ``zcp
assess`` uses (whose accounting run is the ledger the verdicts judged), and
:func:`zcp.report.assess` — and turns what they return into plain rows. A bad park is not
an exception for the batch: its error becomes the row's message and the batch goes on.

Re-runs are cheap: the *run key* hashes every input file of the park, the rule and factor
files of this installation, the zcp version and the batch options; a park whose key equals
the one recorded by the previous run is skipped without being read further.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import resource
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import zcp
from zcp.errors import Problem, ZcpError
from zcp.portfolio.claims import claim_rows
from zcp.portfolio.sources import local_folder
from zcp.portfolio.table import error_row, result_rows


@dataclass(frozen=True)
class BatchOptions:
    """What to run on each park. ``assess`` also writes each park's report (``report_format``
    ``pdf`` or ``html``, in ``lang``)."""

    assess: bool = False
    lang: str = "zh"
    report_format: str = "pdf"
    rule_refs: tuple[str, ...] = ()


@dataclass
class ParkOutcome:
    """What a worker sends back for one park (plain data: it crosses process boundaries)."""

    source: str
    run_key: str | None
    skipped: bool = False
    rows: list[dict] = field(default_factory=list)
    claims: list[dict] = field(default_factory=list)
    report: bytes | None = None
    #: wall time per stage and the task's CPU time [s], the worker's process id and its
    #: peak resident memory [MB]
    timings: dict[str, float] = field(default_factory=dict)
    pid: int = 0
    peak_rss_mb: float = 0.0


@functools.cache
def toolkit_hash() -> str:
    """SHA-256 over the rule sets and data files shipped with this installation."""
    from zcp.factors import DATA_DIR
    from zcp.hashing import hash_park_inputs

    digest = hashlib.sha256(zcp.__version__.encode())
    standards = Path(zcp.__file__).resolve().parent.parent / "standards"
    for base in (DATA_DIR, standards):
        if base.is_dir():
            for rel, sha in hash_park_inputs(base).items():
                digest.update(f"{base.name}/{rel}:{sha}\n".encode())
    return digest.hexdigest()


def run_key(file_hashes: dict[str, str], options: BatchOptions) -> str:
    """The key a re-run compares: inputs, toolkit and options."""
    payload = json.dumps(
        {"files": file_hashes, "toolkit": toolkit_hash(), "options": asdict(options)},
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def run_park(source: str, options: BatchOptions, previous_key: str | None = None) -> ParkOutcome:
    """Assess the park at ``source`` (path or fsspec URL); never raises for a bad park."""
    from zcp.hashing import hash_park_inputs

    clock, cpu = time.perf_counter(), time.process_time()
    outcome = ParkOutcome(source=source, run_key=None, pid=os.getpid())
    try:
        with local_folder(source) as root:
            if not root.is_dir():
                raise ZcpError(Problem("park folder not found", path=source))
            hashes = hash_park_inputs(root)
            outcome.run_key = run_key(hashes, options)
            outcome.timings["hash"] = time.perf_counter() - clock
            if outcome.run_key == previous_key:
                outcome.skipped = True
            else:
                _assess_folder(root, source, hashes, options, outcome)
    except ZcpError as exc:
        message = "; ".join(str(p) for p in exc.problems)
        outcome.rows = [error_row(source, "input", message, outcome.run_key)]
    except Exception as exc:  # a bug must not stop the other parks; the row says it is one
        message = f"internal error {type(exc).__name__}: {exc}"
        outcome.rows = [error_row(source, "internal", message, outcome.run_key)]
    outcome.timings["total"] = time.perf_counter() - clock
    # CPU seconds of every thread of the process: what capacity planning needs on a shared
    # machine, where wall time mostly measures the neighbours
    outcome.timings["cpu"] = time.process_time() - cpu
    outcome.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return outcome


def _assess_folder(
    root: Path, source: str, hashes: dict[str, str], options: BatchOptions, outcome: ParkOutcome
) -> None:
    from zcp.metrics.ledger_metrics import result_for
    from zcp.rules.run import evaluate_park
    from zcp.validate import check_park

    clock = time.perf_counter()
    check = check_park(root)
    outcome.timings["validate"] = time.perf_counter() - clock
    evaluation = evaluate_park(root, rule_refs=options.rule_refs, gaps=False)
    ledger = result_for(evaluation.context)
    meter_data = evaluation.context.inputs.get("readings")
    outcome.timings["evaluate"] = time.perf_counter() - clock - outcome.timings["validate"]
    outcome.claims = claim_rows(source, check.folder)
    outcome.rows = result_rows(
        source,
        check,
        evaluation.result,
        ledger,
        meter_data,
        file_hashes=hashes,
        run_key=outcome.run_key,
    )
    if options.assess:
        from zcp.report import assess

        start = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="zcp-report-") as scratch:
            path = Path(scratch) / f"report.{options.report_format}"
            assess(root, path, rule_refs=options.rule_refs, lang=options.lang, gaps=False)
            outcome.report = path.read_bytes()
        outcome.timings["assess"] = time.perf_counter() - start
