"""The files an evaluation marks *read* are exactly the files it opens.

Checked independently of zcp's own bookkeeping: a Python audit hook records every file
opened under the park folder while the park is evaluated (hashing aside: it opens every
file on purpose), to which the test adds what zcp reads without a Python ``open`` — the
readings files (DuckDB and pyarrow open them in C) taken from park.yaml — and the evidence
files the assessment cites (hashed and certified, never opened), taken from assessment.yaml.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml

import zcp.rules.run as run
from tests.conftest import EXAMPLES
from tests.ledger.test_hourly_grid_factors import PARK as HOURLY_PARK
from tests.ledger.test_hourly_grid_factors import readings, series
from tests.ledger.test_registry_csv import GEC_EXPORT
from tests.ledger.test_registry_csv import HEAD as INSTRUMENTS_HEAD
from zcp.ledger import Ledger
from zcp.model import load_park
from zcp.rules.run import evaluate_park

#: the park folder whose opens are being recorded (None: the hook records nothing)
_WATCHED: list[Path | None] = [None]
_OPENED: set[str] = set()


def _record_open(event: str, args: tuple) -> None:
    root = _WATCHED[0]
    if root is None or event != "open" or not isinstance(args[0], (str, bytes, os.PathLike)):
        return
    path = Path(os.path.realpath(os.fsdecode(args[0])))
    if path.is_relative_to(root):
        _OPENED.add(path.relative_to(root).as_posix())


sys.addaudithook(_record_open)  # a hook cannot be removed; it records only while watching


@contextmanager
def watching(park: Path) -> Iterator[set[str]]:
    """The files opened under ``park`` (relative POSIX paths) while the block runs."""
    _OPENED.clear()
    _WATCHED[0] = park.resolve()
    opened: set[str] = set()
    try:
        yield opened
    finally:
        _WATCHED[0] = None
        opened |= _OPENED


def _cited_evidence(park: Path) -> set[str]:
    doc = yaml.safe_load((park / "assessment.yaml").read_text(encoding="utf-8")) or {}
    refs = {ref for answer in (doc.get("answers") or {}).values()
            for ref in answer.get("evidence") or []}  # fmt: skip
    for finding in doc.get("findings") or []:
        refs |= set(finding.get("evidence") or []) | set(finding.get("closing_evidence") or [])
    return refs | set(doc.get("evidence_reviews") or {})


def _readings(park: Path) -> set[str]:
    doc = yaml.safe_load((park / "park.yaml").read_text(encoding="utf-8"))
    return {entry["path"] for entry in doc.get("readings") or []}


#: files each example holds but does not read (so the equality below is not vacuous)
UNREAD = {
    "ordos-design": {"products.yaml", "suppliers/lfp-cathode-supplier.yaml"},  # zcp footprint's
    "lingang-operation": {"synth.json", "evidence/README.md"},
    "group-multisite": set(),
}


@pytest.mark.parametrize("example", sorted(UNREAD))
def test_files_marked_read_are_the_files_opened(example, tmp_path, monkeypatch):
    # a fresh copy: nothing cached from another test's evaluation of the same files
    park = tmp_path / example
    shutil.copytree(EXAMPLES / example, park)
    root = park.resolve()
    hash_all = run.hash_park_inputs

    def hash_unwatched(*args, **kwargs):
        _WATCHED[0] = None
        try:
            return hash_all(*args, **kwargs)
        finally:
            _WATCHED[0] = root

    monkeypatch.setattr(run, "hash_park_inputs", hash_unwatched)
    with watching(park) as opened:
        evaluation = evaluate_park(park, gaps=False)
    assert "park.yaml" in opened  # the hook saw the evaluation

    expected = opened | _readings(park)
    if (park / "assessment.yaml").is_file():
        expected |= _cited_evidence(park)
    read = {path for path, was_read in evaluation.read.items() if was_read}
    assert read == expected
    # every file of the folder is still hashed, read or not
    on_disk = {p.relative_to(park).as_posix() for p in park.rglob("*") if p.is_file()}
    assert set(evaluation.read) == on_disk == set(evaluation.park_hashes)
    assert on_disk - read >= UNREAD[example]


@pytest.mark.parametrize(
    ("profile", "hourly"), [("cec-zero-carbon-park", {"grid_hourly.csv"}), (None, set())]
)
def test_a_ledger_lists_its_registry_statements_and_hourly_series(tmp_path, profile, hourly):
    """Files the examples do not exercise: a registry statement instruments.yaml imports,
    and the hourly grid-factor series — read only under a profile that prices hourly."""
    park = tmp_path / "park"
    park.mkdir()
    (park / "park.yaml").write_text(HOURLY_PARK, encoding="utf-8")
    (park / "grid_hourly.csv").write_text(series(), encoding="utf-8")
    imports = "imports:\n  - {path: gec.csv, scheme: GEC, beneficiary: a}\n"
    (park / "instruments.yaml").write_text(INSTRUMENTS_HEAD + imports, encoding="utf-8")
    (park / "gec.csv").write_bytes(GEC_EXPORT.encode("gbk"))
    (park / "notes.txt").write_text("not an input\n", encoding="utf-8")
    folder = load_park(park)
    with watching(park) as opened:
        ledger = Ledger(folder, profile=profile, readings=readings())
    assert opened == {"instruments.yaml", "gec.csv"} | hourly
    root = park.resolve()
    assert {p.resolve().relative_to(root).as_posix() for p in ledger.files_read()} == opened
