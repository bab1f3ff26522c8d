"""The portfolio report: levels by park, core indicator against its band threshold, the
parks closest to a level, data-quality outliers, errors and cross-park double claims.

Everything shown is read from the portfolio views (:mod:`zcp.portfolio.query`), so the
report says exactly what ``zcp portfolio query`` answers. HTML via jinja2 (autoescaped),
PDF via the report package's weasyprint renderer (restricted fetching, reproducible bytes).
"""

from __future__ import annotations

import datetime as dt
import functools
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

import zcp
from zcp.errors import InputError
from zcp.portfolio.query import connect
from zcp.report.templating import template_environment
from zcp.yamlio import expect_kind, load_yaml

TEMPLATES = Path(__file__).parent / "templates"
#: An outlier must also be material: at least this share [fraction] of hours, readings or meters.
OUTLIER_FLOOR = 0.01
OUTLIER_MADS = 3.0
CLOSEST_SHOWN = 15


@dataclass
class PortfolioReport:
    """What the report shows, as plain rows (one dict per table row)."""

    folder: str
    parks: int
    assessed: int
    errors: list[dict]
    conflicts: list[dict]
    rule_sets: list[str]
    levels: list[dict]
    core: list[dict]
    closest: list[dict]
    outliers: list[dict]
    report_date: dt.date
    synthetic: bool = False
    notes: list[str] = field(default_factory=list)


