"""The rule engine's result JSON as report rows: verdicts per subject, summaries and gaps.

A report may rate several subjects: the park (park rule sets) and one or more factories
(tenant rule sets, ``subject: t001`` in ``assessment.yaml``). Every row keeps its subject so
the report can say whose result it is on every page, and each subject gets its own
summary. Reasons and gap actions are composed in both languages by :mod:`.explain`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zcp.report.explain import engine_text, lever_action, rule_reason, translate
from zcp.report.i18n import catalogue
from zcp.report.phrases import Phrase, Said, said_text
from zcp.report.report_data import (
    Bilingual,
    GapRow,
    KeyIndicator,
    OtherMethodFigure,
    RuleRow,
    RuleSetRef,
    RuleSetSection,
    SubjectSummary,
    Summary,
    bi,
)
from zcp.rules.conditions import COMPARISON_SYMBOLS

#: Width of the gap analysis's final bracket relative to a lever's range (zcp.rules.gaps).
GAP_BRACKET = 1e-4


def _display(value: float | None, unit: str | None) -> tuple[float | None, str | None]:
    """Fractions are stored 0–1 but read as percentages; "percent" prints as %."""
    if unit == "fraction":
        return (None if value is None else value * 100.0), "%"
    if unit == "percent":
        return value, "%"
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
    if isinstance(threshold, list) and len(shown) == 2:  # linear scoring: baseline – leading
        return f"{shown[0]} – {shown[1]}"
    return f"{COMPARISON_SYMBOLS.get(op or '', '')} {', '.join(shown)}".strip()


def _other_method(rule: dict[str, Any]) -> OtherMethodFigure | None:
    """The rule's indicator under the other electricity → tce method, if the result has it."""
    other = rule.get("other_method")
    if not other:
        return None
    value, unit = _display(other.get("value"), other.get("unit"))
    title = other.get("method_title")
    method = translate(other["method"]) or (
        said_text(title["zh"], title["en"]) if title else engine_text(other["method"])
    )
    reason = None if value is not None else engine_text(other.get("reason") or "not computed")
    return OtherMethodFigure(method, value, unit, reason)


def _rule_row(rule: dict[str, Any]) -> RuleRow:
    actual, unit = _display(rule.get("actual"), rule.get("unit"))
    margin, _ = _display(rule.get("margin"), rule.get("unit"))
    answer = rule.get("answer") or {}
    return RuleRow(
        id=rule["id"],
        title=bi(rule["title"]),
        clause=rule["clause"],
        status=rule["status"],
        why=rule_reason(rule),
        actual=actual,
        threshold=_threshold_text(rule),
        unit=unit,
        margin=margin,
        evidence=list(answer.get("evidence") or []),
        provisional=bool(rule.get("provisional")),
        kind=rule["kind"],
        other_method=_other_method(rule),
    )


def _level_title(rs: dict[str, Any], level_id: str | None) -> Bilingual | None:
    for level in rs.get("levels") or []:
        if level["id"] == level_id:
            return bi(level["title"])
    return None


def rule_sections(
    result: dict[str, Any], names: Mapping[str, Bilingual] | None = None
) -> list[RuleSetSection]:
    """One section per rule set; ``names`` gives tenant subjects their names."""
    out = []
    for rs in result.get("rule_sets", []):
        ref = RuleSetRef(
            rs["rule_set_id"],
            rs["version"],
            bi(rs["title"]),
            rs.get("sha256"),
            rs.get("accounting_profile"),
        )
        subject = rs.get("subject")
        out.append(
            RuleSetSection(
                ref,
                [_rule_row(r) for r in rs["rules"]],
                level=_level_title(rs, rs.get("level")),
                points=rs.get("points"),
                max_points=rs.get("max_points"),
                subject=subject,
                subject_name=(names or {}).get(subject, Bilingual(subject)) if subject else None,
            )
        )
    return out


def _indicators(sections: list[RuleSetSection]) -> list[KeyIndicator]:
    """Measured rules that apply (prerequisites and indicators), in rule-set order."""
    return [
        KeyIndicator(
            r.title, r.actual, r.threshold, r.unit, r.status, r.provisional, r.other_method
        )
        for s in sections
        for r in s.rules
        if r.kind in ("prerequisite", "indicator") and r.status != "not_applicable"
    ]


