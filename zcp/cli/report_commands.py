"""``zcp assess`` (write a report) and ``zcp verify`` (check a report against its inputs)."""

from __future__ import annotations

import sys

import click

from zcp.cli import main


@main.command()
@click.argument("park_dir", type=click.Path(file_okay=False, path_type=str))
@click.option(
    "--rules",
    "rule_refs",
    multiple=True,
    metavar="ID@VERSION",
    help="rule set to apply (repeatable); default: assessment.yaml, else those in force",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=str),
    help="report file: .pdf, .html or .json (the result JSON)",
)
def assess(park_dir: str, rule_refs: tuple[str, ...], lang: str, out: str) -> None:
    """Assess a park folder and write its report (written atomically)."""
    from zcp.report import assess as run_assess

    path = run_assess(park_dir, out, rule_refs=rule_refs, lang=lang)
    click.echo(f"report written to {path}", err=True)


@main.command()
@click.argument("report", type=click.Path(dir_okay=False, path_type=str))
@click.argument("park_dir", type=click.Path(file_okay=False, path_type=str))
def verify(report: str, park_dir: str) -> None:
    """Check a report against a park folder: exit 0 match, 1 mismatch, 2 error."""
    from zcp.report import verify_report

    outcome = verify_report(report, park_dir)
    for line in outcome.lines():
        click.echo(line)
    sys.exit(0 if outcome.ok else 1)
