"""Write the energy-flow graph as GraphML, DOT or an SVG drawing (chosen by suffix).

The drawing is for people: carriers in their colours (from the carrier file), metered
flows solid with a meter mark, unmetered flows dashed, node shapes by kind. Large parks
are drawn aggregated — tenants grouped by industry, their equipment folded into them — so
the picture stays readable; GraphML and DOT are always complete.
"""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import graphviz
import networkx as nx

from zcp.errors import InputError, Problem
from zcp.graph.build import flows
from zcp.model.carriers import Carriers

#: Above this many nodes the SVG drawing is aggregated.
AGGREGATE_ABOVE = 60
FONT = "Noto Sans CJK SC"
_SHAPES = {
    "tenant": ("box", "#f4f4f4"),
    "generator": ("invhouse", "#e8f5e9"),
    "storage": ("cylinder", "#fff8e1"),
    "converter": ("hexagon", "#ede7f6"),
    "grid_connection": ("doubleoctagon", "#e3f2fd"),
    "fuel_supply": ("octagon", "#efebe9"),
    "bus": ("rect", "#fafafa"),
    "equipment": ("component", "#ffffff"),
    "group": ("folder", "#f4f4f4"),
}


def _text(value: str) -> str:
    """User text as a plain DOT label: never an HTML-like label (``<...>``, which could
    make ``dot`` read files) and no escape sequences (``\\N``, ``\\G``) from backslashes."""
    return graphviz.nohtml(str(value).replace("\\", "\\\\"))


def _label(node: str, attrs: dict) -> str:
    name = attrs.get("name")
    extra = ""
    if attrs["kind"] == "generator":
        extra = f"\n{attrs['technology']} {attrs['capacity']:g} MW"
    elif attrs["kind"] == "group":
        extra = f"\n{attrs['members']} tenants"
    return _text((f"{name}\n[{node}]" if name else node) + extra)


