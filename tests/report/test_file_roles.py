"""A report marks each park file read or only in the folder; ``verify`` still sees them all.

HTML reports of the minimal park (rendering HTML is quick; the file table is the same in
the PDF).
"""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from tests.conftest import MINIMAL_PARK
from tests.report.conftest import ASSESSMENT
from zcp.cli import main
from zcp.hashing import sha256_file
from zcp.report.output import read_report

#: a valid instruments file the park does not name (so it is not read) until it does
SPARE_INSTRUMENTS = "kind: instruments\nschema_version: 1\n"


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def reported(tmp_path_factory):
    """The minimal park with a stray note and a spare instruments file, reported in zh and
    en once for the module."""
    base = tmp_path_factory.mktemp("roles")
    park = base / "park"
    park.mkdir()
    (park / "park.yaml").write_text(MINIMAL_PARK, encoding="utf-8")
    (park / "assessment.yaml").write_text(ASSESSMENT, encoding="utf-8")
    (park / "notes.txt").write_text("meeting notes, not an input\n", encoding="utf-8")
    (park / "old").mkdir()
    (park / "old" / "spare-instruments.yaml").write_text(SPARE_INSTRUMENTS, encoding="utf-8")
    reports = {}
    for lang in ("zh", "en"):
        reports[lang] = base / f"report-{lang}.html"
        result = run("assess", park, "--lang", lang, "--out", reports[lang])
        assert result.exit_code == 0, result.output
    return park, reports


@pytest.fixture
def park_copy(reported, tmp_path):
    copy = tmp_path / "park"
    shutil.copytree(reported[0], copy)
    return copy


def test_manifest_marks_the_stray_files_not_read(reported):
    park, reports = reported
    manifest, result = read_report(reports["en"])
    assert manifest is not None and manifest["schema_version"] == 2
    park_files = {f["path"]: f for f in manifest["files"] if f["role"] == "input"}
    assert {p: f["read"] for p, f in park_files.items()} == {
        "park.yaml": True,
        "assessment.yaml": True,
        "notes.txt": False,
        "old/spare-instruments.yaml": False,
    }
    assert park_files["notes.txt"]["sha256"] == sha256_file(park / "notes.txt")
    # read files come first in the table, then the ones only in the folder
    assert [f["path"] for f in manifest["files"] if f["role"] == "input"][-2:] == [
        "notes.txt",
        "old/spare-instruments.yaml",
    ]
    assert all(f["read"] for f in manifest["files"] if f["role"] != "input")
    assert set(result["inputs"]) == set(park_files)  # the result still hashes them all


@pytest.mark.parametrize(
    ("lang", "read", "unread"),
    [
        ("en", "park input (read)", "park file (not read)"),
        ("zh", "园区输入（已读取）", "园区文件（未读取）"),
    ],  # fmt: skip
)
def test_file_table_shows_the_role(reported, lang, read, unread):
    html = reported[1][lang].read_text(encoding="utf-8")
    table = html[html.index('<section id="repro">') :]
    assert f'<td>{unread}</td><td class="path">notes.txt</td>' in table
    assert f'<td>{read}</td><td class="path">park.yaml</td>' in table


def test_changing_a_file_that_is_not_read_is_still_caught(reported, park_copy):
    assert run("verify", reported[1]["en"], park_copy).exit_code == 0
    (park_copy / "notes.txt").write_text("edited after the report\n", encoding="utf-8")
    result = run("verify", reported[1]["en"], park_copy)
    assert result.exit_code == 1
    assert "changed: notes.txt" in result.output and "MISMATCH" in result.output


def test_a_file_that_becomes_read_is_named_as_a_role_change(reported, park_copy):
    text = MINIMAL_PARK.replace("stage: operation\n", "stage: operation\n"
                                "instruments_file: old/spare-instruments.yaml\n")  # fmt: skip
    (park_copy / "park.yaml").write_text(text, encoding="utf-8")
    result = run("verify", reported[1]["en"], park_copy)
    assert result.exit_code == 1
    assert "changed: park.yaml" in result.output
    assert "role changed: old/spare-instruments.yaml (was not read, now read)" in result.output


def test_a_json_report_lists_the_files_read_and_names_a_role_change(reported, park_copy):
    out = park_copy.parent / "r.json"
    assert run("assess", park_copy, "--out", out).exit_code == 0
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["inputs_read"] == ["assessment.yaml", "park.yaml"]
    assert set(result["inputs"]) == {
        "assessment.yaml", "park.yaml", "notes.txt", "old/spare-instruments.yaml"
    }  # fmt: skip
    text = MINIMAL_PARK.replace("stage: operation\n", "stage: operation\n"
                                "instruments_file: old/spare-instruments.yaml\n")  # fmt: skip
    (park_copy / "park.yaml").write_text(text, encoding="utf-8")
    verdict = run("verify", out, park_copy)
    assert verdict.exit_code == 1
    assert "role changed: old/spare-instruments.yaml (was not read, now read)" in verdict.output
