"""``zcp rules docs``: a rule set as a readable page (Markdown or HTML) for policy teams.

Every rule shows its clause, its check in words, the parameter values with their dates,
source and confidence; provisional values are marked. Both formats escape HTML in every
string from the file (a rule set is data, and may come from anyone; Markdown viewers render
raw HTML).
"""

from __future__ import annotations

import html
from typing import Literal

from zcp.rules.conditions import symbol
from zcp.rules.ruleset_file import (
    AllOf,
    AnyOf,
    CheckedRule,
    ChecklistRule,
    Condition,
    Leaf,
    NotOf,
    Parameter,
    RuleSet,
    Text,
)


def render(rs: RuleSet, fmt: Literal["md", "html"] = "md") -> str:
    """The rule set as Markdown, or as a standalone HTML page."""
    lines = _markdown_lines(rs)
    if fmt == "md":
        # Markdown passes raw HTML through to the page, so text from the file (titles,
        # notes, sources) is escaped here too: '<script>' shows as text, never runs.
        return "\n".join(html.escape(line, quote=False) for line in lines) + "\n"
    return _html(rs, lines)


def _t(text: Text | str | None) -> str:
    if text is None:
        return ""
    if isinstance(text, Text):
        return f"{text.zh} / {text.en}"
    return text


def _value(rs: RuleSet, value: object) -> str:
    if isinstance(value, str) and value in rs.parameters:
        return f"`{value}` ({_param_now(rs.parameters[value])})"
    if isinstance(value, float):
        return f"{value:,.10g}"
    return str(value)


def _param_now(param: Parameter) -> str:
    if param.factor:
        return f"factor `{param.factor}`"
    assert param.values
    latest = param.values[-1]
    flag = " — **provisional**" if latest.confidence == "provisional" else ""
    shown = (
        "unknown"
        if latest.value is None
        else f"{latest.value:,.10g}"
        if isinstance(latest.value, float)
        else str(latest.value)
    )
    return f"{shown} {param.unit}{flag}"


def _condition(rs: RuleSet, cond: Condition, depth: int = 0) -> list[str]:
    pad = "  " * depth + "- "
    if isinstance(cond, Leaf):
        unit = f" {cond.unit}" if cond.unit else ""
        return [f"{pad}`{cond.metric}` {symbol(cond.op)} {_value(rs, cond.value)}{unit}"]
    if isinstance(cond, NotOf):
        return [f"{pad}not:"] + _condition(rs, cond.not_, depth + 1)
    children = cond.all if isinstance(cond, AllOf) else cond.any  # type: ignore[union-attr]
    word = "all of:" if isinstance(cond, AllOf) else "any of:"
    assert isinstance(cond, AllOf | AnyOf)
    out = [f"{pad}{word}"]
    for child in children:
        out += _condition(rs, child, depth + 1)
    return out


def _rule_lines(rs: RuleSet, rule: CheckedRule | ChecklistRule) -> list[str]:
    out = [
        f"### {_t(rule.title)}",
        "",
        f"- id: `{rule.id}` — {rule.kind}"
        + (f", up to {_value(rs, rule.points)} points" if rule.points is not None else ""),
        f"- clause: {rule.clause}",
    ]
    if rule.may_be_not_applicable:
        out.append("- may be declared not applicable by the assessor, with a reason")
    if rule.applicability:
        app = rule.applicability
        if app.stages:
            out.append(f"- applies at stages: {', '.join(app.stages)}")
        if app.condition is not None:
            out += ["- applies when:"] + ["  " + line for line in _condition(rs, app.condition)]
    if isinstance(rule, ChecklistRule):
        out.append(f"- question: {_t(rule.question)}")
        out += [f"- evidence: {item}" for item in rule.evidence]
    elif rule.condition is not None:
        out += ["- passes when:"] + ["  " + line for line in _condition(rs, rule.condition)]
    else:
        unit = f" {rule.unit}" if rule.unit else ""
        if rule.scoring.method == "linear" and rule.bands is None:
            out.append(
                f"- scored linearly on `{rule.metric}`: 0 points at "
                f"{_value(rs, rule.scoring.baseline)}, full points at "
                f"{_value(rs, rule.scoring.leading)}{unit}"
            )
        elif rule.bands is None:
            out.append(
                f"- passes when `{rule.metric}` {symbol(rule.op or '')} "
                f"{_value(rs, rule.threshold)}{unit}"
            )
        else:
            out += [
                f"- `{rule.metric}` {symbol(rule.op or '')} a threshold that depends on "
                f"`{rule.bands.metric}`:",
                "",
                "  | band | from | to | threshold |",
                "  |---|---|---|---|",
            ]
            for band in rule.bands.cases:
                threshold = (
                    _value(rs, band.threshold)
                    if band.threshold is not None
                    else "**unknown → undetermined**"
                )
                out.append(
                    f"  | {band.label or ''} | {_value(rs, band.from_) if band.from_ is not None else '—'} "
                    f"| {_value(rs, band.to) if band.to is not None else '—'} | {threshold} |"
                )
            out.append("")
    if rule.description:
        out.append(f"- {rule.description}")
    return out + [""]


