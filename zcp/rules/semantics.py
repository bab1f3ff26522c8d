"""Checks a schema cannot express: names that must exist, units that must agree, bands that
must not overlap, levels that must be reachable. Used when a rule set loads and by lint."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from zcp.errors import InputError, Problem, did_you_mean
from zcp.metrics import MetricRegistry
from zcp.rules.level_checks import level_problems
from zcp.rules.ruleset_file import (
    AllOf,
    AnyOf,
    CheckedRule,
    ChecklistRule,
    Condition,
    Leaf,
    NotOf,
    RuleSet,
)
from zcp.units import parse_unit, same_dimension
from zcp.yamlio import Document

#: Largest condition tree (nodes) a rule may carry; evaluation stays cheap and bounded.
MAX_CONDITION_NODES = 200

Loc = tuple[str | int, ...]


def check_semantics(
    rs: RuleSet, doc: Document, registry: MetricRegistry, *, factor_ids: Iterable[str] | None = None
) -> list[Problem]:
    return list(_Checker(rs, doc, registry, factor_ids).run())


class _Checker:
    def __init__(
        self, rs: RuleSet, doc: Document, registry: MetricRegistry, factor_ids: Iterable[str] | None
    ) -> None:
        self.rs, self.doc, self.registry = rs, doc, registry
        self.factor_ids = set(factor_ids) if factor_ids is not None else _default_factor_ids()

    def err(self, message: str, loc: Loc, hint: str | None = None) -> Problem:
        return self.doc.problem(message, loc, hint)

    def warn(self, message: str, loc: Loc, hint: str | None = None) -> Problem:
        return self.doc.problem(message, loc, hint, severity="warning")

    def run(self) -> Iterator[Problem]:
        rs = self.rs
        if rs.effective_until and rs.effective_until < rs.effective_from:
            yield self.err("effective_until is before effective_from", ("effective_until",))
        yield from self._file_location()
        yield from self._parameters()
        yield from _duplicates(self, [s.id for s in rs.sections], "sections", "section")
        yield from _duplicates(self, [r.id for r in rs.rules], "rules", "rule")
        yield from _duplicates(self, [lv.id for lv in rs.levels], "levels", "level")
        section_ids = [s.id for s in rs.sections]
        for i, rule in enumerate(rs.rules):
            loc: Loc = ("rules", i)
            if rule.section is not None and rule.section not in section_ids:
                yield self.err(
                    f"unknown section {rule.section!r}",
                    loc + ("section",),
                    did_you_mean(rule.section, section_ids),
                )
            if rule.points is not None:
                yield from self.number(rule.points, None, loc + ("points",))
            if rule.applicability and rule.applicability.condition is not None:
                yield from self._condition(
                    rule.applicability.condition, loc + ("applicability", "condition"), rule
                )
            if isinstance(rule, ChecklistRule):
                if rule.kind == "checklist" and not rule.evidence:
                    yield self.warn(
                        "checklist item names no evidence to reference",
                        loc + ("evidence",),
                        "list what the assessor should attach",
                    )
                continue
            yield from self._checked(rule, loc)
        yield from level_problems(self)

    # -- pieces -------------------------------------------------------------------------
    def _file_location(self) -> Iterator[Problem]:
        path = self.doc.path
        misplaced = path.stem != self.rs.version or path.parent.name != self.rs.id
        if path.suffix in (".yaml", ".yml") and path.is_file() and misplaced:
            yield self.warn(
                f"file should live at .../{self.rs.id}/{self.rs.version}.yaml "
                "so versions sit side by side",
                ("id",),
            )

    def _parameters(self) -> Iterator[Problem]:
        for name, param in self.rs.parameters.items():
            loc: Loc = ("parameters", name)
            bad = unit_problem(param.unit)
            if bad is not None:
                yield self.err(bad.message, loc + ("unit",), bad.hint)
            if param.factor is not None and self.factor_ids and param.factor not in self.factor_ids:
                yield self.err(
                    f"unknown factor {param.factor!r}",
                    loc + ("factor",),
                    did_you_mean(param.factor, self.factor_ids),
                )
            spans = []
            for j, pv in enumerate(param.values or []):
                if param.unit == "fraction":
                    yield from self._share_scale(
                        pv.value if isinstance(pv.value, list) else [pv.value],
                        "fraction",
                        None,
                        loc + ("values", j, "value"),
                    )
                if pv.valid_until and pv.valid_until < pv.valid_from:
                    yield self.err(
                        "valid_until is before valid_from", loc + ("values", j, "valid_until")
                    )
                spans.append((pv.valid_from, pv.valid_until or dt.date.max, j))
            spans.sort()
            for (_, end_a, _a), (start_b, _, b) in zip(spans, spans[1:], strict=False):
                if start_b <= end_a:
                    yield self.err(
                        f"dated values overlap: two values apply on {start_b.isoformat()}",
                        loc + ("values", b, "valid_from"),
                        "end the earlier value the day before the next one starts",
                    )

    def _param(self, name: str, loc: Loc) -> Iterator[Problem]:
        if name not in self.rs.parameters:
            yield self.err(
                f"unknown parameter {name!r}",
                loc,
                did_you_mean(name, self.rs.parameters)
                or "define it under 'parameters:' with value, unit, source and dates",
            )

    def number(
        self, value: Any, metric_unit: str | None, loc: Loc, literal_unit: str | None = None
    ) -> Iterator[Problem]:
        """A number or parameter used against a metric in ``metric_unit``: units must agree."""
        if isinstance(value, str):
            yield from self._param(value, loc)
            if value in self.rs.parameters and metric_unit is not None:
                yield from self._units(self.rs.parameters[value].unit, metric_unit, loc)
        elif literal_unit is not None and metric_unit is not None:
            yield from self._units(literal_unit, metric_unit, loc)
            yield from self._share_scale([value], metric_unit, literal_unit, loc)

    def _share_scale(
        self, values: list[Any], metric_unit: str | None, literal_unit: str | None, loc: Loc
    ) -> Iterator[Problem]:
        """``threshold: 90`` against a 0–1 share silently never passes: say so."""
        if (
            metric_unit == "fraction"
            and literal_unit in (None, "fraction")
            and any(isinstance(v, float | int) and v > 1 for v in values)
        ):
            yield self.warn(
                "a number above 1 compared with a share written as 0–1",
                loc,
                "write 'unit: percent' next to it, or the share as a fraction (0.9 for 90 %)",
            )

    def _units(self, unit: str, metric_unit: str, loc: Loc) -> Iterator[Problem]:
        bad = unit_problem(unit)
        if bad is not None:
            yield self.err(bad.message, loc, bad.hint)
            return
        ok = same_dimension(unit, metric_unit)
        if not ok:
            yield self.err(
                f"unit {unit!r} cannot be compared with the metric's unit {metric_unit!r}",
                loc,
                "use a unit of the same dimension",
            )

    def _metric_unit(self, name: str, loc: Loc, rule: Any) -> tuple[str | None, list[Problem]]:
        if name not in self.registry:
            return None, [
                self.err(
                    f"unknown metric {name!r}",
                    loc,
                    did_you_mean(name, self.registry.names())
                    or "see 'zcp rules metrics' for the catalogue",
                )
            ]
        metric = self.registry.get(name)
        subject = rule.subject or self.rs.subject
        if metric.subject == "tenant" and subject == "park":
            return metric.unit, [
                self.err(
                    f"metric {name!r} describes one tenant but this rule's subject is the park",
                    loc,
                    "set 'subject: tenant' or use a park-level metric",
                )
            ]
        return metric.unit, []

    def _checked(self, rule: CheckedRule, loc: Loc) -> Iterator[Problem]:
        if rule.condition is not None:
            yield from self._condition(rule.condition, loc + ("condition",), rule)
            return
        assert rule.metric is not None
        unit, problems = self._metric_unit(rule.metric, loc + ("metric",), rule)
        yield from problems
        if rule.unit is not None:
            yield from self._units(rule.unit, unit, loc + ("unit",)) if unit else iter(())
        if rule.threshold is not None:
            yield from self._threshold(
                rule.op, rule.threshold, unit, rule.unit, loc + ("threshold",)
            )
        for key in ("baseline", "leading"):
            value = getattr(rule.scoring, key)
            if value is not None:
                yield from self.number(value, unit, loc + ("scoring", key), rule.unit)
        if rule.scoring.method == "linear" and rule.bands is None:
            if rule.scoring.baseline is None or rule.scoring.leading is None:
                yield self.err("linear scoring needs 'baseline' and 'leading'", loc + ("scoring",))
            elif rule.scoring.baseline == rule.scoring.leading:
                yield self.err("baseline and leading are the same value", loc + ("scoring",))
        if rule.scoring.method == "linear" and rule.points is None:
            yield self.err("linear scoring needs 'points' (the maximum)", loc + ("points",))
        if rule.bands is not None:
            yield from self._bands(rule, unit, loc + ("bands",))

    def _threshold(
        self, op: str | None, value: Any, unit: str | None, literal_unit: str | None, loc: Loc
    ) -> Iterator[Problem]:
        if op in ("between", "in", "not_in"):
            if isinstance(value, list):
                yield from self._share_scale(value, unit, literal_unit, loc)
                if op == "between" and (len(value) != 2 or value[0] > value[1]):
                    yield self.err("'between' takes [low, high]", loc)
            elif isinstance(value, str):
                yield from self.number(value, unit, loc)
            else:
                yield self.err(f"'{op}' takes a list of values", loc)
            return
        if isinstance(value, list):
            yield self.err(f"'{op}' compares with one value, not a list", loc)
            return
        yield from self.number(value, unit, loc, literal_unit or unit)

    def _bands(self, rule: CheckedRule, unit: str | None, loc: Loc) -> Iterator[Problem]:
        bands = rule.bands
        assert bands is not None
        band_unit, problems = self._metric_unit(bands.metric, loc + ("metric",), rule)
        yield from problems
        if bands.unit and band_unit:
            yield from self._units(bands.unit, band_unit, loc + ("unit",))
        edges: list[tuple[float, float, int]] = []
        for j, band in enumerate(bands.cases):
            bloc = loc + ("cases", j)
            for key in ("from_", "to"):
                edge = getattr(band, key)
                if edge is not None:
                    yield from self.number(
                        edge, band_unit, bloc + (key.rstrip("_"),), bands.unit or band_unit
                    )
            for key in ("threshold", "baseline", "leading"):
                value = getattr(band, key)
                if value is not None:
                    yield from self.number(value, unit, bloc + (key,), rule.unit or unit)
            if band.threshold is None and band.baseline is None and band.note is None:
                yield self.warn(
                    "band has no threshold (unknown) and no note saying why",
                    bloc,
                    "add 'note:' citing why the standard gives no value",
                )
            if (
                rule.scoring.method == "linear"
                and band.threshold is None
                and (band.baseline is None) != (band.leading is None)
            ):
                yield self.err("a linear band needs both 'baseline' and 'leading'", bloc)
            lo, hi = self.edge(band.from_, -float("inf")), self.edge(band.to, float("inf"))
            if lo is not None and hi is not None:
                if lo >= hi:
                    yield self.err("band 'from' is not below 'to'", bloc)
                edges.append((lo, hi, j))
        edges.sort()
        for (_, hi_a, _a), (lo_b, _, b) in zip(edges, edges[1:], strict=False):
            if lo_b < hi_a:
                yield self.err(
                    "bands overlap",
                    loc + ("cases", b),
                    "each band is from ≤ x < to; make them meet, not overlap",
                )
            elif lo_b > hi_a:
                yield self.warn(
                    "gap between bands: values there match no band (undetermined)",
                    loc + ("cases", b),
                )

    def edge(self, value: Any, default: float) -> float | None:
        """Band edge as a number for overlap checks, in the edge's own unit."""
        if value is None:
            return default
        if isinstance(value, str):
            param = self.rs.parameters.get(value)
            if param is None or not param.values:
                return None
            first = param.values[0].value
            return first if isinstance(first, float) else None
        return float(value)

    def _condition(self, cond: Condition, loc: Loc, rule: Any) -> Iterator[Problem]:
        count = _count_nodes(cond)
        if count > MAX_CONDITION_NODES:
            yield self.err(
                f"condition has {count} nodes (at most {MAX_CONDITION_NODES})",
                loc,
                "split it into several rules",
            )
            return
        yield from self._walk(cond, loc, rule)

    def _walk(self, cond: Condition, loc: Loc, rule: Any) -> Iterator[Problem]:
        if isinstance(cond, Leaf):
            unit, problems = self._metric_unit(cond.metric, loc + ("metric",), rule)
            yield from problems
            if cond.unit is not None and unit is not None:
                yield from self._units(cond.unit, unit, loc + ("unit",))
            yield from self._threshold(cond.op, cond.value, unit, cond.unit, loc + ("value",))
        elif isinstance(cond, AllOf | AnyOf):
            key = "all" if isinstance(cond, AllOf) else "any"
            for k, child in enumerate(cond.all if isinstance(cond, AllOf) else cond.any):
                yield from self._walk(child, loc + (key, k), rule)
        elif isinstance(cond, NotOf):
            yield from self._walk(cond.not_, loc + ("not",), rule)


