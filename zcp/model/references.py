"""Cross-reference checks over a whole park: ids unique, references resolve, carriers known.

Each check is a small function yielding located problems, so a park with five mistakes
gets five messages in one run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

from zcp.errors import InputError, Problem, did_you_mean
from zcp.model.carriers import Carriers
from zcp.model.park import Park
from zcp.units import same_dimension


class ParkFolder(Protocol):
    """What the checks need of a loaded park folder (``zcp.model.folder.ParkFolder``, which
    runs them while it loads)."""

    @property
    def park(self) -> Park: ...

    @property
    def carriers(self) -> Carriers: ...

    def locate(self, section: str, index: int) -> str: ...

    def problem(
        self,
        section: str,
        index: int,
        field_name: str,
        message: str,
        hint: str | None = None,
        severity: str = "error",
    ) -> Problem: ...

    def resolve(self, relative: str) -> Path: ...


def check_unique_ids(folder: ParkFolder) -> Iterator[Problem]:
    """Tenants and assets share one namespace (they are all graph nodes); flows and meters
    each have their own."""
    park = folder.park
    groups = {
        "node": [("tenants", i, t.id) for i, t in enumerate(park.tenants)]
        + [("assets", i, a.id) for i, a in enumerate(park.assets)],
        "flow": [("flows", i, f.id) for i, f in enumerate(park.flows)],
        "meter": [("meters", i, m.id) for i, m in enumerate(park.meters)],
    }
    for what, entries in groups.items():
        first: dict[str, tuple[str, int]] = {}
        for section, index, ident in entries:
            if ident in first:
                other = folder.locate(*first[ident])
                yield folder.problem(
                    section,
                    index,
                    "id",
                    f"duplicate {what} id {ident!r} (first defined at {other})",
                )
            else:
                first[ident] = (section, index)


def check_carriers_known(folder: ParkFolder) -> Iterator[Problem]:
    known = folder.carriers.ids()

    def unknown(section: str, index: int, field: str, carrier: str | None) -> Iterator[Problem]:
        if carrier is not None and carrier not in folder.carriers:
            yield folder.problem(
                section,
                index,
                field,
                f"unknown carrier {carrier!r}",
                hint=did_you_mean(carrier, known) or "add it under 'carriers:' in park.yaml",
            )

    for i, asset in enumerate(folder.park.assets):
        for field in ("carrier", "fuel"):
            yield from unknown("assets", i, field, getattr(asset, field, None))
        for field in ("inputs", "outputs"):
            for carrier in getattr(asset, field, None) or []:
                yield from unknown("assets", i, field, carrier)
    for i, flow in enumerate(folder.park.flows):
        yield from unknown("flows", i, "carrier", flow.carrier)
    for i, meter in enumerate(folder.park.meters):
        yield from unknown("meters", i, "carrier", meter.carrier)


def check_references(folder: ParkFolder) -> Iterator[Problem]:
    """Flow ends, meter flows and asset owners must name things that exist."""
    park = folder.park
    nodes = set(park.node_ids())
    tenants = {t.id for t in park.tenants}
    flows = {f.id for f in park.flows}
    for i, asset in enumerate(park.assets):
        if asset.tenant is not None and asset.tenant not in tenants:
            yield folder.problem(
                "assets",
                i,
                "tenant",
                f"unknown tenant {asset.tenant!r}",
                hint=did_you_mean(asset.tenant, tenants),
            )
    for i, flow in enumerate(park.flows):
        for field, end in (("from", flow.from_), ("to", flow.to)):
            if end not in nodes:
                yield folder.problem(
                    "flows",
                    i,
                    field,
                    f"flow {flow.id!r} {field} unknown node {end!r}",
                    hint=did_you_mean(end, nodes),
                )
        if flow.from_ == flow.to:
            yield folder.problem(
                "flows", i, "to", f"flow {flow.id!r} starts and ends at {flow.to!r}"
            )
    for i, meter in enumerate(park.meters):
        if meter.flow not in flows:
            yield folder.problem(
                "meters",
                i,
                "flow",
                f"meter {meter.id!r} sits on unknown flow {meter.flow!r}",
                hint=did_you_mean(meter.flow, flows),
            )


def check_meter_units(folder: ParkFolder) -> Iterator[Problem]:
    """A meter's reading unit must measure the same dimension as its carrier's unit."""
    for i, meter in enumerate(folder.park.meters):
        if meter.carrier not in folder.carriers:
            continue
        carrier_unit = folder.carriers[meter.carrier].unit
        try:
            ok = same_dimension(meter.unit, carrier_unit)
        except InputError as exc:
            yield folder.problem(
                "meters", i, "unit", exc.problems[0].message, hint=exc.problems[0].hint
            )
            continue
        if not ok:
            yield folder.problem(
                "meters",
                i,
                "unit",
                f"unit {meter.unit!r} cannot measure {meter.carrier} (kept in {carrier_unit})",
            )


def check_files(folder: ParkFolder) -> Iterator[Problem]:
    """Files named in park.yaml must exist inside the park folder."""
    for i, source in enumerate(folder.park.readings):
        try:
            path = folder.resolve(source.path)
        except ValueError as exc:
            yield folder.problem("readings", i, "path", str(exc))
            continue
        if not path.is_file():
            yield folder.problem("readings", i, "path", f"readings file {source.path!r} not found")


CHECKS: list[Callable[[ParkFolder], Iterator[Problem]]] = [
    check_unique_ids,
    check_carriers_known,
    check_references,
    check_meter_units,
    check_files,
]


def reference_problems(folder: ParkFolder) -> list[Problem]:
    return [p for check in CHECKS for p in check(folder)]
