"""Claims across parks: canonical serials and overlaps between parks, by plain arithmetic."""

from __future__ import annotations

from zcp.ledger.serials import canonical_serial
from zcp.portfolio.claims import cross_park_conflicts


def _claim(source: str, claim_id: str, first: str, last: str, family: str = "certificate"):
    a, b = canonical_serial(first), canonical_serial(last)
    return {
        "source": source,
        "park_id": source.upper(),
        "claim_id": claim_id,
        "family": family,
        "beneficiary": "t001",
        "serial_first": first,
        "serial_last": last,
        "canonical_prefix": a.prefix,
        "canonical_first": str(a.number),
        "canonical_last": str(b.number),
        "location": f"{source}/instruments.yaml:5",
    }


def test_overlap_between_two_parks_names_both_parks_and_claims():
    claims = [
        _claim("pa", "gec-a", "GEC-000100", "GEC-000199"),
        _claim("pb", "gec-b", "gec 150", "gec-000250"),  # written differently, same series
        _claim("pc", "gec-c", "GEC000200", "GEC000300"),  # touches pb only (200..250)
    ]
    conflicts = cross_park_conflicts(claims)
    pairs = {(c["claim_id_a"], c["claim_id_b"]): c for c in conflicts}
    assert set(pairs) == {("gec-a", "gec-b"), ("gec-b", "gec-c")}
    ab = pairs[("gec-a", "gec-b")]
    # printed as the first claim writes its serials
    assert (ab["overlap_first"], ab["overlap_last"]) == ("GEC-000150", "GEC-000199")
    assert ab["serials"] == 199 - 150 + 1
    assert "park PA" in ab["message"] and "park PB" in ab["message"]
    assert "pa/instruments.yaml:5" in ab["message"] and "pb/instruments.yaml:5" in ab["message"]
    assert pairs[("gec-b", "gec-c")]["serials"] == 250 - 200 + 1


def test_no_conflict_within_one_park_across_families_or_adjacent():
    claims = [
        _claim("pa", "one", "GEC000001", "GEC000010"),
        _claim("pa", "two", "GEC000005", "GEC000006"),  # same park: the park's own check
        _claim("pb", "credit", "GEC000001", "GEC000010", family="credit"),  # other family
        _claim("pc", "next", "GEC000011", "GEC000020"),  # adjacent, no overlap
    ]
    assert cross_park_conflicts(claims) == []


def test_single_32_digit_gec_code_claimed_twice():
    code = "12345678901234567890123456789012"
    conflicts = cross_park_conflicts([_claim("pa", "a", code, code), _claim("pb", "b", code, code)])
    assert len(conflicts) == 1
    assert conflicts[0]["overlap_first"] == code and conflicts[0]["serials"] == 1
