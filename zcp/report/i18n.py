"""The report's bilingual message catalogue and the number/date formats each language uses.

Phrases live in ``templates/messages.yaml`` (data, not code) and, for a group of sections
with their own templates, in ``templates/<group>/messages.yaml`` (the certification pages);
the catalogues are merged and a key defined twice is an error. A missing key is a
programming error and fails loudly rather than printing a key name.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from pathlib import Path

from zcp.yamlio import expect_kind, load_yaml

LANGUAGES = ("zh", "en")
CATALOGUE = Path(__file__).parent / "templates" / "messages.yaml"


@functools.cache
def catalogue() -> dict[str, dict[str, str]]:
    messages: dict[str, dict[str, str]] = {}
    for path in [CATALOGUE, *sorted(CATALOGUE.parent.glob("*/messages.yaml"))]:
        doc = load_yaml(path)
        expect_kind(doc, ["message_catalogue"], {"message_catalogue": [1]})
        twice = messages.keys() & doc.data["messages"].keys()
        if twice:
            raise ValueError(f"{path}: message(s) {sorted(twice)} already defined")
        messages.update(doc.data["messages"])
    for key, entry in messages.items():
        missing = [lang for lang in LANGUAGES if not entry.get(lang)]
        if missing:
            raise ValueError(f"message {key!r} has no {', '.join(missing)} text")
    return messages


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
