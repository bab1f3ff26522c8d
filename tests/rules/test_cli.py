"""The policy-team commands and ``zcp evaluate``: output and exit codes (0 / 1 / 2)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from tests.conftest import MINIMAL_PARK
from zcp.cli import main
from zcp.rules import shipped_standards_dir

STANDARDS = shipped_standards_dir()
NATIONAL = STANDARDS / "national" / "zero_carbon_park" / "2025-trial.yaml"
TESTS = NATIONAL.with_name("2025-trial.tests.yaml")


def invoke(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def copy_set(tmp_path: Path, text: str | None = None) -> Path:
    folder = tmp_path / "zero_carbon_park"
    folder.mkdir(exist_ok=True)
    target = folder / "2025-trial.yaml"
    target.write_text(text or NATIONAL.read_text(encoding="utf-8"), encoding="utf-8")
    return target


def test_lint_national_standards_flags_only_its_provisional_gate():
    # the core indicator vetoes on thresholds and band edges that are provisional (one
    # source chain) and on an unconfirmed electricity → tce method: said, exit 1
    result = invoke("rules", "lint", NATIONAL.parent)
    assert result.exit_code == 1, result.output
    assert "3 file(s): 0 error(s), 1 warning(s)" in result.output
    assert "gate core_carbon_per_unit_energy rests on provisional values: band_edge_lower" in (
        result.output
    )


def test_lint_skips_park_files_and_says_so(tmp_path):
    from tests.conftest import EXAMPLES

    result = invoke("rules", "lint", EXAMPLES / "ordos-design")
    assert result.exit_code == 0, result.output
    assert "skipped: " in result.output and "activity.yaml (kind activity" in result.output
    assert "supplier_disclosure" in result.output


def test_lint_warnings_exit_1(tmp_path):
    # a band with no threshold and no note saying why is allowed, but flagged
    text = re.sub(
        r"          note: >-\n            No threshold.*?seen\.\n",
        "",
        NATIONAL.read_text(encoding="utf-8"),
        flags=re.S,
    )
    target = copy_set(tmp_path, text)
    result = invoke("rules", "lint", target)
    assert result.exit_code == 1, result.output
    assert "band has no threshold (unknown) and no note" in result.output


def test_lint_routes_by_kind(tmp_path):
    (tmp_path / "odd.yaml").write_text("kind: recipe\nschema_version: 1\n", encoding="utf-8")
    result = invoke("rules", "lint", tmp_path / "odd.yaml")
    assert result.exit_code == 2
    assert "kind 'recipe' is not one zcp lints" in result.output


def test_rule_tests_pass_and_fail(tmp_path):
    ok = invoke("rules", "test", TESTS)
    assert ok.exit_code == 0, ok.output
    assert "17 of 17 rule tests passed" in ok.output
    copy_set(tmp_path)
    shutil.copytree(NATIONAL.parent / "parks", tmp_path / "zero_carbon_park" / "parks")
    broken = TESTS.read_text(encoding="utf-8").replace(
        "      rules: {core_carbon_per_unit_energy: pass}\n      level: core_met\n"
        "  - name: exactly 20万 tce, 0.2001",
        "      rules: {core_carbon_per_unit_energy: fail}\n      level: core_met\n"
        "  - name: exactly 20万 tce, 0.2001",
        1,
    )
    (tmp_path / "zero_carbon_park" / "2025-trial.tests.yaml").write_text(broken, encoding="utf-8")
    failed = invoke("rules", "test", tmp_path)
    assert failed.exit_code == 1, failed.output
    assert "FAIL" in failed.output
    assert "core_carbon_per_unit_energy: expected fail, got pass" in failed.output


def test_rule_tests_with_unknown_rule_exit_2(tmp_path):
    copy_set(tmp_path)
    broken = TESTS.read_text(encoding="utf-8").replace(
        "rules: {core_carbon_per_unit_energy: undetermined}",
        "rules: {core_carbon_per_energy: undetermined}",
        1,
    )
    (tmp_path / "zero_carbon_park" / "2025-trial.tests.yaml").write_text(broken, encoding="utf-8")
    result = invoke("rules", "test", tmp_path)
    assert result.exit_code == 2
    assert "unknown rule 'core_carbon_per_energy'" in result.output
    assert "did you mean 'core_carbon_per_unit_energy'" in result.output


def test_diff(tmp_path):
    same = invoke("rules", "diff", NATIONAL, NATIONAL)
    assert same.exit_code == 0 and "0 change(s)" in same.output
    changed = NATIONAL.read_text(encoding="utf-8").replace(
        "      - value: 0.2\n", "      - value: 0.25\n"
    )
    result = invoke("rules", "diff", NATIONAL, copy_set(tmp_path, changed))
    assert result.exit_code == 1
    assert (
        result.output.splitlines()[0]
        == "~ parameters.core_threshold_medium.values[0].value: 0.2 → 0.25"
    )


def test_docs_markdown_and_escaped_html(tmp_path):
    md = invoke("rules", "docs", NATIONAL)
    assert md.exit_code == 0
    assert "# 国家级零碳园区建设指标体系（试行）" in md.output
    assert "**unknown → undetermined**" in md.output
    assert "**provisional**" in md.output
    hostile = NATIONAL.read_text(encoding="utf-8").replace(
        "en: Clean-energy share of energy consumption", 'en: "<script>alert(1)</script>"'
    )
    out = tmp_path / "doc.html"
    html = invoke("rules", "docs", copy_set(tmp_path, hostile), "--format", "html", "--out", out)
    assert html.exit_code == 0, html.output
    page = out.read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # Markdown viewers render raw HTML: the Markdown page escapes it too
    md = invoke("rules", "docs", copy_set(tmp_path, hostile))
    assert md.exit_code == 0 and "<script>" not in md.output
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md.output


def test_lint_prints_an_error_once_though_rule_tests_meet_it_again(tmp_path):
    """A rule set's unknown metric is met by the set and by each tests file that loads it."""
    source = NATIONAL.parent
    folder = tmp_path / source.name
    shutil.copytree(source, folder)
    target = folder / NATIONAL.name
    text = target.read_text(encoding="utf-8")
    metric = "metric: clean_energy_share"
    assert metric in text and list(folder.glob("*.tests.yaml"))
    target.write_text(text.replace(metric, "metric: clean_energy_shar", 1), encoding="utf-8")
    result = invoke("rules", "lint", folder)
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == len(set(errors)) >= 1
    assert sum("clean_energy_shar'" in line for line in errors) == 1


