"""The shipped JSON Schemas: current, valid 2020-12, and accepting what zcp accepts."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest

from zcp import schemas
from zcp.metrics import GivenValuesContext
from zcp.rules import Catalogue, EvaluationResult, evaluate_rule_set, shipped_standards_dir
from zcp.yamlio import load_yaml

NATIONAL = shipped_standards_dir() / "national" / "zero_carbon_park"


def _jsonable(data):
    if isinstance(data, dict):
        return {k: _jsonable(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_jsonable(v) for v in data]
    if isinstance(data, dt.date):
        return data.isoformat()
    return data


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = schemas.load(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("name", schemas.names())
def test_shipped_schema_is_up_to_date(name):
    shipped = schemas.path_of(name).read_text(encoding="utf-8")
    assert shipped == schemas.render(name), "run: python -m zcp.schemas"
    assert json.loads(shipped)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_operator_vocabulary_is_closed_in_the_schema():
    text = json.dumps(schemas.load("rule_set"))
    assert '"enum": ["lt", "le", "gt", "ge", "eq", "ne", "between", "in", "not_in"]' in text


@pytest.mark.parametrize(
    ("name", "file"), [("rule_set", "2025-trial.yaml"), ("rule_tests", "2025-trial.tests.yaml")]
)
def test_national_files_validate_against_the_schema(name, file):
    data = _jsonable(load_yaml(NATIONAL / file).data)
    assert list(_validator(name).iter_errors(data)) == []


def test_schema_rejects_an_unknown_operator():
    data = _jsonable(load_yaml(NATIONAL / "2025-trial.yaml").data)
    data["rules"][1]["op"] = "lte"
    assert list(_validator("rule_set").iter_errors(data))


def test_result_json_validates_against_the_result_schema():
    rs = Catalogue().load("zero_carbon_park", "2025-trial")
    ctx = GivenValuesContext(
        {
            "park_energy_consumption": 150000,
            "carbon_per_unit_energy": 0.1,
            "clean_energy_share": "95 %",
        },
        as_of=dt.date(2026, 1, 1),
    )
    result = EvaluationResult(zcp_version="test", rule_sets=[evaluate_rule_set(rs, ctx)])
    data = json.loads(result.model_dump_json())
    assert list(_validator("result").iter_errors(data)) == []
    assert data["rule_sets"][0]["rules"][0]["status"] == "undetermined"


def test_an_evidence_review_note_en_is_in_the_assessment_schema():
    """The operating example's review note has an English version; the shipped schema takes
    it, and refuses a misspelt one as the model does."""
    from tests.conftest import EXAMPLES

    data = _jsonable(load_yaml(EXAMPLES / "lingang-operation" / "assessment.yaml").data)
    review = data["evidence_reviews"]["evidence/pv-monthly-2026.md"]
    assert review["note_en"]
    assert list(_validator("assessment").iter_errors(data)) == []
    review["notes_en"] = review.pop("note_en")
    assert list(_validator("assessment").iter_errors(data))
