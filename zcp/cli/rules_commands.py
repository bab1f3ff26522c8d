"""``zcp rules lint|test|diff|docs|metrics`` and ``zcp evaluate``: thin wrappers over zcp.rules.

Exit codes: 0 clean; 1 the command ran and found something (lint warnings, failed rule
tests, differences); 2 unreadable or invalid input (printed as path:line:col: message).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from zcp.cli import imports_done, main
from zcp.errors import InputError, RuleFileError

_standards_option = click.option(
    "--standards",
    "standards_dirs",
    multiple=True,
    type=click.Path(path_type=Path),
    help="extra standards folder (repeatable; overrides shipped rule sets)",
)


def _paths(values: tuple[str, ...]) -> list[Path]:
    return [Path(v) for v in values]


@main.group()
def rules() -> None:
    """Tools for policy teams: lint, test, diff and document rule sets."""


@rules.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
def lint(paths: tuple[str, ...]) -> None:
    """Check rule sets, rule tests, factor sets and assessments (files or folders)."""
    from zcp.rules.lint import lint_paths

    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise InputError([f"{p}: not found" for p in missing][0])
    report = lint_paths(_paths(paths))
    for path, why in report.skipped:
        click.echo(f"skipped: {path} ({why})", err=True)
    for problem in report.problems:
        prefix = "error" if problem.severity == "error" else "warning"
        click.echo(f"{prefix}: {problem}", err=prefix == "error")
    click.echo(
        f"{len(report.files)} file(s): {len(report.errors)} error(s), "
        f"{len(report.warnings)} warning(s)"
        + (f"; {len(report.skipped)} skipped" if report.skipped else ""),
        err=True,
    )
    sys.exit(report.exit_code)


@rules.command(name="test")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@_standards_option
@click.option(
    "--coverage",
    is_flag=True,
    help="per rule set: levels, outcomes and parameter edges the tests exercise "
    "(an untested level is a warning, exit 1)",
)
def test_command(paths: tuple[str, ...], standards_dirs: tuple[Path, ...], coverage: bool) -> None:
    """Run rule tests (*.tests.yaml) found under PATHS."""
    from zcp.rules.ruleset_catalogue import Catalogue
    from zcp.rules.ruletests import coverage_of, find_test_files, run_rule_tests

    files = find_test_files(_paths(paths))
    if not files:
        raise InputError(f"no *.tests.yaml files under {', '.join(paths)}")
    catalogue = Catalogue(list(standards_dirs))
    failed = total = 0
    problems = []
    outcomes = []
    for path in files:
        try:
            outcome = run_rule_tests(path, catalogue=catalogue)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        outcomes.append(outcome)
        for case in outcome.cases:
            total += 1
            mark = "ok  " if case.passed else "FAIL"
            click.echo(f"{mark} {path}: {case.name}")
            for failure in case.failures:
                click.echo(f"       {failure}")
            failed += not case.passed
    click.echo(f"{total - failed} of {total} rule tests passed", err=True)
    if problems:
        raise RuleFileError(problems)
    warnings = []
    if coverage:
        for cov in coverage_of(outcomes):
            for line in cov.lines():
                click.echo(line)
            warnings.extend(cov.warnings())
        for warning in warnings:
            click.echo(f"warning: {warning}", err=True)
    sys.exit(1 if failed or warnings else 0)


@rules.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
def diff(old: Path, new: Path) -> None:
    """What changed between two rule-set files (exit 1 if anything did)."""
    from zcp.rules.diff import diff_rule_sets
    from zcp.rules.loader import load_rule_set

    changes = diff_rule_sets(load_rule_set(old).model, load_rule_set(new).model)
    for change in changes:
        click.echo(str(change))
    click.echo(f"{len(changes)} change(s)", err=True)
    sys.exit(1 if changes else 0)


@rules.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), help="write here instead of stdout")
def docs(file: Path, fmt: str, out: Path | None) -> None:
    """A rule set as a readable Markdown or HTML page."""
    from zcp.rules.docs import render
    from zcp.rules.loader import load_rule_set

    text = render(load_rule_set(file).model, fmt)  # type: ignore[arg-type]
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")


@rules.command()
@click.option("--json", "as_json", is_flag=True, help="print the catalogue as JSON")
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default="en",
    show_default=True,
    help="language of the descriptions",
)
def metrics(as_json: bool, lang: str) -> None:
    """The metric catalogue (zcp/data/metrics.yaml): name, unit, subject, provider, meaning."""
    from zcp.metrics import REGISTRY

    rows = REGISTRY.rows()
    if as_json:
        click.echo(json.dumps([row.as_dict() for row in rows], ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row.name:<48} {row.unit:<12} {row.subject:<7} {row.provider}")
        args = ", ".join(f"{k}={v}" for k, v in row.args.items())
        if args:
            click.echo(f"    ({args})")
        click.echo(f"    {row.description_zh if lang == 'zh' else row.description_en}")
    click.echo(f"{len(rows)} metric(s)", err=True)


@main.command()
@click.argument("park_dir", type=click.Path(path_type=Path))
@click.option(
    "--rules",
    "rule_refs",
    multiple=True,
    metavar="ID@VERSION",
    help="rule set to apply (repeatable); overrides assessment.yaml",
)
@_standards_option
@click.option("--json", "as_json", is_flag=True, help="print the result as JSON on stdout")
@click.option("--gaps", is_flag=True, help="gap analysis over the registered levers")
def evaluate(
    park_dir: Path,
    rule_refs: tuple[str, ...],
    standards_dirs: tuple[Path, ...],
    as_json: bool,
    gaps: bool,
) -> None:
    """Evaluate a park folder against its rule sets and explain every verdict."""
    from zcp.cli.report_commands import stage_printer
    from zcp.metrics import registered_levers
    from zcp.rules.run import evaluate_park

    imports_done()
    levers = registered_levers() if gaps else []
    if gaps and not levers:
        click.echo("note: no levers are registered yet; gap analysis skipped", err=True)
    result = evaluate_park(
        park_dir,
        rule_refs=rule_refs,
        standards_dirs=list(standards_dirs),
        gaps=bool(levers),
        levers=levers,
        progress=stage_printer(),
    ).result
    if as_json:
        click.echo(result.model_dump_json(indent=2))
        return
    for rs in result.rule_sets:
        click.echo(
            f"{rs.title.zh} ({rs.rule_set_id}@{rs.version})"
            + (f" — tenant {rs.subject}" if rs.subject else "")
            + (f" — acceptance stage {rs.acceptance_stage}" if rs.acceptance_stage else "")
            + f" — level: {rs.level or 'none reached'}"
        )
        for level in rs.levels:
            click.echo(f"  level {level.id}: {level.status} — {level.why}")
        for rule in rs.rules:
            flag = " [provisional]" if rule.provisional else ""
            click.echo(f"  {rule.status:<15} {rule.id}: {rule.why}{flag}")
        if rs.max_points:
            click.echo(f"  points: {rs.points:g} of {rs.max_points:g}")
        for gap in rs.gaps:
            click.echo(f"  gap {gap.rule_id} ({gap.status}):")
            if not gap.levers:
                click.echo("    no modelled lever changes what this rule reads")
            for lever in gap.levers:
                amount = (  # amounts are whole lever steps (0.1 MW, 1 MWh, 1 meter)
                    "not within reach"
                    if lever.amount is None
                    else f"{lever.amount:,.10g} {lever.unit}"
                )
                after = f" → level {lever.level_after}" if lever.level_after else ""
                click.echo(f"    {lever.lever}: {amount}{after}")


@main.command()
@click.argument("kind", required=False)
def schema(kind: str | None) -> None:
    """The JSON Schema of a file kind (rule_set, park, activity, ...); no KIND: list them."""
    from zcp import schemas

    if kind is None:
        for name in schemas.kinds():
            click.echo(name)
        return
    click.echo(schemas.render(kind), nl=False)
