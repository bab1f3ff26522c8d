"""``zcp diff OLD NEW``: what changed between two evaluation rounds.

The correction phase (a park answers its findings and is evaluated again) and the yearly
surveillance audit both ask the same question: which verdicts changed, which figures moved,
which findings were opened, closed or withdrawn, and did the opinion change. Both sides are
result documents (``zcp/schemas/result.schema.json``) as plain JSON data; reports are read
into that form by the caller. Draft findings carry ids derived from their rule, so a draft
that disappears means its rule no longer fails.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

ChangeKind = Literal[
    "rule_set", "verdict", "figure", "level", "opinion", "finding_opened", "finding_closed",
    "finding_withdrawn", "finding_status", "finding_removed", "draft_resolved",
]  # fmt: skip


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    where: str  # RULE_SET_ID[@subject][/rule] or a finding id
    old: str | None
    new: str | None

    def line(self) -> str:
        arrow = f"{self.old if self.old is not None else '—'} → {self.new if self.new is not None else '—'}"
        return f"{self.kind:<18} {self.where}: {arrow}"


def _key(rs: dict[str, Any]) -> str:
    return rs["rule_set_id"] + (f"@{rs['subject']}" if rs.get("subject") else "")


def _number(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return "[" + ", ".join(_number(v) or "—" for v in value) + "]"
    return f"{float(value):.6g}"


def _moved(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is not b
    if isinstance(a, list) or isinstance(b, list):
        return a != b
    return not math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)


def _rule_changes(key: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    out = []
    old_rules = {r["id"]: r for r in old["rules"]}
    new_rules = {r["id"]: r for r in new["rules"]}
    for rid in sorted(old_rules.keys() | new_rules.keys()):
        a, b = old_rules.get(rid), new_rules.get(rid)
        where = f"{key}/{rid}"
        if a is None or b is None:
            out.append(Change("verdict", where, a and a["status"], b and b["status"]))
            continue
        if a["status"] != b["status"]:
            out.append(Change("verdict", where, a["status"], b["status"]))
        for field in ("actual", "threshold"):
            if _moved(a.get(field), b.get(field)):
                unit = (
                    f" [{b.get('unit') or a.get('unit')}]"
                    if (b.get("unit") or a.get("unit"))
                    else ""
                )
                out.append(Change("figure", f"{where} {field}{unit}", _number(a.get(field)),
                                  _number(b.get(field))))  # fmt: skip
    return out


def _findings(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    cert = result.get("certification") or {}
    return {f["id"]: f for f in cert.get("findings", [])}


def _finding_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    out = []
    before, after = _findings(old), _findings(new)
    for fid in sorted(before.keys() | after.keys()):
        a, b = before.get(fid), after.get(fid)
        if a is None and b is not None:
            kind: ChangeKind = {"closed": "finding_closed", "withdrawn": "finding_withdrawn"}.get(
                b["status"], "finding_opened"
            )  # type: ignore[assignment]
            out.append(Change(kind, fid, None, b["status"]))
        elif b is None and a is not None:
            kind = "draft_resolved" if a["origin"] == "proposed" else "finding_removed"
            out.append(Change(kind, fid, a["status"], None))
        elif a is not None and b is not None and a["status"] != b["status"]:
            kind = {"closed": "finding_closed", "withdrawn": "finding_withdrawn"}.get(
                b["status"], "finding_status"
            )  # type: ignore[assignment]
            out.append(Change(kind, fid, a["status"], b["status"]))
    return out


def diff_results(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every change from ``old`` to ``new``: rule sets, levels, opinions, verdicts and
    figures (actual value and threshold of each rule), then findings."""
    out: list[Change] = []
    old_sets = {_key(rs): rs for rs in old.get("rule_sets", [])}
    new_sets = {_key(rs): rs for rs in new.get("rule_sets", [])}
    old_opinions = {
        c["rule_set_id"] + (f"@{c['subject']}" if c.get("subject") else ""): c["opinion"]
        for c in (old.get("certification") or {}).get("conclusions", [])
    }
    new_opinions = {
        c["rule_set_id"] + (f"@{c['subject']}" if c.get("subject") else ""): c["opinion"]
        for c in (new.get("certification") or {}).get("conclusions", [])
    }
    for key in sorted(old_sets.keys() | new_sets.keys()):
        a, b = old_sets.get(key), new_sets.get(key)
        if a is None or b is None:
            out.append(Change("rule_set", key, a and a["version"], b and b["version"]))
            continue
        if a["version"] != b["version"]:
            out.append(Change("rule_set", key, a["version"], b["version"]))
        if a.get("level") != b.get("level"):
            out.append(Change("level", key, a.get("level"), b.get("level")))
        if old_opinions.get(key) != new_opinions.get(key):
            out.append(Change("opinion", key, old_opinions.get(key), new_opinions.get(key)))
        out += _rule_changes(key, a, b)
    return out + _finding_changes(old, new)
