"""The park's meters as a DuckDB table, and the reporting period as UTC instants.

``meters`` holds what the SQL needs per meter: its flow and carrier, where the flow
starts and ends, the tenant it belongs to, the register kind, the reading interval and
``factor`` — the multiplier (CT/PT ratio) times the conversion from the reading unit to
the carrier's canonical unit, computed once per meter with pint — and ``ceiling``, the
largest interval value a meter can physically read [reading unit per native interval]
(:data:`zcp.limits.READING_CEILING_PER_HOUR`, lowered by the rated power of the asset the
flow leaves or enters where it is known).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

import duckdb
import pandas as pd

from zcp.limits import RATED_POWER_OVERLOAD, READING_CEILING_PER_HOUR
from zcp.model.folder import ParkFolder
from zcp.model.park import Equipment, Flow, Generator, GridConnection, Park
from zcp.units import conversion_factor


@dataclass(frozen=True)
class PeriodBounds:
    """The reporting period [start, end) in UTC: local midnight to local midnight."""

    start: dt.datetime
    end: dt.datetime
    timezone: str

    @property
    def start_us(self) -> int:
        """The period start [µs since the epoch] (a whole second)."""
        return int(self.start.timestamp()) * 1_000_000

    @property
    def hours(self) -> int:
        """Length of the reporting period [h]."""
        return int((self.end - self.start).total_seconds() // 3600)

    @classmethod
    def of(cls, folder: ParkFolder) -> PeriodBounds:
        park = folder.park
        zone = zoneinfo.ZoneInfo(park.location.timezone)
        first = dt.datetime.combine(park.reporting_period.start, dt.time(), zone)
        after = dt.datetime.combine(
            park.reporting_period.end + dt.timedelta(days=1), dt.time(), zone
        )
        return cls(first.astimezone(dt.UTC), after.astimezone(dt.UTC), park.location.timezone)


def rated_power_mw(park: Park, flow: Flow) -> float | None:
    """The rated power [MW] bounding a flow, where the park states one: the capacity of
    the generator (electricity) or grid connection it leaves or enters, or the rated power
    of the equipment it feeds."""
    assets = {a.id: a for a in park.assets}
    ratings = []
    for node in (flow.from_, flow.to):
        asset = assets.get(node)
        if (
            isinstance(asset, GridConnection)
            and asset.capacity
            and asset.carrier == flow.carrier
            or isinstance(asset, Generator)
            and node == flow.from_
            and flow.carrier == "electricity"
        ):
            ratings.append(asset.capacity)
        elif isinstance(asset, Equipment) and node == flow.to and asset.carrier == flow.carrier:
            ratings.append(asset.rated_power / 1000.0)
    known = [r for r in ratings if r is not None]
    return min(known) if known else None


def interval_ceiling(folder: ParkFolder, flow: Flow, carrier: str, interval_s: int) -> float:
    """The most a meter on ``flow`` can measure in one interval [carrier unit] (inf when
    the carrier's dimension has no documented ceiling)."""
    spec = folder.carriers[carrier]
    hours = interval_s / 3600
    if spec.dimension not in READING_CEILING_PER_HOUR:
        return float("inf")
    unit, per_hour = READING_CEILING_PER_HOUR[spec.dimension]
    ceiling = per_hour * hours * conversion_factor(unit, spec.unit)
    rated = rated_power_mw(folder.park, flow) if spec.dimension == "energy" else None
    if rated is not None and rated > 0:
        mwh = RATED_POWER_OVERLOAD * rated * hours
        ceiling = min(ceiling, mwh * conversion_factor("MWh", spec.unit))
    return ceiling


def meter_table(folder: ParkFolder) -> pd.DataFrame:
    """One row per meter of the park: where it sits (flow, nodes, level, tenant), how it
    reads (``register``, ``interval_s`` [s], ``rollover`` [reading unit]), ``factor``
    [carrier unit per reading unit: multiplier × unit conversion], ``ceiling`` [reading
    unit per interval] and ``calibration_due``."""
    park = folder.park
    flows = {f.id: f for f in park.flows}
    tenants = {t.id for t in park.tenants}
    owner = {a.id: a.tenant for a in park.assets}
    records = []
    for m in park.meters:
        flow = flows[m.flow]
        to_tenant = flow.to if flow.to in tenants else owner.get(flow.to)
        factor = m.multiplier * conversion_factor(m.unit, folder.carriers[m.carrier].unit)
        ceiling = interval_ceiling(folder, flow, m.carrier, m.interval_minutes * 60) / factor
        records.append(
            {
                "meter_id": m.id,
                "flow_id": m.flow,
                "carrier": m.carrier,
                "level": m.level,
                "from_node": flow.from_,
                "to_node": flow.to,
                "tenant": to_tenant,
                "register": m.register_kind,
                "interval_s": m.interval_minutes * 60,
                "rollover": m.rollover,
                "factor": factor,
                "ceiling": ceiling,
                "calibration_due": m.calibration_due(),
            }
        )
    columns = [
        "meter_id", "flow_id", "carrier", "level", "from_node", "to_node", "tenant",
        "register", "interval_s", "rollover", "factor", "ceiling", "calibration_due",
    ]  # fmt: skip
    frame = pd.DataFrame.from_records(records, columns=columns)
    frame["rollover"] = frame["rollover"].astype("float64")
    frame["interval_s"] = frame["interval_s"].astype("int64")
    return frame


def register_meters(con: duckdb.DuckDBPyConnection, folder: ParkFolder) -> pd.DataFrame:
    """:func:`meter_table` as the DuckDB table ``meters`` (its units as there), returned."""
    frame = meter_table(folder)
    con.register("meters_frame", frame.drop(columns=["calibration_due"]))
    con.execute("CREATE TEMP TABLE meters AS SELECT * FROM meters_frame")
    con.unregister("meters_frame")
    return frame
