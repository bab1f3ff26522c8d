"""Shared fixtures: small parks written to a temporary folder in a few lines."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

#: A small but complete operating park: grid + PV into a bus, two tenants, one with a
#: metered machine, a gas boiler. Tests copy it and change one thing.
MINIMAL_PARK = """\
kind: park
schema_version: 1
id: mini
name: 小型测试园区
location: {province: 江苏省, grid_region: east}
reporting_period: {start: 2025-01-01, end: 2025-12-31}
stage: operation
tenants:
  - {id: t1, name: 电池厂, industry: batteries}
  - {id: t2, name: 机加工, industry: machining}
assets:
  - {id: grid, type: grid_connection, carrier: electricity}
  - {id: pv, type: generator, technology: pv, capacity: 5}
  - {id: bus, type: bus, carrier: electricity}
  - {id: gas, type: fuel_supply, carrier: natural_gas}
  - {id: boiler, type: converter, technology: boiler, inputs: [natural_gas], outputs: [steam], tenant: t1}
  - {id: press, type: equipment, carrier: electricity, rated_power: 500 kW, tenant: t2}
flows:
  - {id: f-grid, from: grid, to: bus, carrier: electricity}
  - {id: f-pv, from: pv, to: bus, carrier: electricity}
  - {id: f-t1, from: bus, to: t1, carrier: electricity}
  - {id: f-t2, from: bus, to: t2, carrier: electricity}
  - {id: f-press, from: t2, to: press, carrier: electricity}
  - {id: f-gas, from: gas, to: boiler, carrier: natural_gas}
  - {id: f-steam, from: boiler, to: t1, carrier: steam}
meters:
  - {id: m-grid, flow: f-grid, carrier: electricity, unit: kWh, level: park_boundary}
  - {id: m-pv, flow: f-pv, carrier: electricity, unit: kWh, level: equipment}
  - {id: m-t1, flow: f-t1, carrier: electricity, unit: kWh, level: tenant}
  - {id: m-gas, flow: f-gas, carrier: natural_gas, unit: m3, level: park_boundary}
"""


@pytest.fixture
def write_park(tmp_path: Path):
    """``write_park(text, **extra_files)`` → a park folder holding ``park.yaml`` = text."""

    def _write(text: str | bytes = MINIMAL_PARK, name: str = "park", **files: str | bytes) -> Path:
        folder = tmp_path / name
        folder.mkdir(parents=True, exist_ok=True)
        for filename, content in {"park.yaml": text, **files}.items():
            target = folder / filename.replace("__", "/")
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(
                    textwrap.dedent(content) if content.startswith("\n") else content,
                    encoding="utf-8",
                )
        return folder

    return _write


REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "assessments"
