"""``zcp plan`` cost (issue 14 item 5): wall time, peak RSS, engine re-evaluations, LP size.

Each run is a child process (its own peak RSS, ``ru_maxrss``). Default run: the operating
example's rated tenant to the national factory's basic level, and a small synthetic park's
first tenant to the same level; nothing timed is asserted. Full (``-m full``, ``make
bench``): the 10,000-meter synthetic park (shared with the metering benchmark; kept in
``$ZCP_BENCH_DIR``), its first tenant, same target.

A synthetic park has no assessment, so the level's one checklist rule
(``carbon_accounting_system``) would stay ``needs_evidence`` and block the plan before the
programme is built. The benchmark plans a sibling of the park instead (same files, hard
linked) with a synthetic assessment answering that rule, so it times the programme and the
engine's confirmation at scale.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import textwrap
from pathlib import Path

import pytest

from tests.benchmarks.test_metering_bench import park, run_script
from zcp.model import load_park

EXAMPLES = Path(__file__).resolve().parents[2] / "assessments"
TARGET = "national_zero_carbon_factory:basic"
RULE_SET = "national_zero_carbon_factory"
#: The target level's checklist rules, answered for the synthetic park (the rest of the
#: level is indicators the levers move).
CHECKLIST = ("carbon_accounting_system",)
EVIDENCE = "evidence/synthetic-ghg-inventory.md"

_PLAN = r"""
import json, resource, sys, time
from zcp.model import load_park
from zcp.plan import plan_park
folder = sys.argv[1]
tenant = sys.argv[2] if len(sys.argv) > 2 else load_park(folder).park.tenants[0].id
start = time.perf_counter()
result = plan_park(folder, "TARGET", subject=tenant)
elapsed = time.perf_counter() - start
plan = result.plan
print(json.dumps({
    "seconds": elapsed,
    "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "status": plan.status, "why": plan.why,
    "levers": {x.lever: x.amount for x in plan.levers},
    "annual_cost": plan.annual_cost,
    "engine_runs": sum(lv.engine_runs for lv in result.cost_curve),
    "lp_rows": plan.lp_rows, "lp_columns": plan.lp_columns,
}))
""".replace("TARGET", TARGET)


def test_plan_operating_example(benchmark):
    report = benchmark.pedantic(
        run_script, args=(_PLAN, EXAMPLES / "lingang-operation"), rounds=1, iterations=1
    )
    benchmark.extra_info.update(report)
    # planned and engine-confirmed, or unreachable with the blocking rule named
    assert report["status"] == "planned" or report["why"]


def plannable(synthetic: Path) -> Path:
    """A sibling of the ``synthetic`` park folder the target's levers can reach: its files
    hard linked (copied where links fail), plus an assessment that rates the first tenant
    and answers the level's checklist rules yes, with a stub evidence file — synthetic
    answers, said so in both files."""
    folder = synthetic.with_name(synthetic.name + "-plan")
    if (folder / "assessment.yaml").is_file():
        return folder
    for source in sorted(p for p in synthetic.rglob("*") if p.is_file()):
        target = folder / source.relative_to(synthetic)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            try:
                os.link(source, target)
            except OSError:
                shutil.copy2(source, target)
    tenant = load_park(folder).park.tenants[0].id
    (folder / EVIDENCE).parent.mkdir(exist_ok=True)
    (folder / EVIDENCE).write_text(
        "# SYNTHETIC — stands in for a GHG inventory report, so the benchmark's target is "
        "reachable by levers.\n",
        encoding="utf-8",
    )
    answers = "".join(f"  {rule}: {{answer: \"yes\", evidence: [{EVIDENCE}]}}\n"
                      for rule in CHECKLIST)  # fmt: skip
    (folder / "assessment.yaml").write_text(
        textwrap.dedent(f"""\
            # SYNTHETIC — answers assumed for the plan benchmark, not an assessor's.
            kind: assessment
            schema_version: 1
            rule_sets:
              - {{id: {RULE_SET}, subject: {tenant}}}
            answers:
            """)
        + answers,
        encoding="utf-8",
    )  # fmt: skip
    return folder


def test_plan_small_synthetic_park(benchmark, tmp_path):
    folder = plannable(park(tmp_path, tenants=40, meters=200, hours=720))
    report = benchmark.pedantic(run_script, args=(_PLAN, folder), rounds=1, iterations=1)
    benchmark.extra_info.update(report)
    # the programme is built and the engine confirms its plan
    assert report["status"] == "planned", report["why"]
    assert report["lp_rows"] > 0 and report["engine_runs"] >= 1


@pytest.mark.full
def test_plan_ten_thousand_meters(benchmark):
    root = Path(os.environ.get("ZCP_BENCH_DIR", tempfile.gettempdir()))
    folder = plannable(park(root, tenants=1_000, meters=10_000, hours=8_760))
    report = benchmark.pedantic(run_script, args=(_PLAN, folder), rounds=1, iterations=1)
    benchmark.extra_info.update(report)
    print(report)
    assert report["status"] == "planned", report["why"]
