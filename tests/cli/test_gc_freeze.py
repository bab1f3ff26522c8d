"""Long commands freeze their imports out of the garbage collector's sweeps (a speed-up) and
hand them back when they end, so running commands in-process (tests, notebooks) does not
leave objects out of the collector's reach."""

from __future__ import annotations

import gc

import pytest
from click.testing import CliRunner

from zcp.cli import main


@pytest.fixture
def freezes(monkeypatch) -> list[int]:
    """How many objects were frozen at each ``gc.freeze`` call during the test."""
    counts: list[int] = []
    real_freeze = gc.freeze

    def recording_freeze() -> None:
        real_freeze()
        counts.append(gc.get_freeze_count())

    monkeypatch.setattr(gc, "freeze", recording_freeze)
    return counts


def test_evaluate_freezes_then_unfreezes(write_park, freezes):
    result = CliRunner().invoke(main, ["evaluate", str(write_park())])
    assert result.exit_code in (0, 1), result.output
    assert freezes and freezes[0] > 10_000  # the interpreter's modules and classes, at least
    assert gc.get_freeze_count() == 0


def test_a_command_failing_on_bad_input_unfreezes_too(write_park, freezes):
    park = write_park("kind: park\nschema_version: 1\nid: [not, an, id]\n")
    result = CliRunner().invoke(main, ["evaluate", str(park)])
    assert result.exit_code == 2, result.output
    assert freezes  # it froze before it found the problem
    assert gc.get_freeze_count() == 0
