"""What each flow means for the accounts: supply, sink, and which entity consumes it.

The ledger reads the park's flows once and gives each a role. Electricity is balanced at
the park's internal grid (supply: clean and fossil generation, grid import, storage
discharge; sinks: loads, export, storage charge). Fuels and purchased heat are booked to the
entity that owns the node where they enter the park. Everything else (sub-meters behind a
tenant's meter, hydrogen or steam made inside the park) is internal: traced, not counted,
because its emissions are already in the energy it was made from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from zcp.model import ParkFolder
from zcp.model.park import Generator

#: Entity id for consumption no tenant owns (shared loads, losses, unmetered use).
PARK_ENTITY = "_park"

#: Generator technologies whose electricity is clean (non-fossil).
CLEAN_TECHNOLOGIES = frozenset({"wind", "pv", "hydro", "biomass"})

Supply = Literal["clean_direct", "clean_contract", "fossil_gen", "import", "storage_out"]
Sink = Literal["load", "export", "storage_in"]
Kind = Literal["electricity", "fuel", "heat", "internal"]

#: Supply roles in the fixed order of the hourly role arrays.
SUPPLY_ROLES: tuple[str, ...] = (
    "clean_direct",
    "clean_contract",
    "fossil_gen",
    "import",
    "storage_out",
)
SINK_ROLES: tuple[str, ...] = ("export", "storage_in")


@dataclass(frozen=True)
class FlowRole:
    """The accounting meaning of one flow.

    ``entity`` is the consumer of a load, fuel or heat flow (a tenant id or ``PARK_ENTITY``);
    ``loss`` the stated line-loss fraction applied to supplies before they reach the grid.
    """

    flow_id: str
    carrier: str
    kind: Kind
    supply: Supply | None = None
    sink: Sink | None = None
    entity: str | None = None
    loss: float = 0.0
    generator: str | None = None


def flow_roles(folder: ParkFolder) -> dict[str, FlowRole]:
    """Flow id → role for every flow of the park."""
    park = folder.park
    tenants = {t.id for t in park.tenants}
    assets = {a.id: a for a in park.assets}

    def owner(node: str) -> str | None:
        if node in tenants:
            return node
        asset = assets.get(node)
        return asset.tenant if asset is not None else None

    def node_type(node: str) -> str:
        return "tenant" if node in tenants else assets[node].type

    roles: dict[str, FlowRole] = {}
    for flow in park.flows:
        src, dst = node_type(flow.from_), node_type(flow.to)
        consumer = owner(flow.to) or PARK_ENTITY
        if flow.carrier != "electricity":
            category = folder.carriers[flow.carrier].category
            if src == "fuel_supply" and category in ("fossil", "non_fossil"):
                roles[flow.id] = FlowRole(flow.id, flow.carrier, "fuel", entity=consumer)
            elif src == "grid_connection" and flow.carrier in ("heat", "steam", "hot_water"):
                roles[flow.id] = FlowRole(flow.id, flow.carrier, "heat", entity=consumer)
            else:
                roles[flow.id] = FlowRole(flow.id, flow.carrier, "internal")
            continue
        supply: Supply | None = None
        generator = None
        if src == "generator":
            gen = assets[flow.from_]
            assert isinstance(gen, Generator)
            generator = gen.id
            if gen.technology in CLEAN_TECHNOLOGIES:
                direct = gen.site == "on_site" or flow.dedicated_line
                supply = "clean_direct" if direct else "clean_contract"
            else:
                supply = "fossil_gen"
        elif src == "grid_connection":
            supply = "import"
        elif src == "storage":
            supply = "storage_out"
        sink: Sink | None = None
        entity = None
        if dst == "grid_connection":
            sink = "export"
        elif dst == "storage":
            sink = "storage_in"
        elif dst not in ("bus", "generator"):
            internal = (
                src != "generator"
                and owner(flow.from_) is not None
                and (owner(flow.from_) == owner(flow.to))
            )
            if not internal:
                sink, entity = "load", consumer
        kind: Kind = "electricity" if (supply or sink) else "internal"
        roles[flow.id] = FlowRole(
            flow.id, "electricity", kind, supply, sink, entity, flow.loss_fraction, generator
        )
    return roles


def entities(folder: ParkFolder) -> list[str]:
    """Every tenant, then the park's own (shared) entity.

    Tenants outside the boundary are computed like the others (they draw on the same
    internal grid, so they take their pro-rata share of each hour's clean supply) and left
    out of the totals.
    """
    return [t.id for t in folder.park.tenants] + [PARK_ENTITY]


def in_boundary(folder: ParkFolder) -> set[str]:
    return {t.id for t in folder.park.tenants if t.in_boundary} | {PARK_ENTITY}