def test_metrics_catalogue_lists_units():
    result = invoke("rules", "metrics")
    assert result.exit_code == 0
    assert "carbon_per_unit_energy" in result.output and "tCO2/tce" in result.output


PARK_WITH_FIGURES = MINIMAL_PARK.replace(
    "  - {id: t1, name: 电池厂, industry: batteries}",
    "  - {id: t1, name: 电池厂, industry: batteries,\n"
    "     water: {withdrawn: 1000 m3, reused: 3000 m3}}",
)


def test_evaluate_park_json(write_park):
    folder = write_park(PARK_WITH_FIGURES)
    result = invoke("evaluate", folder, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)  # progress goes to stderr
    assert data["kind"] == "evaluation_result" and data["park"] == "mini"
    rs = next(r for r in data["rule_sets"] if r["rule_set_id"] == "zero_carbon_park")
    assert rs["version"] == "2025-trial" and len(rs["sha256"]) == 64
    water = next(r for r in rs["rules"] if r["id"] == "industrial_water_reuse")
    assert water["actual"] == 3000 / (3000 + 1000)
    assert water["status"] == "fail"  # 75 % < 80 %
    assert "park.yaml" in data["inputs"]


def test_evaluate_with_assessment_and_cli_override(write_park):
    folder = write_park(
        PARK_WITH_FIGURES,
        **{
            "assessment.yaml": (
                "kind: assessment\nschema_version: 1\n"
                "rule_sets: [{id: zero_carbon_park, version: 2025-trial}]\n"
                "answers:\n  industrial_water_reuse: {answer: not_applicable, note: dry process}\n"
            )
        },
    )
    text = invoke("evaluate", folder)
    assert text.exit_code == 0, text.output
    assert "not_applicable" in text.output and "dry process" in text.output
    unknown = invoke("evaluate", folder, "--rules", "zero_carbon_park@1999")
    assert unknown.exit_code == 2
    assert "has no version '1999'" in unknown.output


def test_evaluate_gaps_with_a_registered_lever(write_park, monkeypatch):
    from zcp.metrics import context, metric_lever
    from zcp.rules.gaps import PARK_REL_TOL

    lever = metric_lever(
        "water_reuse", "industrial_water_reuse_rate", unit="percent", per_unit=0.01, max_amount=50
    )
    monkeypatch.setitem(context._LEVERS, lever.name, lever)
    result = invoke(
        "evaluate",
        write_park(PARK_WITH_FIGURES),
        "--gaps",
        "--rules",
        "zero_carbon_park@2025-trial",
    )
    assert result.exit_code == 0, result.output
    assert "gap industrial_water_reuse (fail):" in result.output
    # 75 % → 80 % takes 5 percentage points (to within the whole-park search tolerance)
    line = next(x for x in result.output.splitlines() if x.strip().startswith("water_reuse:"))
    amount = float(line.split(":")[1].split()[0])
    assert 5.0 <= amount <= 5.0 + 50 * PARK_REL_TOL


def test_lint_warns_about_a_zero_weight_section(tmp_path):
    text = NATIONAL.read_text(encoding="utf-8").replace(
        "  - id: guidance\n    title: {zh: 引导性指标, en: Guidance indicators}",
        "  - id: guidance\n    weight: 0\n    title: {zh: 引导性指标, en: Guidance indicators}",
    )
    text = text.replace(
        "    threshold: clean_energy_share_min\n",
        "    threshold: clean_energy_share_min\n    points: 5\n",
    )
    result = invoke("rules", "lint", copy_set(tmp_path, text))
    assert result.exit_code == 1, result.output
    assert "section weight is 0: the points of clean_energy_share never count" in result.output


def test_lint_warns_about_a_percent_number_against_a_share(tmp_path):
    text = NATIONAL.read_text(encoding="utf-8").replace(
        "    threshold: clean_energy_share_min\n", "    threshold: 90\n"
    )
    result = invoke("rules", "lint", copy_set(tmp_path, text))
    assert result.exit_code == 1, result.output
    assert "a number above 1 compared with a share written as 0–1" in result.output
    fixed = text.replace("    threshold: 90\n", "    threshold: 90\n    unit: percent\n")
    again = invoke("rules", "lint", copy_set(tmp_path, fixed))
    assert "a number above 1" not in again.output and "0 error(s), 1 warning(s)" in again.output


def test_schema_for_every_file_kind_and_a_typo():
    import json

    listed = invoke("schema").output.split()
    assert {"park", "activity", "instruments", "assessment", "rule_set", "rule_tests",
            "factor_set", "accounting_profile", "carriers", "result"} <= set(listed)  # fmt: skip
    for kind in listed:
        schema = json.loads(invoke("schema", kind).output)
        assert schema["$id"] == f"urn:zcp:schema:{kind}:v1" and schema["properties"]
    typo = invoke("schema", "parc")
    assert typo.exit_code == 2 and "did you mean 'park'" in typo.output
