"""Assembling ``ReportData`` from the modules that compute it.

The one place that knows where each section's numbers come from. Sources: the park model
(cover), the rule engine's result (summary, compliance, gap list), the energy-flow graph
(diagram), the ledger run the verdicts used (emissions, green power, instruments, factors
used, profile), the meter-data quality report, and the file hashes. Sections whose
source is missing stay ``None`` and render as "not available" (never as made-up numbers).
Data quality comes from ``zcp.metering`` when the park names readings.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import zcp
from zcp.factors import FactorLibrary, load_library
from zcp.hashing import factor_files
from zcp.report import ledger_sections
from zcp.report.certification_data import certification_data
from zcp.report.data_quality import data_quality, no_readings
from zcp.report.provenance import file_hashes
from zcp.report.report_data import (
    Bilingual,
    Cover,
    DataQuality,
    FactorRow,
    GapRow,
    KeyIndicator,
    ReportData,
    RuleRow,
    RuleSetRef,
    RuleSetSection,
    Summary,
    bi,
)
from zcp.rules.run import Evaluation

_OPS = {"lt": "<", "le": "≤", "gt": ">", "ge": "≥", "eq": "=", "ne": "≠"}


def _display(value: float | None, unit: str | None) -> tuple[float | None, str | None]:
    """Fractions are stored 0–1 but read as percentages."""
    if unit == "fraction":
        return (None if value is None else value * 100.0), "%"
    return value, unit


def _threshold_text(rule: dict[str, Any]) -> str | None:
    threshold, unit = rule.get("threshold"), rule.get("unit")
    if threshold is None:
        return None
    op = (rule.get("condition") or {}).get("op")
    values = threshold if isinstance(threshold, list) else [threshold]
    shown = [f"{_display(v, unit)[0]:,.4g}" for v in values]
    if op == "between" and len(shown) == 2:
        return f"{shown[0]} – {shown[1]}"
    return f"{_OPS.get(op or '', '')} {', '.join(shown)}".strip()


def _rule_row(rule: dict[str, Any]) -> RuleRow:
    actual, unit = _display(rule.get("actual"), rule.get("unit"))
    margin, _ = _display(rule.get("margin"), rule.get("unit"))
    answer = rule.get("answer") or {}
    return RuleRow(
        id=rule["id"],
        title=bi(rule["title"]),
        clause=rule["clause"],
        status=rule["status"],
        why=rule["why"],
        actual=actual,
        threshold=_threshold_text(rule),
        unit=unit,
        margin=margin,
        evidence=list(answer.get("evidence") or []),
        provisional=bool(rule.get("provisional")),
        kind=rule["kind"],
    )


def _level_title(rs: dict[str, Any]) -> Bilingual | None:
    for level in rs.get("levels") or []:
        if level["id"] == rs.get("level"):
            return bi(level["title"])
    return None


def rule_sections(result: dict[str, Any]) -> list[RuleSetSection]:
    out = []
    for rs in result.get("rule_sets", []):
        ref = RuleSetRef(
            rs["rule_set_id"],
            rs["version"],
            bi(rs["title"]),
            rs.get("sha256"),
            rs.get("accounting_profile"),
        )
        out.append(
            RuleSetSection(
                ref,
                [_rule_row(r) for r in rs["rules"]],
                level=_level_title(rs),
                points=rs.get("points"),
                max_points=rs.get("max_points"),
            )
        )
    return out


def summary(result: dict[str, Any], sections: list[RuleSetSection]) -> Summary | None:
    """The first (main) rule set's level and score; key indicators from every rule set."""
    if not sections:
        return None
    counts: dict[str, int] = {}
    for section in sections:
        for rule in section.rules:
            counts[rule.status] = counts.get(rule.status, 0) + 1
    main = sections[0]
    indicators = [
        KeyIndicator(r.title, r.actual, r.threshold, r.unit, r.status, r.provisional)
        for s in sections
        for r in s.rules
        if r.kind in ("prerequisite", "indicator")
    ]
    provisional = sorted(
        {p for rs in result.get("rule_sets", []) for p in rs.get("provisional_parameters", [])}
    )
    return Summary(
        level=main.level,
        score=main.points,
        max_score=main.max_points,
        net_emissions=None,  # from the ledger, not wired in this version
        indicators=indicators,
        status_counts=dict(sorted(counts.items())),
        provisional_items=provisional,
    )


def _lever_text(lever: dict[str, Any]) -> str:
    after = f" → {lever['status_after']}" + (
        f", {lever['level_after']}" if lever.get("level_after") else ""
    )
    amount = lever["amount"]
    shown = f"{amount:,.0f}" if abs(amount) >= 100 else f"{amount:.4g}"
    return f"{lever['lever']}: {shown} {lever['unit']}{after}"


def gaps(result: dict[str, Any], sections: list[RuleSetSection]) -> list[GapRow]:
    """Rules short of their threshold: how far (the result's negative margin) and, where the
    rule engine's gap analysis ran, how much of each lever would close the gap."""
    levers: dict[tuple[str, str], list[str]] = {}
    for rs in result.get("rule_sets", []):
        for gap in rs.get("gaps") or []:
            # Only the levers that close the gap: "50 MW of PV would not raise water reuse"
            # is true for every unrelated lever and buries the useful line.
            levers[(rs["rule_set_id"], gap["rule_id"])] = [
                _lever_text(x) for x in gap["levers"] if x.get("amount") is not None
            ]
    out = []
    for section in sections:
        for rule in section.rules:
            found = levers.get((section.ref.id, rule.id))
            short = rule.margin is not None and rule.margin < 0
            if rule.status in ("fail", "partial") and (short or found):
                action = "; ".join(found) if found else rule.why
                out.append(
                    GapRow(
                        rule.id,
                        rule.title,
                        -rule.margin if short else None,
                        rule.unit,
                        Bilingual(action, action),
                    )
                )
    return out


