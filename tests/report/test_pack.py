"""``zcp pack`` writes the verifier's evidence pack; ``zcp verify`` accepts it."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pyarrow.parquet as pq
from click.testing import CliRunner

from tests.conftest import MINIMAL_PARK
from zcp.cli import main

ASSESSMENT = """\
kind: assessment
schema_version: 1
assessment_date: 2025-12-31
rule_sets:
  - {id: zero_carbon_factory_i, version: "2022", subject: t1}
answers:
  compliance: {answer: "yes", evidence: [evidence/permit.md]}
"""
METERS_CSV = "id,flow,carrier,unit,level\nm-t2,f-t2,electricity,kWh,tenant\n"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_pack_holds_everything_and_verifies(write_park, tmp_path):
    park_text = MINIMAL_PARK.replace("meters:\n", "meters_file: meters.csv\nmeters:\n")
    folder = write_park(park_text, **{"assessment.yaml": ASSESSMENT,
                                      "evidence__permit.md": "permit 许可证",
                                      "meters.csv": METERS_CSV})  # fmt: skip
    out = tmp_path / "pack.zip"
    result = run("pack", folder, "--out", out)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        for name, digest in manifest["files"].items():
            assert hashlib.sha256(zf.read(name)).hexdigest() == digest
        assert set(manifest["files"]) == names - {"manifest.json"}
        assert {"result.json", "index.html", "park/park.yaml", "park/assessment.yaml",
                "park/evidence/permit.md", "park/meters.csv"} <= names  # fmt: skip
        assert zf.read("park/evidence/permit.md") == (folder / "evidence/permit.md").read_bytes()
        # the input table as CSV and Parquet, same rows
        table = pq.read_table(io.BytesIO(zf.read("tables/meters.parquet")))
        assert table.num_rows == 1 and table.column("id").to_pylist() == ["m-t2"]
        assert b"m-t2" in zf.read("tables/meters.csv")
        result_doc = json.loads(zf.read("result.json"))
        evidence = result_doc["certification"]["evidence"]
        assert [e["path"] for e in evidence] == ["evidence/permit.md"]
        assert evidence[0]["rules"] == ["zero_carbon_factory_i/compliance"]
        assert "pack.zip" not in " ".join(names)
        index = zf.read("index.html").decode("utf-8")
        assert "park/evidence/permit.md" in index and "<script" not in index

    verified = run("verify", out)
    assert verified.exit_code == 0, verified.output
    assert "recomputed results match" in verified.output

    # a member edited inside the pack is named
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "park/evidence/permit.md":
                data = b"forged permit"
            dst.writestr(info, data)
    verified = run("verify", tampered)
    assert verified.exit_code == 1
    assert "pack: changed: park/evidence/permit.md" in verified.output
    assert "changed: evidence/permit.md" in verified.output  # against result.json too


def test_pack_needs_a_zip_and_verify_needs_a_park_for_a_report(write_park, tmp_path):
    folder = write_park(MINIMAL_PARK, **{"assessment.yaml": ASSESSMENT.replace(
        "evidence: [evidence/permit.md]", "note: x")})  # fmt: skip
    result = run("pack", folder, "--out", tmp_path / "pack.tar")
    assert result.exit_code == 2 and "a pack is a .zip file" in result.output
    (tmp_path / "r.json").write_text("{}", encoding="utf-8")
    result = run("verify", tmp_path / "r.json")
    assert result.exit_code == 2 and "give the park folder" in result.output
