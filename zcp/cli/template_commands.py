"""``zcp template KIND --out FILE.xlsx``: blank, documented workbooks to send out and fill in.

Each kind registers its writer in ``TEMPLATES``; a file read back is checked like its YAML
twin (errors by sheet, row and column).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from zcp.cli import main


def _supplier_disclosure(path: Path) -> None:
    from zcp.ledger.supplier_workbook import write_template

    write_template(path)


def _registry(path: Path) -> None:
    from zcp.ledger.registry_csv import write_registry_template

    write_registry_template(path)


def _activity(path: Path) -> None:
    from zcp.ledger.activity_tables import write_activity_template

    write_activity_template(path)


def _meters(path: Path) -> None:
    from zcp.model.meter_columns import write_meter_template

    write_meter_template(path)


#: kind → writer of its blank workbook.
TEMPLATES: dict[str, Callable[[Path], None]] = {
    "supplier_disclosure": _supplier_disclosure,
    "registry": _registry,  # a certificate statement instruments.yaml imports
    "activity": _activity,  # fuel and purchased-energy lines activity.yaml `tables:` reads
    "meters": _meters,  # the meter list park.yaml `meters_file:` names
}
#: kinds that are one table, so may be written as CSV too
CSV_TEMPLATES = ("activity", "meters")


@main.command()
@click.argument("kind", metavar="KIND")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="FILE.xlsx (activity and meters: or FILE.csv)",
)
@click.option("--force", is_flag=True, help="overwrite FILE if it exists")
def template(kind: str, out: Path, force: bool) -> None:
    """Write a blank, documented workbook of KIND: activity, meters, registry or
    supplier_disclosure."""
    from zcp.errors import InputError, Problem, did_you_mean

    if kind not in TEMPLATES:
        raise InputError(Problem(f"no template for {kind!r}", field="KIND",
                                 hint=did_you_mean(kind, TEMPLATES) or "one of " + ", ".join(TEMPLATES)))  # fmt: skip
    suffixes = (".xlsx", ".csv") if kind in CSV_TEMPLATES else (".xlsx",)
    if out.suffix.lower() not in suffixes:
        raise InputError(
            Problem(
                f"{out}: a {kind} template is " + " or ".join(suffixes),
                field="--out",
                hint="name it FILE" + " or FILE".join(suffixes),
            )
        )
    if out.exists() and not force:  # it may be a filled-in copy of this very template
        raise InputError(Problem(f"{out} exists", field="--out",
                                 hint="choose another name, or give --force to overwrite it"))  # fmt: skip
    TEMPLATES[kind](out)
    click.echo(f"wrote {out}", err=True)
