"""The bundled examples validate, draw and match the published park schema."""

from __future__ import annotations

import json

import jsonschema
import pytest
from click.testing import CliRunner

from tests.conftest import EXAMPLES
from zcp.cli import main
from zcp.yamlio import load_yaml

PARKS = sorted(p.parent for p in EXAMPLES.glob("*/park.yaml"))


@pytest.mark.parametrize("park_dir", PARKS, ids=lambda p: p.name)
def test_example_validates(park_dir):
    result = CliRunner().invoke(main, ["validate", str(park_dir), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["counts"]["tenants"] >= 5


@pytest.mark.parametrize("park_dir", PARKS, ids=lambda p: p.name)
def test_example_draws(park_dir, tmp_path):
    out = tmp_path / "g.svg"
    result = CliRunner().invoke(main, ["graph", str(park_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "<svg" in out.read_text(encoding="utf-8")


def test_schema_accepts_the_examples_and_rejects_a_typo():
    result = CliRunner().invoke(main, ["schema", "park"])
    schema = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for park_dir in PARKS:
        data = load_yaml(park_dir / "park.yaml").data
        data = json.loads(json.dumps(data, default=str))  # dates as ISO text, as editors see them
        assert list(validator.iter_errors(data)) == []
    data["stage"] = "building"
    assert list(validator.iter_errors(data))


def test_design_example_summary():
    result = CliRunner().invoke(main, ["validate", str(EXAMPLES / "ordos-design")])
    assert result.exit_code == 0
    assert "design stage" in result.output and "12 tenants" in result.output
