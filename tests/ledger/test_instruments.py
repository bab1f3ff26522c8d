"""The instruments registry: double claims are errors naming both; ineligible ones excluded."""

from __future__ import annotations

import pytest

from tests.ledger.conftest import GROUP_PARK
from zcp.errors import InputError
from zcp.ledger import Ledger, load_profile
from zcp.ledger.instruments import certificate_exclusion, parse_instruments
from zcp.model.common import Period

DOUBLE = """\
kind: instruments
schema_version: 1
certificates:
  - {id: gec-a, type: GEC, serials: {first: "GEC0001", last: "GEC0100"}, mwh: 100,
     vintage: {start: 2023-01-01, end: 2023-03-31}, retired: true, beneficiary: a}
  - {id: gec-park, type: GEC, serials: {first: "GEC0090", last: "GEC0139"}, mwh: 50,
     vintage: {start: 2023-01-01, end: 2023-03-31}, retired: true, beneficiary: grp}
credits:
  - {id: vcs-1, standard: VCS, serials: {first: "V-10", last: "V-19"}, tonnes: 10, vintage: 2022,
     retired: true, beneficiary: a}
  - {id: vcs-2, standard: VCS, serials: {first: "V-15", last: "V-15"}, tonnes: 1, vintage: 2022,
     retired: true, beneficiary: b}
"""


def test_double_claims_name_both(write_park):
    folder = write_park(GROUP_PARK, DOUBLE)
    with pytest.raises(InputError) as err:
        Ledger(folder)
    text = str(err.value)
    assert "GEC0090..GEC0100 claimed twice" in text  # as written: zero padding kept
    assert (
        "gec-a (a) at instruments.yaml:4" in text and "gec-park (grp) at instruments.yaml:6" in text
    )
    assert "vcs-1 (a)" in text and "vcs-2 (b)" in text


def test_serial_count_must_match_quantity(write_park):
    bad = DOUBLE.replace('last: "GEC0139"}, mwh: 50', 'last: "GEC0200"}, mwh: 50')
    with pytest.raises(InputError, match="serials but 50 MWh"):
        Ledger(write_park(GROUP_PARK, bad))


def test_unknown_beneficiary_is_located(write_park):
    bad = DOUBLE.replace("beneficiary: b}", "beneficiary: zz}")
    with pytest.raises(InputError, match="unknown beneficiary 'zz'"):
        Ledger(write_park(GROUP_PARK, bad))


@pytest.mark.parametrize(
    ("vintage", "profile", "excluded"),
    [
        (("2022-07-01", "2022-12-31"), "ghg-protocol-corporate", False),  # 6 months before
        (("2022-01-01", "2022-06-30"), "ghg-protocol-corporate", True),
        (("2024-03-01", "2024-03-31"), "ghg-protocol-corporate", False),  # 3 months after
        (("2024-04-01", "2024-04-30"), "ghg-protocol-corporate", True),
        (("2021-01-01", "2021-01-31"), "national-zero-carbon-park", False),  # 24 months
        (("2020-12-01", "2020-12-31"), "national-zero-carbon-park", True),
    ],
)
def test_vintage_window(vintage, profile, excluded):
    reg = parse_instruments(
        f"""kind: instruments
schema_version: 1
certificates:
  - {{id: c, type: GEC, mwh: 1, vintage: {{start: {vintage[0]}, end: {vintage[1]}}},
     retired: true, beneficiary: p}}
"""
    )
    cert = reg.data.certificates[0]
    period = Period(start="2023-01-01", end="2023-12-31")
    reason = certificate_exclusion(cert, load_profile(profile), period)
    assert (reason is not None) == excluded
    if excluded:
        assert "vintage" in reason


def test_activity_errors_are_located(write_park):
    activity = """\
kind: activity
schema_version: 1
mobile_combustion:
  - {entity: zz, carrier: diesel, quantity: 1 t}
  - {entity: a, carrier: dieselx, quantity: 1 t}
"""
    with pytest.raises(InputError) as err:
        Ledger(write_park(GROUP_PARK, activity=activity))
    text = str(err.value)
    assert "activity.yaml:4" in text and "unknown entity 'zz'" in text
    assert "activity.yaml:5" in text and "unknown carrier 'dieselx'" in text


@pytest.mark.parametrize(
    "spelling",
    [
        ("gec0090", "gec0139"),  # lower case
        (" GEC0090", "GEC0139 "),  # leading / trailing space
        ("GEC-0090", "GEC-0139"),  # dashes
        ("GEC90", "GEC139"),  # no zero padding
        ("G E C 0090", "G_E_C/0139"),  # spaces and other separators
    ],
)
def test_same_range_spelt_differently_is_caught(write_park, spelling):
    first, last = spelling
    text = DOUBLE.replace('first: "GEC0090", last: "GEC0139"', f'first: "{first}", last: "{last}"')
    with pytest.raises(InputError) as err:
        Ledger(write_park(GROUP_PARK, text))
    message = str(err.value)
    assert "GEC0090..GEC0100 claimed twice" in message  # printed as the first claim wrote it
    assert "gec-park (grp)" in message


def test_gec_codes_compare_as_32_digit_numbers():
    from zcp.ledger.serials import canonical_serial

    code = "10000012345678901" + "202301000000001"  # 17-digit project code + 15 digits
    grouped = "1000001234567890-1202301000000001"
    assert canonical_serial(code).number == canonical_serial(grouped).number
    assert canonical_serial(" " + code).prefix == ""


def test_separators_never_merge_into_the_number():
    from zcp.ledger.serials import canonical_serial

    a, b = canonical_serial("CCER-9-0001"), canonical_serial("CCER-90-001")
    assert (a.prefix, a.number) != (b.prefix, b.number)
    assert canonical_serial("GEC-2027-NM-0001").prefix == canonical_serial("gec2027nm1").prefix
