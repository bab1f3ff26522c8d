"""Every path a park names stays in its folder, symlinks included (#12 item 4): what is
read is what the report hashes."""

from __future__ import annotations

import os
import shutil

import pytest
from click.testing import CliRunner

from tests.conftest import EXAMPLES, MINIMAL_PARK
from zcp.cli import main
from zcp.errors import ParkError
from zcp.hashing import hash_park_inputs
from zcp.model import load_park


def _with(line: str) -> str:
    return MINIMAL_PARK.replace("stage: operation\n", f"stage: operation\n{line}\n")


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        ("instruments_file: ../../x.yaml", "instruments_file", "leaves the park folder"),
        ("instruments_file: /etc/hosts", "instruments_file", "must be relative"),
        ("assessment_file: /etc/passwd", "assessment_file", "must be relative"),
        ("meters_file: ../meters.csv", "meters_file", "leaves the park folder"),
        ("readings: [{path: /tmp/r.csv}]", "readings[0].path", "must be relative"),
    ],
)
def test_paths_outside_the_folder_are_refused(write_park, line, field, message):
    folder = write_park(_with(line))
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 2
    assert "park.yaml:8:" in result.output and f": {field}: " in result.output
    assert message in result.output


def test_a_symlink_out_is_refused_even_where_a_path_looks_inside(write_park, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("kind: instruments\nschema_version: 1\n")
    folder = write_park(_with("instruments_file: inst.yaml"))
    os.symlink(outside, folder / "inst.yaml")
    with pytest.raises(ParkError) as caught:
        load_park(folder)
    messages = [str(p) for p in caught.value.problems]
    assert any("instruments_file: path 'inst.yaml' leaves the park folder through a symlink" in m
               for m in messages)  # fmt: skip
    assert any("inst.yaml: symlink points outside the park folder" in m for m in messages)


@pytest.mark.parametrize("target", ["/etc/passwd", "/etc"])
def test_evidence_symlinks_out_are_refused(tmp_path, target):
    folder = tmp_path / "ordos"
    shutil.copytree(EXAMPLES / "ordos-design", folder)
    os.symlink(target, folder / "evidence" / "linked")
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 2
    assert "evidence/linked: symlink points outside the park folder" in result.output


def test_a_symlink_inside_the_folder_is_read_and_hashed(tmp_path):
    folder = tmp_path / "ordos"
    shutil.copytree(EXAMPLES / "ordos-design", folder)
    os.symlink("../park.yaml", folder / "evidence" / "copy-of-park.yaml")
    load_park(folder)  # allowed: it stays inside
    hashes = hash_park_inputs(folder)
    assert hashes["evidence/copy-of-park.yaml"] == hashes["park.yaml"]
