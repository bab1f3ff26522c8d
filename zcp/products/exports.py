"""The inventory mapped to climate-disclosure frameworks (IFRS S2, China's climate
disclosure standard, CDP's emissions items).

A framework's map is data (``zcp/data/disclosure/*.yaml``): each field names where its
value comes from in the ``zcp.emissions/1`` contract (``totals.scope1_t``,
``scope3.category:1`` …), or says why zcp cannot fill it. Every exported value carries that
path, the accounting profile and the park and period, so it traces back to ledger lines;
nothing unmapped is guessed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from zcp.errors import InputError, Problem, did_you_mean
from zcp.factors import DATA_DIR
from zcp.model.common import Strict
from zcp.yamlio import load_yaml, validate_document

MAP_DIR = DATA_DIR / "disclosure"


class MapSource(Strict):
    document: str
    clause: str | None = None


class MapField(Strict):
    id: str
    label: dict[str, str]
    source: str | None
    unit: str | None = None
    unmapped: str | None = Field(None, description="why zcp cannot give this field")

    @model_validator(mode="after")
    def _source_or_reason(self) -> MapField:
        if (self.source is None) == (self.unmapped is None):
            raise ValueError(
                "give a source, or (for a field zcp cannot fill) `unmapped` with the reason"
            )
        return self


class DisclosureMap(Strict):
    kind: Literal["disclosure_map"]
    schema_version: Literal[1]
    id: str
    title: dict[str, str]
    source: MapSource
    profile: str
    confidence: Literal["verified", "provisional"]
    note: str | None = None
    fields: list[MapField]


def frameworks() -> list[str]:
    return sorted(p.stem for p in MAP_DIR.glob("*.yaml"))


def load_map(framework: str) -> DisclosureMap:
    framework = framework.strip().lower().replace("-", "_")
    path = MAP_DIR / f"{framework}.yaml"
    if not path.is_file():
        raise InputError(Problem(f"unknown disclosure framework {framework!r}", field="--framework",
                                 hint=did_you_mean(framework, frameworks()) or
                                 "one of " + ", ".join(frameworks())))  # fmt: skip
    return validate_document(load_yaml(path), DisclosureMap, "disclosure_map")


@dataclass
class DisclosureRow:
    field: str
    label: str
    value: Any
    unit: str | None
    trace: str  # where in zcp.emissions/1 the value comes from, or why it is absent
    mapped: bool

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def export(emissions: dict[str, Any], framework: str, lang: str = "en") -> dict[str, Any]:
    """Map one ``zcp.emissions/1`` document (``LedgerResult.to_json()``) onto ``framework``."""
    fmap = load_map(framework)
    if emissions.get("profile", {}).get("id") not in (None, fmap.profile):
        raise InputError(Problem(
            f"{framework} needs the inventory under profile {fmap.profile!r}, "
            f"not {emissions['profile'].get('id')!r}"))  # fmt: skip
    rows: list[DisclosureRow] = []
    for f in fmap.fields:
        label = f.label.get(lang) or f.label["en"]
        if f.source is None:
            rows.append(
                DisclosureRow(f.id, label, None, f.unit, f"not produced: {f.unmapped}", False)
            )
            continue
        rows.extend(_resolve(f, label, emissions))
    return {
        "framework": fmap.id,
        "title": fmap.title.get(lang) or fmap.title["en"],
        "source": fmap.source.model_dump(exclude_none=True),
        "confidence": fmap.confidence,
        "note": fmap.note,
        "park": emissions["park"],
        "period": emissions["period"],
        "profile": fmap.profile,
        "rows": [r.as_dict() for r in rows if r.mapped],
        "unmapped": [r.as_dict() for r in rows if not r.mapped],
    }


def _resolve(f: MapField, label: str, d: dict[str, Any]) -> list[DisclosureRow]:
    src = f.source or ""
    contract = "zcp.emissions/1 "
    if src.startswith("totals."):
        key = src.split(".", 1)[1]
        return [
            DisclosureRow(f.id, label, d["totals"][key], f.unit, contract + f"totals.{key}", True)
        ]
    if src.startswith("indicators."):
        ind = d["indicators"][src.split(".", 1)[1]]
        trace = contract + src + (f" (null: {ind['reason']})" if ind["value"] is None else "")
        return [
            DisclosureRow(f.id, label, ind["value"], ind["unit"], trace, ind["value"] is not None)
        ]
    if src.startswith("scope3.category:"):
        number = int(src.split(":", 1)[1])
        return [_category_row(f.id, label, f.unit, number, d["scope3"])]
    if src == "scope3.categories":
        return [
            _category_row(f"{f.id}.{n}", f"{label} — {n}", f.unit, n, d["scope3"])
            for n in range(1, 16)
        ]
    if src == "scope3.excluded":
        return [DisclosureRow(f"{f.id}.{e['category']}", f"{label} — {e['category']} {e['name']}",
                              e["reason"], None, contract + "scope3.excluded: " + (e.get("explanation") or ""), True)
                for e in d["scope3"]["excluded"]]  # fmt: skip
    if src == "instruments.used_mwh":
        used = d["instruments"]["used"]
        mwh = sum(float(u.get("mwh") or 0.0) for u in used)
        return [DisclosureRow(f.id, label, mwh, f.unit,
                              contract + f"instruments.used ({len(used)} instruments)", True)]  # fmt: skip
    if src == "profile":
        prof = d["profile"]
        text = f"{prof.get('id')}: " + "; ".join(f"{k}={v}" for k, v in sorted(prof.items())
                                                 if k not in ("id", "title", "provisional") and not isinstance(v, (dict, list)))  # fmt: skip
        return [DisclosureRow(f.id, label, text, None, contract + "profile", True)]
    raise InputError(Problem(f"disclosure map field {f.id!r}: unknown source {src!r}"))


def _category_row(
    fid: str, label: str, unit: str | None, number: int, s3: dict[str, Any]
) -> DisclosureRow:
    for c in s3["categories"]:
        if c["category"] == number:
            return DisclosureRow(
                fid, label, c["t"], unit, f"zcp.emissions/1 scope3.categories[{number}]", True
            )
    for e in s3["excluded"]:
        if e["category"] == number:
            why = f"excluded ({e['reason']}): {e.get('explanation') or ''}".strip()
            return DisclosureRow(
                fid, label, None, unit, f"zcp.emissions/1 scope3.excluded: {why}", True
            )
    return DisclosureRow(
        fid, label, None, unit, "zcp.emissions/1 scope3.not_reported: no data given", True
    )


def to_csv(doc: dict[str, Any]) -> str:
    """The mapped and unmapped rows as CSV (UTF-8; value empty where unknown)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["framework", "park", "period_start", "period_end", "field", "label", "value",
                     "unit", "trace"])  # fmt: skip
    for row in doc["rows"] + doc["unmapped"]:
        value = "" if row["value"] is None else row["value"]
        writer.writerow([doc["framework"], doc["park"], doc["period"]["start"], doc["period"]["end"],
                         row["field"], row["label"], value, row["unit"] or "", row["trace"]])  # fmt: skip
    return out.getvalue()


def write_csv(doc: dict[str, Any], path: Path) -> None:
    path.write_text(to_csv(doc), encoding="utf-8")
