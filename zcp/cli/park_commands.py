"""``zcp validate``, ``zcp graph`` and ``zcp schema``: reading and checking a park folder."""

from __future__ import annotations

import json

import click

from zcp.cli import main
from zcp.model import Park, load_park


@main.command()
@click.argument("park_dir", type=click.Path(file_okay=False, path_type=str))
def validate(park_dir: str) -> None:
    """Check a park folder and print a summary (exit 0 valid, 2 with errors)."""
    folder = load_park(park_dir)
    park = folder.park
    click.echo(f"{park.name} ({park.id}) — {park.stage}, {park.reporting_period.start} to "
               f"{park.reporting_period.end}")
    click.echo(f"  {len(park.tenants)} tenants, {len(park.assets)} assets, "
               f"{len(park.flows)} flows, {len(park.meters)} meters")


@main.command()
@click.argument("what", type=click.Choice(["park"]))
def schema(what: str) -> None:
    """Print the JSON Schema of a zcp file kind (for editor autocompletion)."""
    models = {"park": Park}
    click.echo(json.dumps(models[what].model_json_schema(by_alias=True), indent=2, ensure_ascii=False))
