"""The portfolio table in DuckDB: documented views over the Parquet dataset.

``zcp portfolio query DIR "SQL"`` opens an in-memory DuckDB with these views over the
folder ``zcp batch`` wrote, so a provincial analyst asks questions in SQL without loading
anything by hand:

``results``          one row per park and rule set (error rows included): the whole table
``parks``            one row per park: stage, status, error, scope totals [tCO2e], energy
                     [tce, MWh], core indicator [tCO2/tce] with its band threshold and margin,
                     green shares [0–1], data-quality counts, run key, file hashes
``rules``            one row per park, rule set and rule: status, actual, threshold, unit,
                     margin (positive: on the passing side), band, provisional
``levels``           one row per park, rule set and level reached
``errors``           parks that could not be assessed, with the message
``claims``           every certificate and credit claimed in any park
``claim_conflicts``  the same serials claimed in two parks, naming both parks and claims
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from zcp.errors import InputError, Problem
from zcp.portfolio.claims import CLAIMS_DIR, CONFLICTS_FILE
from zcp.portfolio.table import PARKS_DIR

#: name → SQL over ``results``/files; the module docstring documents each one.
_PARK_COLUMNS = """source, status, error_kind, error, park_id, park_name, stage, period_start,
    period_end, basis, tenants, meters, validation_warnings, scope1_t, scope2_location_t,
    scope2_market_t, scope3_t, offsets_t, net_t, energy_tce, electricity_mwh, core_indicator,
    core_unit, core_status, core_threshold, core_margin, core_band, green_electricity_share,
    hourly_cfe_score, direct_supply_share, clean_energy_share, dq_meters, dq_meters_reporting,
    dq_silent_meters, dq_readings, dq_rejected, dq_hours_measured, dq_hours_imputed,
    dq_hours_missing, dq_past_calibration, dq_unknown_meter_readings, run_key, file_hashes,
    zcp_version"""

VIEWS = {
    "parks": f"SELECT DISTINCT ON (source) {_PARK_COLUMNS} FROM results ORDER BY source",
    "rules": """SELECT source, park_id, rule_set_id, rule_set_version, subject, r.id AS rule_id,
        r.kind, r.section, r.status, r.actual, r.threshold, r.unit, r.margin, r.band,
        r.provisional FROM (SELECT *, unnest(rules) AS r FROM results WHERE status = 'ok')""",
    "levels": """SELECT source, park_id, rule_set_id, rule_set_version, subject,
        unnest(levels_passed) AS level FROM results WHERE status = 'ok'""",
    "errors": "SELECT source, error_kind, error FROM results WHERE status = 'error'",
}


def connect(folder: str | Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the portfolio views over ``folder`` (read-only use)."""
    root = Path(folder)
    parts = root / PARKS_DIR
    if not parts.is_dir() or not any(parts.glob("*.parquet")):
        raise InputError(
            Problem(
                "no portfolio table here",
                path=str(root),
                hint="give the --out folder of `zcp batch`",
            )
        )
    con = duckdb.connect()
    con.execute(f"CREATE VIEW results AS SELECT * FROM read_parquet({_glob(parts)})")
    for name, sql in VIEWS.items():
        con.execute(f"CREATE VIEW {name} AS {sql}")
    claims = root / CLAIMS_DIR
    if claims.is_dir() and any(claims.glob("*.parquet")):
        con.execute(f"CREATE VIEW claims AS SELECT * FROM read_parquet({_glob(claims)})")
    conflicts = root / CONFLICTS_FILE
    if conflicts.is_file():
        con.execute(
            f"CREATE VIEW claim_conflicts AS SELECT * FROM read_parquet({_quote(conflicts)})"
        )
    return con


def run_query(folder: str | Path, sql: str) -> tuple[list[str], list[tuple]]:
    """(column names, rows) of ``sql`` over the portfolio views; SQL errors are user errors."""
    con = connect(folder)
    try:
        cursor = con.execute(sql)
        rows = cursor.fetchall()
        columns = [d[0] for d in cursor.description or []]
    except duckdb.Error as exc:
        names = ", ".join(view_names(con))
        raise InputError(
            Problem(f"query failed: {exc}".strip(), path=str(folder), hint=f"views: {names}")
        ) from None
    finally:
        con.close()
    return columns, rows


def view_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
    return sorted(r[0] for r in rows)


def _glob(folder: Path) -> str:
    return _quote(folder / "*.parquet")


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"
