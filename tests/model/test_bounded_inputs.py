"""Bounded inputs (#12 item 7): names and free text have documented limits and refuse
control and bidi characters; the YAML budget counts alias expansion, not plain size."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tests.conftest import MINIMAL_PARK
from zcp import yamlio
from zcp.cli import main
from zcp.errors import InputError
from zcp.limits import MAX_NAME_CHARS, MAX_TEXT_CHARS


def _named(name: str) -> str:
    old = "name: 小型测试园区"
    assert old in MINIMAL_PARK
    return MINIMAL_PARK.replace(old, f"name: {name}", 1)


def _validate(write_park, text: str):
    return CliRunner().invoke(main, ["validate", str(write_park(text))])


def test_a_name_at_the_limit_is_fine_one_more_is_not(write_park):
    assert _validate(write_park, _named("园" * MAX_NAME_CHARS)).exit_code == 0
    result = _validate(write_park, _named("园" * (MAX_NAME_CHARS + 1)))
    assert result.exit_code == 2
    assert f"park.yaml:4:1: name: text of {MAX_NAME_CHARS + 1:,} characters is longer than" in (
        result.output
    )


def test_a_megabyte_name_is_refused_quickly_and_not_echoed(write_park):
    result = _validate(write_park, _named("x" * 1_000_000))
    assert result.exit_code == 2
    assert "longer than 200" in result.output
    assert len(result.output) < 500


def test_free_text_has_a_longer_limit(write_park):
    text = MINIMAL_PARK.replace("industry: batteries}", "industry: batteries, name_en: ok}")
    assert _validate(write_park, text).exit_code == 0
    note = "n" * (MAX_TEXT_CHARS + 1)
    meters = "  - {id: m-gas, flow: f-gas, carrier: natural_gas, unit: m3, level: park_boundary}"
    text = MINIMAL_PARK.replace(meters, meters[:-1] + f", accuracy_class: {note}}}")
    result = _validate(write_park, text)
    assert result.exit_code == 2 and f"longer than {MAX_TEXT_CHARS:,}" in result.output


@pytest.mark.parametrize(
    ("char", "code"),
    [("\u202e", "U+202E"), ("\u2066", "U+2066"), ("\\x07", "U+0007"), ("\\x1b", "U+001B")],
)
def test_control_and_bidi_characters_are_refused(write_park, char, code):
    result = _validate(write_park, _named(f'"合法名称{char}evil"'))
    assert result.exit_code == 2
    assert f"character {code} at position 5 is not allowed" in result.output


def _plain_yaml(items: int) -> str:
    rows = "".join(f"  - {{id: n{i}, v: {i}}}\n" for i in range(items))
    return "kind: park\nlist:\n" + rows


def test_a_large_plain_document_is_not_an_alias_bomb(monkeypatch):
    """With the budget lowered to 1,000 nodes, 3,000 written-out nodes still read."""
    monkeypatch.setattr(yamlio, "MAX_NODES", 1_000)
    doc = yamlio.parse_yaml(_plain_yaml(600))  # 600 x (mapping, 2 keys, 2 values) nodes
    assert len(doc.data["list"]) == 600


def test_aliases_beyond_the_budget_are_refused(monkeypatch):
    monkeypatch.setattr(yamlio, "MAX_NODES", 1_000)
    text = "kind: park\nbase: &b [1, 2, 3, 4, 5, 6, 7, 8, 9]\n" + "".join(
        f"use{i}: *b\n" for i in range(120)
    )  # 120 uses x 10 nodes = 1,200 expanded nodes > 1,000
    with pytest.raises(InputError, match="aliases expand the document by more than 1,000"):
        yamlio.parse_yaml(text)
    small = "kind: park\nbase: &b [1, 2, 3]\n" + "".join(f"use{i}: *b\n" for i in range(100))
    assert yamlio.parse_yaml(small).data["use99"] == [1, 2, 3]
