"""``zcp emissions``: the park's inventory as a table, CSV files or the JSON contract."""

from __future__ import annotations

from pathlib import Path

import click

from zcp import jsontext
from zcp.cli import main
from zcp.ledger import JSON_CONTRACT, run_ledger
from zcp.ledger.profile import available_profiles


@main.command()
@click.argument("park_dir", type=click.Path(file_okay=False, path_type=str))
@click.option("--csv", "csv_dir", type=click.Path(file_okay=False, path_type=Path),
              help="write the DataFrames (lines, tenants, months, carriers, energy, meters, trace) here")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="print the versioned JSON contract")
@click.option("--profile", default=None,
              help=f"accounting profile ({', '.join(available_profiles())}) or a file path")  # fmt: skip
@click.option("--factors", default=None, help="grid factors SET@YEAR, e.g. mee_electricity@2022")
@click.option("--contract", is_flag=True, help="describe the JSON contract and exit")
def emissions(
    park_dir: str,
    csv_dir: Path | None,
    as_json: bool,
    profile: str | None,
    factors: str | None,
    contract: bool,
) -> None:
    """Account a park: scopes 1–3, green power, instruments, net emissions and indicators."""
    if contract:
        click.echo(JSON_CONTRACT)
        return
    result = run_ledger(park_dir, profile=profile, factors=factors)
    if csv_dir is not None:
        csv_dir.mkdir(parents=True, exist_ok=True)
        frames = {
            "lines": result.lines,
            "tenants": result.by_tenant(),
            "months": result.by_month(),
            "carriers": result.by_carrier(),
            "energy": result.energy,
            "electricity": result.electricity,
            "meters": result.meters,
            "trace": result.trace(),
        }
        for name, frame in frames.items():
            frame.to_csv(csv_dir / f"{name}.csv", index=False)
        click.echo(f"wrote {len(frames)} CSV files to {csv_dir}", err=True)
    if as_json:
        click.echo(jsontext.dumps(result.to_json(), indent=2))
        return
    _print_table(result)


def _print_table(result) -> None:
    t = result.totals
    click.echo(f"{result.park_id}  {result.period[0]} – {result.period[1]}  "
               f"({result.basis}; profile {result.profile['id']})")  # fmt: skip
    click.echo("")
    for label, key in (
        ("Scope 1", "scope1_t"),
        ("Scope 2 location-based", "scope2_location_t"),
        ("Scope 2 market-based", "scope2_market_t"),
        ("Scope 3", "scope3_t"),
        ("Offsets retired", "offsets_t"),
        ("Net", "net_t"),
    ):
        click.echo(f"  {label:<26}{t[key]:>16,.1f} tCO2e")
    click.echo(f"  ({result.net_basis})")
    click.echo("")
    for name, ind in result.indicators.items():
        value = "—" if ind.value is None else f"{ind.value:,.4f} {ind.unit}"
        click.echo(f"  {name:<40}{value:>22}" + (f"  [{ind.reason}]" if ind.reason else ""))
    click.echo("")
    tenants = result.by_tenant()
    click.echo(f"  {'entity':<16}{'MWh':>14}{'S1 t':>12}{'S2 loc t':>12}{'S2 mkt t':>12}"
               f"{'green':>8}{'hourly':>8}")  # fmt: skip
    for row in tenants.itertuples(index=False):
        click.echo(
            f"  {row.entity:<16}{row.electricity_mwh:>14,.0f}{row.scope1_t:>12,.1f}"
            f"{row.scope2_location_t:>12,.1f}{row.scope2_market_t:>12,.1f}"
            f"{_pct(row.green_electricity_share):>8}{_pct(row.hourly_cfe_score):>8}"
        )
    for entry in result.other_periods:
        click.echo(f"  note: {entry['entity']} reports {entry['start']} – {entry['end']}")
    for entry in result.instruments_excluded:
        click.echo(f"  excluded instrument {entry['id']}: {entry['reason']}")
    _print_reconciliation(result.reconciliation)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)


def _print_reconciliation(rec: dict) -> None:
    if not rec.get("lines"):
        return
    click.echo("")
    click.echo(f"  Reconciliation with stated figures (materiality {rec['materiality']:.1%}, "
               f"{rec['materiality_source']})")  # fmt: skip
    click.echo(f"  {'entity':<16}{'figure':<26}{'stated t':>12}{'computed t':>12}"
               f"{'diff t':>10}{'diff':>8}  cause")  # fmt: skip
    for line in rec["lines"]:
        rel = line["relative_difference"]
        flag = "  MATERIAL" if line["material"] else ""
        click.echo(
            f"  {line['entity'][:15]:<16}{line['figure']:<26}{line['stated_t']:>12,.1f}"
            f"{line['computed_t']:>12,.1f}{line['difference_t']:>10,.1f}"
            f"{'—' if rel is None else f'{rel:+.1%}':>8}  {line['likely_cause']}{flag}"
            f" ({line['detail']})"
        )


def _pct(value: float) -> str:
    return "—" if value != value else f"{value:.1%}"
