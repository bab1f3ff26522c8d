"""Bad park folders get one clear, located message each — never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import MINIMAL_PARK
from zcp.cli import main


def _swap(old: str, new: str) -> str:
    assert old in MINIMAL_PARK, old
    return MINIMAL_PARK.replace(old, new, 1)


BOMB = "kind: park\nschema_version: 1\na: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n"
    for i in range(9)
)

# (case id, park.yaml content, other files, expected message fragment, expected line)
CASES = [
    (
        "yaml-syntax",
        MINIMAL_PARK.replace("name: 电池厂, industry: batteries}", "name: 电池厂"),
        {},
        "YAML syntax error",
        None,
    ),
    ("empty-file", "", {}, "file is empty", None),
    ("binary-file", b"\x89PNG\r\n\x1a\n\x00\x00\x00", {}, "binary file", None),
    ("not-utf8", "kind: park\nname: \xff\xfe".encode("latin-1"), {}, "not UTF-8", None),
    ("missing-kind", MINIMAL_PARK.replace("kind: park\n", ""), {}, "missing 'kind:'", None),
    ("wrong-kind", _swap("kind: park", "kind: parc"), {}, "did you mean 'park'", 1),
    (
        "bad-schema-version",
        _swap("schema_version: 1", "schema_version: 7"),
        {},
        "schema_version 7 is not supported",
        2,
    ),
    ("top-level-list", "- kind: park\n", {}, "top level must be a mapping", None),
    (
        "missing-required",
        _swap("stage: operation\n", ""),
        {},
        "stage: required field is missing",
        None,
    ),
    ("wrong-type", _swap("capacity: 5}", "capacity: lots}"), {}, "cannot read 'lots'", 13),
    (
        "negative-capacity",
        _swap("capacity: 5}", "capacity: -5}"),
        {},
        "greater than or equal to 0",
        13,
    ),
    ("unknown-field", _swap("capacity: 5}", "capacty: 5}"), {}, "unknown field", 13),
    ("bad-stage", _swap("stage: operation", "stage: building"), {}, "stage", 7),
    (
        "period-reversed",
        _swap("end: 2025-12-31", "end: 2024-12-31"),
        {},
        "ends (2024-12-31) before it starts",
        6,
    ),
    (
        "unknown-timezone",
        _swap("grid_region: east}", "grid_region: east, timezone: Mars/Base}"),
        {},
        "unknown time zone 'Mars/Base'",
        5,
    ),
    (
        "unknown-carrier",
        _swap("to: t1, carrier: steam}", "to: t1, carrier: stean}"),
        {},
        "did you mean 'steam'",
        25,
    ),
    (
        "unknown-unit",
        _swap(
            "f-grid, carrier: electricity, unit: kWh", "f-grid, carrier: electricity, unit: kWhh"
        ),
        {},
        "did you mean 'kWh'",
        27,
    ),
    (
        "unit-wrong-dimension",
        _swap("f-grid, carrier: electricity, unit: kWh", "f-grid, carrier: electricity, unit: t"),
        {},
        "cannot measure electricity",
        27,
    ),
    (
        "duplicate-id",
        _swap("{id: t2, name: 机加工", "{id: t1, name: 机加工"),
        {},
        "duplicate node id 't1'",
        10,
    ),
    (
        "dangling-flow",
        _swap("from: bus, to: t1", "from: bux, to: t1"),
        {},
        "did you mean 'bus'",
        21,
    ),
    ("meter-on-unknown-flow", _swap("flow: f-t1,", "flow: f-t9,"), {}, "unknown flow 'f-t9'", 29),
    (
        "meter-carrier-mismatch",
        _swap(
            "flow: f-t1, carrier: electricity, unit: kWh",
            "flow: f-t1, carrier: natural_gas, unit: m3",
        ),
        {},
        "carries electricity",
        29,
    ),
    (
        "converter-carriers",
        _swap("outputs: [steam]", "outputs: [hydrogen]"),
        {},
        "cannot produce hydrogen",
        16,
    ),
    (
        "unreachable-tenant",
        _swap(
            "  - {id: t2, name: 机加工, industry: machining}\n",
            "  - {id: t2, name: 机加工, industry: machining}\n"
            "  - {id: t3, name: 孤岛, industry: none}\n",
        ),
        {},
        "'t3' is not reached",
        11,
    ),
    (
        "duplicate-key",
        _swap("stage: operation", "stage: operation\nstage: design"),
        {},
        "duplicate key 'stage'",
        8,
    ),
    ("alias-bomb", BOMB, {}, "aliases expand the document by more than", None),
    (
        "readings-outside-folder",
        MINIMAL_PARK + "readings: [{path: ../../etc/passwd}]\n",
        {},
        "leaves the park folder",
        31,
    ),
    (
        "readings-missing",
        MINIMAL_PARK + "readings: [{path: readings/2025.csv}]\n",
        {},
        "not found",
        31,
    ),
    (
        "meters-csv-bad-row",
        MINIMAL_PARK + "meters_file: meters.csv\n",
        {
            "meters.csv": "id,flow,carrier,unit,level\nm-t2,f-t2,electricity,kWh,tenant\n"
            "m-x,f-t2,electricity,kWh,plant\n"
        },
        "meters.csv:3",
        None,
    ),
]


@pytest.mark.parametrize(
    ("text", "files", "fragment", "line"), [pytest.param(*case[1:], id=case[0]) for case in CASES]
)
def test_bad_park_is_reported_clearly(write_park, text, files, fragment, line):
    folder = write_park(text, **files)
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert fragment in result.output, result.output
    if line is not None:
        assert f"park.yaml:{line}:" in result.output, result.output


def test_python_tag_never_runs(write_park, tmp_path: Path):
    marker = tmp_path / "pwned"
    text = MINIMAL_PARK + f"note: !!python/object/apply:os.system ['touch {marker}']\n"
    folder = write_park(text)
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 2
    assert "is not allowed" in result.output
    assert not marker.exists()


def test_missing_folder_and_missing_park_file(tmp_path: Path):
    runner = CliRunner()
    result = runner.invoke(main, ["validate", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "park folder not found" in result.output
    assert "did you mean" not in result.output
    (tmp_path / "lingang-operation").mkdir()
    (tmp_path / "lingang-operation" / "park.yaml").write_text("kind: park\n")
    result = runner.invoke(main, ["validate", str(tmp_path / "lingang-operaton")])
    assert result.exit_code == 2
    assert f"did you mean '{tmp_path / 'lingang-operation'}'?" in result.output
    (tmp_path / "empty").mkdir()
    result = runner.invoke(main, ["validate", str(tmp_path / "empty")])
    assert result.exit_code == 2 and "park.yaml: file not found" in result.output
    (tmp_path / "afile").write_text("x")
    result = runner.invoke(main, ["validate", str(tmp_path / "afile")])
    assert result.exit_code == 2 and "not a folder" in result.output


def test_every_problem_in_a_file_is_reported_at_once(write_park):
    text = _swap("from: bus, to: t1", "from: bux, to: t1").replace("flow: f-t1,", "flow: f-t9,")
    result = CliRunner().invoke(main, ["validate", str(write_park(text))])
    assert result.exit_code == 2
    assert result.output.count("error:") == 2
