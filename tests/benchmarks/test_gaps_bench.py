"""Gap analysis cost (issue 14 item 4): wall time, CPU time and real engine re-runs.

The gap part alone is timed — every rule set the park's assessment selects is evaluated
first, then ``gap_analysis`` runs over every registered lever, as ``zcp assess`` does.
Default run: the design-stage example (no readings; quick), nothing timed is asserted.
Full (``-m full``): the bundled operating example, the workload of ``make demo``.

One what-if accounting run (``run_what_if``: certificates, extra PV, extra wind) is timed
on its own too — gap analysis makes about ninety on the operating example, so its cost
[ms] times the engine runs is most of the gap part.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from zcp.ledger import Ledger
from zcp.ledger.whatif import AddedCapacity, WhatIf, run_what_if
from zcp.metrics import registered_levers
from zcp.model import load_park
from zcp.rules import Catalogue
from zcp.rules.assessment import load_assessment
from zcp.rules.evaluate import evaluate_rule_set
from zcp.rules.gaps import PARK_REL_TOL, engine_runs, gap_analysis
from zcp.rules.ruleset_catalogue import select_rule_sets
from zcp.rules.run import park_context

EXAMPLES = Path(__file__).resolve().parents[2] / "assessments"


def gap_part(folder_path: Path) -> dict:
    """Evaluate, then time only the gap analysis over every selected rule set."""
    folder = load_park(folder_path)
    assessment_path = folder.root / folder.park.assessment_file
    assessment = load_assessment(assessment_path).model if assessment_path.is_file() else None
    day = (assessment.assessment_date if assessment else None) or folder.park.reporting_period.end
    ctx = park_context(folder, as_of=day)
    chosen = select_rule_sets(
        Catalogue(), cli_refs=[], assessment=assessment, stage=folder.park.stage, as_of=day
    )
    evaluated = []
    for s in chosen:
        answers = assessment.answers_for(s.rule_set.model.id) if assessment else {}
        result = evaluate_rule_set(s.rule_set, ctx, answers=answers, subject=s.subject, as_of=day)
        evaluated.append((s, answers, result))
    levers = registered_levers()
    wall, cpu = time.perf_counter(), time.process_time()
    found = 0
    for s, answers, result in evaluated:
        gaps = gap_analysis(s.rule_set, ctx, levers, result=result, answers=answers,
                            subject=s.subject, as_of=day, rel_tol=PARK_REL_TOL)  # fmt: skip
        found += sum(1 for g in gaps for lever in g.levers if lever.amount is not None)
    return {
        "wall_s": time.perf_counter() - wall,
        "cpu_s": time.process_time() - cpu,
        "engine_runs": engine_runs(ctx),
        "amounts_found": found,
        "rule_sets": len(evaluated),
    }


def test_design_example_gaps(benchmark):
    report = benchmark.pedantic(gap_part, args=(EXAMPLES / "ordos-design",), rounds=1, iterations=1)
    benchmark.extra_info.update(report)
    assert report["amounts_found"] > 0


@pytest.mark.full
def test_operating_example_gaps(benchmark):
    folder = EXAMPLES / "lingang-operation"
    report = benchmark.pedantic(gap_part, args=(folder,), rounds=1, iterations=1)
    benchmark.extra_info.update(report)
    print(report)
    assert report["amounts_found"] > 0


WHAT_IFS = {
    "certificates": WhatIf(certificates_mwh=10_000.0),
    "extra_pv": WhatIf(capacity=(AddedCapacity("pv", 50.0, 0.18),)),
    "extra_wind": WhatIf(capacity=(AddedCapacity("wind", 30.0, 0.32),)),
}


def what_if_cost(folder_path: Path, runs: int = 10) -> dict:
    """CPU time of one what-if accounting run per kind of change [ms], after one warm-up
    (the ledger's base run and the lever-independent parts are made once per ledger)."""
    folder = load_park(folder_path)
    readings = None
    if folder.park.readings:
        from zcp.metering import load_readings

        readings = load_readings(folder)
    ledger = Ledger(folder, readings=readings)
    ledger.result()
    out = {}
    for name, change in WHAT_IFS.items():
        run_what_if(ledger, change)
        cpu = time.process_time()
        for _ in range(runs):
            run_what_if(ledger, change)
        out[f"{name}_ms"] = (time.process_time() - cpu) / runs * 1000
    return out


def test_design_example_what_if(benchmark):
    report = benchmark.pedantic(
        what_if_cost, args=(EXAMPLES / "ordos-design", 3), rounds=1, iterations=1
    )
    benchmark.extra_info.update(report)
    assert set(report) == {f"{name}_ms" for name in WHAT_IFS}


@pytest.mark.full
def test_operating_example_what_if(benchmark):
    report = benchmark.pedantic(
        what_if_cost, args=(EXAMPLES / "lingang-operation",), rounds=1, iterations=1
    )
    benchmark.extra_info.update(report)
    print(report)
    assert set(report) == {f"{name}_ms" for name in WHAT_IFS}
