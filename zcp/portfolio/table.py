"""The portfolio table: one row per park and rule set (or one error row per bad park).

Written as a Parquet dataset — one part file per park under ``parks/`` — so a re-run
rewrites only the parks that changed, and DuckDB reads the whole folder as one table
(:mod:`zcp.portfolio.query`). Park-level figures (scope totals [tCO2e], the core indicator
[tCO2/tce], green shares [fraction 0–1], data quality, hashes) repeat on each rule-set row
of their park; the ``parks`` view keeps one of them.

Columns that describe a run rather than a result (``elapsed_s``, ``cpu_s``, ``peak_rss_mb``,
``worker_pid``) are listed in ``RUN_COLUMNS``: they differ between runs, nothing else may.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

import zcp

if TYPE_CHECKING:
    from zcp.ledger import LedgerResult
    from zcp.metering import MeterData
    from zcp.rules import EvaluationResult
    from zcp.validate import ParkCheck

#: The rule holding the national core indicator, and its rule set.
CORE_RULE_SET = "zero_carbon_park"
CORE_RULE = "core_carbon_per_unit_energy"

SCOPE_TOTALS = ("scope1_t", "scope2_location_t", "scope2_market_t", "scope3_t", "offsets_t",
                "net_t")  # fmt: skip
SHARES = ("green_electricity_share", "hourly_cfe_score", "direct_supply_share",
          "clean_energy_share")  # fmt: skip
QUALITY = ("dq_meters", "dq_meters_reporting", "dq_silent_meters", "dq_readings",
           "dq_rejected", "dq_hours_measured", "dq_hours_imputed", "dq_hours_missing",
           "dq_past_calibration", "dq_unknown_meter_readings")  # fmt: skip
RUN_COLUMNS = ("elapsed_s", "cpu_s", "peak_rss_mb", "worker_pid")

RULE = pa.struct(
    [
        ("id", pa.string()),
        ("kind", pa.string()),
        ("section", pa.string()),
        ("status", pa.string()),
        ("actual", pa.float64()),
        ("threshold", pa.list_(pa.float64())),
        ("unit", pa.string()),
        ("margin", pa.float64()),
        ("band", pa.string()),
        ("provisional", pa.bool_()),
    ]
)

SCHEMA = pa.schema(
    [
        ("source", pa.string()),
        ("status", pa.string()),  # ok | error
        ("error_kind", pa.string()),  # input | internal
        ("error", pa.string()),
        ("park_id", pa.string()),
        ("park_name", pa.string()),
        ("stage", pa.string()),
        ("period_start", pa.date32()),
        ("period_end", pa.date32()),
        ("basis", pa.string()),
        ("tenants", pa.int32()),
        ("meters", pa.int32()),
        ("validation_warnings", pa.int32()),
        ("rule_set_id", pa.string()),
        ("rule_set_version", pa.string()),
        ("rule_set_sha256", pa.string()),
        ("subject", pa.string()),
        ("level", pa.string()),
        ("levels", pa.list_(pa.string())),  # every level the rule set defines, in order
        ("levels_passed", pa.list_(pa.string())),
        ("points", pa.float64()),
        ("max_points", pa.float64()),
        *(
            (f"n_{s}", pa.int32())
            for s in ("pass", "fail", "partial", "not_applicable", "undetermined", "needs_evidence")
        ),  # fmt: skip
        ("rules", pa.list_(RULE)),
        *((name, pa.float64()) for name in SCOPE_TOTALS),
        ("energy_tce", pa.float64()),
        ("electricity_mwh", pa.float64()),
        ("core_indicator", pa.float64()),
        ("core_unit", pa.string()),
        ("core_status", pa.string()),
        ("core_threshold", pa.float64()),
        ("core_margin", pa.float64()),
        ("core_band", pa.string()),
        *((name, pa.float64()) for name in SHARES),
        *((name, pa.int64()) for name in QUALITY),
        ("run_key", pa.string()),
        ("file_hashes", pa.map_(pa.string(), pa.string())),
        ("zcp_version", pa.string()),
        ("elapsed_s", pa.float64()),  # wall time of the park's task [s]
        ("cpu_s", pa.float64()),  # CPU time of the task, all threads [s]
        ("peak_rss_mb", pa.float64()),  # the worker process's peak resident memory so far [MB]
        ("worker_pid", pa.int64()),
    ]
)


def error_row(source: str, kind: str, message: str, run_key: str | None) -> dict:
    """The row of a park that could not be assessed: its message, nothing guessed."""
    return {"source": source, "status": "error", "error_kind": kind, "error": message,
            "run_key": run_key, "zcp_version": zcp.__version__}  # fmt: skip


def result_rows(
    source: str,
    check: ParkCheck,
    result: EvaluationResult,
    ledger: LedgerResult | None,
    meter_data: MeterData | None,
    *,
    file_hashes: dict[str, str],
    run_key: str | None,
) -> list[dict]:
    """Rows of one assessed park: its figures, then one row per rule-set result."""
    park = check.folder.park
    base: dict = {
        "source": source,
        "status": "ok",
        "park_id": park.id,
        "park_name": park.name,
        "stage": park.stage,
        "period_start": park.reporting_period.start,
        "period_end": park.reporting_period.end,
        "tenants": len(park.tenants),
        "meters": len(park.meters),
        "validation_warnings": len(check.warnings),
        "run_key": run_key,
        "file_hashes": sorted(file_hashes.items()),
        "zcp_version": zcp.__version__,
    }
    if ledger is not None:
        base["basis"] = ledger.basis
        base.update({name: ledger.totals.get(name) for name in SCOPE_TOTALS})
        base["energy_tce"] = ledger.energy_summary.get("energy_tce")
        base["electricity_mwh"] = ledger.energy_summary.get("electricity_mwh")
        for name in SHARES:
            indicator = ledger.indicators.get(name)
            base[name] = indicator.value if indicator else None
    if meter_data is not None:
        totals = meter_data.quality.totals()
        for name in QUALITY:
            base[name] = int(totals.get(name.removeprefix("dq_"), 0))
    base.update(_core(result))
    rows = []
    for rs in result.rule_sets:
        counts = rs.counts
        rows.append(
            {
                **base,
                "rule_set_id": rs.rule_set_id,
                "rule_set_version": rs.version,
                "rule_set_sha256": rs.sha256,
                "subject": rs.subject,
                "level": rs.level,
                "levels": [lv.id for lv in rs.levels],
                "levels_passed": [lv.id for lv in rs.levels if lv.status == "pass"],
                "points": rs.points,
                "max_points": rs.max_points,
                **{
                    f"n_{s}": counts.get(s, 0)
                    for s in (
                        "pass",
                        "fail",
                        "partial",
                        "not_applicable",
                        "undetermined",
                        "needs_evidence",
                    )
                },  # fmt: skip
                "rules": [_rule(r) for r in rs.rules],
            }
        )
    return rows or [base]


def _core(result: EvaluationResult) -> dict:
    """The national core indicator as its rule judged it (value, threshold of the park's
    band, margin); all null when the rule set was not applied."""
    for rs in result.rule_sets:
        if rs.rule_set_id != CORE_RULE_SET:
            continue
        for rule in rs.rules:
            if rule.id == CORE_RULE:
                value = rule.actual if rule.actual is not None else (
                    rule.metric.value if rule.metric else None
                )  # fmt: skip
                threshold = rule.threshold if isinstance(rule.threshold, float | int) else None
                return {"core_indicator": value, "core_unit": rule.unit or "tCO2/tce",
                        "core_status": rule.status, "core_threshold": threshold,
                        "core_margin": rule.margin, "core_band": rule.band}  # fmt: skip
    return {}


def _rule(rule) -> dict:
    threshold = rule.threshold
    if threshold is not None and not isinstance(threshold, list):
        threshold = [threshold]
    return {"id": rule.id, "kind": rule.kind, "section": rule.section, "status": rule.status,
            "actual": rule.actual, "threshold": threshold, "unit": rule.unit,
            "margin": rule.margin, "band": rule.band, "provisional": rule.provisional}  # fmt: skip


# --- the dataset on disk -----------------------------------------------------------------

PARKS_DIR = "parks"


def part_name(source: str) -> str:
    """A stable file name per source: readable stem plus a short hash of the full source."""
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", source.rstrip("/").rsplit("/", 1)[-1])[:40]
    return f"{stem}-{hashlib.sha256(source.encode()).hexdigest()[:10]}.parquet"


def write_part(folder: Path, source: str, rows: list[dict], run: dict) -> Path:
    """Write one park's rows (with the run columns ``run`` gives) atomically."""
    folder.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pylist([{**row, **run} for row in rows], schema=SCHEMA)
    path = folder / part_name(source)
    tmp = path.with_suffix(".tmp")
    pq.write_table(table, tmp)
    tmp.replace(path)
    return path


def read_parts(folder: Path) -> pa.Table:
    """Every part file under ``folder`` as one table (empty with the schema if none).

    A part written by another table layout (an older zcp) is left out, so its park is
    simply assessed again and its part rewritten."""
    tables = [SCHEMA.empty_table()]
    for path in sorted(folder.glob("*.parquet")) if folder.is_dir() else []:
        if pq.read_schema(path).equals(SCHEMA, check_metadata=False):
            tables.append(pq.read_table(path, schema=SCHEMA))
    return pa.concat_tables(tables)
