"""Rules reuse the ledger's aggregates: evaluating a rule set after the accounting adds no
second accounting run and little time (issue 5: under 10 % of the accounting time).

A small synthetic park keeps this in the quick run; the 10,000-meter figures are measured
by hand (see the rule engine's notes).
"""

from __future__ import annotations

import time

import pytest

from zcp.rules import Catalogue, evaluate_rule_set
from zcp.rules.run import park_context

synth = pytest.importorskip("zcp.synth")
accounting = pytest.importorskip("zcp.metrics.ledger_metrics")


def test_rule_evaluation_reuses_the_accounting(tmp_path, monkeypatch):
    from zcp.ledger.engine import Ledger
    from zcp.model import load_park

    synth.synthesize(
        tmp_path / "park", synth.SynthSpec(tenants=6, meters=60, hours=24 * 90, seed=3)
    )
    ctx = park_context(load_park(tmp_path / "park"))
    national = Catalogue().load("zero_carbon_park", "2025-trial")
    view = ctx.for_profile(national.model.accounting_profile)

    runs = []
    original = Ledger.result
    monkeypatch.setattr(Ledger, "result", lambda self: runs.append(1) or original(self))
    start = time.perf_counter()
    accounting.result_for(view)
    accounting_seconds = time.perf_counter() - start
    assert runs == [1]

    start = time.perf_counter()
    result = evaluate_rule_set(national, ctx)
    rules_seconds = time.perf_counter() - start
    assert runs == [1], "the rule set ran the accounting again"
    assert result.rule("core_carbon_per_unit_energy").metrics  # it did read ledger metrics
    assert rules_seconds < 0.10 * accounting_seconds
