"""``zcp validate``, ``zcp graph`` and ``zcp schema``: reading and checking a park folder."""

from __future__ import annotations

import json

import click

from zcp import jsontext
from zcp.cli import main
from zcp.graph.draw import write_graph
from zcp.validate import check_park


@main.command()
@click.argument("park_dir", type=click.Path(path_type=str))
@click.option("--json", "as_json", is_flag=True, help="print the summary as JSON on stdout")
def validate(park_dir: str, as_json: bool) -> None:
    """Check a park folder and print a summary (exit 0 valid, 2 with errors)."""
    check = check_park(park_dir)
    summary = check.summary()
    # -- readings quality (zcp.metering, issue 3): counts, rejections, per-bus balance --
    from zcp.cli.metering_commands import quality_summary_dict, quality_summary_lines
    from zcp.metering import load_readings

    readings = load_readings(check.folder)
    if readings is not None:
        summary["readings"] = quality_summary_dict(readings)
    # -- end readings quality --
    # -- products and suppliers' disclosures (zcp.products): references checked, counted --
    from zcp.products import load_products

    catalogue = load_products(check.folder.root, [t.id for t in check.folder.park.tenants])
    if catalogue is not None:
        summary["products"] = {"products": len(catalogue.data.products),
                               "supplier_disclosures": len(catalogue.disclosures)}  # fmt: skip
    # -- end products --
    if as_json:
        click.echo(jsontext.dumps(summary, indent=2))
        return
    park, counts = summary["park"], summary["counts"]
    period = park["reporting_period"]
    click.echo(
        f"{park['name']} ({park['id']}) — {park['stage']} stage, "
        f"{period['start']} to {period['end']}"
    )
    click.echo(
        f"  {counts['tenants']} tenants, {counts['assets']} assets, "
        f"{counts['flows']} flows, {counts['meters']} meters"
    )
    if "products" in summary:
        pr = summary["products"]
        click.echo(
            f"  {pr['products']} products, {pr['supplier_disclosures']} supplier disclosures"
        )
    if summary["metering_plan"]:
        click.echo("  metering plan (flows a full plan meters → metered):")
        for row in summary["metering_plan"]:
            click.echo(
                f"    {row['level']:<14} {row['carrier']:<12} {row['installed']:>5} of "
                f"{row['needed']:<5} ({row['rate']:.0%})"
            )
    click.echo(f"  unmetered flows: {len(summary['unmetered_flows'])}")
    for table in summary["tables"]:  # spreadsheets: every row accounted for
        sheet = f" (sheet {table['sheet']})" if table["sheet"] else ""
        skipped = len(table["comment_rows"])
        rows = f"{table['rows']} row" + ("" if table["rows"] == 1 else "s")
        comments = f", {skipped} comment row{'' if skipped == 1 else 's'} (#) skipped"
        click.echo(f"  {table['for']} table {table['path']}{sheet}: {rows}"
                   + (comments if skipped else ""))  # fmt: skip
    for line in quality_summary_lines(readings):  # readings quality (issue 3)
        click.echo(line)
    for warning in check.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo("valid")


@main.command()
@click.argument("park_dir", type=click.Path(path_type=str))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=str),
    help="output file: .svg (drawing), .dot or .graphml",
)
@click.option(
    "--aggregate/--no-aggregate",
    default=None,
    help="group tenants by industry in the drawing (default: only for large parks)",
)
def graph(park_dir: str, out: str, aggregate: bool | None) -> None:
    """Write the park's energy-flow graph (format by the suffix of --out)."""
    check = check_park(park_dir)
    path = write_graph(check.graph, check.folder.carriers, out, aggregate=aggregate)
    click.echo(f"wrote {path}")


@main.command()
@click.argument("what", type=click.Choice(["park"]))
def schema(what: str) -> None:
    """Print the JSON Schema of a zcp file kind (for editor autocompletion)."""
    from zcp.model import Park

    models = {"park": Park}
    click.echo(
        json.dumps(models[what].model_json_schema(by_alias=True), indent=2, ensure_ascii=False)
    )
