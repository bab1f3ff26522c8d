"""``ReportData`` → one self-contained HTML document (jinja2, autoescaped).

Every string from a park, rule or factor file goes through jinja2's autoescape; the only
values marked safe are ``data:`` URLs this package builds itself. The stylesheet is inlined
and the charts are ``data:`` images, so the HTML needs no other file — the same document is
the ``.html`` report and the input to the PDF renderer.
"""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2
from markupsafe import Markup

from zcp.report import charts
from zcp.report.i18n import Messages, number
from zcp.report.phrases import Citation, Code, Quote, Said, say
from zcp.report.report_data import Bilingual, ReportData, Table
from zcp.report.templating import template_environment
from zcp.report.verdicts import subject_summaries

TEMPLATE_DIR = Path(__file__).parent / "templates"
ASSET_DIR = Path(__file__).parent / "assets"


@functools.cache
def _environment() -> jinja2.Environment:
    env = template_environment(TEMPLATE_DIR)
    env.filters["say"] = _say
    env.tests["startingwith"] = lambda value, prefix: str(value).startswith(prefix)
    return env


@jinja2.pass_context
def _say(context: jinja2.runtime.Context, value: object) -> Markup:
    """``{{ x|say }}``: report text in the page's language, quotes marked (see .phrases)."""
    return say(value, context["lang"])


def _css() -> Markup:
    # Our own stylesheet, not user data: safe to inline verbatim.
    return Markup((ASSET_DIR / "report.css").read_text(encoding="utf-8"))


def _chart_uris(data: ReportData, t: Messages) -> dict[str, str]:
    uris: dict[str, str] = {}
    if data.emissions:
        for key, series in data.emissions.charts.items():
            unit, labels = series.texts(t.lang)
            svg = charts.bar_chart(labels, series.values, unit=unit)
            uris[f"emissions_{key}"] = charts.data_uri(svg)
    gp = data.green_power
    if gp and gp.heat_map:
        svg = charts.heat_map(gp.heat_map, legend=(t("heat_low"), t("heat_high"), t("heat_label")))
        uris["heat_map"] = charts.data_uri(svg)
    if data.flow_diagram_svg and t.lang in data.flow_diagram_svg:
        uris["flow"] = charts.data_uri(data.flow_diagram_svg[t.lang])
    return uris


def cell_value(table: Table, row: dict, key: str, lang: str = "zh") -> object:
    """A cell for the HTML: formatted numbers, and names kept bilingual so the template
    can mark a name given in one language only."""
    value = row.get(key)
    if isinstance(value, Bilingual | Said | Quote | Code | Citation):
        return value
    return cell(table, row, key, lang)


def cell(table: Table, row: dict, key: str, lang: str = "zh") -> str:
    """A table cell as text: numbers formatted by their column, bilingual text in ``lang``."""
    column = next(c for c in table.columns if c.key == key)
    value = row.get(key)
    if column.numeric:
        return number(value, column.digits)
    if value is None:
        return "—"
    if isinstance(value, Bilingual):
        return value.get(lang)
    if isinstance(value, Said):
        return value.plain(lang)
    if isinstance(value, Quote | Code | Citation):
        return value.text
    return str(value)


def render_html(data: ReportData, lang: str = "zh", embedded: dict | None = None) -> str:
    """The report as an HTML string in ``lang`` ("zh" or "en").

    ``embedded`` maps an element id to JSON-able data written as ``application/json``
    script blocks (jinja2's ``tojson`` escapes ``<``, ``>``, ``&`` and quotes).
    """
    t = Messages(lang)
    template = _environment().get_template("report.html.j2")
    subjects = (
        data.summary.subjects
        if data.summary and data.summary.subjects
        else subject_summaries(data.rule_sets or [], data.cover.park_name)
    )
    return template.render(
        subjects=subjects,
        d=data,
        lang=lang,
        html_lang="zh-CN" if lang == "zh" else "en",
        t=t,
        css=_css(),
        charts={k: Markup(v) for k, v in _chart_uris(data, t).items()},
        cell=cell_value,
        embedded=embedded or {},
    )
