"""Year on year: ``zcp assess --previous`` compares levels and changed verdicts (item 6)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from zcp.cli import main
from zcp.report.comparison import compare


def _result(level, status, actual):
    return {
        "kind": "evaluation_result",
        "rule_sets": [
            {
                "rule_set_id": "zcp_test", "version": "1", "subject": None,
                "title": {"zh": "测试", "en": "Test"}, "level": level,
                "levels": [{"id": "basic", "title": {"zh": "基本级", "en": "Basic"}}],
                "rules": [
                    {"id": "share", "title": {"zh": "占比", "en": "Share"}, "status": status,
                     "actual": actual, "unit": "fraction"},
                    {"id": "same", "title": {"zh": "不变", "en": "Same"}, "status": "pass",
                     "actual": 1.0, "unit": "MW"},
                ],
            }
        ],
    }  # fmt: skip


def test_levels_and_changed_rules_are_listed():
    c = compare(_result(None, "fail", 0.4), _result("basic", "pass", 0.95), "2025.json")
    level, share = c.rows
    assert level.rule is None and level.before == "none" and level.after.en == "Basic"
    assert (share.rule, share.before, share.after) == ("share", "fail", "pass")
    assert share.value_before == 40.0 and share.value_after == 95.0 and share.unit == "%"
    assert c.versions == [("zcp_test", "1", "1")]  # the unchanged rule is left out


def test_assess_with_previous_result_prints_the_comparison(mini_park, tmp_path):
    run = CliRunner().invoke
    first = tmp_path / "first.json"
    assert run(main, ["assess", str(mini_park), "--out", str(first)]).exit_code == 0
    previous = json.loads(first.read_text(encoding="utf-8"))
    rule = previous["rule_sets"][0]["rules"][0]
    rule["status"] = "undetermined" if rule["status"] != "undetermined" else "fail"
    first.write_text(json.dumps(previous), encoding="utf-8")
    out = tmp_path / "now.html"
    result = run(main, ["assess", str(mini_park), "--out", str(out), "--lang", "en",
                        "--previous", str(first)])  # fmt: skip
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Year-on-year comparison" in html and "first.json" in html and rule["id"] in html


def test_previous_that_is_not_a_result_exits_2(mini_park, tmp_path):
    bad = tmp_path / "notes.json"
    bad.write_text('{"kind": "park"}', encoding="utf-8")
    result = CliRunner().invoke(
        main, ["assess", str(mini_park), "--out", str(tmp_path / "r.json"), "--previous", str(bad)]
    )
    assert result.exit_code == 2
    assert "notes.json" in result.output and "not an evaluation result" in result.output
