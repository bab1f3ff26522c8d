"""JSON Schemas (2020-12) of the files zcp reads and the results it writes.

The pydantic models are the single source of truth; the ``*.schema.json`` files here are
generated from them (``python -m zcp.schemas``) and shipped so editors and other tools can
validate rule files without zcp. A test fails if a shipped file falls out of date.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

SCHEMA_DIR = Path(__file__).parent
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _models() -> dict[str, type[BaseModel]]:
    """Every file kind a user writes or reads, by its ``kind:`` (``result``: zcp's output)."""
    from zcp.factors import FactorSet
    from zcp.ledger.activity import ActivityFile
    from zcp.ledger.instruments import InstrumentsFile
    from zcp.ledger.profile import AccountingProfile
    from zcp.model.carriers import CarrierSet
    from zcp.model.park import Park
    from zcp.rules.assessment import Assessment
    from zcp.rules.results import EvaluationResult
    from zcp.rules.ruleset_file import RuleSet
    from zcp.rules.ruletests import RuleTests

    return {
        "rule_set": RuleSet,
        "rule_tests": RuleTests,
        "assessment": Assessment,
        "result": EvaluationResult,
        "park": Park,
        "activity": ActivityFile,
        "instruments": InstrumentsFile,
        "factor_set": FactorSet,
        "accounting_profile": AccountingProfile,
        "carriers": CarrierSet,
    }


#: Schemas shipped as files (editors validate rule files without zcp); every other kind's
#: schema is generated on request (``zcp schema KIND``), so model owners need no regeneration.
SHIPPED = ("assessment", "result", "rule_set", "rule_tests")


def names() -> list[str]:
    """The schemas shipped as ``*.schema.json`` files."""
    return sorted(SHIPPED)


def kinds() -> list[str]:
    """Every file kind ``zcp schema`` can describe."""
    return sorted(_models())


def generate(name: str) -> dict[str, Any]:
    """The schema of file kind ``name`` (see :func:`names`), freshly generated."""
    models = _models()
    if name not in models:
        from zcp.errors import InputError, Problem, did_you_mean

        raise InputError(
            Problem(
                f"no schema for file kind {name!r}",
                hint=did_you_mean(name, models) or f"kinds: {', '.join(sorted(models))}",
            )
        )
    model = models[name]
    mode = "serialization" if name == "result" else "validation"
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
