"""Reading a rule-set file: safe YAML → schema → semantic checks → ``LoadedRuleSet``.

Nothing in a rule file is executed. Errors come back located (``path:line:col: field:
message — hint``) and all at once, so a policy team fixes a file in one pass.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from zcp.errors import InputError, Problem, RuleFileError, did_you_mean
from zcp.hashing import sha256_file
from zcp.metrics import REGISTRY, MetricRegistry
from zcp.rules.ruleset_file import RuleSet
from zcp.yamlio import Document, expect_kind, load_yaml, parse_yaml, pydantic_problems

#: Deepest nesting a rule file may have (mappings and lists); keeps every walker bounded.
MAX_DEPTH = 40


@dataclass
class LoadedRuleSet:
    """A rule set checked against the metric registry, with its file's content hash."""

    model: RuleSet
    sha256: str
    path: Path | None = None
    doc: Document | None = None
    warnings: list[Problem] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.model.key


def load_rule_set(
    path: str | Path,
    *,
    registry: MetricRegistry | None = None,
    factor_ids: Iterable[str] | None = None,
) -> LoadedRuleSet:
    """Load and check one rule-set file. Raises ``RuleFileError`` listing every error."""
    return _checked(lambda: load_yaml(path), str(path), registry, factor_ids)


def parse_rule_set(
    text: str,
    *,
    path: str = "<string>",
    registry: MetricRegistry | None = None,
    factor_ids: Iterable[str] | None = None,
) -> LoadedRuleSet:
    """Like ``load_rule_set`` for text in memory (tests, fuzzing)."""
    return _checked(lambda: parse_yaml(text, path), path, registry, factor_ids)


def _checked(
    read: Callable[[], Document],
    where: str,
    registry: MetricRegistry | None,
    factor_ids: Iterable[str] | None,
) -> LoadedRuleSet:
    try:
        doc = read()
    except InputError as exc:
        raise RuleFileError(exc.problems) from None
    except RecursionError:
        raise RuleFileError(Problem("nested too deeply to read", path=where)) from None
    loaded, problems = check_document(doc, registry=registry, factor_ids=factor_ids)
    errors = [p for p in problems if p.severity == "error"]
    if errors or loaded is None:
        raise RuleFileError(errors)
    return loaded


def check_document(
    doc: Document,
    *,
    registry: MetricRegistry | None = None,
    factor_ids: Iterable[str] | None = None,
) -> tuple[LoadedRuleSet | None, list[Problem]]:
    """Every problem with a parsed rule-set document (errors and warnings)."""
    from zcp.rules.semantics import check_semantics

    try:
        expect_kind(doc, ["rule_set"], {"rule_set": [1]})
    except InputError as exc:
        return None, exc.problems
    deep = _too_deep(doc.data, ())
    if deep is not None:
        return None, [
            doc.problem(
                f"nested more than {MAX_DEPTH} levels deep",
                deep,
                hint="split the condition into simpler rules",
            )
        ]
    try:
        model = RuleSet.model_validate(doc.data)
    except ValidationError as exc:
        return None, polish(pydantic_problems(doc, exc))
    problems = check_semantics(model, doc, registry or REGISTRY, factor_ids=factor_ids)
    digest = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
    if doc.path.is_file():
        digest = sha256_file(Path(doc.path))
    loaded = LoadedRuleSet(
        model, digest, doc.path, doc, [p for p in problems if p.severity != "error"]
    )
    return loaded, problems


def polish(problems: list[Problem]) -> list[Problem]:
    """Make pydantic's messages read like one finding per place.

    A value that fits no member of a union gets one line listing what was expected, not one
    line per member; a misspelt key next to a missing one gets a "did you mean"; a ``kind``
    that matches no rule kind gets the nearest kind.
    """
    grouped: dict[tuple[str | None, int | None, int | None, str | None], list[Problem]] = {}
    for p in problems:
        grouped.setdefault((p.path, p.line, p.col, p.field), []).append(p)
    out: list[Problem] = []
    for group in grouped.values():
        first = group[0]
        if len(group) == 1:
            out.append(_tag_hint(first))
            continue
        got = next((m.group(0) for p in group if (m := _GOT.search(p.message))), "")
        wants = [
            _plain(_GOT.sub("", p.message).removeprefix("Input should be ").strip()) for p in group
        ]
        message = "expected " + " or ".join(dict.fromkeys(wants)) + (f" {got}" if got else "")
        out.append(dataclasses.replace(first, message=message))
    missing = {
        (p.path, p.field.rsplit(".", 1)[0]): p.field.rsplit(".", 1)[-1]
        for p in out
        if p.field and p.message == "required field is missing"
    }
    for i, p in enumerate(out):
        if p.message == "unknown field" and p.field and p.hint is None:
            parent, name = p.field.rsplit(".", 1) if "." in p.field else ("", p.field)
            wanted = missing.get((p.path, parent))
            if wanted:
                out[i] = dataclasses.replace(p, hint=did_you_mean(name, [wanted]))
    return out


_PLAIN = {
    "a valid number, unable to parse string as a number": "a number",
    "a valid number": "a number",
    "String should match pattern '^[a-z][a-z0-9_]*$'": "a parameter name (a-z, 0-9, _)",
    "a valid list": "a list",
    "a valid string": "text",
    "a valid dictionary": "a mapping",
}


def _plain(text: str) -> str:
    return _PLAIN.get(text, text)


_GOT = re.compile(r"\(got .*\)$")
_TAG = re.compile(
    r"Input tag '(.*)' found using '(\w+)' does not match any of the expected "
    r"tags: (.*)$"
)


def _tag_hint(problem: Problem) -> Problem:
    match = _TAG.search(problem.message)
    if not match:
        return problem
    expected = re.findall(r"'([^']*)'", match.group(3))
    return dataclasses.replace(
        problem,
        message=f"unknown {match.group(2)} {match.group(1)!r} (one of: {', '.join(expected)})",
        hint=did_you_mean(match.group(1), expected),
    )


def _too_deep(data: Any, loc: tuple[str | int, ...]) -> tuple[str | int, ...] | None:
    if len(loc) > MAX_DEPTH:
        return loc
    if isinstance(data, dict):
        items: Iterable[tuple[Any, Any]] = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return None
    for key, value in items:
        found = _too_deep(value, loc + (key,))
        if found is not None:
            return found
    return None
