"""What every accounting run of one ledger shares: the parts no what-if changes.

A what-if (:mod:`zcp.ledger.whatif`) changes hourly clean supply, the matching and the
instruments, never the flows table (fuel and heat per meter × bucket) or the activity
file. So fuel, heat and activity lines, stated line and storage losses, and the delivered
on-site / dedicated-line generation are worked out once per ledger; gap analysis re-runs
the rest of the accounting about a hundred times.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from zcp.factors import FactorLibrary
from zcp.ledger import non_grid_lines
from zcp.ledger.activity import Activity
from zcp.ledger.aggregate import Aggregates
from zcp.ledger.profile import AccountingProfile
from zcp.ledger.topology import PARK_ENTITY, FlowRole
from zcp.ledger.windows import Windows
from zcp.model import ParkFolder


@dataclass
class FixedParts:
    """Lines and figures that depend only on the flows table and the activity file."""

    flows: pd.DataFrame  #: the flows table these parts were made from (``Aggregates.flows``)
    fuel_rows: list[dict[str, Any]]  #: fuel and heat lines (``tco2e`` [tCO2e])
    fuel_notes: list[str]
    activity_rows: list[dict[str, Any]]  #: lines from activity.yaml
    losses_mwh: float  #: stated line losses + storage losses in the park's period [MWh]
    delivered_mwh: dict[bool, float]  #: direct clean delivered, by dedicated line [MWh]
    #: the scope-3 report, from the first run (scope-3 lines come from the activity file)
    scope3: dict[str, Any] | None = None
    #: fuel, heat and cooling energy rows and their notes, from the first run
    fuel_energy: tuple[pd.DataFrame | None, list[str]] | None = None
    _other: tuple[list[dict[str, Any]], pd.DataFrame] | None = field(default=None, repr=False)

    def other_lines(self, offsets: list[dict[str, Any]]) -> pd.DataFrame:
        """Fuel, activity and offset lines as one table (made again only when the offset
        lines differ from the last call's)."""
        if self._other is None or self._other[0] != offsets:
            rows = self.fuel_rows + self.activity_rows + offsets
            self._other = (offsets, pd.DataFrame(rows))
        return self._other[1]


def in_window(frame: pd.DataFrame, windows: Windows) -> pd.Series:
    """Rows of ``frame`` (entity, bucket) whose bucket lies in their entity's own
    reporting period."""
    entities = list(windows.periods)
    mask_matrix = np.array([windows.entity_mask(e) for e in entities])
    codes = pd.Categorical(frame["entity"], categories=entities).codes
    buckets = frame["bucket"].to_numpy().astype(int)
    ok = (codes >= 0) & mask_matrix[np.maximum(codes, 0), buckets]
    return pd.Series(ok, index=frame.index)


def fixed_parts(
    agg: Aggregates,
    *,
    folder: ParkFolder,
    profile: AccountingProfile,
    windows: Windows,
    roles: Mapping[str, FlowRole],
    library: FactorLibrary,
    activity: Activity,
) -> FixedParts:
    """The lever-independent parts of an inventory over ``agg.flows``."""
    park_buckets = windows.entity_mask(PARK_ENTITY)
    flows = agg.flows[agg.flows["entity"].notna()]
    flows = flows[in_window(flows, windows)] if len(flows) else flows
    fuel_rows, notes = non_grid_lines.flow_lines(flows, folder, library)
    return FixedParts(
        flows=agg.flows,
        fuel_rows=fuel_rows,
        fuel_notes=notes,
        activity_rows=non_grid_lines.activity_lines(activity, folder, library, profile),
        losses_mwh=_losses(roles, park_buckets, agg.flows),
        delivered_mwh=_delivered(roles, park_buckets, folder, agg.flows),
    )


def _losses(roles: Mapping[str, FlowRole], park_buckets: np.ndarray, flows: pd.DataFrame) -> float:
    """Stated line losses on supplies plus storage losses (charge − discharge) in the
    park's own period (``park_buckets``, a mask over the time buckets) [MWh]."""
    rows = flows[flows["basis"] != "check_meter"]
    rows = rows[park_buckets[rows["bucket"].to_numpy().astype(int)]]
    by_flow = rows.groupby("flow_id")["quantity"].sum()
    total = 0.0
    for flow_id, qty in by_flow.items():
        role = roles.get(str(flow_id))
        if role is None or role.kind != "electricity":
            continue
        if role.supply:
            total += qty * role.loss
        if role.sink == "storage_in":
            total += qty
        if role.supply == "storage_out":
            total -= qty * (1.0 - role.loss)
    return max(total, 0.0)


def _delivered(
    roles: Mapping[str, FlowRole],
    park_buckets: np.ndarray,
    folder: ParkFolder,
    flows: pd.DataFrame,
) -> dict[bool, float]:
    """Direct clean generation delivered in the park's own period, on site (False) and
    over a dedicated line (True) [MWh]."""
    delivered = {False: 0.0, True: 0.0}
    by_id = {f.id: f for f in folder.park.flows}
    rows = flows[flows["basis"] != "check_meter"]
    for flow_id, role in roles.items():
        if role.supply != "clean_direct":
            continue
        mine = rows[rows["flow_id"] == flow_id]
        qty = float(mine.loc[park_buckets[mine["bucket"].to_numpy().astype(int)], "quantity"].sum())
        delivered[by_id[flow_id].dedicated_line] += qty * (1.0 - role.loss)
    return delivered


def direct_split(delivered: Mapping[bool, float], direct_mwh: float) -> dict[str, float]:
    """Direct supply [MWh] split into on-site and dedicated-line parts by ``delivered``
    generation [MWh]."""
    total = delivered[False] + delivered[True]
    if total <= 0:
        return {"direct_on_site_mwh": 0.0, "direct_dedicated_line_mwh": 0.0}
    return {
        "direct_on_site_mwh": direct_mwh * delivered[False] / total,
        "direct_dedicated_line_mwh": direct_mwh * delivered[True] / total,
    }
