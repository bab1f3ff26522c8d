"""The report's bilingual message catalogue and the number/date formats each language uses.

Phrases live in ``templates/messages.yaml`` (data, not code) and, for a group of sections
with their own templates, in ``templates/<group>/messages.yaml`` (the certification pages,
the inventory checks); the catalogues are merged — messages, reasons and texts alike — and
a key defined twice is an error. A missing key is a
programming error and fails loudly rather than printing a key name.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from pathlib import Path

from markupsafe import Markup

from zcp.report.phrases import Phrase, Quote
from zcp.yamlio import expect_kind, load_yaml

LANGUAGES = ("zh", "en")
CATALOGUE = Path(__file__).parent / "templates" / "messages.yaml"


@functools.cache
def _documents() -> list[dict]:
    """The main catalogue, then each sub-catalogue (``templates/*/messages.yaml``)."""
    docs = []
    for path in [CATALOGUE, *sorted(CATALOGUE.parent.glob("*/messages.yaml"))]:
        doc = load_yaml(path)
        expect_kind(doc, ["message_catalogue"], {"message_catalogue": [1]})
        docs.append(doc.data)
    return docs


def _complete(section: str, key: object, entry: dict) -> None:
    missing = [lang for lang in LANGUAGES if not entry.get(lang)]
    if missing:
        raise ValueError(f"{section} {key!r} has no {', '.join(missing)} text")


@functools.cache
def catalogue() -> dict[str, dict[str, str]]:
    messages: dict[str, dict[str, str]] = {}
    for path, data in zip(
        [CATALOGUE, *sorted(CATALOGUE.parent.glob("*/messages.yaml"))], _documents(), strict=True
    ):
        twice = messages.keys() & data["messages"].keys()
        if twice:
            raise ValueError(f"{path}: message(s) {sorted(twice)} already defined")
        messages.update(data["messages"])
    for key, entry in messages.items():
        _complete("message", key, entry)
        stray = set(entry) - set(LANGUAGES)
        if stray:  # an unquoted comma in a flow mapping ({en: a, b}) splits the text
            raise ValueError(f"message {key!r} has unknown part(s) {sorted(stray)}: quote its text")
    return messages


@functools.cache
def reason_table() -> list[dict]:
    """Engine sentences and their wording per language: ``match`` is a regular expression
    over the whole sentence; its named parts fill ``{name}`` in each language's template,
    and the parts listed under ``translate`` are translated themselves."""
    entries = [entry for doc in _documents() for entry in doc.get("reasons") or []]
    for entry in entries:
        _complete("reason", entry.get("match"), entry)
    return entries


@functools.cache
def text_table() -> dict[str, dict[str, str]]:
    """Fixed English sentences from the engine and rule files, by their exact text."""
    texts = {}
    for entry in [entry for doc in _documents() for entry in doc.get("texts") or []]:
        _complete("text", entry.get("en"), entry)
        texts[entry["en"]] = entry
    return texts


class Messages:
    """``t("sec_summary")`` → the phrase in this language; ``{name}`` fields are filled in."""

    def __init__(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown report language {lang!r} (use zh or en)")
        self.lang = lang
        self._messages = catalogue()

    def __call__(self, key: str, **fields: object) -> str:
        text = self._messages[key][self.lang]
        return text.format(**fields) if fields else text

    def optional(self, key: str) -> str | None:
        """The phrase for ``key``, or None when the catalogue has none (codes shown as is)."""
        entry = self._messages.get(key)
        return entry[self.lang] if entry else None

    def coded(self, key: str, **codes: str) -> Markup:
        """The phrase as HTML, each ``{name}`` filled by a command or identifier shown as
        code (never translated): ``t.coded("cf_evidence_note", cmd="zcp pack")``."""
        return Phrase.fill(self(key), {k: Phrase.code(v) for k, v in codes.items()}).html(self.lang)

    def quoting(self, key: str, **names: object) -> Markup:
        """The phrase as HTML, each ``{name}`` filled by a name or title (``Bilingual`` or
        text) in this language — or, given only in the other, as written and marked."""
        values: dict[str, str | Quote | Phrase] = {}
        for field, value in names.items():
            zh, en = getattr(value, "zh", None), getattr(value, "en", None)
            given = (en if self.lang == "en" else zh) if hasattr(value, "zh") else str(value)
            values[field] = Quote(given, self.lang) if given else Quote.of(zh or en or "")
        return Phrase.fill(self(key), values).html(self.lang)

    def status(self, status: str) -> str:
        return self(f"status_{status}")

    def date(self, day: dt.date | None) -> str:
        if day is None:
            return "—"
        if self.lang == "zh":
            return f"{day.year}年{day.month}月{day.day}日"
        return day.isoformat()


def bilingual(key: str):
    """A catalogue phrase in both languages, for labels stored in ``ReportData``."""
    from zcp.report.report_data import Bilingual

    entry = catalogue()[key]
    return Bilingual(entry["zh"], entry["en"])


def number(value: float | int | None, digits: int = 1) -> str:
    """Thousands separators, fixed decimals; "—" for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,d}"
    return f"{value:,.{digits}f}"


def percent(value: float | None, digits: int = 1) -> str:
    """A fraction (0..1) shown as a percentage."""
    if value is None:
        return "—"
    return f"{value * 100:.{digits}f}%"