def _aggregate(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Fold equipment into tenants and tenants into one node per industry."""
    group_of: dict[str, str] = {}
    members: dict[str, int] = defaultdict(int)
    for node, attrs in graph.nodes(data=True):
        if attrs["kind"] == "tenant":
            group = f"group__{attrs.get('industry') or 'tenants'}"
            group_of[node] = group
            members[group] += 1
    for node, attrs in graph.nodes(data=True):
        if (
            attrs["kind"] != "tenant"
            and attrs.get("tenant") in group_of
            and attrs["kind"] == "equipment"
        ):
            group_of[node] = group_of[attrs["tenant"]]
    out = nx.MultiDiGraph(**graph.graph)
    for node, attrs in graph.nodes(data=True):
        if node not in group_of:
            out.add_node(node, **attrs)
    for group, count in members.items():
        out.add_node(group, kind="group", name=group.split("__", 1)[1], members=count)
    merged: dict[tuple[str, str, str], dict] = {}
    for src, dst, _key, edge in flows(graph):
        a, b = group_of.get(src, src), group_of.get(dst, dst)
        if a == b:
            continue
        slot = merged.setdefault(
            (a, b, edge["carrier"]), {"carrier": edge["carrier"], "n": 0, "metered": 0}
        )
        slot["n"] += 1
        slot["metered"] += bool(edge["meters"])
    for (a, b, carrier), slot in merged.items():
        out.add_edge(
            a,
            b,
            key=f"{a}->{b}:{carrier}",
            carrier=carrier,
            count=slot["n"],
            metered_count=slot["metered"],
            meters=["*"] * slot["metered"],
        )
    return out


def to_dot(
    graph: nx.MultiDiGraph,
    carriers: Carriers,
    *,
    aggregate: bool | None = None,
    quantities: Mapping[str, str] | None = None,
) -> graphviz.Digraph:
    """The drawing as DOT. ``quantities`` maps a flow id to the text drawn on its edge (the
    report passes each flow's annual quantity with its unit, e.g. "1,200 MWh"); without it
    an edge shows its
    meters, or its id when unmetered."""
    if aggregate is None:
        aggregate = graph.number_of_nodes() > AGGREGATE_ABOVE
    g = _aggregate(graph) if aggregate else graph
    dot = graphviz.Digraph(name=str(graph.graph.get("park_id", "park")))
    title = graph.graph.get("park_name", "")
    dot.attr(
        rankdir="LR",
        fontname=FONT,
        label=_text(title + (" (aggregated)" if aggregate else "")),
        labelloc="t",
        fontsize="16",
    )
    dot.attr("node", fontname=FONT, fontsize="10", style="filled")
    dot.attr("edge", fontname=FONT, fontsize="8")
    for node, attrs in g.nodes(data=True):
        shape, fill = _SHAPES.get(attrs["kind"], ("ellipse", "#ffffff"))
        dot.node(node, _label(node, attrs), shape=shape, fillcolor=fill)
    for src, dst, key, edge in g.edges(keys=True, data=True):
        colour = carriers[edge["carrier"]].colour if edge["carrier"] in carriers else "#666666"
        metered = bool(edge["meters"])
        if "count" in edge:
            label = f"{edge['count']} flows, {edge['metered_count']} metered"
        elif quantities is not None and key in quantities:
            label = ("▣ " if metered else "") + quantities[key]
        else:
            label = ("▣ " + ", ".join(edge["meters"])) if metered else key
        dot.edge(
            src,
            dst,
            label=_text(label),
            color=colour,
            fontcolor=colour,
            style="solid" if metered else "dashed",
            penwidth="2" if metered else "1",
        )
    legend = graphviz.Digraph(name="cluster_legend")
    legend.attr(label="carriers / 能源品种", fontname=FONT, fontsize="10")
    used = sorted({edge["carrier"] for *_, edge in g.edges(keys=True, data=True)})
    for carrier in used:
        c = carriers.get(carrier)
        legend.node(
            f"legend__{carrier}",
            _text(f"{carrier} {c.name_zh if c and c.name_zh else ''}"),
            shape="plaintext",
            fontcolor=c.colour if c else "#666666",
            style="",
        )
    dot.subgraph(legend)
    return dot


@dataclass(frozen=True)
class DrawingWords:
    """The words a report's drawing uses, in the report's language (the report passes its
    own messages; the graph stage knows no language)."""

    legend: str
    technologies: Mapping[str, str]  # generator/storage technology → its word
    carriers: Mapping[str, str]  # carrier id → its name
    tenant_names: Mapping[str, str]  # tenant id → its name in the report's language


#: at most this many tenants in one column (one rank, left to right); more wrap to the next
#: column, so that the drawing keeps the proportions of a landscape page
TENANTS_PER_RANK = 5


def report_dot(
    graph: nx.MultiDiGraph,
    carriers: Carriers,
    words: DrawingWords,
    quantities: Mapping[str, str] | None = None,
) -> graphviz.Digraph:
    """The drawing a report prints on its own landscape page: supplies left, buses next,
    tenants in columns after them, each tenant's equipment listed inside its box with its
    annual quantity; every edge carries its annual quantity with its unit (``quantities``,
    flow id → text) when known, else its meters, else its flow id."""
    quantities = quantities or {}
    owner = {n: a["tenant"] for n, a in graph.nodes(data=True)
             if a["kind"] == "equipment" and a.get("tenant") in graph}  # fmt: skip
    inside: dict[str, list[str]] = defaultdict(list)
    dot = graphviz.Digraph(name=str(graph.graph.get("park_id", "park")))
    dot.attr(rankdir="LR", fontname=FONT, nodesep="0.18", ranksep="0.9", newrank="true")
    dot.attr("node", fontname=FONT, fontsize="13", style="filled", margin="0.12,0.06")
    dot.attr("edge", fontname=FONT, fontsize="12", arrowsize="0.7")
    for src, dst, key, edge in flows(graph):
        if src in owner and owner[src] == dst or dst in owner and owner[dst] == src:
            equipment = src if src in owner else dst
            amount = quantities.get(key) or ", ".join(edge["meters"])
            inside[owner[equipment]].append(f"{equipment}: {amount}" if amount else equipment)
            continue
        colour = carriers[edge["carrier"]].colour if edge["carrier"] in carriers else "#666666"
        metered = bool(edge["meters"])
        label = quantities.get(key) or (", ".join(edge["meters"]) if metered else key)
        dot.edge(
            owner.get(src, src), owner.get(dst, dst), label=_text(label), color=colour,
            fontcolor=colour, style="solid" if metered else "dashed",
            penwidth="2" if metered else "1",
        )  # fmt: skip
    tenants = []
    for node, attrs in graph.nodes(data=True):
        if node in owner:
            continue
        shape, fill = _SHAPES.get(attrs["kind"], ("ellipse", "#ffffff"))
        lines = [_report_name(node, attrs, words)]
        if attrs["kind"] in ("generator", "storage"):
            tech = words.technologies.get(attrs["technology"], attrs["technology"])
            size = attrs.get("capacity", attrs.get("power"))
            lines.append(f"{tech} {size:g} MW" if size is not None else tech)
        lines += sorted(inside.get(node, []))
        dot.node(node, _text("\n".join(lines)), shape=shape, fillcolor=fill)
        if attrs["kind"] == "tenant":
            tenants.append(node)
    # Wrap the tenants: an invisible edge from each to the one a column further right.
    for i in range(len(tenants) - TENANTS_PER_RANK):
        dot.edge(tenants[i], tenants[i + TENANTS_PER_RANK], style="invis")
    used = sorted({edge["carrier"] for *_, edge in flows(graph)})
    legend = graphviz.Digraph(name="cluster_legend")
    legend.attr(label=_text(words.legend), fontname=FONT, fontsize="12")
    for carrier in used:
        c = carriers.get(carrier)
        legend.node(f"legend__{carrier}", _text(words.carriers.get(carrier, carrier)),
                    shape="plaintext", style="", fontcolor=c.colour if c else "#666666")  # fmt: skip
    dot.subgraph(legend)
    return dot


def _report_name(node: str, attrs: dict, words: DrawingWords) -> str:
    name = words.tenant_names.get(node) if attrs["kind"] == "tenant" else attrs.get("name")
    return f"{name} [{node}]" if name else node


def to_graphml_ready(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """GraphML holds scalars only: lists become comma-joined text, None is dropped."""
    out = nx.MultiDiGraph()
    out.graph.update({k: v for k, v in graph.graph.items() if v is not None})

    def clean(attrs: dict) -> dict:
        result = {}
        for k, v in attrs.items():
            if v is None:
                continue
            result[k] = (
                ",".join(map(str, v))
                if isinstance(v, (list, tuple))
                else (v if isinstance(v, (str, int, float, bool)) else str(v))
            )
        return result

    for node, attrs in graph.nodes(data=True):
        out.add_node(node, **clean(attrs))
    for src, dst, key, attrs in graph.edges(keys=True, data=True):
        out.add_edge(src, dst, key=key, **clean(attrs))
    return out


def write_graph(
    graph: nx.MultiDiGraph, carriers: Carriers, out: str | Path, *, aggregate: bool | None = None
) -> Path:
    """Write by suffix: ``.graphml``, ``.dot``/``.gv`` or ``.svg``. Written atomically."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix == ".graphml":
        import io

        buffer = io.BytesIO()
        nx.write_graphml(to_graphml_ready(graph), buffer)
        data = buffer.getvalue()
    elif suffix in (".dot", ".gv"):
        data = to_dot(graph, carriers, aggregate=aggregate).source.encode()
    elif suffix == ".svg":
        try:
            data = to_dot(graph, carriers, aggregate=aggregate).pipe(format="svg")
        except graphviz.ExecutableNotFound:
            raise InputError(
                Problem(
                    "the graphviz 'dot' program is not installed",
                    hint="run 'make setup' (Debian package graphviz)",
                )
            ) from None
    else:
        raise InputError(
            Problem(
                f"cannot write {suffix or 'a file without suffix'}",
                path=str(out),
                hint="use .svg, .dot or .graphml",
            )
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out
