"""Every ``*.tests.yaml`` under standards/ runs as pytest cases, one per YAML case."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from zcp.rules import shipped_standards_dir
from zcp.rules.ruletests import find_test_files, load_rule_tests, run_rule_tests

STANDARDS = shipped_standards_dir()
FILES = find_test_files([STANDARDS])
_run = functools.cache(run_rule_tests)


def _cases() -> list[tuple[Path, str]]:
    out = []
    for path in FILES:
        tests, _ = load_rule_tests(path)
        out.extend((path, case.name) for case in tests.cases)
    return out


def test_national_park_rule_tests_exist() -> None:
    names = [p.relative_to(STANDARDS).as_posix() for p in FILES]
    assert "national/zero_carbon_park/2025-trial.tests.yaml" in names


@pytest.mark.parametrize(
    ("path", "name"), _cases(), ids=lambda v: v.name if isinstance(v, Path) else v
)
def test_rule_test_case(path: Path, name: str) -> None:
    outcome = _run(path)
    case = next((c for c in outcome.cases if c.name == name), None)
    if case is None:
        pytest.fail(f"case {name!r} is no longer in {path} (the file changed during the run?)")
    assert case.passed, "\n".join(case.failures)
