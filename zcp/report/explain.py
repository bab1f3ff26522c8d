"""Why each verdict came out as it did, and what would close a gap — in the report's words.

The rule engine explains every verdict in one English line (``RuleResult.why``) and keeps
the values it compared. The report composes its own sentence in each language from those
values (comparisons, checklist answers) through message templates; the remaining engine
sentences (applicability, missing data) are matched against the ``reasons`` table of
``messages.yaml``, whose named parts are translated in turn. A sentence no entry matches
is shown as the engine wrote it — and the report-language test names it, so a new engine
sentence cannot slip into the Chinese report unnoticed.

Gap actions are written per lever (``lever_<name>`` messages) at a plan's precision:
capacity [MW] to 0.1, energy [MWh] and mass [t] to whole numbers, counts as whole items,
always rounded up to the step so the rounded amount still closes the gap.
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any

from zcp.report.bilingual import Bilingual
from zcp.report.i18n import LANGUAGES, catalogue, reason_table, text_table
from zcp.report.phrases import Code, Phrase, Quote, Said
from zcp.rules.conditions import COMPARISON_SYMBOLS

_CODE = re.compile(r"[A-Za-z][\w.@/-]*")
#: Units as the report prints them (the engine's spelled-out names read badly in Chinese).
UNIT_SHOWN = {"percent": "%", "fraction": "%", "count": "", "minutes": "min"}
#: Decimal places of a planned amount by unit; amounts are rounded up to this step.
PLAN_STEP = {"MW": 1, "kW": 0, "MWh": 0, "kWh": 0, "t": 0, "tCO2e": 0, "t CO2e": 0, "count": 0}


def _msg(key: str, lang: str, **values: str | Quote | Phrase) -> Phrase:
    return Phrase.fill(catalogue()[key][lang], values)


def _both(key: str, **values: Any) -> Said:
    """A message in both languages; values may be a ``Said`` (picked per language)."""

    def pick(lang: str) -> dict[str, Any]:
        return {k: (v.get(lang) if isinstance(v, Said) else v) for k, v in values.items()}

    return Said(_msg(key, "zh", **pick("zh")), _msg(key, "en", **pick("en")))


def number_text(value: float | None, unit: str | None = None) -> str:
    """A compared value as the report prints it: shares in %, up to 4 significant digits."""
    if value is None:
        return "—"
    if unit == "fraction":
        value *= 100.0
    if value != 0 and abs(value) < 0.01:
        shown = f"{value:.2g}"
    elif abs(value) >= 1000:
        shown = f"{value:,.0f}"
    else:
        shown = f"{value:,.4g}" if abs(value) < 100 else f"{value:,.1f}".rstrip("0").rstrip(".")
    suffix = UNIT_SHOWN.get(unit or "", unit or "")
    return f"{shown} {suffix}".strip() if suffix != "%" else f"{shown}%"


def _stage(stage: str) -> Said:
    return (
        _both(f"stage_{stage}")
        if f"stage_{stage}" in catalogue()
        else Said(Phrase((stage,)), Phrase((stage,)))
    )


# -- reasons ------------------------------------------------------------------------------
@functools.cache
def _compiled() -> list[tuple[re.Pattern[str], dict[str, str], tuple[str, ...]]]:
    return [
        (re.compile(entry["match"]), {lang: entry[lang] for lang in LANGUAGES},
         tuple(entry.get("translate", ())))
        for entry in reason_table()
    ]  # fmt: skip


def translate(text: str) -> Said | None:
    """An engine sentence in both languages, or None when no table entry matches.

    Named parts listed under ``translate`` are translated themselves (a nested reason, an
    applicability note); other parts (numbers, ids, units) are kept as they are.
    """
    text = text.strip()
    known = text_table().get(text)
    if known is not None:
        return Said(Phrase((known["zh"],)), Phrase((known.get("shown_en") or known["en"],)))
    for pattern, templates, nested in _compiled():
        match = pattern.fullmatch(text)
        if match is None:
            continue
        values: dict[str, Said] = {}
        for name, part in match.groupdict(default="").items():
            inner = translate(part) if name in nested else None
            if name in nested and inner is None:
                break  # a part that must be translated is not known: try the next entry
            values[name] = inner or _kept(part)
        else:
            return _fill_both(templates, values)
    return None


def _kept(part: str) -> Said:
    """A matched part kept as it is: an identifier as code, anything else as text."""
    piece = Phrase((Code(part),)) if _CODE.fullmatch(part) else Phrase((part,))
    return Said(piece, piece)


def _fill_both(templates: dict[str, str], values: dict[str, Said]) -> Said:
    return Said(
        Phrase.fill(templates["zh"], {k: v.zh for k, v in values.items()}),
        Phrase.fill(templates["en"], {k: v.en for k, v in values.items()}),
    )


def engine_text(text: str) -> Said:
    """``translate`` or, failing that, the engine's words in both slots (test catches it)."""
    return translate(text) or Said(Phrase((text,)), Phrase((text,)))


def _note(answer: dict[str, Any]) -> Phrase | None:
    note = (answer or {}).get("note")
    return Phrase((Quote.of(note),)) if note else None


def _with_note(said: Said, answer: dict[str, Any]) -> Said:
    note = _note(answer)
    if note is None:
        return said
    return Said(said.zh + _msg("note_suffix", "zh", note=note),
                said.en + _msg("note_suffix", "en", note=note))  # fmt: skip


