"""Graph integrity (#12 item 5): energy going round among tenants is refused before it can
be counted twice; a flow's second meter is named as its check meter, never ignored."""

from __future__ import annotations

from click.testing import CliRunner

from tests.conftest import MINIMAL_PARK
from zcp.cli import main
from zcp.validate import check_park


def _add_flows(lines: str) -> str:
    anchor = "  - {id: f-steam, from: boiler, to: t1, carrier: steam}\n"
    assert anchor in MINIMAL_PARK
    return MINIMAL_PARK.replace(anchor, anchor + lines)


def test_an_electricity_loop_between_tenants_is_an_error(write_park):
    text = _add_flows(
        "  - {id: f-t1-t2, from: t1, to: t2, carrier: electricity}\n"
        "  - {id: f-t2-t1, from: t2, to: t1, carrier: electricity}\n"
    )
    result = CliRunner().invoke(main, ["validate", str(write_park(text))])
    assert result.exit_code == 2
    assert "flows[7].to: electricity flows go round in a loop among t1, t2 (f-t1-t2, f-t2-t1)" in (
        result.output
    )


def test_a_one_way_tenant_flow_and_bus_loops_are_fine(write_park):
    """t1 → t2 alone is no loop; grid ⇄ bus (import/export) and bus ⇄ storage are normal."""
    text = _add_flows(
        "  - {id: f-t1-t2, from: t1, to: t2, carrier: electricity}\n"
        "  - {id: f-export, from: bus, to: grid, carrier: electricity}\n"
    )
    check = check_park(write_park(text))
    assert not [w for w in check.warnings if "loop" in w.message]


def test_a_steam_loop_is_a_warning(write_park):
    text = _add_flows(
        "  - {id: f-steam-back, from: t1, to: t2, carrier: steam}\n"
        "  - {id: f-steam-on, from: t2, to: t1, carrier: steam}\n"
    )
    check = check_park(write_park(text))
    (loop,) = [w for w in check.warnings if "loop" in w.message]
    assert "steam flows go round in a loop among t1, t2" in loop.message


def test_a_second_meter_on_a_flow_is_named_as_check_meter(write_park):
    text = MINIMAL_PARK + (
        "  - {id: m-t1-check, flow: f-t1, carrier: electricity, unit: kWh, level: tenant}\n"
    )
    result = CliRunner().invoke(main, ["validate", str(write_park(text))])
    assert result.exit_code == 0, result.output
    assert "meters[4].flow: flow 'f-t1' has 2 meters: 'm-t1' counts, 'm-t1-check' check it" in (
        result.output
    )
