"""``zcp footprint`` (product carbon footprints, PACT JSON, labels) and ``zcp disclose``
(the inventory mapped to disclosure frameworks)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from zcp.cli import main


def _fmt(x: float) -> str:
    return f"{x:,.3f}"


@main.command()
@click.argument("park_dir", type=click.Path(file_okay=False, path_type=str))
@click.option(
    "--product", "products", multiple=True, metavar="ID", help="only this product (repeatable)"
)
@click.option("--json", "as_json", is_flag=True, help="print the footprints as JSON")
@click.option(
    "--pact",
    "pact_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="write the footprints in the PACT data model (a JSON list)",
)
@click.option(
    "--label",
    "label_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="write the product's label PDF with its QR code (one --product)",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--profile", default=None, help="accounting profile (default ghg-protocol-corporate)")
def footprint(park_dir: str, products: tuple[str, ...], as_json: bool, pact_file: Path | None,
              label_file: Path | None, lang: str, profile: str | None) -> None:  # fmt: skip
    """Cradle-to-gate carbon footprints of the park's products (ISO 14067)."""
    from zcp.errors import InputError, Problem
    from zcp.products.pact import to_pact, validate_pact
    from zcp.products.run import park_footprints

    if label_file is not None and len(products) != 1:
        raise InputError(
            Problem("--label needs exactly one --product", hint="e.g. --product cell-lfp-280")
        )
    footprints, result = park_footprints(park_dir, list(products) or None, profile)
    if pact_file is not None:
        created = dt.datetime.now(dt.UTC).replace(microsecond=0)
        docs = [to_pact(fp, company_name=fp.tenant_name_en or fp.tenant_name,
                        gwp_basis=str(result.profile.get("gwp_basis")), created=created)
                for fp in footprints]  # fmt: skip
        errors = [e for d in docs for e in validate_pact(d)]
        if errors:  # a bug of ours, not the user's: say so loudly
            raise RuntimeError("PACT export does not validate: " + "; ".join(errors))
        pact_file.write_text(json.dumps(docs, ensure_ascii=False, indent=2), encoding="utf-8")
        click.echo(f"wrote {pact_file} ({len(docs)} PACT product footprints)", err=True)
    if label_file is not None:
        from zcp.report.product_label import write_label

        write_label(footprints[0], label_file, lang)
        click.echo(f"wrote {label_file}", err=True)
    if as_json:
        click.echo(json.dumps([fp.as_dict() for fp in footprints], ensure_ascii=False, indent=2,
                              allow_nan=False))  # fmt: skip
        return
    for fp in footprints:
        p = fp.product
        click.echo(f"{p.id}  {p.name_en or p.name}  ({fp.tenant_name})")
        click.echo(f"  footprint  {_fmt(fp.kg_per_unit)} kgCO2e/{p.declared_unit}   "
                   f"output {fp.output:,.0f} {p.declared_unit}   period {fp.period[0]}…{fp.period[1]}")  # fmt: skip
        for stage, v in fp.stages().items():
            click.echo(f"  {stage:<11}{_fmt(v):>12}")
        shares = ", ".join(f"{k} {100 * v:.0f} %" for k, v in fp.data_quality_shares().items())
        click.echo(f"  data quality: {shares}; primary data {100 * fp.primary_data_share:.0f} %")
        click.echo(f"  allocation: {fp.allocation['rule']}, share {fp.allocation['share']:.4f}")
        if fp.battery:
            click.echo(f"  battery: {fp.battery['kg_co2e_per_kwh_lifetime']:.4f} kgCO2e per kWh over the "
                       f"service life (provisional; {fp.battery['lifetime_energy_kwh']:,.0f} kWh per battery)")  # fmt: skip
        for note in fp.notes:
            click.echo(f"  note: {note}")


@main.command()
@click.argument("park_dir", type=click.Path(file_okay=False, path_type=str))
@click.option("--framework", required=True, metavar="ID",
              help="issb_s2, cn_csds_climate or cdp_climate")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="print the mapped fields as JSON")
@click.option(
    "--csv", "csv_file", type=click.Path(dir_okay=False, path_type=Path), help="write a CSV"
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="en", show_default=True)
def disclose(
    park_dir: str, framework: str, as_json: bool, csv_file: Path | None, lang: str
) -> None:
    """The park's inventory mapped to a climate-disclosure framework; unmapped fields listed."""
    from zcp.ledger import run_ledger
    from zcp.products.exports import export, load_map, write_csv

    fmap = load_map(framework)  # a typo fails before the (slower) ledger run
    doc = export(run_ledger(park_dir, profile=fmap.profile).to_json(), framework, lang)
    if csv_file is not None:
        write_csv(doc, csv_file)
        click.echo(f"wrote {csv_file}", err=True)
    if as_json:
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False))
        return
    click.echo(f"{doc['title']} — {doc['park']} {doc['period']['start']}…{doc['period']['end']} "
               f"(profile {doc['profile']}, mapping {doc['confidence']})")  # fmt: skip
    for row in doc["rows"]:
        value = (
            "—"
            if row["value"] is None
            else (f"{row['value']:,.1f}" if isinstance(row["value"], float) else row["value"])
        )
        click.echo(
            f"  {row['label']}: {value} {row['unit'] or ''}".rstrip() + f"   [{row['trace']}]"
        )
    for row in doc["unmapped"]:
        click.echo(f"  not exported: {row['label']} — {row['trace']}")
