"""JSON Schemas (2020-12) of the files zcp reads and the results it writes.

The pydantic models are the single source of truth; the ``*.schema.json`` files here are
generated from them (``python -m zcp.schemas``) and shipped so editors and other tools can
validate rule files without zcp. A test fails if a shipped file falls out of date.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

SCHEMA_DIR = Path(__file__).parent
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _models() -> dict[str, type[BaseModel]]:
    from zcp.rules.assessment import Assessment
    from zcp.rules.results import EvaluationResult
    from zcp.rules.ruleset_file import RuleSet
    from zcp.rules.ruletests import RuleTests

    return {
        "rule_set": RuleSet,
        "rule_tests": RuleTests,
        "assessment": Assessment,
        "result": EvaluationResult,
    }


def names() -> list[str]:
    return sorted(_models())


def generate(name: str) -> dict[str, Any]:
    """The schema of ``name`` (rule_set, rule_tests, assessment, result), freshly generated."""
    model = _models()[name]
    mode: Literal["validation", "serialization"] = (
        "serialization" if name == "result" else "validation"
    )
    schema = model.model_json_schema(by_alias=True, mode=mode)
    version = 1
    # A URN, not a URL: zcp runs no schema server; the file ships in the package.
    return {
        "$schema": DIALECT,
        "$id": f"urn:zcp:schema:{name}:v{version}",
        "x-schema-version": version,
        **schema,
    }


def path_of(name: str) -> Path:
    return SCHEMA_DIR / f"{name}.schema.json"


def load(name: str) -> dict[str, Any]:
    """The shipped schema file of ``name``."""
    return json.loads(path_of(name).read_text(encoding="utf-8"))


def render(name: str) -> str:
    return json.dumps(generate(name), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_all() -> list[Path]:
    """Regenerate every shipped schema file."""
    written = []
    for name in names():
        path_of(name).write_text(render(name), encoding="utf-8")
        written.append(path_of(name))
    return written
