"""``zcp rules lint`` on trust: provisional values in a gate, stale parameters."""

from __future__ import annotations

from tests.standards.test_end_to_end import park_text
from zcp.rules.lint import lint_paths

ASSESSMENT = """\
kind: assessment
schema_version: 1
rule_sets:
  - {id: zero_carbon_park, version: 2025-trial}
"""


def _warnings(folder):
    report = lint_paths([folder / "assessment.yaml"])
    return [p.message for p in report.warnings]


def test_parameters_older_than_the_allowed_years_are_stale(write_park):
    # the 910 set allows 8 years; its thresholds date from 2025-07-08 and its electricity
    # coefficient from GB/T 2589-2020: a 2034 period puts the limit at 2026-01-01
    text = park_text().replace(
        "start: 2027-01-01, end: 2027-12-31", "start: 2034-01-01, end: 2034-12-31"
    )
    folder = write_park(text, **{"assessment.yaml": ASSESSMENT})
    stale = [w for w in _warnings(folder) if "newest value dates from" in w]
    assert any("core_threshold_medium's newest value dates from 2025-07-08" in w for w in stale)
    # the calorific coefficient comes from GB/T 2589-2020 (published 2020): stale too
    assert any("electricity_to_tce's newest value dates from 2020-01-01" in w for w in stale)


def test_a_current_period_has_no_stale_parameters(write_park):
    # 2027: the limit is 2019-01-01, older than every parameter's newest value
    folder = write_park(park_text(), **{"assessment.yaml": ASSESSMENT})
    assert not [w for w in _warnings(folder) if "newest value dates from" in w]
