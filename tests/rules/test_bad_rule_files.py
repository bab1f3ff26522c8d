"""Bad rule files: each gives ``path:line: what is wrong`` and exit 2, never a traceback,
never code execution."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import zcp.yamlio
from zcp.cli import main
from zcp.errors import RuleFileError
from zcp.rules import load_rule_set

from .conftest import HEADER

GOOD_RULE = """\
rules:
  - id: r
    kind: indicator
    title: {zh: 份额, en: Share}
    clause: "5.1"
    metric: clean_energy_share
    op: ge
    threshold: 0.9
"""

PARAM = """\
parameters:
  minimum:
    description: minimum
    unit: {unit}
    values:
      - {{value: 90, valid_from: 2025-01-01, confidence: verified, source: {{document: T}}}}
"""


def _with(old: str, new: str, base: str = GOOD_RULE) -> str:
    assert old in base
    return HEADER + base.replace(old, new)


# (name, file text, line the error is reported at, words the message must contain)
CASES: list[tuple[str, str, int, str]] = [
    ("yaml_syntax", HEADER + "rules: [\n  - {id: r\n", 10, "YAML syntax error"),
    ("missing_kind", HEADER.replace("kind: rule_set\n", "") + GOOD_RULE, 1, "missing 'kind:'"),
    (
        "wrong_kind",
        HEADER.replace("kind: rule_set", "kind: rule_sett") + GOOD_RULE,
        1,
        "did you mean 'rule_set'",
    ),
    (
        "schema_version",
        HEADER.replace("schema_version: 1", "schema_version: 2") + GOOD_RULE,
        2,
        "schema_version 2 is not supported",
    ),
    (
        "python_tag",
        HEADER + "note: !!python/object/apply:os.system ['touch PWNED']\n" + GOOD_RULE,
        9,
        "is not allowed",
    ),
    ("unknown_operator", _with("op: ge", "op: gte"), 15, "'lt', 'le'"),
    (
        "unknown_metric",
        _with("metric: clean_energy_share", "metric: clean_energy_shar"),
        14,
        "did you mean 'clean_energy_share'",
    ),
    (
        "unit_kwh_vs_share",
        HEADER
        + PARAM.format(unit="kWh")
        + GOOD_RULE.replace("threshold: 0.9", "threshold: minimum"),
        22,
        "cannot be compared with the metric's unit 'fraction'",
    ),
    (
        "unit_percent_vs_intensity",
        HEADER
        + PARAM.format(unit="percent")
        + GOOD_RULE.replace("threshold: 0.9", "threshold: minimum").replace(
            "clean_energy_share", "carbon_per_unit_energy"
        ),
        22,
        "cannot be compared with the metric's unit 'tCO2/tce'",
    ),
    ("unknown_unit", HEADER + PARAM.format(unit="tCO3") + GOOD_RULE, 12, "unknown unit 'tCO3'"),
    (
        "unknown_parameter",
        _with("threshold: 0.9", "threshold: minimun"),
        16,
        "unknown parameter 'minimun'",
    ),
    ("misspelt_field", _with("threshold: 0.9", "treshold: 0.9"), 16, "unknown field"),
    ("missing_clause", _with('    clause: "5.1"\n', ""), 10, "clause: required field"),
    (
        "duplicate_rule",
        HEADER + GOOD_RULE + GOOD_RULE.replace("rules:\n", ""),
        17,
        "duplicate rule id 'r'",
    ),
    ("duplicate_key", _with("op: ge", "op: ge\n    op: le"), 16, "duplicate key 'op'"),
    (
        "overlapping_bands",
        HEADER
        + GOOD_RULE.replace(
            "threshold: 0.9",
            """bands:
      metric: park_energy_consumption
      cases:
        - {to: 1000000, threshold: 0.9}
        - {from: 200000, threshold: 0.8}""",
        ),
        20,
        "bands overlap",
    ),
    (
        "between_three_values",
        _with("op: ge\n    threshold: 0.9", "op: between\n    threshold: [0.1, 0.2, 0.3]"),
        16,
        "'between' takes [low, high]",
    ),
    (
        "level_requires_unknown_rule",
        HEADER
        + """levels:
  - {id: top, title: {zh: 顶, en: Top}, requires: [q]}
"""
        + GOOD_RULE,
        10,
        "unknown rule 'q'",
    ),
    (
        "unreachable_level",
        HEADER
        + """levels:
  - {id: top, title: {zh: 顶, en: Top}, min_points: 50}