def unit_problem(unit: str) -> Problem | None:
    """Why ``unit`` is not a unit, or None. Rule files are untrusted: pint's parser raises
    more than ``InputError`` on odd text (e.g. a tokenizer error on ``"f{raction"``), and a
    rule file must never crash the loader."""
    try:
        parse_unit(unit)
    except InputError as exc:
        return exc.problems[0]
    except Exception:  # noqa: BLE001 — third-party parser on untrusted text
        return Problem(f"unknown unit {unit!r}", hint="write a unit such as tCO2/tce, MWh, %")
    return None


def _duplicates(checker: _Checker, ids: list[str], where: str, what: str) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, ident in enumerate(ids):
        if ident in seen:
            yield checker.err(f"duplicate {what} id {ident!r}", (where, i, "id"))
        seen.add(ident)


def _count_nodes(cond: Condition) -> int:
    stack, count = [cond], 0
    while stack:
        node = stack.pop()
        count += 1
        if isinstance(node, AllOf):
            stack.extend(node.all)
        elif isinstance(node, AnyOf):
            stack.extend(node.any)
        elif isinstance(node, NotOf):
            stack.append(node.not_)
    return count


def _default_factor_ids() -> set[str]:
    try:
        from zcp.factors import default_library

        return set(default_library().factors)
    except InputError:
        return set()
