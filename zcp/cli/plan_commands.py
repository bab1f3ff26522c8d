"""``zcp plan``: the cheapest engine-confirmed way to a rule set's level."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from zcp.cli import main

if TYPE_CHECKING:
    from zcp.plan import LevelPlan


@main.command("plan")
@click.argument("park_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--target", required=True, metavar="RULESET[@VERSION]:LEVEL",
              help="the level to reach, e.g. zero_carbon_park@2025-trial:core_met")  # fmt: skip
@click.option("--subject", default=None, metavar="TENANT", help="plan for one tenant")
@click.option("--json", "as_json", is_flag=True, help="print the plan as JSON on stdout")
@click.option("--standards", "standards_dirs", multiple=True,
              type=click.Path(file_okay=False, exists=True, path_type=str),
              help="extra standards folder, e.g. a draft rule set (repeatable; overrides "
                   "shipped ones)")  # fmt: skip
def plan(
    park_dir: Path, target: str, subject: str | None, as_json: bool, standards_dirs: tuple[str, ...]
) -> None:
    """Least-cost lever mix (PV, wind, certificates; storage where a level needs it)
    reaching a level, checked by the engine.

    Exit 0 when the level is reached already or planned and confirmed by the engine, 1 when
    it is not (unreachable), 2 on bad input.
    """
    from zcp.plan import check_target, plan_park

    check_target(target, standards_dirs, option="--target")
    result = plan_park(park_dir, target, subject=subject, standards_dirs=standards_dirs)
    if as_json:
        click.echo(json.dumps(dataclasses.asdict(result), indent=2, ensure_ascii=False))
        sys.exit(0 if result.ok else 1)
    who = f" — tenant {result.subject}" if result.subject else ""
    click.echo(f"plan for {result.park}: {result.rule_set}@{result.version}:{result.target}{who}")
    explained: set[str] = set()  # blocking rules whose reason is printed already
    _level(result.plan, explained, detail=True)
    click.echo("cost curve (annualised, CNY/a):")
    for level in result.cost_curve:
        if level.level == result.target and level.status not in ("planned", "reached"):
            click.echo(f"  {level.level}: {level.status} (see above)")
        else:
            _level(level, explained, detail=False)
    click.echo("assumptions:")
    for text in result.assumptions:
        click.echo(f"  - {text}")
    sys.exit(0 if result.ok else 1)


def _level(level: LevelPlan, explained: set[str], *, detail: bool) -> None:
    """One level: its cost and mix, or what blocks it — each blocking rule's reason is
    printed the first time only (the JSON keeps every level's reasons in full)."""
    if level.status == "planned":
        mix = ", ".join(f"{x.lever} {x.amount:,.10g} {x.unit}" for x in level.levers) or "nothing"
        click.echo(f"  {level.level}: {_yuan(level.annual_cost)} CNY/a — {mix}")
        if detail:
            for x in level.levers:
                click.echo(f"    {x.lever}: {x.amount:,.10g} {x.unit}, {_yuan(x.annual_cost)} "
                           f"CNY/a (cost {x.cost_confidence})")  # fmt: skip
            click.echo(f"    binding rules: {', '.join(level.binding) or 'none'}")
            click.echo(f"    engine re-evaluations: {level.engine_runs}; programme "
                       f"{level.lp_rows:,} rows × {level.lp_columns:,} columns")  # fmt: skip
            click.echo(f"    {level.why}")
    elif level.blockers:
        named = ", ".join(b.rule_id for b in level.blockers)
        seen = all(b.rule_id in explained for b in level.blockers)
        click.echo(f"  {level.level}: {level.status} — blocked by {named}"
                   + (" (see above)" if seen else ""))  # fmt: skip
        for blocker in level.blockers:
            if blocker.rule_id not in explained:
                click.echo(f"    {blocker.rule_id}: {blocker.explain()}")
                explained.add(blocker.rule_id)
    else:
        click.echo(f"  {level.level}: {level.status} — {level.why}")


def _yuan(value: float) -> str:
    """¥ to the nearest 10,000."""
    return f"{round(value, -4):,.0f}"
