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
import html
import re
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

import zcp
from zcp.factors import FactorLibrary, load_library
from zcp.graph.draw import DrawingWords
from zcp.hashing import factor_files
from zcp.report import ledger_sections, uncertainty
from zcp.report.certification_data import certification_data
from zcp.report.data_quality import data_quality, no_readings
from zcp.report.inventory_checks import inventory_checks
from zcp.report.phrases import text_lang
from zcp.report.provenance import file_hashes
from zcp.report.report_data import (
    Bilingual,
    Cover,
    FactorRow,
    ReportData,
)
from zcp.report.verdicts import gaps, rule_sections, summary
from zcp.rules.run import Evaluation

__all__ = ["gaps", "report_data", "rule_sections", "summary"]

if TYPE_CHECKING:
    from zcp.ledger import Ledger, LedgerResult


def factor_rows(library: FactorLibrary) -> list[FactorRow]:
    rows = []
    for factor in sorted(library.factors.values(), key=lambda f: f.id):
        source = factor.source.cite()
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


def flow_quantities(evaluation: Evaluation, accounts: Any) -> dict[str, str] | None:
    """Each flow's quantity over the reporting period, with its carrier's unit, from the
    ledger run (metered, imputed or estimated, as the ledger counted it)."""
    meters = getattr(accounts, "meters", None)
    if meters is None or meters.empty:
        return None
    known = evaluation.folder.carriers
    units = {
        f.id: known[f.carrier].unit if f.carrier in known else ""
        for f in evaluation.folder.park.flows
    }
    totals = meters[meters["basis"] != "check_meter"].groupby("flow_id")["quantity"].sum()
    return {
        str(flow): f"{value:,.0f} {units.get(str(flow), '')}".strip()
        for flow, value in totals.items()
    }


