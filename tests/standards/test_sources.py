"""Every document a rule set or data file cites is in docs/sources.md, and none cites the
team's digest or "the founding report" (they are not in the repository; primary documents
are cited instead). Every factor carries a publication date and a primary source."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from zcp.yamlio import load_yaml

ROOT = Path(__file__).resolve().parents[2]
DATA_DIRS = (ROOT / "standards", ROOT / "zcp" / "data")
SOURCES = ROOT / "docs" / "sources.md"
FILES = sorted(p for d in DATA_DIRS for p in d.rglob("*.yaml"))


def source_keys() -> list[str]:
    keys = re.findall(r"^### (.+?)\s*$", SOURCES.read_text(encoding="utf-8"), re.MULTILINE)
    assert len(keys) == len(set(keys)), "a document is listed twice in docs/sources.md"
    return keys


def cited(data: object) -> Iterator[str]:
    """Every document a YAML tree cites: ``document:`` values and a profile's basis/sources."""
    if isinstance(data, dict):
        for key, value in data.items():
            if (
                key == "document"
                and isinstance(value, str)
                or key == "basis"
                and isinstance(value, str)
            ):
                yield value
            elif key == "sources" and isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))
            else:
                yield from cited(value)
    elif isinstance(data, list):
        for item in data:
            yield from cited(item)


def test_sources_list_has_entries_with_what_was_read_and_how_sure():
    text = SOURCES.read_text(encoding="utf-8")
    entries = re.split(r"^### ", text, flags=re.MULTILINE)[1:]
    assert len(entries) >= 30
    for entry in entries:
        if entry.startswith("zcp"):
            continue
        assert "Read:" in entry, f"say what was read: {entry.splitlines()[0]}"
        assert "sure" in entry, f"say how sure: {entry.splitlines()[0]}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_cited_document_is_in_the_sources_list(path):
    keys = source_keys()
    missing = [doc for doc in cited(load_yaml(path).data) if not any(k in doc for k in keys)]
    assert not missing, f"add to docs/sources.md or cite a listed document: {missing}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_file_cites_the_digest_or_the_founding_report(path):
    text = path.read_text(encoding="utf-8").lower()
    for banned in ("digest", "founding report"):
        assert banned not in text, f"{path.name} cites the {banned}: cite the primary document"


FACTOR_FILES = sorted((ROOT / "zcp" / "data" / "factors").glob("*.yaml"))


@pytest.mark.parametrize("path", FACTOR_FILES, ids=lambda p: p.name)
def test_every_factor_has_a_publication_date_and_a_primary_source(path):
    for factor in load_yaml(path).data["factors"]:
        source = factor["source"]
        assert source.get("published"), f"{factor['id']}: no 'published' date"
        assert source.get("clause") or source.get("url"), f"{factor['id']}: no clause or URL"


def test_electricity_footprint_series_is_never_a_scope2_factor():
    """The carbon-footprint series (2023 0.6205, 2024 0.5777 kgCO2e/kWh) is for products:
    the scope-2 lookup (CO2 factors by method) can never return it."""
    from typing import get_args

    from zcp.factors import load_library
    from zcp.ledger.profile import FactorChoice

    library = load_library()
    footprint = {
        f.id: f.value for f in library.find("electricity_carbon_footprint", carrier="electricity")
    }
    assert footprint == {
        "pcf.electricity.national.2023": 0.6205,
        "pcf.electricity.national.2024": 0.5777,
    }
    for method in get_args(FactorChoice.model_fields["method"].annotation):
        found = library.find("co2", carrier="electricity", method=method)
        assert found and not set(f.id for f in found) & set(footprint)