def _markdown_lines(rs: RuleSet) -> list[str]:
    src = rs.source
    out = [
        f"# {rs.title.zh}",
        "",
        f"*{rs.title.en}*",
        "",
        f"- id and version: `{rs.id}@{rs.version}`",
        f"- issued by: {_t(rs.issued_by)}",
        f"- in force: {rs.effective_from}"
        + (f" to {rs.effective_until}" if rs.effective_until else " (no end date)"),
        f"- source: {src.document}"
        + (f", {src.clause}" if src.clause else "")
        + (f" ({src.url})" if src.url else ""),
        f"- subject: {rs.subject}; stages: {', '.join(rs.stages)}",
    ]
    if rs.accounting_profile:
        out.append(f"- accounting profile: `{rs.accounting_profile}`")
    if rs.supersedes:
        out.append(f"- supersedes: {', '.join(rs.supersedes)}")
    if rs.status_note:
        out += ["", f"> {rs.status_note}"]
    out.append("")
    sections = [(s.id, s.title) for s in rs.sections] + [(None, None)]
    for section_id, title in sections:
        rules = [r for r in rs.rules if r.section == section_id]
        if not rules:
            continue
        out += [f"## {_t(title) if title else 'Other rules'}", ""]
        for rule in rules:
            out += _rule_lines(rs, rule)
    if rs.levels:
        out += ["## Levels", "", "Every prerequisite must pass for any level.", ""]
        for level in rs.levels:
            need = []
            if level.requires:
                need.append("requires " + ", ".join(f"`{r}`" for r in level.requires))
            if level.min_points is not None:
                need.append(f"at least {_value(rs, level.min_points)} points")
            out.append(
                f"- **{_t(level.title)}** (`{level.id}`)" + (": " + "; ".join(need) if need else "")
            )
        out.append("")
    out += [
        "## Parameters",
        "",
        "| name | value | unit | valid | confidence | source |",
        "|---|---|---|---|---|---|",
    ]
    for name, param in rs.parameters.items():
        if param.factor:
            out.append(f"| `{name}` | factor `{param.factor}` | {param.unit} | | | |")
            continue
        for pv in param.values or []:
            value = "unknown" if pv.value is None else str(pv.value)
            until = str(pv.valid_until) if pv.valid_until else "…"
            conf = "**provisional**" if pv.confidence == "provisional" else "verified"
            source = pv.source.document + (f", {pv.source.clause}" if pv.source.clause else "")
            out.append(
                f"| `{name}` | {value} | {param.unit} | {pv.valid_from} – {until} "
                f"| {conf} | {source.replace('|', '/')} |"
            )
    return out


def _html(rs: RuleSet, lines: list[str]) -> str:
    """Markdown lines as escaped HTML (a small subset: headings, lists, tables, quotes)."""
    body: list[str] = []
    in_list = in_table = False
    for raw in lines:
        line = raw.strip()
        if in_list and not line.startswith("- "):
            body.append("</ul>")
            in_list = False
        if in_table and not line.startswith("|"):
            body.append("</table>")
            in_table = False
        if not line:
            continue
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            body.append(f"<h{level}>{_inline(line[level:].strip())}</h{level}>")
        elif line.startswith("- "):
            if not in_list:
                body.append("<ul>")
                in_list = True
            body.append(f"<li>{_inline(line[2:])}</li>")
        elif line.startswith("|"):
            if set(line) <= set("|-"):
                continue
            if not in_table:
                body.append("<table>")
                in_table = True
            cells = [c.strip() for c in line.strip("|").split("|")]
            body.append("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in cells) + "</tr>")
        elif line.startswith(">"):
            body.append(f"<blockquote>{_inline(line[1:].strip())}</blockquote>")
        else:
            body.append(f"<p>{_inline(line)}</p>")
    body.append("</ul>" if in_list else "")
    body.append("</table>" if in_table else "")
    title = html.escape(f"{rs.title.zh} — {rs.id}@{rs.version}")
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>body{{font-family:sans-serif;max-width:60em;"
        "margin:auto}td{border:1px solid #ccc;padding:2px 6px}table{border-collapse:"
        "collapse}</style></head><body>\n" + "\n".join(b for b in body if b) + "\n</body></html>\n"
    )


def _inline(text: str) -> str:
    """Escape, then turn `code` and **bold** back into tags."""
    out = html.escape(text)
    parts = out.split("`")
    out = "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))
    parts = out.split("**")
    return "".join(f"<strong>{p}</strong>" if i % 2 else p for i, p in enumerate(parts))
