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


def _ledger(scale: float) -> dict:
    return {
        "profile": "p", "scope1_t": 100.0 * scale, "scope2_location_t": 400.0 * scale,
        "scope2_market_t": 350.0 * scale, "scope3_t": 0.0, "offsets_t": 0.0,
        "net_t": 450.0 * scale, "electricity_mwh": 800.0, "green_electricity_mwh": 200.0 * scale,
        "green_electricity_share": 0.25 * scale,
    }  # fmt: skip


def test_ledger_totals_of_both_years_with_change():
    old, new = _result(None, "fail", 0.4), _result(None, "fail", 0.4)
    old["ledger"], new["ledger"] = _ledger(1.0), _ledger(0.8)
    rows = {r.key: r for r in compare(old, new, "2025.json").totals}
    net = rows["em_net"]
    assert (net.before, net.after, net.unit) == (450.0, 360.0, "t CO2e")
    assert net.change == 360.0 - 450.0 and net.relative == (360.0 - 450.0) / 450.0
    share = rows["yoy_green_share"]
    assert share.unit == "%" and share.before == 25.0 and share.after == 20.0
    assert rows["em_scope3"].relative is None  # last year's zero: no relative change
    assert rows["gp_electricity_mwh"].change == 0.0


def _edit_first_rule(path):
    previous = json.loads(path.read_text(encoding="utf-8"))
    rule = previous["rule_sets"][0]["rules"][0]
    rule["status"] = "undetermined" if rule["status"] != "undetermined" else "fail"
    previous["ledger"]["scope1_t"] += 1000.0
    path.write_text(json.dumps(previous), encoding="utf-8")
    return previous


def test_previous_report_shows_totals_and_verifies(mini_park, tmp_path):
    run = CliRunner().invoke
    first = tmp_path / "first.json"
    assert run(main, ["assess", str(mini_park), "--out", str(first)]).exit_code == 0
    previous = _edit_first_rule(first)
    out = tmp_path / "now.html"
    args = ["assess", str(mini_park), "--out", str(out), "--lang", "en", "--previous", str(first)]
    assert run(main, args).exit_code == 0
    html = out.read_text(encoding="utf-8")
    this_year = json.loads(
        run(main, ["assess", str(mini_park), "--out", str(tmp_path / "now.json")]).exit_code == 0
        and (tmp_path / "now.json").read_text(encoding="utf-8")
    )["ledger"]
    before, after = previous["ledger"]["scope1_t"], this_year["scope1_t"]
    row = html.split("Scope 1 (direct) [t CO2e]")[1].split("</tr>")[0]
    assert f"{before:,.0f}" in row and f"{after:,.0f}" in row
    assert f"{after - before:,.0f}" in row and f"{100 * (after - before) / before:.1f} %" in row

    verified = run(main, ["verify", str(out), str(mini_park), "--previous", str(first)])
    assert verified.exit_code == 0, verified.output
    first.write_text(first.read_text(encoding="utf-8").replace("}", " }", 1), encoding="utf-8")
    edited = run(main, ["verify", str(out), str(mini_park), "--previous", str(first)])
    assert edited.exit_code == 1
    assert "previous result: " in edited.output and "first.json changed" in edited.output


def test_previous_copy_in_the_report_is_checked(mini_park, tmp_path):
    run = CliRunner().invoke
    first = tmp_path / "first.json"
    assert run(main, ["assess", str(mini_park), "--out", str(first)]).exit_code == 0
    out = tmp_path / "now.html"
    args = ["assess", str(mini_park), "--out", str(out), "--previous", str(first)]
    assert run(main, args).exit_code == 0
    verified = run(main, ["verify", str(out), str(mini_park)])
    assert verified.exit_code == 0 and "copy of first.json the report carries" in verified.output
    html = out.read_text(encoding="utf-8")
    block = html.split('id="zcp-previous">')[1].split("</script>")[0]
    copy = json.loads(block)
    copy["ledger"]["scope1_t"] += 1.0
    marker = 'id="zcp-previous">'
    out.write_text(html.replace(marker + block, marker + json.dumps(copy)), encoding="utf-8")
    tampered = run(main, ["verify", str(out), str(mini_park)])
    assert tampered.exit_code == 1
    assert "embedded copy of first.json differs" in tampered.output, tampered.output
