"""``zcp synth``, and the data-quality lines ``zcp validate`` prints for loaded readings."""

from __future__ import annotations

import datetime as dt

import click

from zcp import jsontext
from zcp.cli import main
from zcp.metering import MeterData, summary_lines


def quality_summary_lines(meter_data: MeterData | None) -> list[str]:
    """Lines describing the readings' quality and the per-bus balance (empty without
    readings), indented for ``zcp validate`` to print under its park summary."""
    if meter_data is None:
        return []
    lines = summary_lines(meter_data.quality, meter_data.units)
    balance = meter_data.balance
    if not balance.periods.empty:
        totals = balance.periods[balance.periods["period"] == "total"]
        for row in totals.itertuples():
            relative = "n/a" if row.relative != row.relative else f"{row.relative:+.2%}"
            lines.append(
                f"  balance {row.bus} ({row.carrier}): {row.status}, imbalance {relative} "
                f"over {row.hours:,} h ({row.hours_out_of_tolerance} h out of tolerance, "
                f"{row.hours_incomplete} h incomplete)"
            )
        for row in balance.imbalances.itertuples():
            if row.period != "total":
                lines.append(f"    {row.bus} {row.period}: imbalance {row.relative:+.2%}")
    for bus, reason in balance.not_computable.items():
        lines.append(f"  balance {bus}: not computable — {reason}")
    return ["  " + line for line in lines]


def quality_summary_dict(meter_data: MeterData | None) -> dict | None:
    """The same for ``zcp validate --json``: ``{"quality": ..., "balance": ...}`` (plain
    JSON types), or None without readings."""
    if meter_data is None:
        return None
    return {"quality": meter_data.quality.to_dict(), "balance": meter_data.balance.to_dict()}


@main.command()
@click.option("--tenants", type=click.IntRange(1), default=12, show_default=True)
@click.option("--meters", type=click.IntRange(1), default=40, show_default=True)
@click.option("--hours", type=click.IntRange(24), default=8760, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), default="2026-01-01", show_default=True)
@click.option("--id", "park_id", default="synthetic-park", show_default=True)
@click.option("--name", default=None, help="park name (default: a Chinese synthetic name)")
@click.option("--format", "readings_format", type=click.Choice(["parquet", "csv"]),
              default="parquet", show_default=True)  # fmt: skip
@click.option("--no-faults", is_flag=True, help="write clean readings (no seeded faults)")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="folder to write")
@click.option("--json", "as_json", is_flag=True, help="print synth.json (ground truth) to stdout")
@click.option("--portfolio", "portfolio", type=click.IntRange(1), default=None,
              help="write N varied parks and manifest.yaml instead (see zcp.synth.portfolio)")  # fmt: skip
@click.option("--max-meters", type=click.IntRange(11), default=2000, show_default=True,
              help="with --portfolio: the largest park's meter count")  # fmt: skip
def synth(
    tenants: int,
    meters: int,
    hours: int,
    seed: int,
    start: dt.datetime,
    park_id: str,
    name: str | None,
    readings_format: str,
    no_faults: bool,
    out: str,
    as_json: bool,
    portfolio: int | None,
    max_meters: int,
) -> None:
    """Write a seeded synthetic operating park (park.yaml, meters.csv, readings, synth.json).

    The same arguments give the same folder. Seeded faults (gaps, duplicates, spikes,
    negative values, register resets, silent meters, readings for an unknown meter) are
    recorded with their exact counts in synth.json.

    With --portfolio N: N varied parks (design and operating, 10 to --max-meters meters,
    --hours of readings; one month unless given) with seeded cross-park double claims,
    listed in manifest.yaml for ``zcp batch --manifest``.
    """
    if portfolio is not None:
        from zcp.cli.portfolio_commands import write_portfolio

        hours_given = click.get_current_context().get_parameter_source("hours")
        write_portfolio(out, portfolio, seed, hours if hours_given.name != "DEFAULT" else None,
                        max_meters, start.date(), readings_format, as_json)  # fmt: skip
        return
    from zcp.synth import FaultCounts, SynthSpec, synthesize
    from zcp.synth.layout import min_meters

    if meters < min_meters(tenants):
        raise click.UsageError(f"{tenants} tenants need --meters of at least {min_meters(tenants)}")
    spec = SynthSpec(
        tenants=tenants,
        meters=meters,
        hours=hours,
        seed=seed,
        start=start.date(),
        park_id=park_id,
        readings_format=readings_format,
        faults=FaultCounts() if no_faults else None,
    )
    if name:
        spec.name = name
    record = synthesize(out, spec)
    if as_json:
        click.echo(jsontext.dumps(record, indent=1))
    else:
        truth = record["truth"]
        click.echo(
            f"wrote {out}: {tenants} tenants, {meters} meters, {hours} h; faults: "
            f"{truth['gap_runs']} gaps, {truth['duplicates']} duplicates, {truth['spikes']} "
            f"spikes, {truth['negatives']} negatives, {truth['resets']} resets, "
            f"{len(truth['silent_meters'])} silent meters"
        )
