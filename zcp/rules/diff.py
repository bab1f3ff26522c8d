"""``zcp rules diff``: what changed between two versions of a rule set.

Compares the parsed models, not the text: re-ordering keys or comments is no change, a
threshold moved from 0.2 to 0.25 is. Rules, parameters, sections and levels are matched by
id, so an inserted rule reads as one addition, not as every later rule changing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from zcp.rules.ruleset_file import RuleSet


@dataclass(frozen=True)
class Change:
    change: Literal["added", "removed", "changed"]
    where: str
    old: Any = None
    new: Any = None

    def __str__(self) -> str:
        if self.change == "added":
            return f"+ {self.where}: {_short(self.new)}"
        if self.change == "removed":
            return f"- {self.where}: {_short(self.old)}"
        return f"~ {self.where}: {_short(self.old)} → {_short(self.new)}"


def diff_rule_sets(old: RuleSet, new: RuleSet) -> list[Change]:
    """Every difference, as dotted paths (``rules.core.threshold``)."""
    changes: list[Change] = []
    _diff(
        _keyed(old.model_dump(mode="json", by_alias=True, exclude_none=True)),
        _keyed(new.model_dump(mode="json", by_alias=True, exclude_none=True)),
        "",
        changes,
    )
    return changes


def _keyed(data: Any) -> Any:
    """Lists of mappings with an ``id`` become mappings by id, so they diff by identity."""
    if isinstance(data, dict):
        return {k: _keyed(v) for k, v in data.items()}
    if isinstance(data, list):
        if data and all(isinstance(v, dict) and "id" in v for v in data):
            return {v["id"]: _keyed(v) for v in data}
        return [_keyed(v) for v in data]
    return data


def _diff(old: Any, new: Any, where: str, out: list[Change]) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in old:
            sub = f"{where}.{key}" if where else str(key)
            if key not in new:
                out.append(Change("removed", sub, old=old[key]))
            else:
                _diff(old[key], new[key], sub, out)
        for key in new:
            if key not in old:
                out.append(Change("added", f"{where}.{key}" if where else str(key), new=new[key]))
        return
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            _diff(a, b, f"{where}[{i}]", out)
        return
    if old != new:
        out.append(Change("changed", where, old, new))


def _short(value: Any, limit: int = 100) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
