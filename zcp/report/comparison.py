"""Year-on-year comparison with a previous result (``zcp assess --previous RESULT.json``).

The previous assessment is read from its result JSON, or from a report zcp wrote (the PDF
and HTML carry their result). The comparison lists every rule set's level and each rule
whose verdict or value changed, matched by rule set id, subject and rule id — rule-set
versions may differ between years, and the version of each side is shown.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zcp.errors import InputError, Problem
from zcp.report.report_data import Bilingual, ReportData, bi


@dataclass
class ChangeRow:
    rule_set: str
    subject: str | None
    rule: str | None  # None: the rule set's level
    title: Bilingual
    before: Bilingual | str | None  # status key, or the level's title ("none": no level)
    after: Bilingual | str | None
    value_before: float | None = None
    value_after: float | None = None
    unit: str | None = None


@dataclass
class TotalRow:
    """One ledger total of both years; ``None``: the result does not carry it."""

    key: str  # the message key of its label
    unit: str
    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        """This year minus last year [unit]."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def relative(self) -> float | None:
        """The change over last year's figure [fraction]; None when last year's is zero."""
        change = self.change
        if change is None or not self.before:
            return None
        return change / abs(self.before)


#: (result ``ledger`` field, message key, unit shown, factor to that unit), in report order
LEDGER_ROWS = (
    ("scope1_t", "em_scope1", "t CO2e", 1.0),
    ("scope2_location_t", "em_scope2_location", "t CO2e", 1.0),
    ("scope2_market_t", "em_scope2_market", "t CO2e", 1.0),
    ("scope3_t", "em_scope3", "t CO2e", 1.0),
    ("offsets_t", "em_offsets", "t CO2e", 1.0),
    ("net_t", "em_net", "t CO2e", 1.0),
    ("electricity_mwh", "gp_electricity_mwh", "MWh", 1.0),
    ("green_electricity_mwh", "gp_green_electricity_mwh", "MWh", 1.0),
    ("green_electricity_share", "yoy_green_share", "%", 100.0),
)


@dataclass
class Comparison:
    source: str  # the previous file's name
    versions: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    rows: list[ChangeRow] = field(default_factory=list)
    totals: list[TotalRow] = field(default_factory=list)
    #: the previous result as read, embedded in the report so ``zcp verify`` can re-render
    previous: dict[str, Any] = field(default_factory=dict)
    #: SHA-256 of the previous file's bytes as given to ``zcp assess``
    source_sha256: str = ""


def load_previous(path: str | Path) -> dict[str, Any]:
    """The previous result from a result JSON or a zcp report (.pdf, .html, .json)."""
    from zcp.report.output import read_report

    _, result = read_report(path)
    if not isinstance(result, dict) or result.get("kind") != "evaluation_result":
        raise InputError(
            Problem(
                "not an evaluation result (kind: evaluation_result)",
                path=str(path),
                hint="give the result JSON of zcp evaluate --json / zcp assess --out x.json, "
                "or a zcp report",
            )
        )
    return result


def _shown(value: float | None, unit: str | None) -> tuple[float | None, str | None]:
    if unit == "fraction":
        return (None if value is None else 100.0 * value), "%"
    return value, ("%" if unit == "percent" else unit)


def _by_key(result: dict[str, Any]) -> dict[tuple[str, str | None], dict[str, Any]]:
    return {(rs["rule_set_id"], rs.get("subject")): rs for rs in result.get("rule_sets", [])}


def _level(rs: dict[str, Any] | None) -> Bilingual | str | None:
    """The level reached, by its title; "none" when none was reached; None: not assessed."""
    if rs is None:
        return None
    for level in rs.get("levels") or []:
        if level["id"] == rs.get("level"):
            return bi(level["title"])
    return "none"


def _version(rs: dict[str, Any] | None) -> str | None:
    return None if not rs else str(rs["version"])


def _either(current: dict[str, Any] | None, previous: dict[str, Any] | None) -> dict[str, Any]:
    """The entry as the current result has it, else as the previous one did (every key
    compared comes from one of the two)."""
    entry = current or previous
    if entry is None:
        raise ValueError("an entry missing from both results was compared")
    return entry


