"""``zcp validate`` checks the inventory's files too: references, units, periods."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tests.ledger.conftest import GROUP_PARK
from tests.ledger.test_entity_locations import GROUP
from zcp.cli import main

ACTIVITY = """\
kind: activity
schema_version: 1
scope3:
  - {category: 1, entity: aa, description: aluminium, amount: 50 t,
     factor: {value: 8.0, unit: tCO2e/t, source: supplier EPD}}
mobile_combustion:
  - {entity: a, carrier: diesel, quantity: 441590 gallon}
"""

INSTRUMENTS = """\
kind: instruments
schema_version: 1
certificates:
  - {id: g1, type: GEC, serials: {first: "GEC0001", last: "GEC0010"}, mwh: 10,
     vintage: {start: 2023-01-01, end: 2023-03-31}, retired: true, beneficiary: bb}
  - {id: g2, type: GEC, serials: {first: "gec-0005", last: "gec-0014"}, mwh: 10,
     vintage: {start: 2023-01-01, end: 2023-03-31}, retired: true, beneficiary: a}
"""


def test_validate_reports_every_inventory_reference(write_park):
    folder = write_park(GROUP_PARK, INSTRUMENTS, ACTIVITY)
    out = CliRunner().invoke(main, ["validate", str(folder.root)])
    assert out.exit_code == 2, out.output
    text = out.output
    assert "activity.yaml:4" in text and "unknown entity 'aa'" in text and "'a'" in text
    assert "activity.yaml:7" in text and "gallon" in text and "L, m3, Nm3" in text
    assert "unknown beneficiary 'bb'" in text and "did you mean 'b'" in text
    assert "GEC0005..GEC0010 claimed twice" in text  # as the first claim writes them


def test_validate_flags_other_reporting_periods(write_park):
    folder = write_park(GROUP_PARK)
    out = CliRunner().invoke(main, ["validate", str(folder.root), "--json"])
    assert out.exit_code == 0, out.output
    summary = json.loads(out.stdout)
    assert summary["entities_with_other_periods"] == [
        {"entity": "b", "start": "2021-10-01", "end": "2022-09-30"}
    ]
    assert any("'b' reports 2021-10-01 – 2022-09-30" in w for w in summary["warnings"])


def test_validate_refuses_a_site_abroad_without_its_factor(write_park):
    text = (
        GROUP.split("     grid_factors: {location:")[0]
        + "}\n"
        + GROUP.split("confidence: verified}}}\n")[1]
    )
    folder = write_park(text)
    out = CliRunner().invoke(main, ["validate", str(folder.root)])
    assert out.exit_code == 2 and "outside China" in out.output, out.output
