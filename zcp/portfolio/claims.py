"""Claims across parks: one table of every certificate and credit, and the double claims.

A park's own ledger already refuses a serial claimed twice inside the park
(:func:`zcp.ledger.instruments.double_claims`). Only a portfolio can see the same GEC
serial range, the same 32-digit GEC code or the same credit claimed by two parks — or by
tenants of two parks — which breaks the one-tonne-one-entity rule (GHG Protocol Scope 2
quality criterion 2) just the same. Each such overlap is an error naming both parks and
both claims, with the file and line of each.

Serials are compared in their canonical form (:func:`zcp.ledger.serials.canonical_serial`:
case, whitespace, separators and zero padding do not matter) and printed as written. Claims
without serials are listed but cannot be compared here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from zcp.ledger.serials import CanonicalSerial, canonical_serial

if TYPE_CHECKING:
    from zcp.model import ParkFolder

CLAIMS_DIR = "claims"
CONFLICTS_FILE = "claim_conflicts.parquet"

CLAIM_SCHEMA = pa.schema(
    [
        ("source", pa.string()),
        ("park_id", pa.string()),
        ("claim_id", pa.string()),
        ("section", pa.string()),  # certificates | credits | sold
        ("family", pa.string()),  # certificate (1 MWh each) | credit (1 tCO2e each)
        ("kind", pa.string()),  # GEC, green_power_trading, … or CCER, VCS, GS
        ("beneficiary", pa.string()),
        ("amount", pa.float64()),
        ("unit", pa.string()),
        ("serial_first", pa.string()),
        ("serial_last", pa.string()),
        ("canonical_prefix", pa.string()),
        ("canonical_first", pa.string()),  # the number, in decimal (GEC codes pass int64)
        ("canonical_last", pa.string()),
        ("location", pa.string()),
    ]
)

CONFLICT_SCHEMA = pa.schema(
    [
        ("family", pa.string()),
        ("overlap_first", pa.string()),
        ("overlap_last", pa.string()),
        ("serials", pa.float64()),
        *(
            (f"{column}_{side}", pa.string())
            for side in ("a", "b")
            for column in ("park_id", "source", "claim_id", "beneficiary", "location")
        ),
        ("message", pa.string()),
    ]
)


def claim_rows(source: str, folder: ParkFolder) -> list[dict]:
    """Every certificate, credit and sold certificate in the park's ``instruments.yaml``."""
    from zcp.ledger.instruments import load_instruments

    park = folder.park
    reg = load_instruments(folder.root / park.instruments_file)
    rows = []
    sections = (("certificates", "certificate"), ("credits", "credit"), ("sold", "certificate"))
    for section, family in sections:
        for i, item in enumerate(getattr(reg.data, section)):
            serials = getattr(item, "serials", None)
            first = canonical_serial(serials.first) if serials else None
            last = canonical_serial(serials.last) if serials else None
            rows.append(
                {
                    "source": source,
                    "park_id": park.id,
                    "claim_id": item.id,
                    "section": section,
                    "family": family,
                    "kind": getattr(item, "type", None) or getattr(item, "standard", None),
                    "beneficiary": getattr(item, "beneficiary", None) or "sold",
                    "amount": float(getattr(item, "mwh", None) or getattr(item, "tonnes", 0.0)),
                    "unit": "MWh" if family == "certificate" else "tCO2e",
                    "serial_first": serials.first if serials else None,
                    "serial_last": serials.last if serials else None,
                    "canonical_prefix": first.prefix if first else None,
                    "canonical_first": str(first.number) if first else None,
                    "canonical_last": str(last.number) if last else None,
                    "location": f"{source.rstrip('/')}/{reg.where(section, i)}",
                }
            )
    return rows


@dataclass(frozen=True)
class _Range:
    lo: int
    hi: int
    first: CanonicalSerial  # for printing overlaps as this claim writes its serials
    row: dict


def cross_park_conflicts(claims: list[dict]) -> list[dict]:
    """Every overlap of serials between claims of two different parks, one row per pair.

    Ranges are grouped by family and canonical prefix, sorted by first serial and swept, so
    the work grows with the number of claims (times the overlaps found), not its square.
    """
    groups: dict[tuple[str, str], list[_Range]] = {}
    for row in claims:
        if row["canonical_first"] is None:
            continue
        first = canonical_serial(row["serial_first"])
        key = (row["family"], row["canonical_prefix"])
        lo, hi = int(row["canonical_first"]), int(row["canonical_last"])
        groups.setdefault(key, []).append(_Range(lo, hi, first, row))
    conflicts = []
    for (family, _prefix), ranges in sorted(groups.items()):
        ranges.sort(key=lambda r: (r.lo, r.hi, r.row["source"], r.row["claim_id"]))
        open_ranges: list[_Range] = []
        for current in ranges:
            open_ranges = [r for r in open_ranges if r.hi >= current.lo]
            for earlier in open_ranges:
                if earlier.row["source"] != current.row["source"]:
                    conflicts.append(_conflict(family, earlier, current))
            open_ranges.append(current)
    return conflicts


def _conflict(family: str, a: _Range, b: _Range) -> dict:
    lo, hi = max(a.lo, b.lo), min(a.hi, b.hi)
    first, last = a.first.as_written(lo), a.first.as_written(hi)
    span = first if lo == hi else f"{first}..{last}"
    ra, rb = a.row, b.row
    message = (
        f"{family} serials {span} claimed in two parks: {ra['claim_id']} for "
        f"{ra['beneficiary']} in park {ra['park_id']} ({ra['location']}) and "
        f"{rb['claim_id']} for {rb['beneficiary']} in park {rb['park_id']} ({rb['location']})"
    )
    out = {"family": family, "overlap_first": first, "overlap_last": last,
           "serials": float(hi - lo + 1), "message": message}  # fmt: skip
    for side, row in (("a", ra), ("b", rb)):
        for column in ("park_id", "source", "claim_id", "beneficiary", "location"):
            out[f"{column}_{side}"] = row[column]
    return out


def write_claims(folder: Path, name: str, rows: list[dict]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    tmp = path.with_suffix(".tmp")
    pq.write_table(pa.Table.from_pylist(rows, schema=CLAIM_SCHEMA), tmp)
    tmp.replace(path)


def read_claims(folder: Path) -> list[dict]:
    files = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
    rows: list[dict] = []
    for path in files:
        rows += pq.read_table(path, schema=CLAIM_SCHEMA).to_pylist()
    return rows


def write_conflicts(path: Path, conflicts: list[dict]) -> None:
    tmp = path.with_suffix(".tmp")
    pq.write_table(pa.Table.from_pylist(conflicts, schema=CONFLICT_SCHEMA), tmp)
    tmp.replace(path)
