"""The inventory-checks pages: other reporting periods, computed against stated, user
factors, and the lines counted as zero or estimated.

A verifier's first questions about a group inventory (ISO 14064-3 practice): does every
entity report over the same twelve months, do the figures the organisation already
published come out again (and where not, why and is it material), and which factors did the
user bring instead of the library's, on whose authority. All three are read from the ledger's
JSON contract (``entities_with_other_periods``, ``reconciliation``, ``factors`` whose id starts
with ``user.``) and copied, never recomputed.
"""

from __future__ import annotations

import re
from typing import Any

from zcp.report.explain import engine_text
from zcp.report.i18n import bilingual, catalogue
from zcp.report.phrases import Citation, Code
from zcp.report.report_data import Bilingual, Column, InventoryChecks, Table

TONNES = "t CO2e"
_GROUP = "group (inside the boundary)"
_SCOPE3_CATEGORY = re.compile(r"scope 3 category (\d+)")


def _figure(label: str) -> Bilingual:
    match = _SCOPE3_CATEGORY.fullmatch(label)
    if match:
        return _filled("inv_fig_scope3_category", n=match.group(1))
    key = "inv_fig_" + label.replace(" ", "_").replace("-based", "")
    return bilingual(key)


def _entity(name: str, names: dict[str, Bilingual]) -> Bilingual:
    if name == _GROUP:
        return bilingual("inv_group")
    return names.get(name, Bilingual(name))


def other_periods(report: dict[str, Any], names: dict[str, Bilingual]) -> Table | None:
    """One row per entity whose reporting period is not the park's."""
    rows = [
        {"entity": _entity(e["entity"], names), "own": f"{e['start']} – {e['end']}",
         "park": f"{report['period']['start']} – {report['period']['end']}"}
        for e in report.get("entities_with_other_periods") or []
    ]  # fmt: skip
    if not rows:
        return None
    return Table(
        "inventory_other_periods",
        bilingual("inv_other_periods"),
        [Column("entity", bilingual("inv_col_entity")),
         Column("own", bilingual("inv_col_own_period")),
         Column("park", bilingual("inv_col_park_period"))],
        rows,
    )  # fmt: skip


def reconciliation(report: dict[str, Any], names: dict[str, Bilingual]) -> Table | None:
    """Each stated figure: stated, computed, difference, likely cause, materiality, source."""
    lines = (report.get("reconciliation") or {}).get("lines") or []
    if not lines:
        return None
    rows = []
    for line in lines:
        relative = line.get("relative_difference")
        cause = bilingual(f"inv_cause_{line['likely_cause']}")
        rows.append({
            "entity": _entity(line["entity"], names), "figure": _figure(line["figure"]),
            "stated": line["stated_t"], "computed": line["computed_t"],
            "difference": line["difference_t"],
            "relative": None if relative is None else 100.0 * relative,
            "cause": cause, "detail": engine_text(line["detail"]) if line.get("detail") else None,
            "material": bilingual("inv_material" if line["material"] else "inv_not_material"),
            "is_material": bool(line["material"]),
            "source": Citation(line["source"]) if line.get("source") else None,
        })  # fmt: skip
    return Table(
        "inventory_reconciliation",
        bilingual("inv_reconciliation"),
        [Column("entity", bilingual("inv_col_entity")),
         Column("figure", bilingual("inv_col_figure")),
         Column("stated", bilingual("inv_col_stated"), unit=TONNES, numeric=True),
         Column("computed", bilingual("inv_col_computed"), unit=TONNES, numeric=True),
         Column("difference", bilingual("inv_col_difference"), unit=TONNES, numeric=True),
         Column("relative", bilingual("inv_col_relative"), unit="%", numeric=True),
         Column("cause", bilingual("inv_col_cause")),
         Column("detail", bilingual("inv_col_detail")),
         Column("material", bilingual("inv_col_material")),
         Column("source", bilingual("inv_col_source"))],
        rows,
    )  # fmt: skip


def _filled(key: str, **values: str) -> Bilingual:
    entry = catalogue()[key]
    return Bilingual(entry["zh"].format(**values), entry["en"].format(**values))


def _applies_to(factor_id: str, names: dict[str, Bilingual]) -> tuple[Bilingual | None, Bilingual]:
    """(entity, level) of a user factor, from its id: ``user.grid.park.*`` (the park),
    ``user.grid.ENTITY.*`` (one entity's grid factor), ``user.SECTION.N`` (one line)."""
    parts = factor_id.split(".")
    if parts[:2] == ["user", "grid"] and len(parts) >= 4:
        level = "park" if parts[2] == "park" else "entity"
        key = f"inv_level_{level}_{parts[-1]}"
        entity = None if level == "park" else names.get(parts[2], Bilingual(parts[2]))
        return entity, bilingual(key) if key in catalogue() else Bilingual(factor_id)
    if len(parts) == 3 and parts[2].isdigit():
        return None, _filled("inv_level_line", section=parts[1], n=str(int(parts[2]) + 1))
    return None, Bilingual(factor_id)