def _counts(sections: list[RuleSetSection]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for section in sections:
        for rule in section.rules:
            counts[rule.status] = counts.get(rule.status, 0) + 1
    return dict(sorted(counts.items()))


def subject_summaries(sections: list[RuleSetSection], park_name: Bilingual) -> list[SubjectSummary]:
    """The park first, then each rated factory in the order its rule sets appear."""
    order: list[str | None] = [None]
    for s in sections:
        if s.subject not in order:
            order.append(s.subject)
    out = []
    for subject in order:
        mine = [s for s in sections if s.subject == subject]
        if not mine:
            continue
        name = park_name if subject is None else (mine[0].subject_name or Bilingual(subject))
        out.append(SubjectSummary(subject, name, mine, _indicators(mine), _counts(mine)))
    return out


def summary(
    result: dict[str, Any], sections: list[RuleSetSection], park_name: Bilingual | None = None
) -> Summary | None:
    """The first (main) rule set's level and score, and one summary per subject."""
    if not sections:
        return None
    main = sections[0]
    provisional = sorted(
        {p for rs in result.get("rule_sets", []) for p in rs.get("provisional_parameters", [])}
    )
    return Summary(
        level=main.level,
        score=main.points,
        max_score=main.max_points,
        net_emissions=None,  # filled from the ledger by the assembly
        indicators=_indicators(sections),
        status_counts=_counts(sections),
        provisional_items=provisional,
        subjects=subject_summaries(sections, park_name or Bilingual("")),
    )


def _join(actions: list[Said], lang: str) -> Phrase:
    glue = catalogue()["lever_or"][lang]
    out = Phrase()
    for k, action in enumerate(actions):
        if k:
            out = out + Phrase((glue,))
        out = out + action.get(lang)
    return out


def gaps(result: dict[str, Any], sections: list[RuleSetSection]) -> list[GapRow]:
    """Rules short of their threshold: how far (the result's negative margin) and, where the
    rule engine's gap analysis ran, how much of each lever would close the gap — for a
    factory's rule set, the amounts the analysis sized for that factory, worded as such."""
    levers: dict[tuple[str, str | None, str], list[Said]] = {}
    tenants = {(s.ref.id, s.subject): s.subject_name for s in sections if s.subject}
    for rs in result.get("rule_sets", []):
        subject = rs.get("subject")
        tenant = (
            (tenants.get((rs["rule_set_id"], subject)) or Bilingual(subject)) if subject else None
        )
        for gap in rs.get("gaps") or []:
            # Only the levers that close the gap: "50 MW of PV would not raise water reuse"
            # is true for every unrelated lever and buries the useful line.
            levers[(rs["rule_set_id"], rs.get("subject"), gap["rule_id"])] = [
                lever_action(
                    x,
                    bracket=GAP_BRACKET * float(x.get("max_amount") or 0.0),
                    level_after=_level_title(rs, x.get("level_after")),
                    tenant=tenant,
                )
                for x in gap["levers"]
                if x.get("amount") is not None
            ]
    out = []
    for section in sections:
        for rule in section.rules:
            found = levers.get((section.ref.id, section.subject, rule.id))
            shortfall = -rule.margin if rule.margin is not None and rule.margin < 0 else None
            if rule.status in ("fail", "partial") and (shortfall is not None or found):
                if found:
                    action: Said | Bilingual = Said(_join(found, "zh"), _join(found, "en"))
                else:  # no lever closes it: say so, with the reason the rule gave
                    why = rule.why if isinstance(rule.why, Said) else said_text(rule.why, rule.why)
                    action = Said(
                        Phrase((catalogue()["gap_no_lever"]["zh"],))
                        + why.zh
                        + Phrase((catalogue()["gap_no_lever_end"]["zh"],)),
                        Phrase((catalogue()["gap_no_lever"]["en"],))
                        + why.en
                        + Phrase((catalogue()["gap_no_lever_end"]["en"],)),
                    )
                out.append(
                    GapRow(
                        rule.id,
                        rule.title,
                        shortfall,
                        rule.unit,
                        action,
                        subject=section.subject,
                        subject_name=section.subject_name,
                        rule_set=section.ref.id,
                    )
                )
    return out
