"""The pipeline imports one way: model → graph → metering → ledger → metrics → rules → report
→ cli. An import against that order (at module level, inside a function or under
``TYPE_CHECKING`` alike) is a back-edge and fails here, and so does any circle of imports
between modules (a package's modules importing the package itself aside: that is how its
``__init__`` re-exports and how click commands attach to their group).
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "zcp"

#: Stage of each top-level part of zcp. Foundations (errors, units, safe YAML, the factor
#: library) come before everything; product footprints build on the ledger and feed the
#: report; the tools (validate, synth, schemas, portfolio) may use any stage and only the
#: CLI uses them.
STAGES: dict[str, int] = {
    "": 0,  # zcp/__init__.py
    "errors": 0,
    "units": 0,
    "yamlio": 0,
    "factors": 0,
    "hashing": 0,
    "limits": 0,
    "jsontext": 0,
    "textfiles": 0,
    "tables": 0,
    "model": 1,
    "graph": 2,
    "metering": 3,
    "ledger": 4,
    "metrics": 5,
    "products": 5,
    "rules": 6,
    "report": 7,
    "schemas": 8,
    "synth": 8,
    "validate": 8,
    "portfolio": 8,
    "plan": 7,  # on the rules; the report shows its plans (zcp assess --plan)
    "cli": 9,
    "__main__": 9,
}


#: Cycles still to be taken apart (each listed is a to-do, not a licence; a new cycle fails).
KNOWN_CYCLES: list[set[str]] = []


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path, source: str | None = None) -> list[tuple[str, int]]:
    """zcp modules ``name`` imports anywhere in its file (or in ``source``), with the line."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    text = source if source is not None else path.read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            subs = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in MODULES]
            targets = subs if len(subs) == len(node.names) else [base, *subs]
        else:
            continue
        for target in targets:
            while target not in MODULES and "." in target:
                target = target.rpartition(".")[0]
            if target in MODULES and target != name:
                found.append((target, node.lineno))
    return found


def _stage(module: str) -> int:
    part = module.split(".")[1] if "." in module else ""
    assert part in STAGES, f"{module}: add zcp/{part} to STAGES in this test"
    return STAGES[part]


EDGES = {name: _imports(name, path) for name, path in MODULES.items()}


def test_no_module_imports_a_later_stage():
    back = [
        f"{MODULES[src].relative_to(PACKAGE.parent)}:{line}: {src} imports {dst}"
        for src, targets in EDGES.items()
        for dst, line in targets
        if _stage(dst) > _stage(src)
    ]
    assert not back, "imports against the pipeline order:\n" + "\n".join(back)


def test_no_import_cycles():
    _assert_no_cycles(EDGES)


def _assert_no_cycles(edges: dict[str, list[tuple[str, int]]]) -> None:
    graph = nx.DiGraph()
    for src, targets in edges.items():
        for dst, _ in targets:
            if not src.startswith(dst + "."):  # a module importing its own package
                graph.add_edge(src, dst)
    cycles = [c for c in nx.simple_cycles(graph) if set(c) not in KNOWN_CYCLES]
    assert not cycles, "import cycles: " + "; ".join(" → ".join(c + c[:1]) for c in cycles)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from zcp.rules.results import RuleResult\n", "imports against the pipeline order"),
        ("def f():\n    from zcp.report import html\n", "imports against the pipeline order"),
    ],
)
def test_the_check_catches_a_back_edge(source, expected, monkeypatch):
    """A ledger module importing rules or report (even lazily) is reported with its line."""
    path = PACKAGE / "ledger" / "engine.py"
    monkeypatch.setitem(EDGES, "zcp.ledger.engine", _imports("zcp.ledger.engine", path, source))
    with pytest.raises(AssertionError, match=expected) as err:
        test_no_module_imports_a_later_stage()
    assert "zcp/ledger/engine.py:" in str(err.value)


def test_the_check_catches_a_cycle_hidden_under_type_checking():
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from zcp.ledger.whatif import WhatIf\n"
    edges = dict(EDGES)
    edges["zcp.ledger.engine"] = _imports("zcp.ledger.engine", PACKAGE / "ledger/engine.py", source)
    with pytest.raises(
        AssertionError,
        match="zcp.ledger.engine → zcp.ledger.whatif|zcp.ledger.whatif → zcp.ledger.engine",
    ):
        _assert_no_cycles(edges)
