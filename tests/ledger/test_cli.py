"""``zcp emissions``: table, JSON contract, CSV files, and exit code 2 on a double claim."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tests.ledger.conftest import GROUP_INSTRUMENTS, GROUP_PARK
from tests.ledger.test_instruments import DOUBLE
from zcp.cli import main


def test_json_and_csv(write_park, tmp_path):
    folder = write_park(GROUP_PARK, GROUP_INSTRUMENTS)
    runner = CliRunner()
    out = runner.invoke(main, ["emissions", str(folder.root), "--json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert doc["contract"] == "zcp.emissions/1"
    assert doc["indicators"]["hourly_cfe_score"]["value"] is not None
    assert {t["entity"] for t in doc["tenants"]} >= {"a", "b"}
    csv_dir = tmp_path / "csv"
    out = runner.invoke(main, ["emissions", str(folder.root), "--csv", str(csv_dir)])
    assert out.exit_code == 0, out.output
    assert (csv_dir / "lines.csv").is_file() and (csv_dir / "tenants.csv").is_file()
    assert "Scope 2 market-based" in out.stdout


def test_profile_option_and_double_claim_exit(write_park):
    folder = write_park(GROUP_PARK, GROUP_INSTRUMENTS)
    runner = CliRunner()
    out = runner.invoke(
        main, ["emissions", str(folder.root), "--profile", "ghg-protocol-corporate"]
    )
    assert out.exit_code == 0 and "ghg-protocol-corporate" in out.stdout
    out = runner.invoke(main, ["emissions", str(folder.root), "--profile", "nope"])
    assert out.exit_code == 2
    write_park(GROUP_PARK, DOUBLE)
    out = runner.invoke(main, ["emissions", str(folder.root)])
    assert out.exit_code == 2
    assert "gec-a" in out.stderr and "gec-park" in out.stderr


def test_design_park_without_location_has_no_hourly_score(write_park):
    park = GROUP_PARK.replace(
        "  - {id: wind, type: generator, technology: wind, capacity: 1, site: on_site}",
        "  - {id: wind, type: generator, technology: pv, capacity: 1, site: on_site}",
    )
    folder = write_park(park)
    out = CliRunner().invoke(main, ["emissions", str(folder.root), "--json"])
    doc = json.loads(out.stdout)
    assert doc["indicators"]["hourly_cfe_score"]["value"] is None
    assert "latitude" in doc["indicators"]["hourly_cfe_score"]["reason"]
