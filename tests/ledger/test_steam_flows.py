"""Steam metered in tonnes on park.yaml flows, priced by its heat (IAPWS-IF97).

Enthalpies from the steam tables, not from the library: superheated steam at 1.0 MPa,
250 °C = 2943.2 kJ/kg; water at 80 °C = 335.0 kJ/kg. Purchased heat 0.11 tCO2/GJ.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner

from tests.ledger.test_inventory_defects import GRID_ONLY
from tests.ledger.test_metered import PARK, readings
from zcp.cli import main
from zcp.errors import InputError
from zcp.ledger import Ledger, run_ledger

STEAM_ASSET = "  - {id: heat, type: grid_connection, carrier: steam, supplier: Park heat plant}\n"
STEAM_FLOW = (
    "  - {id: f-steam, from: heat, to: b, carrier: steam,\n"
    "     steam: {pressure: 1.0 MPa, temperature: 250 degC},\n"
    "     condensate_return: {share: 0.25, temperature: 80 degC}}\n"
)
METERED = (
    PARK.replace("assets:\n", "assets:\n" + STEAM_ASSET)
    .replace("meters:\n", STEAM_FLOW + "meters:\n")
    .rstrip("\n")
    + "\n  - {id: M-STEAM, flow: f-steam, carrier: steam, unit: t, level: park_boundary}\n"
)
STEAM_T = {0: 10.0, 10: 12.0}  # hour → tonnes read


def _with_steam(base):
    """The metered day's readings plus the steam meter's, in one ``hourly`` table."""
    frame = base.con.execute("SELECT * FROM hourly").df()
    rows = [
        ("M-STEAM", "f-steam", "steam",
         (pd.Timestamp("2023-06-01", tz="Asia/Shanghai") + pd.Timedelta(hours=h)).tz_convert("UTC"),
         t, False)
        for h, t in STEAM_T.items()
    ]  # fmt: skip
    extra = pd.DataFrame(rows, columns=frame.columns)
    extra["hour"] = extra["hour"].astype(frame["hour"].dtype)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.register("frame", pd.concat([frame, extra], ignore_index=True))
    con.execute("CREATE TABLE hourly AS SELECT * FROM frame")
    base.con = con
    return base


def test_metered_steam_is_priced_by_its_heat(write_park):
    plain = Ledger(write_park(PARK), readings=readings()).result()
    result = Ledger(write_park(METERED), readings=_with_steam(readings())).result()
    tonnes = sum(STEAM_T.values())
    gj = tonnes * (2943.2 - 0.25 * 335.0) / 1000
    for key in ("scope2_location_t", "scope2_market_t"):
        assert result.totals[key] - plain.totals[key] == pytest.approx(gj * 0.11, rel=2e-4)
    steam = result.lines[result.lines["flow_id"] == "f-steam"]
    assert steam["meter_id"].unique().tolist() == ["M-STEAM"]
    assert steam["activity"].sum() == pytest.approx(gj, rel=2e-4)
    assert set(steam["entity"]) == {"b"} and set(steam["activity_unit"]) == {"GJ"}
    assert (
        "22 t steam at 1 MPa, 250 °C: h = 2943.2 kJ/kg (IAPWS-IF97)" in steam.iloc[0]["conversion"]
    )


NO_CONDITIONS = GRID_ONLY.replace("assets:\n", "assets:\n" + STEAM_ASSET) + (
    "  - {id: f-steam, from: heat, to: a, carrier: steam, annual_estimate: 500 t}\n"
)


def test_steam_without_conditions_is_listed_not_counted_and_warned(write_park):
    folder = write_park(NO_CONDITIONS)
    result = run_ledger(folder)
    steam = result.lines[result.lines["flow_id"] == "f-steam"]
    assert not steam["counted"].any()
    assert "needs its conditions" in steam.iloc[0]["excluded_reason"]
    out = CliRunner().invoke(main, ["validate", str(folder.root)])
    assert out.exit_code == 0, out.output
    assert "flows[3]: purchased steam in t is not counted without its conditions" in out.output


@pytest.mark.parametrize(
    ("flow", "expected"),
    [
        ("{id: f-steam, from: heat, to: a, carrier: steam, annual_estimate: 500 t, "
         "steam: {pressure: 1 MPa, temperature: 2000 degC}}",
         "flows[3].steam: 1 MPa, 2000 °C is outside IAPWS-IF97's range"),
        ("{id: f-steam, from: heat, to: a, carrier: steam, annual_estimate: 500 t, "
         "steam: {pressure: 1 bar, temperature: hot}}", "flows[3].steam.temperature"),
        ("{id: f-steam, from: heat, to: a, carrier: steam, annual_estimate: 500 t, "
         "condensate_return: {share: 0.2, temperature: 80 degC}}",
         "flows[3].condensate_return: condensate_return needs the steam's conditions"),
        ("{id: f-x, from: grid, to: a, carrier: electricity, annual_estimate: 5 MWh, "
         "steam: {pressure: 1 MPa, temperature: 250 degC}}",
         "flows[3].steam: steam conditions on a electricity flow"),
    ],
)  # fmt: skip
def test_bad_conditions_are_located_errors(write_park, flow, expected):
    folder = write_park(GRID_ONLY.replace("assets:\n", "assets:\n" + STEAM_ASSET) + f"  - {flow}\n")
    with pytest.raises(InputError) as err:
        Ledger(folder)
    assert expected in str(err.value) and "park.yaml:" in str(err.value)
    out = CliRunner().invoke(main, ["validate", str(folder.root)])
    assert out.exit_code == 2 and expected in out.output and "Traceback" not in out.output
