"""Finding rule sets: shipped folder, --standards overrides, versions side by side,
precedence command line > assessment.yaml > in force for the stage."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from zcp.errors import InputError
from zcp.rules import Assessment, Catalogue, select_rule_sets, shipped_standards_dir

NATIONAL = shipped_standards_dir() / "national" / "zero_carbon_park" / "2025-trial.yaml"


def _write_version(root: Path, version: str, effective_from: str, threshold: str) -> Path:
    text = NATIONAL.read_text(encoding="utf-8")
    text = text.replace("version: 2025-trial", f"version: {version}")
    text = text.replace("effective_from: 2025-07-08", f"effective_from: {effective_from}")
    text = text.replace("      - value: 0.2\n", f"      - value: {threshold}\n")
    target = root / "national" / "zero_carbon_park" / f"{version}.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def test_shipped_national_rule_set_is_found():
    catalogue = Catalogue()
    assert "zero_carbon_park" in catalogue.ids()
    loaded = catalogue.load("zero_carbon_park", "2025-trial")
    assert loaded.path == NATIONAL.resolve() or loaded.path == NATIONAL
    assert len(loaded.sha256) == 64


def test_versions_side_by_side_and_the_one_in_force(tmp_path):
    _write_version(tmp_path, "2027", "2027-01-01", "0.15")
    catalogue = Catalogue([tmp_path])
    assert catalogue.versions("zero_carbon_park") == ["2025-trial", "2027"]
    assert (
        catalogue.load("zero_carbon_park", as_of=dt.date(2026, 6, 1)).model.version == "2025-trial"
    )
    assert catalogue.load("zero_carbon_park", as_of=dt.date(2027, 6, 1)).model.version == "2027"
    with pytest.raises(InputError, match="no version"):
        catalogue.load("zero_carbon_park", "2099")
    with pytest.raises(InputError, match="did you mean 'zero_carbon_park'"):
        catalogue.load("zero_carbon_prak")


def test_standards_dir_overrides_the_same_version(tmp_path):
    override = _write_version(tmp_path, "2025-trial", "2025-07-08", "0.25")
    loaded = Catalogue([tmp_path]).load("zero_carbon_park", "2025-trial")
    assert loaded.path == override
    assert loaded.model.parameters["core_threshold_medium"].values[0].value == 0.25


def test_precedence_cli_then_assessment_then_stage(tmp_path):
    _write_version(tmp_path, "2025-trial", "2025-07-08", "0.2")
    _write_version(tmp_path, "2027", "2027-01-01", "0.15")
    catalogue = Catalogue([tmp_path], include_shipped=False)  # only these two files
    day = dt.date(2027, 6, 1)
    assessment = Assessment.model_validate(
        {
            "kind": "assessment",
            "schema_version": 1,
            "rule_sets": [{"id": "zero_carbon_park", "version": "2025-trial"}],
        }
    )

    def chosen(**kw):
        return [s.rule_set.key for s in select_rule_sets(catalogue, as_of=day, **kw)]

    assert chosen(stage="operation") == ["zero_carbon_park@2027"]
    assert chosen(assessment=assessment, stage="operation") == ["zero_carbon_park@2025-trial"]
    assert chosen(cli_refs=["zero_carbon_park@2027"], assessment=assessment) == [
        "zero_carbon_park@2027"
    ]