def factor_rows(library: FactorLibrary) -> list[FactorRow]:
    rows = []
    for factor in sorted(library.factors.values(), key=lambda f: f.id):
        source = factor.source.document + (
            f", {factor.source.clause}" if factor.source.clause else ""
        )
        valid = f"{factor.valid_from or ''} – {factor.valid_until or ''}".strip()
        rows.append(
            FactorRow(
                factor.id,
                factor.quantity,
                factor.value,
                factor.unit,
                source,
                valid,
                factor.confidence,
            )
        )
    return rows


def flow_diagram(evaluation: Evaluation) -> tuple[str | None, str | None]:
    """(SVG text without XML prolog and DOCTYPE, None) — or (None, why it failed).

    A drawing that fails (no ``dot`` program, a name graphviz rejects) makes the section
    say so instead of failing the whole report. Whatever the SVG holds is
    still rendered through the restricted fetcher, so a link inside it loads nothing.
    """
    import graphviz

    from zcp.graph import build_graph
    from zcp.graph.draw import to_dot

    graph = build_graph(evaluation.folder)
    try:
        raw = to_dot(graph, evaluation.folder.carriers).pipe(format="svg", quiet=True)
    except graphviz.ExecutableNotFound:
        return None, "graphviz 'dot' is not installed"
    except graphviz.CalledProcessError as exc:
        return None, f"graphviz could not draw the park: {exc.stderr.decode(errors='replace')}"
    svg = raw.decode("utf-8")
    svg = re.sub(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<!--.*?-->", "", svg, flags=re.DOTALL)
    return svg.strip(), None


def _data_quality(evaluation: Evaluation, ledger: Any) -> DataQuality:
    # The ledger has loaded the readings already (a large park takes seconds): reuse them.
    meter_data = getattr(ledger, "readings", None) if ledger is not None else None
    if meter_data is None and evaluation.folder.park.readings:
        from zcp.metering import load_readings

        meter_data = load_readings(evaluation.folder, progress=False)
    return no_readings() if meter_data is None else data_quality(meter_data)


def ledger_run(evaluation: Evaluation) -> tuple[Any, Any]:
    """(Ledger, LedgerResult) of the run the verdicts used.

    Taken from the evaluation context's memo, so the report prints the very figures the rule
    engine judged rather than a second, possibly different, accounting run.
    """
    from zcp.metrics.ledger_metrics import ledger_for, result_for

    return ledger_for(evaluation.context), result_for(evaluation.context)


def _names(evaluation: Evaluation) -> dict[str, Bilingual]:
    from zcp.report.i18n import bilingual

    names = {t.id: Bilingual(t.name, t.name_en) for t in evaluation.folder.park.tenants}
    names[ledger_sections.PARK_ENTITY] = bilingual("em_park_common")
    return names


def _hourly_matrix(evaluation: Evaluation, result: Any) -> list[list[float | None]] | None:
    frame = getattr(result, "hourly", None)
    if frame is None or frame.empty:
        return None
    park = evaluation.folder.park
    return ledger_sections.heat_map(
        list(frame["hour"].dt.to_pydatetime()),
        frame["load"].tolist(),
        frame["matched"].tolist(),
        park.location.timezone,
        park.reporting_period.start,
    )


def report_data(evaluation: Evaluation, *, report_date: dt.date) -> ReportData:
    """Everything the report shows, from one evaluation run."""
    park = evaluation.folder.park
    result = evaluation.result_json()
    sections = rule_sections(result)
    library = load_library()
    location = " ".join(x for x in (park.location.province, park.location.city) if x)
    assessment = evaluation.assessment
    cover = Cover(
        park_id=park.id,
        park_name=Bilingual(park.name, park.name_en),
        location=location,
        period_start=park.reporting_period.start,
        period_end=park.reporting_period.end,
        stage=park.stage,
        report_date=report_date,
        rule_sets=[s.ref for s in sections],
        accounting_profile=next((s.ref.accounting_profile for s in sections), None),
        certification_body=assessment.certification_body if assessment else None,
        assessor=assessment.assessor if assessment else None,
    )
    ledger, accounts = ledger_run(evaluation)
    svg, svg_error = flow_diagram(evaluation)
    data = ReportData(
        cover=cover,
        summary=summary(result, sections),
        flow_diagram_svg=svg,
        flow_diagram_error=svg_error,
        rule_sets=sections,
        gaps=gaps(result, sections),
        data_quality=_data_quality(evaluation, ledger),
        factors=factor_rows(library),
        files=file_hashes(evaluation.park_hashes, evaluation.rule_files, factor_files()),
        zcp_version=zcp.__version__,
        result=result,
    )
    data.certification = certification_data(result, park)
    if accounts is not None:
        report = accounts.to_json()
        by_carrier = accounts.by_carrier().to_dict(orient="records")
        known = evaluation.folder.carriers
        carriers = {
            cid: Bilingual(known[cid].name_zh or cid, cid.replace("_", " ")) for cid in known.ids()
        }
        data.emissions = ledger_sections.emissions(report, by_carrier, _names(evaluation), carriers)
        data.green_power = ledger_sections.green_power(report, _hourly_matrix(evaluation, accounts))
        data.instruments = ledger_sections.instruments(report)
        data.factors = ledger_sections.factors(report)
        data.profile = ledger_sections.profile_table(report["profile"])
        data.cover.accounting_profile = report["profile"]["id"]
        if data.summary is not None:
            data.summary.net_emissions = report["totals"].get("net_t")
    return data
