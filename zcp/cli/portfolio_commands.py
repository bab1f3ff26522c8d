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
