"""Fuzzing: no rule file crashes the loader or the evaluator, and the condition walker
agrees with an independent three-valued reference."""

from __future__ import annotations

import datetime as dt
import operator

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zcp.errors import RuleFileError
from zcp.metrics import GivenValuesContext
from zcp.rules import evaluate_rule_set, parse_rule_set, shipped_standards_dir
from zcp.rules.ruleset_file import OPS

from .conftest import HEADER, build_registry

REGISTRY = build_registry()

METRICS = ("share", "energy", "intensity")
NUMBERS = st.integers(min_value=0, max_value=5)

leaf = st.builds(
    lambda metric, op, a, b: {
        "metric": metric,
        "op": op,
        "value": sorted([a, b]) if op == "between" else [a, b] if op in ("in", "not_in") else a,
    },
    st.sampled_from(METRICS),
    st.sampled_from(OPS),
    NUMBERS,
    NUMBERS,
)
conditions = st.recursive(
    leaf,
    lambda inner: st.one_of(
        st.builds(lambda xs: {"all": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda xs: {"any": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda x: {"not": x}, inner),
    ),
    max_leaves=12,
)
values = st.fixed_dictionaries({}, optional={m: NUMBERS for m in METRICS})

_CMP = {
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
    "eq": operator.eq,
    "ne": operator.ne,
}


def reference(cond: dict, given: dict) -> bool | None:
    """Kleene logic over plain Python comparisons (integers, so no tolerance is involved)."""
    if "metric" in cond:
        actual = given.get(cond["metric"])
        if actual is None:
            return None
        op, value = cond["op"], cond["value"]
        if op == "between":
            return value[0] <= actual <= value[1]
        if op == "in":
            return actual in value
        if op == "not_in":
            return actual not in value
        return _CMP[op](actual, value)
    if "not" in cond:
        inner = reference(cond["not"], given)
        return None if inner is None else not inner
    truths = [reference(c, given) for c in cond.get("all", cond.get("any", []))]
    if "all" in cond:
        return False if False in truths else (None if None in truths else True)
    return True if True in truths else (None if None in truths else False)


def _rule_file(cond: dict) -> str:
    rule = {
        "id": "r",
        "kind": "prerequisite",
        "title": {"zh": "甲", "en": "A"},
        "clause": "1",
        "condition": cond,
    }
    return HEADER + yaml.safe_dump({"rules": [rule]}, allow_unicode=True)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cond=conditions, given_values=values)
def test_condition_walker_matches_reference(cond, given_values):
    rs = parse_rule_set(_rule_file(cond), registry=REGISTRY)
    ctx = GivenValuesContext(given_values, registry=REGISTRY, as_of=dt.date(2026, 1, 1))
    result = evaluate_rule_set(rs, ctx).rule("r")
    expected = reference(cond, given_values)
    assert result.condition is not None
    assert result.condition.truth is expected
    assert result.status == {True: "pass", False: "fail", None: "undetermined"}[expected]


json_data = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
FIELDS = ("rules", "parameters", "levels", "sections", "version", "title", "source")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(FIELDS), data=json_data)
def test_random_structures_never_crash_the_loader(field, data):
    text = HEADER + yaml.safe_dump({field: data})
    try:
        parse_rule_set(text, registry=REGISTRY)
    except RuleFileError as exc:
        assert exc.problems and all(p.message for p in exc.problems)


NATIONAL = (
    shipped_standards_dir() / "national" / "zero_carbon_park" / "2025-trial.yaml"
).read_text(encoding="utf-8")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=st.integers(0, len(NATIONAL)),
    length=st.integers(0, 40),
    insert=st.text(alphabet="{}[]:-&*!|>'\"#\n ,0123456789abc%万", max_size=12),
)
def test_mutated_national_rule_set_never_crashes(start, length, insert):
    text = NATIONAL[:start] + insert + NATIONAL[start + length :]
    try:
        rs = parse_rule_set(text, registry=REGISTRY)
    except RuleFileError as exc:
        assert exc.problems
        return
    ctx = GivenValuesContext(
        {"park_energy_consumption": 5e5, "carbon_per_unit_energy": 0.1},
        registry=REGISTRY,
        as_of=dt.date(2026, 1, 1),
    )
    evaluate_rule_set(rs, ctx)  # a file that loads must evaluate