def _rows(con, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def portfolio_report(folder: str | Path) -> PortfolioReport:
    """Gather the report's tables from the portfolio folder ``zcp batch`` wrote."""
    con = connect(folder)
    try:
        parks = _rows(con, "SELECT * FROM parks")
        results = _rows(
            con,
            """SELECT source, park_id, rule_set_id, subject, level
            FROM results WHERE status = 'ok' ORDER BY park_id, rule_set_id, subject""",
        )
        conflicts = (
            _rows(con, "SELECT * FROM claim_conflicts") if _has(con, "claim_conflicts") else []
        )
        closest = _closest(con)
    finally:
        con.close()
    ok = [p for p in parks if p["status"] == "ok"]
    rule_sets = sorted({_rs_label(r) for r in results})
    levels: dict[str, dict] = {}
    for r in results:
        row = levels.setdefault(r["source"], {"park_id": r["park_id"], "cells": {}})
        row["cells"][_rs_label(r)] = r["level"] or "—"
    ends = [p["period_end"] for p in ok if p["period_end"]]
    return PortfolioReport(
        folder=str(folder),
        parks=len(parks),
        assessed=len(ok),
        errors=[p for p in parks if p["status"] == "error"],
        conflicts=conflicts,
        rule_sets=rule_sets,
        levels=sorted(levels.values(), key=lambda r: r["park_id"]),
        core=_core_rows(ok),
        closest=closest,
        outliers=_outliers(ok),
        report_date=max(ends) if ends else dt.date(1970, 1, 1),
        synthetic=any("（模拟数据）" in (p["park_name"] or "") for p in ok),
    )


def _has(con, view: str) -> bool:
    return bool(con.execute("SELECT 1 FROM duckdb_views() WHERE view_name = ?", [view]).fetchall())


def _rs_label(row: dict) -> str:
    return row["rule_set_id"] + (f" ({row['subject']})" if row["subject"] else "")


def _core_rows(parks: list[dict]) -> list[dict]:
    rows = [p for p in parks if p["core_status"] is not None]
    return sorted(rows, key=lambda p: (p["core_threshold"] is None, -(p["energy_tce"] or 0)))


def _closest(con) -> list[dict]:
    """Per park and rule set with no level reached: failing rules and the worst relative
    shortfall among those with a numeric threshold."""
    sql = """
        WITH open AS (SELECT source, park_id, rule_set_id, subject FROM results
                      WHERE status = 'ok' AND len(levels) > 0 AND len(levels_passed) = 0),
             failing AS (SELECT r.source, r.rule_set_id, r.subject, r.rule_id, r.status,
                   CASE WHEN r.margin IS NOT NULL AND len(r.threshold) = 1
                        AND r.threshold[1] <> 0
                        THEN -r.margin / abs(r.threshold[1]) END AS shortfall
                   FROM rules r WHERE r.status IN ('fail', 'partial'))
        SELECT o.park_id, o.rule_set_id, o.subject, count(f.rule_id) AS failing,
               max(f.shortfall) AS worst, arg_max(f.rule_id, f.shortfall) AS worst_rule
        FROM open o JOIN failing f ON f.source = o.source AND f.rule_set_id = o.rule_set_id
             AND f.subject IS NOT DISTINCT FROM o.subject
        GROUP BY ALL ORDER BY failing, worst NULLS LAST, o.park_id LIMIT ?"""
    return _rows_params(con, sql, [CLOSEST_SHOWN])


def _rows_params(con, sql: str, params: list) -> list[dict]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _shares(park: dict) -> dict[str, float | None]:
    hours = sum(park[k] or 0 for k in ("dq_hours_measured", "dq_hours_imputed", "dq_hours_missing"))
    readings, meters = park["dq_readings"] or 0, park["dq_meters"] or 0
    return {
        "missing": (park["dq_hours_missing"] or 0) / hours if hours else None,
        "rejected": (park["dq_rejected"] or 0) / readings if readings else None,
        "silent": (park["dq_silent_meters"] or 0) / meters if meters else None,
    }


def _outliers(parks: list[dict]) -> list[dict]:
    """Parks above median + 3 MAD (and the material floor) on any data-quality share."""
    metered = [p for p in parks if p["dq_meters"]]
    shares = {p["source"]: _shares(p) for p in metered}
    limits = {}
    for key in ("missing", "rejected", "silent"):
        values = [v for s in shares.values() if (v := s[key]) is not None]
        if len(values) < 3:
            continue
        median = statistics.median(values)
        mad = statistics.median(abs(v - median) for v in values)
        limits[key] = max(median + OUTLIER_MADS * mad, OUTLIER_FLOOR)
    out = []
    for p in metered:
        s = shares[p["source"]]
        flags = [k for k, limit in limits.items() if (v := s[k]) is not None and v > limit]
        if flags:
            out.append({"park_id": p["park_id"], **s, "flags": flags})
    return sorted(out, key=lambda r: r["park_id"])


# --- rendering ---------------------------------------------------------------------------


@functools.cache
def _messages() -> dict[str, dict[str, str]]:
    doc = load_yaml(TEMPLATES / "messages.yaml")
    expect_kind(doc, ["message_catalogue"], {"message_catalogue": [1]})
    return doc.data["messages"]


class _T:
    def __init__(self, lang: str) -> None:
        if lang not in ("zh", "en"):
            raise InputError(f"unknown report language {lang!r} (use zh or en)")
        self.lang = lang

    def __call__(self, key: str, **fields: object) -> str:
        text = _messages()[key][self.lang]
        return text.format(**fields) if fields else text


def core_chart(rows: list[dict], label: str) -> Markup:
    """Horizontal bars of core indicator ÷ threshold per park (1.0 marked), as inline SVG."""
    rows = [r for r in rows if r["core_threshold"] and r["core_indicator"] is not None]
    if not rows:
        return Markup("")
    top = max(2.0, max(r["core_indicator"] / r["core_threshold"] for r in rows))
    width, left, bar, gap = 480, 90, 12, 4
    height = 24 + len(rows) * (bar + gap) + 20
    scale = (width - left - 40) / top  # room for the value printed after the longest bar
    font = 'font-family="Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif" font-size="8"'
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}">',
             f'<text x="{left}" y="12" {font}>{escape(label)}</text>']  # fmt: skip
    for i, r in enumerate(rows):
        ratio = r["core_indicator"] / r["core_threshold"]
        y = 20 + i * (bar + gap)
        colour = "#2e7d32" if ratio <= 1 else "#c62828"
        parts.append(f'<text x="{left - 4}" y="{y + bar - 2}" text-anchor="end" {font}>'
                     f'{escape(r["park_id"])}</text>')  # fmt: skip
        parts.append(f'<rect x="{left}" y="{y}" width="{ratio * scale:.1f}" height="{bar}" '
                     f'fill="{colour}"/>')  # fmt: skip
        parts.append(f'<text x="{left + ratio * scale + 3:.1f}" y="{y + bar - 2}" {font}>'
                     f"{ratio:.2f}</text>")  # fmt: skip
    x1 = left + scale
    parts.append(f'<line x1="{x1:.1f}" y1="16" x2="{x1:.1f}" y2="{height - 16}" '
                 'stroke="#333" stroke-dasharray="3,2"/>')  # fmt: skip
    parts.append(f'<text x="{x1:.1f}" y="{height - 4}" text-anchor="middle" {font}>1.0</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def render_portfolio_html(report: PortfolioReport, lang: str = "zh") -> str:
    t = _T(lang)
    env = template_environment(TEMPLATES)
    return env.get_template("portfolio.html.j2").render(
        r=report,
        t=t,
        lang=lang,
        html_lang="zh-CN" if lang == "zh" else "en",
        chart=core_chart(report.core, t("chart_label")),
        css=Markup((TEMPLATES / "portfolio.css").read_text(encoding="utf-8")),
        version=zcp.__version__,
    )


def write_portfolio_report(folder: str | Path, out: str | Path, lang: str = "zh") -> Path:
    """Write the report of the portfolio in ``folder`` to ``out`` (.html or .pdf)."""
    from zcp.report.atomic import atomic_write_bytes

    out = Path(out)
    if out.suffix not in (".html", ".pdf"):
        raise InputError(f"{out}: write a .html or .pdf report")
    report = portfolio_report(folder)
    html = render_portfolio_html(report, lang)
    if out.suffix == ".html":
        data = html.encode("utf-8")
    else:
        from zcp.report.pdf import render_pdf

        data = render_pdf(html, report_date=report.report_date)
    atomic_write_bytes(out, data)
    return out
