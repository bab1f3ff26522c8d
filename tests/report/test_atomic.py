"""Atomic writes: the target is the old file or the complete new one, never partial."""

from __future__ import annotations

import os

import pytest

from zcp.report.atomic import atomic_open, atomic_write_bytes


def test_writes_complete_file(tmp_path):
    target = tmp_path / "sub" / "r.pdf"
    atomic_write_bytes(target, b"new report")
    assert target.read_bytes() == b"new report"
    assert sorted(p.name for p in target.parent.iterdir()) == ["r.pdf"]
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's private 0600


@pytest.mark.parametrize("exc", [RuntimeError("render failed"), KeyboardInterrupt()])
def test_exception_leaves_old_file_and_no_temp(tmp_path, exc):
    target = tmp_path / "r.pdf"
    target.write_bytes(b"old report")
    with pytest.raises(type(exc)), atomic_open(target) as fh:
        fh.write(b"half of a new rep")
        raise exc
    assert target.read_bytes() == b"old report"
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"]


def test_no_file_at_all_after_failed_first_write(tmp_path):
    target = tmp_path / "r.pdf"
    with pytest.raises(RuntimeError), atomic_open(target) as fh:
        fh.write(b"partial")
        raise RuntimeError
    assert list(tmp_path.iterdir()) == []


def test_interrupted_report_leaves_the_previous_one(tmp_path, monkeypatch):
    from tests.report.conftest import sample_manifest
    from tests.report.sample import sample_report
    from zcp.report import output

    data = sample_report(n_rules=1, days=2)
    target = tmp_path / "r.pdf"
    target.write_bytes(b"previous report")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt  # Ctrl-C while weasyprint is busy

    monkeypatch.setattr(output, "render_pdf", interrupted)
    with pytest.raises(KeyboardInterrupt):
        output.write_report(data, sample_manifest(data), target)
    assert target.read_bytes() == b"previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"]