def _checklist_reason(rule: dict[str, Any]) -> Said | None:
    answer = rule.get("answer")
    status = rule["status"]
    if answer is None:
        return _both("why_no_answer") if status == "needs_evidence" else None
    given = answer.get("answer")
    if given is None:
        return None
    if status == "not_applicable" and given == "not_applicable":
        return _with_note(_both("why_declared_na"), answer)
    if status == "needs_evidence":
        return _both("why_no_evidence", answer=_both(f"answer_{given}"))
    if status == "pass" and given == "yes":
        return _both("why_answered_yes", n=str(len(answer.get("evidence") or [])))
    if status in ("fail", "partial") and given in ("no", "partial"):
        return _with_note(_both(f"why_answered_{given}"), answer)
    return None


def _comparison(rule: dict[str, Any]) -> Said | None:
    """Actual against threshold for a rule with one metric and one operator."""
    cond = rule.get("condition") or {}
    if (
        cond.get("node") != "leaf"
        or cond.get("op") not in COMPARISON_SYMBOLS
        or rule["status"]
        not in (
            "pass",
            "fail",
        )
    ):
        return None
    unit = cond.get("unit") or rule.get("unit")
    actual, threshold = cond.get("actual"), cond.get("threshold")
    if not isinstance(threshold, int | float) or actual is None:
        return None
    said = _both(
        "why_meets" if rule["status"] == "pass" else "why_misses",
        actual=number_text(actual, unit),
        op=COMPARISON_SYMBOLS[cond["op"]],
        threshold=number_text(threshold, unit),
    )
    if rule.get("band"):
        said = Said(said.zh + _msg("band_suffix", "zh", band=Quote.of(rule["band"])),
                    said.en + _msg("band_suffix", "en", band=Quote.of(rule["band"])))  # fmt: skip
    return said


def _linear(rule: dict[str, Any]) -> Said | None:
    threshold = rule.get("threshold")
    if not (isinstance(threshold, list) and len(threshold) == 2) or rule.get("actual") is None:
        return None
    points, most = rule.get("points"), rule.get("max_points")
    share = (points / most) if points is not None and most else None
    unit = rule.get("unit")
    return _both(
        "why_linear",
        actual=number_text(rule["actual"], unit),
        share="—" if share is None else f"{share:.0%}",
        baseline=number_text(threshold[0], unit),
        leading=number_text(threshold[1], unit),
    )


def rule_reason(rule: dict[str, Any]) -> Said:
    """Why this rule came out as it did, in both languages (from a result JSON rule)."""
    why = rule.get("why") or ""
    structured = None
    if rule.get("kind") == "checklist" or rule.get("answer"):
        structured = _checklist_reason(rule)
    if structured is None and not why.startswith(("does not apply", "applies only")):
        structured = _comparison(rule) or (_linear(rule) if "between baseline" in why else None)
    if structured is None and why == "all conditions hold":
        structured = _both("why_all_hold")
    return structured or engine_text(why)


# -- gap actions --------------------------------------------------------------------------
def plan_amount(amount: float, unit: str, bracket: float = 0.0) -> tuple[float, str]:
    """(amount rounded up to a plan's step, as text). ``bracket`` is the gap analysis's
    search width: a count found within it of a whole number is that whole number (a lever
    that adds whole meters passes at exactly 8, found as 8.03)."""
    if unit == "count":
        whole = math.ceil(amount - bracket - 1e-9)
        return float(max(whole, 0)), f"{max(whole, 0):,d}"
    digits = PLAN_STEP.get(unit, 1)
    step = 10.0**-digits
    rounded = math.ceil(amount / step - 1e-9) * step
    return rounded, f"{rounded:,.{digits}f}"


def _named(name: Bilingual) -> Said:
    """A name or title in each language; given in one only, it is quoted as written, so the
    HTML marks its language on the other language's page."""
    zh = name.zh or name.en or ""
    en = Quote(name.en, "en") if name.en else Quote.of(zh)
    return Said(Phrase((Quote(zh, "zh") if name.zh else Quote.of(zh),)), Phrase((en,)))


def lever_action(
    lever: dict[str, Any],
    *,
    bracket: float = 0.0,
    level_after: Bilingual | None = None,
    tenant: Bilingual | None = None,
) -> Said:
    """One lever's amount as an action in words: "add 40.3 MW of PV" / "增加光伏装机 40.3 MW",
    with the level the rule set would then reach, when the analysis found one.

    ``tenant``: the factory a tenant rule set rates; the gap analysis then sized the lever
    for that tenant (``Lever.for_subject``), and the action says so where the catalogue has
    a ``lever_<name>_tenant`` phrase ("retire 1,200 MWh of green certificates for 企业001").
    """
    key = f"lever_{lever['lever']}"
    _, shown = plan_amount(float(lever["amount"]), lever["unit"], bracket)
    if tenant is not None and f"{key}_tenant" in catalogue():
        action = _both(f"{key}_tenant", amount=shown, tenant=_named(tenant))
    elif key in catalogue():
        action = _both(key, amount=shown)
    else:  # a lever the catalogue does not know yet: its name, flagged by the language test
        raw = Phrase((f"{lever['lever']}: {shown} {lever['unit']}",))
        action = Said(raw, raw)
    if level_after is not None:
        level = _named(level_after)
        action = Said(
            action.zh + _msg("lever_level_after", "zh", level=level.zh),
            action.en + _msg("lever_level_after", "en", level=level.en),
        )
    return action
