"""Read a park folder and run every check on it: the library side of ``zcp validate``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from zcp.errors import InputError, ParkError, Problem
from zcp.graph import MeteringPlan, build_graph, graph_problems, metering_plan, unmetered_flows
from zcp.ledger.input_checks import inventory_input_problems
from zcp.model import ParkFolder, load_park


@dataclass
class ParkCheck:
    """A park that passed the checks, with the warnings and facts worth printing."""

    folder: ParkFolder
    graph: nx.MultiDiGraph
    warnings: list[Problem] = field(default_factory=list)
    plan: MeteringPlan | None = None
    unmetered: list[str] = field(default_factory=list)
    #: spreadsheets read (meters_file, activity tables): file, sheet, rows, comment rows
    tables: list[dict] = field(default_factory=list)

    def summary(self) -> dict:
        park = self.folder.park
        kinds = Counter(kind for _node, kind in self.graph.nodes(data="kind"))
        return {
            "park": {
                "id": park.id,
                "name": park.name,
                "stage": park.stage,
                "reporting_period": {
                    "start": park.reporting_period.start.isoformat(),
                    "end": park.reporting_period.end.isoformat(),
                },
            },
            "counts": {
                "tenants": len(park.tenants),
                "assets": len(park.assets),
                "flows": len(park.flows),
                "meters": len(park.meters),
                "nodes": kinds,
            },
            "metering_plan": self.plan.summary().to_dict(orient="records") if self.plan else [],
            "unmetered_flows": self.unmetered,
            "entities_with_other_periods": [
                {
                    "entity": t.id,
                    "start": str(t.reporting_period.start),
                    "end": str(t.reporting_period.end),
                }
                for t in park.tenants
                if t.reporting_period is not None and t.reporting_period != park.reporting_period
            ],  # fmt: skip
            "tables": self.tables,
            "warnings": [str(w) for w in self.warnings],
        }


def other_file_problems(folder: ParkFolder) -> list[Problem]:
    """What an assessment would refuse beyond the inventory's inputs: the assessment file,
    and activity amounts beyond the plausible ceilings (:mod:`zcp.ledger.activity_limits`)."""
    from zcp.factors import default_library
    from zcp.ledger.activity import ACTIVITY_FILE, load_activity
    from zcp.ledger.activity_limits import amount_problems
    from zcp.rules.assessment import load_assessment

    problems: list[Problem] = []
    try:
        path = folder.resolve(folder.park.assessment_file)
        if path.is_file():
            load_assessment(path)
    except InputError as exc:
        problems += exc.problems
    try:
        activity = load_activity(folder.root / ACTIVITY_FILE)
    except InputError:
        return problems  # reported by inventory_input_problems
    return problems + amount_problems(activity, folder.carriers, default_library())


def check_park(path: str | Path) -> ParkCheck:
    """Load ``path``, run the graph checks and check every other file of the folder.
    Raises ``ParkError`` listing every error."""
    folder = load_park(path)
    graph = build_graph(folder)
    problems = graph_problems(folder, graph)
    problems += inventory_input_problems(folder)  # instruments.yaml, activity.yaml, entities
    problems += other_file_problems(folder)  # assessment.yaml, implausible amounts
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ParkError(errors)
    return ParkCheck(
        folder=folder,
        graph=graph,
        warnings=[p for p in problems if p.severity != "error"],
        plan=metering_plan(graph),
        unmetered=unmetered_flows(graph),
        tables=tables_read(folder),
    )


def tables_read(folder: ParkFolder) -> list[dict]:
    """The spreadsheets a valid park was read from, each with what it gave, so a user sees
    every row accounted for (data rows, lines, comment rows skipped)."""
    from zcp.ledger.activity import ACTIVITY_FILE, load_activity

    out: list[dict] = []
    if folder.meter_table is not None:
        out.append({"for": "meters", **folder.meter_table.summary()})
    for table in load_activity(folder.root / ACTIVITY_FILE).tables():
        out.append({"for": "activity", **table})
    return out
