"""The rule-test runner itself: expectations that must fail do fail."""

from __future__ import annotations

import shutil

import pytest

from zcp.errors import RuleFileError
from zcp.rules import shipped_standards_dir
from zcp.rules.ruletests import run_rule_tests

NATIONAL = shipped_standards_dir() / "national" / "zero_carbon_park" / "2025-trial.yaml"

TESTS = """\
kind: rule_tests
schema_version: 1
rule_set: {{id: zero_carbon_park, version: 2025-trial}}
cases:
  - name: one case
    given: {{park_energy_consumption: 150000, carbon_per_unit_energy: 0}}
    expect:
{expect}
"""


def _run(tmp_path, expect: str):
    folder = tmp_path / "zero_carbon_park"
    folder.mkdir(exist_ok=True)
    shutil.copy(NATIONAL, folder / NATIONAL.name)
    path = folder / "2025-trial.tests.yaml"
    path.write_text(TESTS.format(expect=expect), encoding="utf-8")
    return run_rule_tests(path).cases[0]


def test_matching_expectations_pass(tmp_path):
    case = _run(
        tmp_path,
        "      rules: {core_carbon_per_unit_energy: undetermined}\n"
        "      why: {core_carbon_per_unit_energy: no threshold}\n"
        "      level: null\n      points: 0",
    )
    assert case.passed, case.failures


@pytest.mark.parametrize(
    ("expect", "failure"),
    [
        (
            "      rules: {core_carbon_per_unit_energy: pass}",
            "core_carbon_per_unit_energy: expected pass, got undetermined",
        ),
        (
            "      why: {core_carbon_per_unit_energy: data missing}",
            "why should contain 'data missing'",
        ),
        ("      level: core_met", "level: expected core_met, got None"),
        ("      points: 3", "points: expected 3, got 0"),
    ],
)
def test_wrong_expectations_fail(tmp_path, expect, failure):
    case = _run(tmp_path, expect)
    assert not case.passed
    assert any(failure in f for f in case.failures), case.failures


def test_unknown_names_are_errors_not_passes(tmp_path):
    with pytest.raises(RuleFileError, match="unknown rule 'core'"):
        _run(tmp_path, "      why: {core: x}")
    with pytest.raises(RuleFileError, match="unknown level 'gold'"):
        _run(tmp_path, "      level: gold")
