"""A profile named by an alias shares the ledger run of its canonical name."""

from __future__ import annotations

from tests.ledger.test_non_fossil_share import PARK
from zcp.metrics import REGISTRY, EvaluationContext
from zcp.metrics.ledger_metrics import ledger_for


def test_alias_and_canonical_name_give_one_ledger(write_park):
    folder = write_park(PARK)
    ctx = EvaluationContext(registry=REGISTRY, inputs={"park_folder": folder})
    by_alias = ledger_for(ctx.for_profile("national_park"))
    by_name = ledger_for(ctx.for_profile("national-zero-carbon-park"))
    assert by_alias is not None and by_alias is by_name
