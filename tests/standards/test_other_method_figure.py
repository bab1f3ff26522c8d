"""The core indicator under the other electricity → tce method, as a figure of the result
and a line of the report, on the metered test park with a draft rule set that knows the
other method's coefficient (the shipped one does not: it stays "not computable").

Hand figures (park.yaml): 10 GWh of grid power at the national fossil-power factor 2023
(0.8273 tCO2/MWh) + 100 000 m³ of gas at 0.002162 tCO2/m³ → 8 489.2 tCO2. Energy: gas
100 000 m³ × 0.0012143 tce/m³ = 121.43 tce, plus 100 GWh of electricity used — at the
calorific value 0.1229 tce/MWh (the rule set's method) 12 290 tce, at the draft's
0.3 tce/MWh 30 000 tce.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from zcp.report.assemble import report_data
from zcp.report.html import render_html
from zcp.rules import shipped_standards_dir
from zcp.rules.run import evaluate_park

PARK = shipped_standards_dir() / "metering" / "park_energy_metering" / "parks" / "metered"
RULES = shipped_standards_dir() / "national" / "zero_carbon_park" / "2025-trial.yaml"
CO2 = 10_000 * 0.8273 + 100_000 * 0.002162  # [tCO2]
GAS_TCE = 100_000 * 0.0012143  # [tce]


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory):
    root = tmp_path_factory.mktemp("other-method")
    draft = root / "draft" / "zero_carbon_park"
    draft.mkdir(parents=True)
    text = RULES.read_text(encoding="utf-8")
    unknown = "    values:\n      - value: null\n        valid_from: 2025-07-08"
    assert text.count(unknown) == 1
    (draft / "2025-trial.yaml").write_text(
        text.replace(unknown, unknown.replace("value: null", "value: 0.3")), encoding="utf-8"
    )
    shutil.copytree(PARK, root / "park")
    return evaluate_park(
        root / "park", rule_refs=["zero_carbon_park@2025-trial"], standards_dirs=[root / "draft"]
    )


def test_the_result_carries_the_core_indicator_under_the_other_method(evaluation):
    core = evaluation.result.rule_sets[0].rule("core_carbon_per_unit_energy")
    assert core.actual == pytest.approx(CO2 / (GAS_TCE + 100_000 * 0.1229))
    other = core.other_method
    assert other is not None
    assert other.value == pytest.approx(CO2 / (GAS_TCE + 100_000 * 0.3))
    assert other.unit == "tCO2/tce" and other.reason is None
    assert other.method.startswith("equivalent-value method")
    assert other.coefficient is not None and other.coefficient.value == pytest.approx(0.3)
    data = evaluation.result_json()["rule_sets"][0]
    assert (
        next(r for r in data["rules"] if r["id"] == core.id)["other_method"]["unit"] == "tCO2/tce"
    )


@pytest.mark.parametrize(
    ("lang", "words"),
    [("zh", "↳ 若电力按等价值法（当年火电供电煤耗）折标准煤："),
     ("en", "↳ with electricity counted by the equivalent-value method (the year&#39;s thermal-power coal rate): ")],
)  # fmt: skip
def test_the_report_shows_it_beside_the_core_indicator(evaluation, lang, words):
    html = render_html(report_data(evaluation, report_date=dt.date(2028, 1, 15)), lang)
    shown = f"{CO2 / (GAS_TCE + 100_000 * 0.3):.4f}"  # 0.2818
    assert f"{words}<b>{shown} tCO2/tce</b>" in html
