"""Instruments as registries issue them: lots without serials, retirement dates, GEC validity
and tradability, and a project's power certified as both GEC and CCER."""

from __future__ import annotations

import pytest

from tests.ledger.test_inventory_defects import GRID_ONLY
from zcp.errors import InputError
from zcp.ledger import Ledger, run_ledger
from zcp.ledger.instruments import parse_instruments
from zcp.ledger.registry_rules import registry_exclusion

HEAD = "kind: instruments\nschema_version: 1\n"
OPERATING = GRID_ONLY.replace("stage: design", "stage: operation")


def _cert(vintage_start: str, retired_on: str | None, **extra: str) -> object:
    retired = f"retired: true, retired_on: {retired_on}, " if retired_on else ""
    more = "".join(f", {k}: {v}" for k, v in extra.items())
    text = HEAD + (
        f"certificates:\n  - {{id: c, type: GEC, mwh: 10, vintage: {{start: {vintage_start}, "
        f"end: {vintage_start}}}, {retired}beneficiary: a{more}}}\n"
    )
    return parse_instruments(text).data.certificates[0]


@pytest.mark.parametrize(
    ("produced", "retired_on", "expired"),
    [
        ("2023-01-01", "2025-12-31", False),  # pre-2024 production: valid to end-2025
        ("2023-01-01", "2026-01-01", True),
        ("2024-03-01", "2026-02-28", False),  # 24 months counting March 2024: to Feb 2026
        ("2024-03-01", "2026-03-01", True),
    ],
)
def test_gec_validity(produced, retired_on, expired):
    reason = registry_exclusion(_cert(produced, retired_on), None, set())
    assert (reason is not None and "expired" in reason) == expired


def test_retired_after_the_assessment_date_or_not_retired_is_excluded(write_park):
    text = HEAD + (
        "certificates:\n"
        "  - {id: late, type: GEC, mwh: 100, vintage: {start: 2024-06-01, end: 2024-06-30},\n"
        "     retired: true, retired_on: 2025-03-01, beneficiary: a}\n"
        "  - {id: open, type: GEC, mwh: 100, vintage: {start: 2024-06-01, end: 2024-06-30},\n"
        "     beneficiary: a}\n"
        "  - {id: ok, type: GEC, mwh: 100, vintage: {start: 2024-06-01, end: 2024-06-30},\n"
        "     retired: true, retired_on: 2025-01-10, beneficiary: a}\n"
    )
    park = OPERATING.replace("2023-01-01, end: 2023-12-31", "2024-01-01, end: 2024-12-31")
    folder = write_park(park, text)
    (folder.root / "assessment.yaml").write_text(
        "kind: assessment\nschema_version: 1\nassessment_date: 2025-02-01\n", "utf-8"
    )
    result = run_ledger(folder)
    excluded = {e["id"]: e["reason"] for e in result.instruments_excluded}
    assert "after the assessment date 2025-02-01" in excluded["late"]
    assert "retired" in excluded["open"]
    assert [u["id"] for u in result.instruments_used] == ["ok"]
    assert result.energy_summary["green_electricity_mwh"] == pytest.approx(100)


def test_non_tradable_gec_stays_with_its_generator():
    reason = registry_exclusion(_cert("2024-06-01", "2024-12-01", tradable="false"), None, set())
    assert "non-tradable" in reason


def test_same_lot_without_serials_claimed_twice(write_park):
    text = HEAD + (
        "certificates:\n"
        "  - {id: lot-1, type: GEC, mwh: 500, vintage: {start: 2023-01-01, end: 2023-03-31},\n"
        "     generator: {name: Wind farm 7}, retired: true, beneficiary: a}\n"
        "  - {id: lot-2, type: GEC, mwh: 500, vintage: {start: 2023-01-01, end: 2023-03-31},\n"
        "     generator: {name: 'wind farm 7 '}, retired: true, beneficiary: b}\n"
    )
    with pytest.raises(InputError) as err:
        Ledger(write_park(GRID_ONLY, text))
    message = str(err.value)
    assert "claimed twice" in message and "lot-1 (a)" in message and "lot-2 (b)" in message
    assert "instruments.yaml:4" in message and "instruments.yaml:6" in message


def test_gec_and_ccer_on_the_same_project_is_an_error(write_park):
    text = HEAD + (
        "certificates:\n"
        "  - {id: gec-1, type: GEC, mwh: 500, vintage: {start: 2023-01-01, end: 2023-03-31},\n"
        "     generator: {name: Wind farm 7, project_code: '12345678901234567'}, retired: true,\n"
        "     beneficiary: a}\n"
        "credits:\n"
        "  - {id: ccer-1, standard: CCER, project_code: '12345678901234567', tonnes: 100,\n"
        "     vintage: 2023, retired: true, beneficiary: a}\n"
    )
    with pytest.raises(InputError) as err:
        Ledger(write_park(GRID_ONLY, text))
    assert "GEC gec-1" in str(err.value) and "CCER ccer-1" in str(err.value)
    assert "124号" in str(err.value)


def test_design_stage_claims_are_planned_not_dated(write_park):
    text = HEAD + (
        "certificates:\n"
        "  - {id: plan, type: GEC, mwh: 100, vintage: {start: 2023-06-01, end: 2023-06-30},\n"
        "     retired: true, retired_on: 2024-01-15, beneficiary: a}\n"
    )
    folder = write_park(GRID_ONLY, text)
    (folder.root / "assessment.yaml").write_text(
        "kind: assessment\nschema_version: 1\nassessment_date: 2023-11-01\n", "utf-8"
    )
    assert [u["id"] for u in run_ledger(folder).instruments_used] == ["plan"]