def overrides(report: dict[str, Any], names: dict[str, Bilingual]) -> Table | None:
    """Every factor the user stated (park, entity or line level), with its provenance."""
    rows = []
    for f in report.get("factors") or []:
        if not str(f["id"]).startswith("user."):
            continue
        source = (f.get("source") or {}).get("document")
        entity, level = _applies_to(f["id"], names)
        rows.append({
            "id": Code(f["id"]), "entity": entity, "level": level, "value": f["value"],
            "unit": Code(f["unit"]), "stated": engine_text(f["note"]) if f.get("note") else None,
            "year": str(f["year"]) if f.get("year") else None,
            "confidence": bilingual(f"conf_{f['confidence']}") if f.get("confidence") else None,
            "source": Citation(source) if source else None,
        })  # fmt: skip
    if not rows:
        return None
    return Table(
        "inventory_user_factors",
        bilingual("inv_overrides"),
        [Column("id", bilingual("inv_col_factor")),
         Column("entity", bilingual("inv_col_entity")),
         Column("level", bilingual("inv_col_level")),
         Column("value", bilingual("inv_col_value"), numeric=True, digits=4),
         Column("unit", bilingual("inv_col_unit")),
         Column("stated", bilingual("inv_col_as_stated")),
         Column("year", bilingual("inv_col_year")),
         Column("confidence", bilingual("inv_col_confidence")),
         Column("source", bilingual("inv_col_source"))],
        rows,
    )  # fmt: skip


def _category(category: str) -> Bilingual:
    match = re.fullmatch(r"scope3_cat(\d+)", category)
    if match:
        return _filled("inv_fig_scope3_category", n=match.group(1))
    key = f"inv_category_{category}"
    return bilingual(key) if key in catalogue() else Bilingual(category)


def _code(value: Any) -> Code | None:
    return Code(str(value)) if value else None


def _line_table(
    table_id: str,
    title: str,
    lines: list[dict[str, Any]],
    names: dict[str, Bilingual],
    what: str,
    tonnes_label: str,
    reason: bool,
) -> Table | None:
    """A table of inventory lines: entity, category, gas or carrier (``what``), activity,
    unit, tonnes and, if ``reason``, why the line is not counted."""
    rows = [
        {"entity": names.get(r["entity"], Bilingual(r["entity"])),
         "category": _category(r["category"]), what: _code(r.get(what)),
         "activity": r.get("activity"), "unit": _code(r.get("activity_unit")), "t": r.get("tco2e"),
         "reason": engine_text(r["excluded_reason"]) if r.get("excluded_reason") else None}
        for r in lines
    ]  # fmt: skip
    if not rows:
        return None
    columns = [
        Column("entity", bilingual("inv_col_entity")),
        Column("category", bilingual("inv_col_category")),
        Column(what, bilingual(f"inv_col_{what}")),
        Column("activity", bilingual("inv_col_activity"), numeric=True, digits=3),
        Column("unit", bilingual("inv_col_unit")),
        Column("t", bilingual(tonnes_label), unit=TONNES, numeric=True),
    ]
    if reason:
        columns.append(Column("reason", bilingual("inv_col_reason")))
    return Table(table_id, bilingual(title), columns, rows)


def uncounted(report: dict[str, Any], names: dict[str, Bilingual]) -> Table | None:
    """Lines in the table but counted as zero (the profile leaves them out, or no factor
    prices them), with what they would have added and why."""
    return _line_table("inventory_counted_as_zero", "inv_uncounted",
                       report.get("excluded_lines") or [], names, "gas", "inv_col_not_counted",
                       reason=True)  # fmt: skip


def estimated(report: dict[str, Any], names: dict[str, Bilingual]) -> Table | None:
    """Activity lines the user marked as estimates (``estimated: true``)."""
    return _line_table("inventory_estimated", "inv_estimated", report.get("estimated_lines") or [],
                       names, "carrier", "inv_col_emissions", reason=False)  # fmt: skip


def inventory_checks(report: dict[str, Any], names: dict[str, Bilingual]) -> InventoryChecks | None:
    """The section's data, or None when the inventory has nothing to show there."""
    checks = InventoryChecks(
        other_periods=other_periods(report, names),
        reconciliation=reconciliation(report, names),
        overrides=overrides(report, names),
        uncounted=uncounted(report, names),
        estimated=estimated(report, names),
    )
    if not checks.tables():
        return None
    found = report.get("reconciliation") or {}
    if checks.reconciliation is not None:
        checks.materiality = found.get("materiality")
        source = found.get("materiality_source")
        checks.materiality_source = engine_text(source) if source else None
        checks.material_count = sum(1 for line in found.get("lines", []) if line["material"])
    return checks