def flow_diagram(
    evaluation: Evaluation, quantities: dict[str, str] | None = None
) -> tuple[dict[str, str] | None, str | None]:
    """({language: SVG text without XML prolog and DOCTYPE}, None) — or (None, why it
    failed). One drawing per report language: its words are the report's, and a name
    given only in the other language is marked with it (``xml:lang``).

    A drawing that fails (no ``dot`` program, a name graphviz rejects) makes the section
    say so instead of failing the whole report. Whatever the SVG holds is
    still rendered through the restricted fetcher, so a link inside it loads nothing.
    """
    import graphviz

    from zcp.graph import build_graph
    from zcp.graph.draw import report_dot
    from zcp.report.i18n import Messages

    graph = build_graph(evaluation.folder)
    known = evaluation.folder.carriers
    drawings = {}
    for lang in ("zh", "en"):
        t = Messages(lang)
        carriers = {
            cid: (known[cid].name_zh or cid) if lang == "zh" else cid.replace("_", " ")
            for cid in known.ids()
        }
        names = {
            tenant.id: (tenant.name_en or tenant.name) if lang == "en" else tenant.name
            for tenant in evaluation.folder.park.tenants
        }
        techs = {k: t(f"flow_tech_{k}") for k in FLOW_TECHNOLOGIES}
        words = DrawingWords(t("flow_legend"), techs, carriers, names)
        try:
            raw = report_dot(graph, known, words, quantities).pipe(format="svg", quiet=True)
        except graphviz.ExecutableNotFound:
            return None, "graphviz 'dot' is not installed"
        except graphviz.CalledProcessError as exc:
            return None, f"graphviz could not draw the park: {exc.stderr.decode(errors='replace')}"
        svg = raw.decode("utf-8")
        svg = re.sub(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<!--.*?-->", "", svg, flags=re.DOTALL)
        drawings[lang] = _mark_other_language(svg.strip(), lang, _latin_names(graph, words))
    return drawings, None


#: the generator and storage technologies a drawing names (``flow_tech_*`` messages)
FLOW_TECHNOLOGIES = ("wind", "pv", "hydro", "biomass", "chp", "gas_turbine", "diesel_genset",
                     "battery", "thermal", "hydrogen")  # fmt: skip
_CJK_TEXT = re.compile(r"<text([^>]*)>([^<]*[\u3400-\u9fff][^<]*)</text>")
_TEXT = re.compile(r"<text([^>]*)>([^<]*)</text>")


def _latin_names(graph: Any, words: DrawingWords) -> set[str]:
    """The names a drawing prints that are written in Latin letters only (a tenant or an
    asset named in English): its ids, carriers and units are not names."""
    names = set()
    for node, attrs in graph.nodes(data=True):
        name = words.tenant_names.get(node) if attrs["kind"] == "tenant" else attrs.get("name")
        if name and text_lang(name) == "en":
            names.add(name)
    return names


def _mark_other_language(svg: str, lang: str, latin_names: Collection[str] = ()) -> str:
    """Each text line in the drawing's other language carries ``xml:lang``, as the report's
    HTML marks such names: in an English drawing every line in Chinese (a name given only
    in Chinese); in a Chinese one the lines naming a node in Latin letters only ("Acme
    Steel [t1]", see :func:`zcp.graph.draw.report_dot`)."""
    if lang == "en":
        return _CJK_TEXT.sub(r'<text\1 xml:lang="zh-CN">\2</text>', svg)

    def mark(match: re.Match[str]) -> str:
        line = html.unescape(match.group(2))
        named = any(line == name or line.startswith(f"{name} [") for name in latin_names)
        return (
            f'<text{match.group(1)} xml:lang="en">{match.group(2)}</text>'
            if named
            else match.group(0)
        )

    return _TEXT.sub(mark, svg) if latin_names else svg


def _meter_data(evaluation: Evaluation, ledger: Any) -> Any:
    """The park's ``zcp.metering.MeterData``, or None for a park without readings."""
    # The ledger has loaded the readings already (a large park takes seconds): reuse them.
    meter_data = getattr(ledger, "readings", None) if ledger is not None else None
    if meter_data is None and evaluation.folder.park.readings:
        from zcp.metering import load_readings

        meter_data = load_readings(evaluation.folder, progress=False)
    return meter_data


def ledger_run(evaluation: Evaluation) -> tuple[Ledger | None, LedgerResult | None]:
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


def _flag_late_retirements(rows: list, ledger: Any, assessed_on: dt.date) -> None:
    """Certificates and credits retired after the assessment date: the assessor could not
    have seen the retirement record, so the report flags them."""
    data = getattr(getattr(ledger, "instruments", None), "data", None)
    if data is None:
        return
    retired = {
        item.id: item.retired_on
        for item in [*data.certificates, *data.credits]
        if getattr(item, "retired_on", None) is not None
    }
    for row in rows:
        row.retired_on = retired.get(row.id)
        row.retired_after_assessment = row.retired_on is not None and row.retired_on > assessed_on


def _named(name: str | None, name_en: str | None) -> Bilingual | None:
    """A name from assessment.yaml with its English version, if any (``name`` + ``name_en``)."""
    return Bilingual(name, name_en) if name else None


def report_data(evaluation: Evaluation, *, report_date: dt.date) -> ReportData:
    """Everything the report shows, from one evaluation run."""
    park = evaluation.folder.park
    result = evaluation.result_json()
    names = _names(evaluation)
    sections = rule_sections(result, names)
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
        acceptance_stage=assessment.acceptance_stage if assessment else None,
        report_date=report_date,
        rule_sets=[s.ref for s in sections],
        accounting_profile=next((s.ref.accounting_profile for s in sections), None),
        certification_body=_named(assessment.certification_body, assessment.certification_body_en)
        if assessment
        else None,
        assessor=_named(assessment.assessor, assessment.assessor_en) if assessment else None,
    )
    ledger, accounts = ledger_run(evaluation)
    meter_data = _meter_data(evaluation, ledger)
    svg, svg_error = flow_diagram(evaluation, flow_quantities(evaluation, accounts))
    data = ReportData(
        cover=cover,
        summary=summary(result, sections, Bilingual(park.name, park.name_en)),
        flow_diagram_svg=svg,
        flow_diagram_error=svg_error,
        rule_sets=sections,
        gaps=gaps(result, sections),
        data_quality=no_readings() if meter_data is None else data_quality(meter_data),
        factors=factor_rows(library),
        files=file_hashes(
            evaluation.park_hashes, evaluation.rule_files, factor_files(), evaluation.read
        ),
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
        data.emissions = ledger_sections.emissions(report, by_carrier, names, carriers)
        data.green_power = ledger_sections.green_power(report, _hourly_matrix(evaluation, accounts))
        data.instruments = ledger_sections.instruments(report)
        _flag_late_retirements(data.instruments, ledger, evaluation.date)
        data.factors = ledger_sections.factors(report)
        data.inventory = inventory_checks(report, names)
        data.profile = ledger_sections.profile_table(report["profile"])
        data.cover.accounting_profile = report["profile"]["id"]
        if data.summary is not None:
            data.summary.net_emissions = report["totals"].get("net_t")
        splits = uncertainty.data_basis(accounts)
        data.data_basis = uncertainty.basis_table(splits)
        data.missing_hours = uncertainty.missing_hours(
            meter_data.quality.per_meter if meter_data is not None else None
        )
        data.uncertain_share = uncertainty.largest_share(splits, data.missing_hours)
        data.uncertain_verdicts = uncertainty.mark_within_uncertainty(
            sections, result, data.uncertain_share
        )
    return data
