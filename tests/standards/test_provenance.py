"""Guards on the standards' data: nothing zcp reads into a standard is presented as verified,
and the star grades a policy team may edit still step up."""

from __future__ import annotations

import pytest

from zcp.rules import Catalogue, shipped_standards_dir
from zcp.rules.loader import load_rule_set
from zcp.rules.ruleset_catalogue import rule_set_files

FAMILIES = ("construction", "metering", "green_power", "factory")
FILES = [
    path
    for family in FAMILIES
    for path in rule_set_files([shipped_standards_dir() / family])
    if path.parent.name != "parks" and "parks" not in path.parts
]
STARS = ("three", "four", "five", "six")


def test_every_family_has_a_rule_set():
    families = {path.relative_to(shipped_standards_dir()).parts[0] for path in FILES}
    assert families == set(FAMILIES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.parent.name)
def test_zcp_readings_and_unknowns_are_never_verified(path):
    rs = load_rule_set(path).model
    assert rs.status_note, "say what is known and how sure we are"
    for name, param in rs.parameters.items():
        for value in param.values or []:
            text = f"{value.source.document} {value.source.clause} {value.note or ''}".lower()
            if "zcp" in text or "not seen" in text or value.value is None:
                assert value.confidence == "provisional", f"{name} is zcp's reading or unknown"


@pytest.mark.parametrize("kind", ["i", "ii"])
def test_star_grades_keep_unknowns_unknown(kind):
    """Three- to five-star renewable shares are not public (null, never a guess); every star
    needs 100 % of remaining emissions neutralised; six-star needs 100 % renewable power."""
    rs = Catalogue().load(f"zero_carbon_factory_{kind}", "2022").model
    for star in ("three", "four", "five"):
        value = rs.parameters[f"re_share_min_{star}_star"].values[0]
        assert value.value is None and value.note.startswith("threshold not public")
    for star in STARS:
        assert rs.parameters[f"neutralised_min_{star}_star"].values[0].value == 100
    assert rs.parameters["re_share_min_six_star"].values[0].value == 100
    assert [lv.id for lv in rs.levels] == [f"{star}_star" for star in STARS]


def test_hourly_grades_step_up():
    rs = Catalogue().load("green_power_application", "2022-zcp").model
    values = [rs.parameters[f"cfe_grade_{g}"].values[0].value for g in ("c", "b", "a")]
    assert values == sorted(values)


def test_gb17167_values_are_dated_across_the_2025_edition():
    """2006 values until 2026-01-31; the 2025 edition from 2026-02-01 (tables unknown)."""
    rs = Catalogue().load("park_energy_metering", "2026-provisional").model
    rates = {n: p for n, p in rs.parameters.items() if n.startswith("rate_")}
    # 9 carrier groups × 3 levels, but recoverable waste energy has no main-equipment row
    assert len(rates) == 26
    for name, param in rates.items():
        old, new = param.values
        assert str(old.valid_until) == "2026-01-31" and str(new.valid_from) == "2026-02-01", name
        assert "2006" in old.source.document and "2025" in new.source.document
