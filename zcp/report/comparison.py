"""Year-on-year comparison with a previous result (``zcp assess --previous RESULT.json``).

The previous assessment is read from its result JSON, or from a report zcp wrote (the PDF
and HTML carry their result). The comparison lists every rule set's level and each rule
whose verdict or value changed, matched by rule set id, subject and rule id — rule-set
versions may differ between years, and the version of each side is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zcp.errors import InputError, Problem
from zcp.report.report_data import Bilingual, bi


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
class Comparison:
    source: str  # the previous file's name
    versions: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    rows: list[ChangeRow] = field(default_factory=list)


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


def compare(previous: dict[str, Any], current: dict[str, Any], source: str) -> Comparison:
    """Levels of every rule set and the rules whose status or value changed."""
    before, after = _by_key(previous), _by_key(current)
    out = Comparison(source)
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
