"""The Lingang example loads with the faults it was seeded with; progress stays off stderr
when stderr is not a terminal."""

from __future__ import annotations

import json

import pytest

from tests.conftest import EXAMPLES
from zcp.cli.metering_commands import quality_summary_dict, quality_summary_lines
from zcp.metering import load_readings
from zcp.metering.progress import steps
from zcp.model import load_park

LINGANG = EXAMPLES / "lingang-operation"


def test_lingang_quality_matches_its_ground_truth():
    data = load_readings(load_park(LINGANG), progress=False)
    truth = json.loads((LINGANG / "synth.json").read_text())["truth"]
    totals = data.quality.totals()
    assert totals["spikes"] + totals["implausible"] == truth["spikes"]  # either rejects it
    for key in ("duplicates", "negatives", "resets", "rollovers", "gap_runs"):
        assert totals[key] == truth[key], key
    assert totals["hours_imputed"] == truth["imputed_hours"]
    assert data.quality.silent_meters == truth["silent_meters"]
    assert data.quality.unknown_meters == truth["unknown_meters"]
    assert data.bounds.hours == 8760
    assert set(data.timings) == {
        "opening files", "reading every meter", "repairing meters", "data quality",
        "per-bus balance",
    }  # fmt: skip
    as_json = json.loads(json.dumps(quality_summary_dict(data)))  # plain JSON types only
    assert as_json["quality"]["by_meter"]["duplicates"] == data.quality.meters_with("duplicates")
    assert {p["status"] for p in as_json["balance"]["periods"]} == {"balanced"}
    assert quality_summary_dict(None) is None
    lines = quality_summary_lines(data)
    assert lines[0].startswith("  readings: ")
    assert any(line.startswith("    balance bus (electricity): balanced") for line in lines)


def test_design_example_has_no_readings():
    assert load_readings(load_park(EXAMPLES / "ordos-design")) is None


def test_progress_is_silent_without_a_terminal(capsys):
    with steps(2) as step:  # pytest's stderr is not a TTY
        step.advance("one")
        step.advance("two")
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


@pytest.mark.parametrize("enabled", [True])
def test_progress_goes_to_stderr_when_asked(capsys, enabled):
    with steps(1, enabled) as step:
        step.advance("done")
    assert capsys.readouterr().out == ""
