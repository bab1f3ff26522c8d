"""A draft rule set in its own folder runs end to end: ``zcp evaluate``, ``zcp assess`` and
``zcp verify`` with ``--standards DIR`` use it instead of the shipped version."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from tests.standards.test_end_to_end import park_text
from zcp.cli import main
from zcp.rules import shipped_standards_dir

SHIPPED = shipped_standards_dir() / "national" / "zero_carbon_park" / "2025-trial.yaml"


def _draft(tmp_path):
    """The 910 indicator system as a draft '2026-draft' whose medium-band threshold is 0.001
    tCO2/tce instead of 0.2 — a park the shipped set passes must fail under it."""
    folder = tmp_path / "drafts" / "zero_carbon_park"
    folder.mkdir(parents=True)
    text = SHIPPED.read_text(encoding="utf-8").replace("version: 2025-trial", "version: 2026-draft")
    text = text.replace("      - value: 0.2\n", "      - value: 0.001\n", 1)
    (folder / "2026-draft.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "drafts"


def test_draft_rule_set_is_evaluated_assessed_and_verified(tmp_path, write_park):
    park = write_park(park_text(grid_gwh=10, gas=True))
    drafts = _draft(tmp_path)
    runner = CliRunner()
    shipped = runner.invoke(main, ["evaluate", str(park), "--rules", "zero_carbon_park@2025-trial",
                                   "--json"])  # fmt: skip
    assert shipped.exit_code == 0, shipped.output
    draft = runner.invoke(main, ["evaluate", str(park), "--rules", "zero_carbon_park@2026-draft",
                                 "--standards", str(drafts), "--json"])  # fmt: skip
    assert draft.exit_code == 0, draft.output
    core = json.loads(draft.stdout)["rule_sets"][0]
    assert core["version"] == "2026-draft" and core["path"].startswith(str(drafts))
    assert core["sha256"] != json.loads(shipped.stdout)["rule_sets"][0]["sha256"]
    # without the draft folder the version is unknown: a clear exit-2 error, no traceback
    unknown = runner.invoke(main, ["evaluate", str(park), "--rules", "zero_carbon_park@2026-draft"])
    assert unknown.exit_code == 2 and "2026-draft" in unknown.output

    out = tmp_path / "report.json"
    assessed = runner.invoke(main, ["assess", str(park), "--rules", "zero_carbon_park@2026-draft",
                                    "--standards", str(drafts), "--out", str(out), "--no-gaps"])  # fmt: skip
    assert assessed.exit_code == 0, assessed.output
    result = json.loads(out.read_text(encoding="utf-8"))
    sets = result.get("rule_sets") or result["result"]["rule_sets"]
    assert sets[0]["version"] == "2026-draft"
    verified = runner.invoke(main, ["verify", str(out), str(park), "--standards", str(drafts)])
    assert verified.exit_code == 0, verified.output
    # the draft changed after the report was written: verify says so (exit 1)
    rule_file = drafts / "zero_carbon_park" / "2026-draft.yaml"
    rule_file.write_text(rule_file.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    changed = runner.invoke(main, ["verify", str(out), str(park), "--standards", str(drafts)])
    assert changed.exit_code == 1, changed.output
    shutil.rmtree(drafts)
