"""``zcp rules lint``: check rule sets, rule tests, factor sets and assessments in place.

Files are routed by their ``kind:``. Errors (the file cannot be used: YAML, schema or
semantic errors such as an unknown metric or a unit mismatch) and warnings (it can be used
but probably says something unintended: gaps between bands, a band without a reason for its
missing threshold, a file outside ``<id>/<version>.yaml``) are reported separately so the
command can exit 2 and 1 respectively.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from zcp.errors import InputError, Problem, did_you_mean
from zcp.metrics import MetricRegistry
from zcp.rules.ruleset_catalogue import TESTS_SUFFIX
from zcp.yamlio import load_yaml

KINDS = ("rule_set", "rule_tests", "factor_set", "assessment", "park")
#: Kinds zcp reads elsewhere: ``rules lint`` skips them and says so (``zcp validate PARK``
#: checks a park folder's activity and instruments files).
SKIPPED_KINDS = {
    "activity": "a park's activity data: check it with zcp validate PARK",
    "instruments": "a park's certificates and credits: check it with zcp validate PARK",
    "accounting_profile": "an accounting profile: read by the ledger",
    "carriers": "the carrier table: read with the park model",
    "expected_outcomes": "recorded example outcomes (tests)",
    "products": "a park's products: check it with zcp validate PARK",
    "supplier_disclosure": "a supplier's disclosure: check it with zcp validate PARK",
    "converter_types": "zcp's converter table",
    "holidays": "zcp's holiday calendar",
    "message_catalogue": "the report's messages",
    "metering_plan_rules": "zcp's metering-plan rules",
    "certificate_markets": "zcp's certificate market boundaries",
    "disclosure_map": "a disclosure framework's field map",
}


@dataclass
class LintReport:
    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list, repr=False)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]

    @property
    def exit_code(self) -> int:
        return 2 if self.errors else (1 if self.warnings else 0)


def yaml_files(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(
                p for p in sorted(path.rglob("*")) if p.suffix in (".yaml", ".yml") and p.is_file()
            )
        else:
            out.append(path)
    return out


def lint_paths(paths: Iterable[Path], *, registry: MetricRegistry | None = None) -> LintReport:
    """Lint every YAML file under ``paths`` (files or folders, recursive)."""
    report = LintReport()
    seen: set[tuple[str, str]] = set()
    for path in yaml_files(paths):
        why = skipped_kind(path)
        if why is not None:
            report.skipped.append((path, why))
            continue
        report.files.append(path)
        for problem in lint_file(path, registry=registry):
            # a rule set's error is met again through each rule-test file that loads it
            key = (problem.severity, str(problem))
            if key not in seen:
                seen.add(key)
                report.problems.append(problem)
    return report


def skipped_kind(path: Path) -> str | None:
    """Why ``rules lint`` leaves this file alone (a kind checked elsewhere), or None."""
    try:
        data = load_yaml(path).data
    except (InputError, RecursionError):
        return None
    kind = data.get("kind") if isinstance(data, dict) else None
    if isinstance(kind, str) and kind in SKIPPED_KINDS:
        return f"kind {kind}: {SKIPPED_KINDS[kind]}"
    return None


def lint_file(path: Path, *, registry: MetricRegistry | None = None) -> list[Problem]:
    """Problems of one file, whatever its kind; never raises for bad content."""
    from zcp.rules.loader import check_document

    try:
        doc = load_yaml(path)
    except InputError as exc:
        return exc.problems
    except RecursionError:
        return [Problem("nested too deeply to read", path=str(path))]
    data = doc.data
    if not isinstance(data, dict):
        return [doc.problem("top level must be a mapping with 'kind:' and 'schema_version:'")]
    kind = data.get("kind")
    if kind is None:
        first = "rule_tests" if path.name.endswith(TESTS_SUFFIX) else "rule_set"
        return [doc.problem("missing 'kind:'", (), f"start the file with 'kind: {first}'")]
    if kind not in KINDS:
        return [
            doc.problem(
                f"kind {kind!r} is not one zcp lints ({', '.join(KINDS)})",
                ("kind",),
                did_you_mean(str(kind), KINDS),
            )
        ]
    if kind == "rule_set":
        from zcp.rules.lint_policy import provisional_gate_problems

        loaded, problems = check_document(doc, registry=registry)
        if loaded is not None and not any(p.severity == "error" for p in problems):
            problems = problems + list(provisional_gate_problems(loaded.model, doc))
        return problems
    try:
        if kind == "rule_tests":
            from zcp.rules.ruletests import run_rule_tests

            run_rule_tests(path, registry=registry)  # checks names; failures are for `test`
        elif kind == "park":
            from zcp.model import load_park

            load_park(path.parent)  # a small park used by rule tests
        elif kind == "factor_set":
            from zcp.factors import load_factor_set

            load_factor_set(path)
        else:
            from zcp.rules.assessment import load_assessment
            from zcp.rules.lint_policy import stale_parameter_problems

            load_assessment(path)
            return stale_parameter_problems(path)
    except InputError as exc:
        return exc.problems
    return []
