"""``zcp batch`` and ``zcp portfolio query|report``, and the portfolio side of ``zcp synth``.

Thin wrappers over :mod:`zcp.portfolio` and :mod:`zcp.synth.portfolio`: many park folders
assessed on a Dask cluster into one Parquet table, queried with DuckDB and reported.
"""

from __future__ import annotations

import datetime as dt
import json

import click

from zcp.cli import main  # noqa: F401  (commands below register on it)


def write_portfolio(
    out: str,
    parks: int,
    seed: int,
    hours: int | None,
    max_meters: int,
    start: dt.date,
    readings_format: str,
    as_json: bool,
) -> None:
    """``zcp synth --portfolio N``: write the parks and the manifest, say what was seeded."""
    from zcp.synth.portfolio import MANIFEST_FILE, PortfolioSpec, synthesize_portfolio

    spec = PortfolioSpec(parks=parks, seed=seed, max_meters=max_meters, start=start,
                         readings_format=readings_format)  # fmt: skip
    if hours is not None:
        spec.hours = hours
    manifest = synthesize_portfolio(out, spec)
    if as_json:
        click.echo(json.dumps(manifest, indent=1, ensure_ascii=False))
        return
    stages = [p["stage"] for p in manifest["parks"]]
    meters = [p["meters"] for p in manifest["parks"]]
    click.echo(
        f"wrote {out}/{MANIFEST_FILE}: {parks} parks ({stages.count('design')} design, "
        f"{stages.count('operation')} operating), {min(meters)}–{max(meters)} meters, "
        f"{len(manifest['seeded_double_claims'])} seeded cross-park double claims"
    )


@main.command()
@click.argument("park_dirs", nargs=-1, type=str, metavar="PARK_DIR...")
@click.option("--manifest", "manifest", type=click.Path(dir_okay=False, path_type=str),
              help="portfolio manifest listing the park folders (paths or fsspec URLs)")  # fmt: skip
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=str),
              help="portfolio folder: the Parquet table, claims, reports, batch.json")  # fmt: skip
@click.option("--jobs", type=click.IntRange(1), default=None,
              help="worker processes of the local Dask cluster [default: 2]")  # fmt: skip
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
              help="run on this existing Dask cluster instead of a local one")  # fmt: skip
@click.option("--sequential", is_flag=True,
              help="no cluster: a plain loop in this process (baseline, debugging)")  # fmt: skip
@click.option("--assess", "with_reports", is_flag=True,
              help="also write each park's report into OUT/reports")  # fmt: skip
@click.option("--report-format", type=click.Choice(["pdf", "html"]), default="pdf",
              show_default=True)  # fmt: skip
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--rules", "rule_refs", multiple=True, metavar="ID@VERSION",
              help="rule set to apply to every park (repeatable); default: each park's own")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="print batch.json on stdout")
def batch(
    park_dirs: tuple[str, ...],
    manifest: str | None,
    out: str,
    jobs: int | None,
    scheduler: str | None,
    sequential: bool,
    with_reports: bool,
    report_format: str,
    lang: str,
    rule_refs: tuple[str, ...],
    as_json: bool,
) -> None:
    """Assess many parks into one portfolio table (exit 1 if a park failed or a claim is
    made in two parks). Progress goes to stderr; unchanged parks are skipped on re-runs."""
    import sys

    from zcp.portfolio import BatchOptions, manifest_sources, run_batch

    if scheduler and (jobs or sequential):
        raise click.UsageError("--scheduler runs on an existing cluster: drop --jobs/--sequential")
    sources = list(park_dirs) + (manifest_sources(manifest) if manifest else [])
    if not sources:
        raise click.UsageError("no park folders given — name PARK_DIR... or --manifest FILE")
    twice = sorted({s for s in sources if sources.count(s) > 1})
    if twice:
        raise click.UsageError(f"park listed twice in the batch: {', '.join(twice)}")
    options = BatchOptions(assess=with_reports, lang=lang, report_format=report_format,
                           rule_refs=rule_refs)  # fmt: skip
    summary = run_batch(sources, out, options=options, jobs=jobs, scheduler=scheduler,
                        sequential=sequential)  # fmt: skip
    for conflict in summary.conflicts:
        click.echo(f"error: {conflict['message']}", err=True)
    click.echo(
        f"{len(sources)} parks: {summary.assessed} assessed, {summary.skipped} unchanged, "
        f"{len(summary.errors)} with errors; {len(summary.conflicts)} cross-park double "
        f"claims; {summary.wall_s:.1f} s on {summary.engine} ({summary.workers} workers) "
        f"→ {out}",
        err=True,
    )
    if as_json:
        click.echo(json.dumps(summary.to_json(), indent=1, ensure_ascii=False))
    sys.exit(1 if summary.errors or summary.conflicts else 0)


@main.group()
def portfolio() -> None:
    """Query and report the portfolio table that zcp batch wrote."""


@portfolio.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=str))
@click.argument("sql")
@click.option("--csv", "as_csv", is_flag=True, help="print CSV instead of an aligned table")
def query(folder: str, sql: str, as_csv: bool) -> None:
    """Run SQL over the portfolio views (parks, results, rules, levels, errors, claims,
    claim_conflicts — see docs/portfolio.md)."""
    import csv
    import sys

    from zcp.portfolio.query import run_query

    columns, rows = run_query(folder, sql)
    if as_csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        return
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    click.echo("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    for row in cells:
        click.echo("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    click.echo(f"({len(rows)} rows)", err=True)


def _cell(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


@portfolio.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=str))
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=str),
              help="report file: .pdf or .html")  # fmt: skip
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def report(folder: str, out: str, lang: str) -> None:
    """The portfolio report: levels by park, core indicator against its band threshold,
    parks closest to a level, data-quality outliers, errors and cross-park double claims."""
    from zcp.portfolio.report import write_portfolio_report

    path = write_portfolio_report(folder, out, lang)
    click.echo(f"wrote {path}", err=True)


@portfolio.command()
def views() -> None:
    """List the views ``zcp portfolio query`` offers, with what each holds."""
    from zcp.portfolio import query as query_module

    text = (query_module.__doc__ or "").split("\n\n", 2)[-1]
    click.echo(text.replace("``", "").rstrip())