"""
        + GOOD_RULE.replace("threshold: 0.9", "threshold: 0.9\n    points: 10"),
        10,
        "level is unreachable: needs 50 points but the rules give at most 10",
    ),
    (
        "overlapping_dates",
        HEADER
        + """parameters:
  minimum:
    description: minimum
    unit: percent
    values:
      - {value: 90, valid_from: 2025-01-01, confidence: verified, source: {document: T}}
      - {value: 95, valid_from: 2025-06-01, confidence: verified, source: {document: T}}
"""
        + GOOD_RULE,
        15,
        "dated values overlap",
    ),
    (
        "values_and_factor",
        HEADER
        + """parameters:
  minimum:
    description: minimum
    unit: percent
    factor: tce.coal
    values:
      - {value: 90, valid_from: 2025-01-01, confidence: verified, source: {document: T}}
"""
        + GOOD_RULE,
        10,
        "either 'values'",
    ),
    (
        "tenant_metric_in_park_rule",
        _with("metric: clean_energy_share", "metric: tenant_water_reused"),
        14,
        "describes one tenant",
    ),
    (
        "linear_without_points",
        _with(
            "op: ge\n    threshold: 0.9", "scoring: {method: linear, baseline: 0.5, leading: 0.9}"
        ),
        10,
        "linear scoring needs 'points'",
    ),
    (
        "until_before_from",
        HEADER + "effective_until: 2024-01-01\n" + GOOD_RULE,
        9,
        "effective_until is before effective_from",
    ),
    (
        "unknown_section",
        _with("    clause", "    section: cor\n    clause"),
        13,
        "unknown section 'cor'",
    ),
    (
        "condition_too_big",
        _with(
            "    metric: clean_energy_share\n    op: ge\n    threshold: 0.9",
            "    condition:\n      any:\n"
            + "".join(
                "        - {metric: clean_energy_share, op: ge, value: 0.9}\n" for _ in range(250)
            ),
        ),
        14,
        "condition has 251 nodes",
    ),
    (
        "too_deep",
        _with(
            "    metric: clean_energy_share\n    op: ge\n    threshold: 0.9",
            "    condition: " + "{not: " * 60 + "{metric: share, op: ge, value: 1}" + "}" * 60,
        ),
        14,
        "nested more than 40 levels deep",
    ),
    (
        "alias_bomb",
        "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
        "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n",
        1,
        "aliases expand the document by more than",
    ),
    ("empty_file", "", 0, "file is empty"),
    ("nan_threshold", _with("threshold: 0.9", "threshold: .nan"), 16, "finite number"),
    (
        "rule_kind_typo",
        _with("kind: indicator", "kind: indicatr"),
        10,
        "unknown kind 'indicatr' (one of: prerequisite, indicator, checklist) — did you mean "
        "'indicator'?",
    ),
    (
        "threshold_not_a_number",
        _with("threshold: 0.9", "threshold: Zero"),
        16,
        "threshold: expected a number or a parameter name (a-z, 0-9, _) or a list (got 'Zero')",
    ),
    (
        "leaf_key_typo",
        _with(
            "    metric: clean_energy_share\n    op: ge\n    threshold: 0.9",
            "    condition: {not: {metric: clean_energy_share, op: ge, valu: 1}}",
        ),
        14,
        "condition.not.valu: unknown field — did you mean 'value'?",
    ),
    ("not_a_mapping", "- just\n- a list\n", 1, "top level must be a mapping"),
]


def test_there_are_at_least_15_distinct_bad_files() -> None:
    assert len({name for name, *_ in CASES}) >= 15


@pytest.mark.parametrize(("name", "text", "line", "words"), CASES, ids=[c[0] for c in CASES])
def test_bad_rule_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str, line: int, words: str
) -> None:
    monkeypatch.chdir(tmp_path)
    if name == "alias_bomb":  # same mechanism, smaller budget: keeps the quick run quick
        monkeypatch.setattr(zcp.yamlio, "MAX_NODES", 50_000)
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(RuleFileError) as info:
        load_rule_set(path)
    messages = [str(p) for p in info.value.problems]
    assert any(words in m for m in messages), messages

    result = CliRunner().invoke(main, ["rules", "lint", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    located = [m for m in result.output.splitlines() if words in m]
    assert located, result.output
    if line:
        assert re.search(rf"{re.escape(str(path))}:{line}(:\d+)?: ", located[0]), located[0]
    assert not (tmp_path / "PWNED").exists()
