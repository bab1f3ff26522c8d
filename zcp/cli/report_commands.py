"""``zcp assess`` (write a report) and ``zcp verify`` (check a report against its inputs)."""

from __future__ import annotations

import sys
from pathlib import Path

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
@click.option(
    "--sign",
    "sign_key",
    type=click.Path(dir_okay=False, path_type=str),
    help="sign the PDF with this key: PKCS#12 (.p12), or PEM with --cert "
    "(passphrase from ZCP_SIGN_PASSPHRASE)",
)
@click.option(
    "--gaps/--no-gaps",
    default=True,
    show_default=True,
    help="gap analysis: how much of each registered lever closes each gap (slow on large parks)",
)
@click.option("--cert", "sign_cert", type=click.Path(dir_okay=False, path_type=str),
              help="PEM certificate of a PEM --sign key")  # fmt: skip
@click.option(
    "--previous",
    type=click.Path(dir_okay=False, path_type=str),
    help="an earlier result (JSON or zcp report) to compare with, year on year",
)
def assess(
    park_dir: str,
    rule_refs: tuple[str, ...],
    lang: str,
    out: str,
    sign_key: str | None,
    sign_cert: str | None,
    gaps: bool,
    previous: str | None,
) -> None:
    """Assess a park folder and write its report (written atomically)."""
    from zcp.report import assess as run_assess

    timings: dict[str, float] = {}
    path = run_assess(
        park_dir,
        out,
        rule_refs=rule_refs,
        lang=lang,
        sign_key=sign_key,
        sign_cert=sign_cert,
        timings=timings,
        gaps=gaps,
        previous=previous,
    )
    stages = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())
    click.echo(f"report written to {path} in {sum(timings.values()):.1f} s ({stages})", err=True)


@main.command()
@click.argument("report", type=click.Path(dir_okay=False, path_type=str))
@click.argument("park_dir", type=click.Path(file_okay=False, path_type=str))
@click.option(
    "--trust",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=str),
    help="certificate (PEM/DER) the PDF's signer must chain to (repeatable)",
)
def verify(report: str, park_dir: str, trust: tuple[str, ...]) -> None:
    """Check a report (or a product label) against a park folder: exit 0 match, 1 mismatch, 2 error."""
    from zcp.report import verify_report
    from zcp.report.product_label import read_label

    if report.lower().endswith(".pdf") and Path(report).is_file():
        data = Path(report).read_bytes()
        if read_label(data) is not None:
            _verify_label(data, park_dir)

    outcome = verify_report(report, park_dir, trust=trust)
    for line in outcome.lines():
        click.echo(line)
    sys.exit(0 if outcome.ok else 1)


def _verify_label(data: bytes, park_dir: str) -> None:
    from zcp.products.run import park_footprints
    from zcp.report.product_label import verify_label

    footprints, _ = park_footprints(park_dir)
    check = verify_label(data, {fp.product.id: fp for fp in footprints})
    if check.ok:
        click.echo(f"OK: the label of {check.product} matches the park folder")
    for problem in check.problems:
        click.echo(f"MISMATCH: {problem}")
    sys.exit(0 if check.ok else 1)
