"""Small parks for ledger tests, written as YAML text so each example reads like a park file."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from zcp.model import ParkFolder, load_park


@pytest.fixture
def write_park(tmp_path: Path):
    def write(park: str, instruments: str | None = None, activity: str | None = None) -> ParkFolder:
        (tmp_path / "park.yaml").write_text(textwrap.dedent(park), encoding="utf-8")
        if instruments is not None:
            (tmp_path / "instruments.yaml").write_text(textwrap.dedent(instruments), "utf-8")
        if activity is not None:
            (tmp_path / "activity.yaml").write_text(textwrap.dedent(activity), "utf-8")
        return load_park(tmp_path)

    return write


GROUP_PARK = """\
kind: park
schema_version: 1
id: grp
name: Worked-example group
location: {province: Jiangsu, grid_region: east}
reporting_period: {start: 2023-01-01, end: 2023-12-31}
stage: design
tenants:
  - {id: a, name: Plant A, industry: parts}
  - {id: b, name: Plant B, industry: parts,
     reporting_period: {start: 2021-10-01, end: 2022-09-30}}
  - {id: c, name: Lessee C, industry: offices, in_boundary: false}
assets:
  - {id: grid, type: grid_connection, carrier: electricity}
  - {id: wind, type: generator, technology: wind, capacity: 1, site: on_site}
  - {id: bus, type: bus, carrier: electricity}
  - {id: gas, type: fuel_supply, carrier: natural_gas}
  - {id: boiler, type: converter, technology: boiler, inputs: [natural_gas], outputs: [steam],
     tenant: a}
flows:
  - {id: f-wind, from: wind, to: bus, carrier: electricity, annual_estimate: 2000 MWh}
  - {id: f-imp, from: grid, to: bus, carrier: electricity, annual_estimate: 14000 MWh}
  - {id: f-a, from: bus, to: a, carrier: electricity, annual_estimate: 10000 MWh}
  - {id: f-b, from: bus, to: b, carrier: electricity, annual_estimate: 5000 MWh}
  - {id: f-c, from: bus, to: c, carrier: electricity, annual_estimate: 1000 MWh}
  - {id: f-gas, from: gas, to: boiler, carrier: natural_gas, annual_estimate: 100000 m3}
  - {id: f-steam, from: boiler, to: a, carrier: steam, annual_estimate: 1000 t}
"""

GROUP_INSTRUMENTS = """\
kind: instruments
schema_version: 1
certificates:
  - {id: gec-a, type: GEC, serials: {first: "GEC2023A0001", last: "GEC2023A3000"}, mwh: 3000,
     vintage: {start: 2023-01-01, end: 2023-06-30}, retired: true, beneficiary: a}
  - {id: gec-b, type: GEC, serials: {first: "GEC2022B0001", last: "GEC2022B1000"}, mwh: 1000,
     vintage: {start: 2022-01-01, end: 2022-03-31}, retired: true, beneficiary: b}
  - {id: gec-park, type: GEC, serials: {first: "GEC2023P001", last: "GEC2023P500"}, mwh: 500,
     vintage: {start: 2023-07-01, end: 2023-09-30}, retired: true, beneficiary: grp}
  - {id: go-eu, type: GO, mwh: 800, vintage: {start: 2023-01-01, end: 2023-12-31},
     generator: {country: DE}, retired: true, beneficiary: a}
  - {id: gec-unretired, type: GEC, mwh: 100, vintage: {start: 2023-01-01, end: 2023-03-31},
     beneficiary: a}
credits:
  - {id: ccer-1, standard: CCER, serials: {first: "CCER-9-0001", last: "CCER-9-0200"},
     tonnes: 200, vintage: 2022, retired: true, beneficiary: grp}
"""
