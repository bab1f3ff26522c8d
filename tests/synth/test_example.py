"""The committed operating example is exactly what its recorded ``zcp synth`` command makes."""

from __future__ import annotations

import json
import shlex

import pyarrow.parquet as pq
from click.testing import CliRunner

from tests.conftest import EXAMPLES
from zcp.cli import main

LINGANG = EXAMPLES / "lingang-operation"


def recorded_command() -> list[str]:
    for line in (LINGANG / "park.yaml").read_text(encoding="utf-8").splitlines():
        if line.startswith("#   zcp synth "):
            return shlex.split(line.removeprefix("#   zcp ").split(" --out ")[0])
    raise AssertionError("park.yaml does not record the zcp synth command")


def test_example_says_it_is_synthetic_and_regenerates_identically(tmp_path):
    assert (LINGANG / "park.yaml").read_text(encoding="utf-8").startswith("# SYNTHETIC DATA")
    out = tmp_path / "again"
    result = CliRunner().invoke(main, [*recorded_command(), "--out", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("park.yaml", "meters.csv"):
        assert (out / name).read_text(encoding="utf-8") == (LINGANG / name).read_text(
            encoding="utf-8"
        ), name
    assert json.loads((out / "synth.json").read_text()) == json.loads(
        (LINGANG / "synth.json").read_text()
    )
    again = pq.read_table(out / "readings/readings.parquet")
    assert again.equals(pq.read_table(LINGANG / "readings/readings.parquet"))
