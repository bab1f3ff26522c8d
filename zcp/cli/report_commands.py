"""``zcp assess`` (write reports), ``zcp sign`` (add the next signature of the chain) and
``zcp verify`` (check a report against its inputs)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import click

from zcp.cli import imports_done, main


def stage_printer() -> Callable[[str], None]:
    """Prints each stage on stderr with the seconds since the command started."""
    start = time.perf_counter()

    def say(stage: str) -> None:
        click.echo(f"[{time.perf_counter() - start:6.1f} s] {stage}", err=True)

    return say


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
    "outs",
    required=True,
    multiple=True,
    type=click.Path(dir_okay=False, path_type=str),
    help="report file: .pdf, .html or .json (the result JSON); repeat for several formats "
    "from one evaluation",
)
@click.option(
    "--sign",
    "sign_key",
    type=click.Path(dir_okay=False, path_type=str),
    help="sign the PDF as the preparer with this key: PKCS#12 (.p12), or PEM with --cert "
    "(passphrase from ZCP_SIGN_PASSPHRASE); reviewer and approver sign with `zcp sign`",
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
@click.option(
    "--standards",
    "standards_dirs",
    multiple=True,
    type=click.Path(file_okay=False, exists=True, path_type=str),
    help="extra standards folder, e.g. a draft rule set (repeatable; overrides shipped ones)",
)
@click.option(
    "--plan",
    "plans",
    multiple=True,
    metavar="RULESET[@VERSION]:LEVEL",
    help="show the least-cost, engine-confirmed plan to this level in the report (repeatable)",
)
def assess(
    park_dir: str,
    rule_refs: tuple[str, ...],
    lang: str,
    outs: tuple[str, ...],
    sign_key: str | None,
    sign_cert: str | None,
    gaps: bool,
    previous: str | None,
    standards_dirs: tuple[str, ...],
    plans: tuple[str, ...],
) -> None:
    """Assess a park folder once and write its reports (each written atomically)."""
    from zcp.report import assess_many

    imports_done()
    if plans:
        from zcp.plan import check_target

        for target in plans:  # a misspelt rule set or level fails before the evaluation
            check_target(target, standards_dirs, option="--plan")
    timings: dict[str, float] = {}
    paths = assess_many(
        park_dir,
        outs,
        rule_refs=rule_refs,
        lang=lang,
        sign_key=sign_key,
        sign_cert=sign_cert,
        timings=timings,
        gaps=gaps,
        previous=previous,
        progress=stage_printer(),
        standards_dirs=standards_dirs,
        plans=plans,
    )
    stages = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())
    names = ", ".join(str(p) for p in paths)
    click.echo(f"written: {names} in {sum(timings.values()):.1f} s ({stages})", err=True)


@main.command()
@click.argument("report", type=click.Path(exists=True, dir_okay=False, path_type=str))
@click.option(
    "--key",
    "sign_key",
    required=True,
    type=click.Path(dir_okay=False, path_type=str),
    help="signing key: PKCS#12 (.p12), or PEM with --cert (passphrase from ZCP_SIGN_PASSPHRASE)",
)
@click.option("--cert", "sign_cert", type=click.Path(dir_okay=False, path_type=str),
              help="PEM certificate of a PEM --key")  # fmt: skip
@click.option(
    "--role",
    type=click.Choice(["preparer", "reviewer", "approver"]),
    help="the role you sign for; refused unless it is the next of preparer → reviewer → approver",
)
def sign(report: str, sign_key: str, sign_cert: str | None, role: str | None) -> None:
    """Add the next signature of the chain to a PDF report (an incremental update)."""
    from pathlib import Path

    from zcp.report.atomic import atomic_write_bytes
    from zcp.report.signing import sign_pdf, signed_roles

    path = Path(report)
    if path.suffix.lower() != ".pdf":
        from zcp.errors import InputError, Problem

        raise InputError(Problem("only a PDF report can be signed", path=report))
    signed = sign_pdf(path.read_bytes(), sign_key, sign_cert, role=role)
    atomic_write_bytes(path, signed)
    roles = " → ".join(r or "?" for r in signed_roles(signed))
    click.echo(f"signed {report}: {roles}", err=True)


@main.command()
@click.argument("report", type=click.Path(dir_okay=False, path_type=str))
@click.argument("park_dir", required=False, type=click.Path(file_okay=False, path_type=str))
@click.option(
    "--trust",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=str),
    help="certificate (PEM/DER) every signer must chain to (repeatable); without it a "
    "signed report's signers are unverified (exit 1)",
)
@click.option(
    "--standards",
    "standards_dirs",
    multiple=True,
    type=click.Path(file_okay=False, exists=True, path_type=str),
    help="the extra standards folder(s) the report was assessed with (repeatable)",
)
@click.option(
    "--previous",
    type=click.Path(dir_okay=False, path_type=str),
    help="the earlier result a year-on-year report was assessed with (assess --previous); "
    "checked against the hash the report recorded",
)
@click.option(
    "--signed-through",
    type=click.Choice(["preparer", "reviewer"]),
    help="a signature chain still in progress: the team must have signed up to this role "
    "(the reviewer verifies the preparer's signature before signing); without it every "
    "role of the engagement's team must have signed",
)
def verify(
    report: str,
    park_dir: str | None,
    trust: tuple[str, ...],
    standards_dirs: tuple[str, ...],
    previous: str | None,
    signed_through: str | None,
) -> None:
    """Check a report (PDF, HTML, JSON) or a product label against a park folder: its input
    hashes, the recomputed result, what the document shows (re-rendered) and its
    signatures. An evidence pack (.zip from `zcp pack`) needs no PARK_DIR: it carries the
    park. Exit 0 match, 1 mismatch, 2 error."""
    from zcp.report import verify_report
    from zcp.report.product_label import read_label

    imports_done()

    if report.lower().endswith(".pdf") and Path(report).is_file():
        data = Path(report).read_bytes()
        if read_label(data) is not None:
            if park_dir is None:
                from zcp.errors import InputError, Problem

                raise InputError(Problem("give the park folder the label was made from"))
            _verify_label(data, park_dir)

    outcome = verify_report(
        report,
        park_dir,
        trust=trust,
        standards_dirs=standards_dirs,
        progress=stage_printer(),
        previous=previous,
        signed_through=signed_through,
    )
    for line in outcome.lines():
        click.echo(line)
    sys.exit(0 if outcome.ok else 1)


@main.command()
@click.argument("old", type=click.Path(exists=True, dir_okay=False, path_type=str))
@click.argument("new", type=click.Path(exists=True, dir_okay=False, path_type=str))
@click.option("--json", "as_json", is_flag=True, help="print the changes as JSON on stdout")
def diff(old: str, new: str, as_json: bool) -> None:
    """What changed between two rounds: OLD and NEW are result JSONs or reports (PDF, HTML).

    Verdicts, figures, levels, opinions, and findings opened, closed or withdrawn.
    Exit 0 when nothing changed, 1 when something did (like diff), 2 on bad input.
    """
    import dataclasses
    import json

    from zcp.report.output import read_report
    from zcp.rules.result_diff import diff_results

    changes = diff_results(read_report(old)[1], read_report(new)[1])
    if as_json:
        click.echo(
            json.dumps([dataclasses.asdict(c) for c in changes], ensure_ascii=False, indent=2)
        )
    else:
        for change in changes:
            click.echo(change.line())
        click.echo(f"{len(changes)} change(s)" if changes else "no changes")
    sys.exit(1 if changes else 0)


@main.command()
@click.argument("park_dir", type=click.Path(file_okay=False, path_type=str))
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=str),
              help="the pack: a .zip file")  # fmt: skip
@click.option(
    "--rules",
    "rule_refs",
    multiple=True,
    metavar="ID@VERSION",
    help="rule set to apply (repeatable); default: assessment.yaml, else those in force",
)
def pack(park_dir: str, out: str, rule_refs: tuple[str, ...]) -> None:
    """Write the verifier's evidence pack: result JSON, park inputs, every input table as
    CSV and Parquet, evidence files, a hash manifest and an offline index.html."""
    from zcp.report.pack import write_pack

    path = write_pack(park_dir, out, rule_refs=rule_refs, progress=stage_printer())
    click.echo(f"pack written to {path} (check it with: zcp verify {path})", err=True)


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
