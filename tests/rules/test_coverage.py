"""``zcp rules test --coverage`` and the version check of a tests file."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from zcp.cli import main
from zcp.errors import RuleFileError
from zcp.rules import shipped_standards_dir
from zcp.rules.ruletests import coverage_of, find_test_files, run_rule_tests

NATIONAL = shipped_standards_dir() / "national" / "zero_carbon_park"


def test_every_level_of_every_shipped_set_is_exercised():
    outcomes = [run_rule_tests(p) for p in find_test_files([shipped_standards_dir()])]
    coverage = coverage_of(outcomes)
    assert len(coverage) >= 8
    assert [w for cov in coverage for w in cov.warnings()] == []


def test_coverage_names_an_untested_level_and_edges(tmp_path):
    folder = tmp_path / "zero_carbon_park"
    shutil.copytree(NATIONAL, folder, ignore=shutil.ignore_patterns("parks", "*.parks.tests.yaml"))
    tests = folder / "2025-trial.tests.yaml"
    # one case, exactly on the 20万 tce edge at 0.2, asserting no level
    text = tests.read_text(encoding="utf-8")
    head = text.partition("cases:\n")[0]
    case = (
        "  - name: exactly 20万 tce at 0.2\n"
        "    given: {park_energy_consumption: 200000, carbon_per_unit_energy: 0.2}\n"
        "    expect: {rules: {core_carbon_per_unit_energy: pass}}\n"
    )
    tests.write_text(head + "cases:\n" + case, encoding="utf-8")
    result = CliRunner().invoke(main, ["rules", "test", str(folder), "--coverage"])
    assert result.exit_code == 1, result.output
    assert "level core_met is not exercised by any test" in result.output
    assert "zero_carbon_park@2025-trial: 1 case(s)" in result.output
    assert "levels 0/1" in result.output
    # 200 000 tce is band_edge_lower; 0.2 is core_threshold_medium: both exercised
    assert "parameter values exercised at the edge 2/" in result.output
    assert "core_carbon_per_unit_energy: pass" in result.output


def test_a_copied_tests_file_naming_another_version_is_an_error(tmp_path):
    folder = tmp_path / "zero_carbon_park"
    folder.mkdir()
    draft = (NATIONAL / "2025-trial.yaml").read_text(encoding="utf-8")
    (folder / "2026-draft.yaml").write_text(
        draft.replace("version: 2025-trial", "version: 2026-draft"), encoding="utf-8"
    )
    # the shipped tests copied beside the draft still name 2025-trial
    shutil.copy(NATIONAL / "2025-trial.tests.yaml", folder / "2026-draft.tests.yaml")
    with pytest.raises(RuleFileError) as err:
        run_rule_tests(folder / "2026-draft.tests.yaml")
    message = str(err.value.problems[0])
    assert "zero_carbon_park@2025-trial" in message and "2026-draft.yaml" in message
    result = CliRunner().invoke(main, ["rules", "test", str(folder)])
    assert result.exit_code == 2 and "version: '2026-draft'" in result.output