def ledger_totals(previous: dict[str, Any], current: dict[str, Any]) -> list[TotalRow]:
    """Both years' ledger totals, in the units shown (none when neither result has them)."""
    old, new = previous.get("ledger") or {}, current.get("ledger") or {}
    if not (old or new):
        return []

    def shown(ledger: dict[str, Any], key: str, factor: float) -> float | None:
        value = ledger.get(key)
        return None if value is None else factor * float(value)

    return [
        TotalRow(label, unit, shown(old, key, factor), shown(new, key, factor))
        for key, label, unit, factor in LEDGER_ROWS
    ]


def compare(
    previous: dict[str, Any], current: dict[str, Any], source: str, source_sha256: str = ""
) -> Comparison:
    """Ledger totals of both years, levels of every rule set and the rules whose status or
    value changed. ``source_sha256``: the hash of the previous file, for the manifest."""
    before, after = _by_key(previous), _by_key(current)
    out = Comparison(source, previous=previous, source_sha256=source_sha256)
    out.totals = ledger_totals(previous, current)
    for key in list(after) + [k for k in before if k not in after]:
        old, new = before.get(key), after.get(key)
        out.versions.append((key[0], _version(old), _version(new)))
        title = bi(_either(new, old)["title"])
        out.rows.append(
            ChangeRow(key[0], key[1], None, title, _level(old), _level(new))
        )  # fmt: skip
        old_rules = {r["id"]: r for r in (old or {}).get("rules", [])}
        new_rules = {r["id"]: r for r in (new or {}).get("rules", [])}
        for rule_id in list(new_rules) + [r for r in old_rules if r not in new_rules]:
            a, b = old_rules.get(rule_id), new_rules.get(rule_id)
            unit = _either(b, a).get("unit")
            va, unit_a = _shown(a and a.get("actual"), unit)
            vb, _ = _shown(b and b.get("actual"), unit)
            changed_status = (a and a["status"]) != (b and b["status"])
            changed_value = va is not None and vb is not None and abs(vb - va) > 1e-9
            if changed_status or changed_value or (va is None) != (vb is None):
                out.rows.append(
                    ChangeRow(key[0], key[1], rule_id, bi(_either(b, a)["title"]),
                              a and a["status"], b and b["status"], va, vb, unit_a)
                )  # fmt: skip
    return out


def record_previous(data: ReportData, manifest: dict[str, Any], comparison: Comparison) -> None:
    """Put the comparison on the report and record its previous result in the manifest:
    the file's name and hash as given, and the hash of the copy embedded in the report."""
    from zcp.report.provenance import canonical_json

    data.comparison = comparison
    manifest["previous"] = {
        "path": comparison.source,
        "sha256": comparison.source_sha256,
        "result_sha256": hashlib.sha256(canonical_json(comparison.previous)).hexdigest(),
    }


def previous_problems(
    record: dict[str, Any] | None, embedded: dict[str, Any] | None, given: Path | None
) -> list[str]:
    """What is wrong with a report's previous result: ``record`` is the manifest's entry,
    ``embedded`` the copy the report carries, ``given`` the file ``zcp verify --previous``
    names (checked byte for byte against the hash recorded when the report was made)."""
    from zcp.hashing import sha256_file
    from zcp.report.provenance import canonical_json

    if record is None:
        if given is not None:
            return [f"{given.name} was given, but the report was made without a previous result"]
        return []
    name = record.get("path")
    problems = []
    if embedded is None:
        problems.append(f"the report compares with {name} but does not carry it")
    elif hashlib.sha256(canonical_json(embedded)).hexdigest() != record.get("result_sha256"):
        problems.append(f"the embedded copy of {name} differs from the hash in the manifest")
    if given is not None:
        try:
            digest = sha256_file(given)
        except OSError as exc:
            raise InputError(Problem(f"cannot read: {exc.strerror}", path=str(given))) from None
        if digest != record.get("sha256"):
            problems.append(
                f"{given} changed since the report was made (recorded as {name}, "
                f"sha256 {str(record.get('sha256'))[:12]}…, now {digest[:12]}…)"
            )
    return problems
