"""Computed against stated: each published figure reconciled line by line.

For every figure an entity (or the park, for group totals) states, the reconciliation gives
the computed value, the difference [tCO2e] and relative difference, whether it exceeds the
materiality threshold (ISO 14064-3 practice: a verifier sets one; zcp takes the assessment's
``engagement.materiality`` or 5 %), and the likely cause, judged from what the publisher stated with the
figure:

- ``period``   — the figure covers another period than the entity reports here;
- ``boundary`` — nothing is computed for that scope (the entity or scope lies outside what
  the park's files describe), or the entity is outside the park's boundary;
- ``factor``   — the stated factor differs from the one zcp used (scope 2);
- ``activity`` — the stated activity differs from the one zcp computed;
- ``rounding`` — under 0.5 t or the stated activity and factor agree and the difference is
  below the threshold;
- ``undetermined`` — none of the above can be told from what was stated (the reason says
  what to add).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from zcp.ledger.assessment_settings import DEFAULT_MATERIALITY
from zcp.ledger.result import LedgerResult
from zcp.ledger.topology import PARK_ENTITY
from zcp.model import ParkFolder
from zcp.model.stated import StatedFigure
from zcp.units import conversion_factor

_AGREE_T = 0.5  # [tCO2e] publishers round to the tonne
_SAME = 1e-3  # relative tolerance for "the same factor / activity"


def _mask(lines: pd.DataFrame, figure: StatedFigure) -> pd.Series:
    scope = lines["scope"] == str(figure.scope)
    if figure.scope == 2:
        return scope & lines["basis"].isin([figure.method, "both"])
    if figure.scope == 3 and figure.category is not None:
        return scope & (lines["category"] == f"scope3_cat{figure.category}")
    return scope


def _grid_factor_used(lines: pd.DataFrame) -> float | None:
    """Activity-weighted factor of the grid-priced electricity lines [tCO2/MWh]."""
    grid = lines[(lines["category"] == "electricity") & lines["factor_id"].notna()]
    mwh = float(grid["activity"].sum())
    return float(grid["tco2e"].sum()) / mwh if mwh > 0 else None


def _differs(a: float, b: float) -> bool:
    return abs(a - b) > _SAME * max(abs(a), abs(b), 1e-12)


def _cause(
    figure: StatedFigure,
    lines: pd.DataFrame,
    electricity_mwh: float,
    own_period: tuple[str, str],
    inside: bool,
    relative: float | None,
    materiality: float,
) -> tuple[str, str]:
    if (
        figure.period is not None
        and (str(figure.period.start), str(figure.period.end)) != own_period
    ):
        return "period", (
            f"the figure covers {figure.period.start} – {figure.period.end}, the inventory "
            f"{own_period[0]} – {own_period[1]}"
        )
    if lines.empty:
        return "boundary", f"nothing is computed for {figure.label()} from the park's files"
    if not inside:
        return "boundary", "the entity is outside the park's boundary"
    notes = []
    if figure.factor is not None and figure.scope == 2:
        used = _grid_factor_used(lines)
        stated = figure.factor.value * conversion_factor(figure.factor.unit, "tCO2/MWh")
        if used is not None and _differs(stated, used):
            return "factor", f"stated factor {stated:.4f} tCO2/MWh, used {used:.4f} tCO2/MWh"
        notes.append("factor agrees")
    if figure.activity is not None and figure.scope == 2:
        stated_mwh = figure.activity.value * conversion_factor(figure.activity.unit, "MWh")
        if _differs(stated_mwh, electricity_mwh):
            return "activity", (
                f"stated activity {stated_mwh:,.1f} MWh, computed {electricity_mwh:,.1f} MWh"
            )
        notes.append("activity agrees")
    if notes and relative is not None and abs(relative) <= materiality:
        return "rounding", "; ".join(notes)
    return "undetermined", (
        "; ".join(notes) + ("; " if notes else "")
        + "state the figure's activity and factor to narrow the cause"
    )  # fmt: skip


def reconcile(
    result: LedgerResult,
    folder: ParkFolder,
    materiality: float = DEFAULT_MATERIALITY,
    materiality_source: str = "default 5 %",
) -> dict[str, Any]:
    """Every stated figure against the computed one [tCO2e], with cause and materiality."""
    stated: list[tuple[str, StatedFigure]] = [(PARK_ENTITY, f) for f in folder.park.stated_figures]
    stated += [(t.id, f) for t in folder.park.tenants for f in t.stated_figures]
    out: dict[str, Any] = {
        "materiality": materiality,
        "materiality_source": materiality_source,
        "lines": [],
    }
    if not stated:
        return out
    counted = result.lines[result.lines["counted"]]
    periods = {e["entity"]: (e["start"], e["end"]) for e in result.other_periods}
    boundary = {t.id: t.in_boundary for t in folder.park.tenants}
    electricity = result.electricity
    for entity, figure in stated:
        if entity == PARK_ENTITY:
            mine = counted[counted["in_boundary"]]
            el = electricity[electricity["in_boundary"]]
            inside, name = True, "group (inside the boundary)"
        else:
            mine = counted[counted["entity"] == entity]
            el = electricity[electricity["entity"] == entity]
            inside, name = boundary.get(entity, True), entity
        lines = mine[_mask(mine, figure)]
        computed = float(lines["tco2e"].sum())
        value = figure.tonnes()
        difference = computed - value
        relative = difference / value if value > 0 else None
        material = abs(difference) > _AGREE_T and (relative is None or abs(relative) > materiality)
        if abs(difference) <= _AGREE_T:
            cause, detail = "rounding", "within half a tonne"
        else:
            cause, detail = _cause(figure, lines, float(el["load"].sum()),
                                   periods.get(entity, result.period), inside, relative,
                                   materiality)  # fmt: skip
        out["lines"].append({
            "entity": name, "figure": figure.label(), "stated_t": round(value, 6),
            "computed_t": round(computed, 6), "difference_t": round(difference, 6),
            "relative_difference": None if relative is None else round(relative, 6),
            "material": material, "likely_cause": cause, "detail": detail,
            "source": figure.source,
        })  # fmt: skip
    return out
