"""Read a park folder and run every check on it: the library side of ``zcp validate``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from zcp.errors import InputError, ParkError, Problem
from zcp.graph import MeteringPlan, build_graph, graph_problems, metering_plan, unmetered_flows
from zcp.model import ParkFolder, load_park


@dataclass
class ParkCheck:
    """A park that passed the checks, with the warnings and facts worth printing."""

    folder: ParkFolder
    graph: nx.MultiDiGraph
    warnings: list[Problem] = field(default_factory=list)
    plan: MeteringPlan | None = None
    unmetered: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        park = self.folder.park
        kinds: dict[str, int] = {}
        for _node, kind in self.graph.nodes(data="kind"):
            kinds[kind] = kinds.get(kind, 0) + 1
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
            "warnings": [str(w) for w in self.warnings],
        }


def other_file_problems(folder: ParkFolder) -> list[Problem]:
    """Every other file of the folder, read and checked as an assessment would read it:
    instruments, activity and assessment files, and the ledger's checks across them."""
    from zcp.factors import default_library
    from zcp.ledger.activity import ACTIVITY_FILE, load_activity
    from zcp.ledger.engine import input_problems
    from zcp.ledger.instruments import load_instruments
    from zcp.rules.assessment import load_assessment

    problems: list[Problem] = []
    loaded = {}
    readers = {
        "instruments": lambda: load_instruments(folder.resolve(folder.park.instruments_file)),
        "activity": lambda: load_activity(folder.root / ACTIVITY_FILE),
        "assessment": lambda: (
            load_assessment(path)
            if (path := folder.resolve(folder.park.assessment_file)).is_file()
            else None
        ),
    }
    for name, read in readers.items():
        try:
            loaded[name] = read()
        except InputError as exc:
            problems += exc.problems
    if "instruments" in loaded and "activity" in loaded:
        problems += input_problems(
            folder, loaded["instruments"], loaded["activity"], default_library()
        )
    return problems


def check_park(path: str | Path) -> ParkCheck:
    """Load ``path``, run the graph checks and check every other file of the folder.
    Raises ``ParkError`` listing every error."""
    folder = load_park(path)
    graph = build_graph(folder)
    problems = graph_problems(folder, graph) + other_file_problems(folder)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ParkError(errors)
    return ParkCheck(
        folder=folder,
        graph=graph,
        warnings=[p for p in problems if p.severity != "error"],
        plan=metering_plan(graph),
        unmetered=unmetered_flows(graph),
    )
