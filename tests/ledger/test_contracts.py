"""Per-contract allocation of on-site clean power, before the pro-rata rule."""

from __future__ import annotations

import pytest

from tests.ledger.conftest import GROUP_PARK
from tests.ledger.test_metered import PARK, readings
from zcp.errors import InputError
from zcp.ledger import Ledger, run_ledger

CONTRACT = """\
kind: activity
schema_version: 1
green_power_contracts:
  - {entity: %s, generator: %s, share: %s}
"""


def test_design_contract_gives_all_wind_to_a(write_park):
    folder = write_park(GROUP_PARK, activity=CONTRACT % ("a", "wind", 1.0))
    result = run_ledger(folder)
    # A's flat load (10,000/yr, 1.14 MWh an hour) exceeds the 1 MW of wind every hour: A takes it all
    tenants = result.by_tenant().set_index("entity")
    assert tenants.loc["a", "hourly_cfe_score"] == pytest.approx(2000 / 10000, abs=5e-4)
    assert tenants.loc["b", "hourly_cfe_score"] == pytest.approx(0.0, abs=5e-4)
    location = (10000 - 2000) * 0.5500 + 5000 * 0.5617
    assert result.totals["scope2_location_t"] == pytest.approx(location, abs=0.5)
    assert result.indicators["green_electricity_share"].value == pytest.approx(
        2000 / 15000, abs=5e-4
    )


def test_metered_contract_for_half_the_pv(write_park):
    folder = write_park(PARK, activity=CONTRACT % ("b", "pv", 0.5))
    result = Ledger(folder, readings=readings()).result()
    # h10: b takes min(20, 15) = 15, the other 15 cover a 10 and b's last 5 (r' = 1)
    # h11: b takes min(10, 20) = 10, a gets the rest of the 20 matched (r' = 1)
    # h12: b takes min(10, 5) = 5; 15 matched − 5 = 10 over the 15 still unmet (r' = 2/3)
    a_clean = 10 + 10 + 10 * 2 / 3
    b_clean = 20 + 10 + 5 + 5 * 2 / 3
    tenants = result.by_tenant().set_index("entity")
    assert tenants.loc["a", "hourly_cfe_score"] == pytest.approx(a_clean / 44, abs=5e-4)
    assert tenants.loc["b", "hourly_cfe_score"] == pytest.approx(b_clean / 52, abs=5e-4)
    assert result.indicators["hourly_cfe_score"].value == pytest.approx(65 / 98, abs=5e-4)


def test_contracts_are_checked(write_park):
    with pytest.raises(InputError, match="not a clean generator"):
        Ledger(write_park(GROUP_PARK, activity=CONTRACT % ("a", "grid", 0.5)))
    twice = CONTRACT % ("a", "wind", 0.7) + "  - {entity: b, generator: wind, share: 0.5}\n"
    with pytest.raises(InputError, match="give away 120%"):
        Ledger(write_park(GROUP_PARK, activity=twice))
