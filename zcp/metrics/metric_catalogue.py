"""The metric catalogue: every metric zcp computes, written out as data (``zcp/data/metrics.yaml``).

Each row names one metric in full (the level × carrier grids expanded, so a name found in a
rule file greps to its row), its unit, its subject (the park or one tenant), what it means
in Chinese and English, and the function that computes it (``module:function``, plus
``args`` when that function is a factory building one metric per row). The registry binds
rows to functions and checks the two against each other (``zcp.metrics.registry``); in the
spirit of PyPSA's component attribute tables, the code holds no list of metric names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from zcp.errors import InputError, Problem
from zcp.units import parse_unit
from zcp.yamlio import Document, expect_kind, load_yaml

#: The catalogue shipped with zcp.
CATALOGUE_PATH = Path(str(resources.files("zcp") / "data" / "metrics.yaml"))

_SUBJECTS = ("park", "tenant")
_ROW_KEYS = {"name", "unit", "subject", "provider", "args", "description"}


@dataclass(frozen=True)
class CatalogueRow:
    """One metric as the catalogue states it. ``provider`` is ``module:function``."""

    name: str
    unit: str
    subject: str
    provider: str
    description_en: str
    description_zh: str
    args: dict[str, Any] = field(default_factory=dict)
    where: str = ""  # "path:line" of the row, for errors

    @property
    def module(self) -> str:
        return self.provider.partition(":")[0]

    @property
    def function(self) -> str:
        return self.provider.partition(":")[2]

    def as_dict(self) -> dict[str, Any]:
        """The row as plain data (``zcp rules metrics --json``)."""
        return {
            "name": self.name,
            "unit": self.unit,
            "subject": self.subject,
            "provider": self.provider,
            "args": dict(self.args),
            "description": {"zh": self.description_zh, "en": self.description_en},
        }


def read_catalogue(path: str | Path = CATALOGUE_PATH) -> list[CatalogueRow]:
    """The rows of a metric catalogue file; every problem found is raised at once, each
    named by file, line and field."""
    doc = load_yaml(path)
    expect_kind(doc, ["metric_catalogue"], {"metric_catalogue": [1]})
    items = doc.data.get("metrics")
    if not isinstance(items, list) or not items:
        raise InputError(doc.problem("expected a non-empty list of metrics", ("metrics",)))
    rows: list[CatalogueRow] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        row, found = _row(doc, i, item)
        problems.extend(found)
        if row is None:
            continue
        if row.name in seen:
            problems.append(
                doc.problem(
                    f"metric {row.name!r} is listed twice (first as metrics[{seen[row.name]}])",
                    ("metrics", i, "name"),
                )
            )
            continue
        seen[row.name] = i
        rows.append(row)
    if problems:
        raise InputError(problems)
    return rows


def _row(doc: Document, i: int, item: Any) -> tuple[CatalogueRow | None, list[Problem]]:
    loc = ("metrics", i)
    if not isinstance(item, dict):
        return None, [doc.problem("expected a mapping", loc)]
    problems = [
        doc.problem(f"unknown key {key!r}", (*loc, key)) for key in item if key not in _ROW_KEYS
    ]

    def text(key: str, *sub: str) -> str:
        value = item.get(key)
        for part in sub:
            value = value.get(part) if isinstance(value, dict) else None
        if not isinstance(value, str) or not value.strip():
            problems.append(
                doc.problem("missing or empty (every metric states it)", (*loc, key, *sub))
            )
            return ""
        return value.strip()

    name, unit, subject = text("name"), text("unit"), text("subject")
    provider = text("provider")
    zh, en = text("description", "zh"), text("description", "en")
    if name and (not name.isidentifier() or not name.islower()):
        problems.append(doc.problem(f"{name!r} is not a lower-case identifier", (*loc, "name")))
    if unit:
        try:
            parse_unit(unit)
        except InputError as exc:
            problems.append(doc.problem(exc.problems[0].message, (*loc, "unit")))
    if subject and subject not in _SUBJECTS:
        problems.append(doc.problem(f"subject must be one of {_SUBJECTS}", (*loc, "subject")))
    if provider and (provider.count(":") != 1 or not all(provider.split(":"))):
        problems.append(doc.problem("expected 'module:function'", (*loc, "provider")))
    args = item.get("args", {})
    if not isinstance(args, dict):
        problems.append(doc.problem("expected a mapping of keyword arguments", (*loc, "args")))
    if problems:
        return None, problems
    line, _ = doc.where(loc)
    row = CatalogueRow(name, unit, subject, provider, en, zh, dict(args), f"{doc.path}:{line}")
    return row, []
